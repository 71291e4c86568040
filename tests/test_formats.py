"""Each transcript format, parsed from small inputs written here."""

from __future__ import annotations

import pytest

from gloss import formats
from gloss.errors import FormatError


def speech(t):
    return [(turn.label, turn.start, [p.verbatim for p in turn.paragraphs]) for turn in t.turns]


def test_speaker_headers_with_timestamps_and_paragraphs():
    text = (
        "**Jacob Effron** (0:00)\n"
        "Is reasoning enough?\n"
        "**SPEAKER_3** (1:02:03)\n"
        "I think so.\n"
        "Second   paragraph.\n"
    )
    t = formats.parse("a.txt", text)
    assert t.format == "speaker-md"
    assert speech(t) == [
        ("Jacob Effron", 0.0, ["Is reasoning enough?"]),
        ("SPEAKER_3", 3723.0, ["I think so.", "Second paragraph."]),
    ]
    second = t.turns[1]
    assert (second.pos.line, second.paragraphs[1].pos.line) == (3, 5)
    assert second.paragraphs[0].start == 3723.0
    assert second.paragraphs[1].start is None


def test_a_recurring_header_without_a_time_is_a_speaker():
    t = formats.parse("a.md", "**Ann**\nHello.\n\n**Bob** [0:05]\nHi.\n**Ann**\nBye.\n")
    assert speech(t) == [("Ann", None, ["Hello."]), ("Bob", 5.0, ["Hi."]), ("Ann", None, ["Bye."])]


def test_captions_split_at_turn_marks_and_keep_the_teaser():
    text = "Teaser line before anything.\n>> Hi, I'm Matt.\n>> Thank you. >> You're welcome.\n"
    t = formats.parse("c.txt", text)
    assert t.format == "captions"
    assert speech(t) == [
        ("", None, ["Teaser line before anything."]),
        (">>", None, ["Hi, I'm Matt."]),
        (">>", None, ["Thank you."]),
        (">>", None, ["You're welcome."]),
    ]
    last = t.turns[3]
    assert (last.pos.line, last.pos.col) == (3, 15)
    assert (last.paragraphs[0].pos.line, last.paragraphs[0].pos.col) == (3, 18)


def test_caption_lines_of_a_turn_are_one_paragraph_until_a_blank_line():
    t = formats.parse("c.txt", ">> so what I wanted\nto ask is\n\nwhether it works\n>> Two.\n")
    assert speech(t) == [(">>", None, ["so what I wanted to ask is", "whether it works"]),
                         (">>", None, ["Two."])]
    second = t.turns[0].paragraphs[1].pos
    assert (second.line, second.col) == (4, 1)


def test_colon_lines_with_optional_timestamps():
    text = (
        "Alice Smith: Hello there.\n"
        "[00:01:05] Bob: Hi Alice: how are you?\n"
        "And a second paragraph.\n"
        "Dr. Chen (2:10): Fine.\n"
    )
    t = formats.parse("p.txt", text)
    assert t.format == "colon"
    assert speech(t) == [
        ("Alice Smith", None, ["Hello there."]),
        ("Bob", 65.0, ["Hi Alice: how are you?", "And a second paragraph."]),
        ("Dr. Chen", 130.0, ["Fine."]),
    ]
    assert (t.turns[1].pos.line, t.turns[1].pos.col) == (2, 12)


def test_colon_line_with_name_alone_takes_the_next_lines():
    t = formats.parse("p.txt", "Alice:\nHello.\nBob: Hi.\n")
    assert speech(t) == [("Alice", None, ["Hello."]), ("Bob", None, ["Hi."])]


def test_urls_and_clock_times_are_not_speaker_names():
    t = formats.parse("p.txt", "Ann: see https://example.com at 10:30: ok\n")
    assert speech(t) == [("Ann", None, ["see https://example.com at 10:30: ok"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**A** (0:01)\nx\n", "speaker-md"),
        ("\n\n  **A**\nx\n", "speaker-md"),
        (">> x\n", "captions"),
        ("intro words\n>> x\n", "captions"),
        ("A: x\n", "colon"),
        ("SPEAKER_1: x\n", "colon"),
    ],
)
def test_detection(text, expected):
    assert formats.detect("f.txt", text) == expected


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file_is_an_error_naming_the_file(text):
    with pytest.raises(FormatError) as err:
        formats.parse("content/empty.txt", text.replace("\ufeff", ""))
    assert str(err.value) == "content/empty.txt: error: transcript is empty"


def test_unknown_format_is_an_error_at_the_first_line_with_a_hint():
    with pytest.raises(FormatError) as err:
        formats.parse("content/notes.txt", "\nJust some prose, with no speakers.\nMore.\n")
    message = str(err.value)
    assert message.startswith("content/notes.txt:2:1: error: cannot tell the transcript format")
    assert "Just some prose" in message
    assert "`>>`" in message


def test_prose_with_a_colon_stays_speech():
    t = formats.parse("p.txt", "Bob: Here is my list.\nThe answer is simple: it works.\nSo: yes.\n")
    assert speech(t) == [("Bob", None, ["Here is my list.", "The answer is simple: it works.", "So: yes."])]


def test_a_lowercase_label_counts_when_it_recurs():
    t = formats.parse("p.txt", "host: hi\nguest: hello\nhost: bye\nguest: ciao\n")
    assert [turn.label for turn in t.turns] == ["host", "guest", "host", "guest"]


def test_names_in_scripts_without_case_and_with_particles():
    t = formats.parse("p.txt", "张伟: 你好。\nLudwig van Beethoven: Da.\n")
    assert [turn.label for turn in t.turns] == ["张伟", "Ludwig van Beethoven"]


def test_bold_lines_that_are_not_speakers_stay_text():
    t = formats.parse("b.md", "**Bob** (0:01)\nHi.\n**Applause**\n**Ann** (0:05)\nHello.\n**Thanks for listening!**\n")
    assert speech(t) == [("Bob", 1.0, ["Hi.", "**Applause**"]),
                         ("Ann", 5.0, ["Hello.", "**Thanks for listening!**"])]
    untimed = formats.parse("u.md", "**This is important.**\nMore.\n**Ann**\nHello.\n")
    assert speech(untimed) == [("", None, ["**This is important.**", "More."]), ("Ann", None, ["Hello."])]


def test_a_python_prompt_is_not_a_caption_mark():
    text = "Guido: Let me show you in the REPL.\n>>> import this\nGuido: And it prints the Zen.\nAnn: Lovely.\n"
    t = formats.parse("r.txt", text)
    assert t.format == "colon"
    assert speech(t) == [("Guido", None, ["Let me show you in the REPL.", ">>> import this",
                                          "And it prints the Zen."]),
                         ("Ann", None, ["Lovely."])]


def test_a_header_without_a_time_among_timed_ones_starts_a_turn():
    """`**Ben Ross**` with no time, between timed headers: Ben's words are his,
    not printed inside Ann's turn (a misquote), and a note says how it was read."""
    text = "**Ann Lee** (0:01)\nHello Ben.\n**Ben Ross**\nHi Ann, good to be here.\n**Ann Lee** (0:09)\nLet us start.\n"
    t = formats.parse("mix.txt", text)
    assert speech(t) == [("Ann Lee", 1.0, ["Hello Ben."]), ("Ben Ross", None, ["Hi Ann, good to be here."]),
                         ("Ann Lee", 9.0, ["Let us start."])]
    assert [(p.kind, p.pos.line) for p in t.problems] == [("note", 3)]
    assert "Ben Ross" in t.problems[0].message
    markdown = formats.parse("mix.md", text.replace("\n**", "\n\n**"))
    assert speech(markdown) == speech(t)

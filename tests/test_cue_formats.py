"""Captions and ASR exports as people have them, built into pages: the reader
sees the right speaker at the right time, in sentences, not one turn per cue."""

from __future__ import annotations

import json

import pytest

from gloss import formats
from gloss.errors import FormatError

from .conftest import html, reading


def turns(site, slug):
    """(speaker, time shown, text read) for every turn block of a page."""
    page = html(site / slug / "index.html")
    out = []
    for turn in page.select("div.turn"):
        time = turn.select_one(".who time")
        out.append((turn.cite.get_text(), time.get_text() if time else "",
                    reading(turn.select_one(".speech"))))
    return out


VTT = (
    "\ufeffWEBVTT - an interview\r\n"
    "Kind: captions\r\n"
    "\r\n"
    "NOTE recorded at the library,\r\n"
    "second line of the note\r\n"
    "\r\n"
    "STYLE\r\n"
    "::cue { color: yellow }\r\n"
    "\r\n"
    "intro-1\r\n"
    "00:00:01.000 --> 00:00:03.500 line:90% align:start\r\n"
    "<v.host Maya Lindqvist>Welcome back. Tonight: rivers &amp; the people\r\n"
    "\r\n"
    "00:03.500 --> 00:05.000\r\n"
    "who map them.</v>\r\n"
    "\r\n"
    "00:00:05.200 --> 00:00:08.000\r\n"
    "<v Jonas Weber>Thanks. The river moved &lt;two&gt; miles.</v>\r\n"
    "\r\n"
    "01:02:03.000 --> 01:02:05.000\r\n"
    "<v Maya Lindqvist>How?\r\n"
)


def test_webvtt_voices_span_cues_and_notes_styles_entities_are_handled(make_site):
    site = make_site({"content/rivers.vtt": VTT})
    assert turns(site, "rivers") == [
        ("Maya Lindqvist", "0:01", "Welcome back. Tonight: rivers & the people who map them."),
        ("Jonas Weber", "0:05", "Thanks. The river moved <two> miles."),
        ("Maya Lindqvist", "1:02:03", "How?"),
    ]


def test_a_cue_with_two_voices_is_two_turns():
    t = formats.parse("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi.</v>\n<v Bob &amp; Co>Hello.</v>\n")
    assert [(turn.label, turn.start, turn.paragraphs[0].verbatim) for turn in t.turns] == [
        ("Ann", 1.0, "Hi."), ("Bob & Co", 1.0, "Hello.")]


def test_youtube_scrolling_captions_do_not_repeat_lines():
    text = ("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nso<00:00:00.500><c> the</c><c> tide</c>\n\n"
            "00:00:02.000 --> 00:00:04.000\nso the tide\nwent<00:00:02.500><c> out</c>\n\n"
            "00:00:04.000 --> 00:00:06.000\nwent out\nfast\n")
    t = formats.parse("yt.vtt", text)
    assert [p.verbatim for turn in t.turns for p in turn.paragraphs] == ["so the tide went out fast"]


def test_a_vtt_without_its_header_is_an_error_naming_the_file():
    with pytest.raises(FormatError) as err:
        formats.parse("content/x.vtt", "00:01.000 --> 00:02.000\nHi\n")
    assert str(err.value).startswith("content/x.vtt:1:1: error: cannot tell the transcript format")


SRT = (
    "\ufeff1\r\n00:00:01,000 --> 00:00:03,000\r\nPriya Natarajan: So the first thing\r\n\r\n"
    "2\r\n00:00:03,000 --> 00:00:05,500\r\n<i>we noticed</i> was the smell.\r\n\r\n"
    "3\r\n00:00:06,000 --> 00:00:08,000\r\n[SPEAKER_01]: Of what?\r\n\r\n"
    "4\r\n00:00:08,000 --> 00:00:08,100\r\n[Priya Natarajan]: Of\r\n\r\n"
    "5\r\n00:00:08,100 --> 00:00:10,000\r\n- smoke.\r\n- Really?\r\n"
)


def test_srt_speaker_prefixes_dashes_crlf_and_bom(make_site):
    site = make_site({"content/fire.srt": SRT})
    assert turns(site, "fire") == [
        ("Priya Natarajan", "0:01", "So the first thing we noticed was the smell."),
        ("Speaker 1", "0:06", "Of what?"),
        ("Priya Natarajan", "0:08", "Of"),
        ("Speaker 2", "0:08", "Smoke."),
        ("Speaker 3", "0:08", "Really?"),
    ]


WHISPER = {
    "text": " Hello and welcome. Today we talk about bees.",
    "segments": [
        {"id": 0, "seek": 0, "start": 0.0, "end": 2.4, "text": " Hello and welcome.", "tokens": [1, 2]},
        {"id": 1, "seek": 0, "start": 2.4, "end": 4.0, "text": " Today we talk", "tokens": [3]},
        {"id": 2, "seek": 0, "start": 4.0, "end": 5.1, "text": " about bees.", "tokens": [4]},
        {"id": 3, "seek": 0, "start": 9.0, "end": 11.0, "text": " After a pause, more.", "tokens": [5]},
    ],
    "language": "en",
}


def test_whisper_json_is_one_voice_with_paragraphs_at_pauses(make_site):
    site = make_site({"content/bees.json": json.dumps(WHISPER, indent=2)})
    page = html(site / "bees" / "index.html")
    paras = [reading(p) for p in page.select(".speech p")]
    assert paras == ["Hello and welcome. Today we talk about bees.", "After a pause, more."]
    times = [p.find_previous("time") for p in page.select(".speech p")]
    assert times[0].get_text() == "0:00"


WHISPERX = {
    "segments": [
        {"start": 0.5, "end": 2.0, "text": " Where were you born?", "speaker": "SPEAKER_00",
         "words": [{"word": "Where", "start": 0.5, "end": 0.7, "score": 0.9, "speaker": "SPEAKER_00"}]},
        {"start": 2.2, "end": 4.0, "text": " In Lagos,", "speaker": "SPEAKER_01", "words": []},
        {"start": 4.0, "end": 6.0, "text": " in nineteen sixty.", "words": []},
        {"start": 6.5, "end": 7.0, "text": " Thank you.", "speaker": "SPEAKER_00", "words": []},
    ],
    "word_segments": [],
}


def test_whisperx_json_speakers_and_a_segment_without_one(make_site):
    site = make_site({"content/born.json": json.dumps(WHISPERX),
                      "content/people.yaml": "ade: Ade Bello\n",
                      "content/born.yaml": "speakers: {SPEAKER_01: ade}\n"})
    assert turns(site, "born") == [("Speaker 0", "0:00", "Where were you born?"),
                                   ("Ade Bello", "0:02", "In Lagos, in nineteen sixty."),
                                   ("Speaker 0", "0:06", "Thank you.")]


def test_podcasting_2_json_word_segments(make_site):
    words = [("Sam", 0.0, "Hi"), (None, 0.3, "there."), ("Lee", 1.5, "Hello,"), (None, 1.9, "Sam.")]
    doc = {"version": "1.0.0", "segments": [
        {**({"speaker": s} if s else {}), "startTime": t, "endTime": t + 0.3, "body": b}
        for s, t, b in words]}
    site = make_site({"content/hi.json": json.dumps(doc)})
    assert turns(site, "hi") == [("Sam", "0:00", "Hi there."), ("Lee", "0:01", "Hello, Sam.")]


def test_a_json_file_that_is_no_transcript_says_what_was_expected():
    with pytest.raises(FormatError) as err:
        formats.parse("content/data.json", '{"rows": [1, 2]}')
    assert "cannot tell the transcript format" in str(err.value)
    assert "segments" in str(err.value)
    with pytest.raises(FormatError) as bad:
        formats.parse("content/data.json", '{"segments": [\n  {"start": 1,,}\n]}')
    assert str(bad.value).startswith("content/data.json:2:")


OTTER = (
    "Priya Natarajan  0:03\n"
    "Welcome to Field Notes. My guest farms barley in the valley.\n\n"
    "Tom Abara  0:11\n"
    "Thanks for having me.\n\n"
    "Priya Natarajan  0:14\n"
    "When did you start?\n\n"
    "Tom Abara  0:16\n"
    "In 1998, with my father.\n\n"
    "Tom Abara  1:02:09\n"
    "And we never stopped.\n"
)


def test_otter_export_blocks_of_one_speaker_are_one_turn(make_site):
    site = make_site({"content/barley.txt": OTTER})
    assert turns(site, "barley") == [
        ("Priya Natarajan", "0:03", "Welcome to Field Notes. My guest farms barley in the valley."),
        ("Tom Abara", "0:11", "Thanks for having me."),
        ("Priya Natarajan", "0:14", "When did you start?"),
        ("Tom Abara", "0:16", "In 1998, with my father. And we never stopped."),
    ]
    page = html(site / "barley" / "index.html")
    last = page.select("div.turn")[-1]
    assert len(last.select(".speech p")) == 2, "each block stays a paragraph"


REV = (
    "Speaker 1 (00:00:02):\n"
    "Could you state your name for the record?\n\n"
    "Margaret Duthie (00:00:06):\n"
    "Margaret Duthie. I was a nurse at St. Luke's for forty years.\n"
)


def test_rev_export_name_and_time_then_text(make_site):
    site = make_site({"content/duthie.txt": REV})
    assert turns(site, "duthie") == [
        ("Speaker 1", "0:02", "Could you state your name for the record?"),
        ("Margaret Duthie", "0:06", "Margaret Duthie. I was a nurse at St. Luke's for forty years."),
    ]


def test_timed_caption_lines_merge_into_sentences():
    text = ("[00:00:04] Dana Okafor: So what we found\n"
            "[00:00:06] Dana Okafor: was that the river had moved.\n"
            "[00:00:09] Sam Lee: Moved how?\n")
    t = formats.parse("r.txt", text)
    assert [(turn.label, turn.start, [p.verbatim for p in turn.paragraphs]) for turn in t.turns] == [
        ("Dana Okafor", 4.0, ["So what we found was that the river had moved."]),
        ("Sam Lee", 9.0, ["Moved how?"])]


def test_markdown_heading_and_front_matter_give_the_title(make_site):
    site = make_site({
        "content/ep12.md": "# Episode 12: Salt Marshes\n\n**Ann** (0:01)\nHi.\n**Bob** (0:04)\nYo.\n",
        "content/ep13.md": "---\ntitle: Episode 13\ndate: 2024-03-05\nauthor: someone\n---\nAnn: Hi.\nBob: Yo.\n",
        "content/ep14.md": "# Heading only\n\nAnn: Hi.\n",
        "content/ep14.yaml": "title: The sidecar wins\n",
    })
    assert html(site / "ep12" / "index.html").h1.get_text() == "Episode 12: Salt Marshes"
    ep13 = html(site / "ep13" / "index.html")
    assert ep13.h1.get_text() == "Episode 13"
    assert ep13.select_one(".page-head time")["datetime"] == "2024-03-05"
    assert html(site / "ep14" / "index.html").h1.get_text() == "The sidecar wins"
    # The heading's line is kept out of the speech, and lines keep their numbers.
    t = formats.parse("ep12.md", "# Episode 12\n\n**Ann** (0:01)\nHi.\n")
    assert (t.title, t.turns[0].paragraphs[0].pos.line) == ("Episode 12", 4)


def test_long_turns_split_at_pauses_and_sentences_keep_their_own_times():
    cues = "".join(f"00:{i:02d}:00.000 --> 00:{i:02d}:05.000\nSentence number {i} ends here.\n\n"
                   for i in range(3))
    t = formats.parse("a.vtt", "WEBVTT\n\n" + cues)
    from gloss.clean import Options, clean
    from gloss.config import CleanConfig

    paras = clean(t, Options(CleanConfig(paragraph_pause=30))).turns[0].paragraphs
    assert [(p.start, p.verbatim) for p in paras] == [
        (0.0, "Sentence number 0 ends here."), (60.0, "Sentence number 1 ends here."),
        (120.0, "Sentence number 2 ends here.")]
    together = clean(t, Options(CleanConfig(paragraph_pause=90))).turns[0].paragraphs
    assert len(together) == 1

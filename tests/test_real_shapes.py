"""Transcripts as real exports write them (YouTube, Teams, Zoom, Podnews,
published Markdown, Talk Python, Deepgram, Otter, Zoom's API, the Podcasting
2.0 HTML), each a small input in the shape the real file has, awkward details
included, read back from the built page as a reader sees it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from gloss import formats, pipeline, starter
from gloss.config import load_config
from gloss.errors import FormatError

from .conftest import html, reading, verbatim, write_files


def build(root: Path, files: dict[str, str], strict: bool = True) -> tuple[Path, list[str]]:
    """Build `files` into a site (with `--strict` unless told) and return the
    output folder and every warning and note, as printed."""
    write_files(root, {"config.yaml": "title: Real shapes\n", **files})
    result = pipeline.build(replace(load_config(root / "config.yaml"), jobs=1), strict=strict)
    return root / "site", [str(w).split("\n")[0].replace(f"{root}/", "") for w in result.diagnostics.warnings]


def turns(site: Path, slug: str) -> list[tuple[str, str, str]]:
    """(speaker, time beside the name, words read) for every turn of a page."""
    out = []
    for turn in html(site / slug / "index.html").select("div.turn"):
        time = turn.select_one(".who time")
        out.append((turn.cite.get_text(), time.get_text() if time else "", reading(turn.select_one(".speech"))))
    return out


def paragraph_times(site: Path, slug: str) -> list[tuple[str, str]]:
    """(time shown for it, first words) for every paragraph: the time beside the
    speaker's name for a turn's first paragraph, else the paragraph's own."""
    out = []
    for turn in html(site / slug / "index.html").select("div.turn"):
        beside = turn.select_one(".who time")
        for k, p in enumerate(turn.select(".speech p[id]")):
            own = p.find_previous_sibling()
            shown = own.get_text() if own is not None and "pt" in (own.get("class") or []) else ""
            if k == 0 and beside is not None:
                shown = shown or beside.get_text()
            out.append((shown, " ".join(verbatim(p).split()[:3])))
    return out


# WebVTT, read as a browser reads it.

YOUTUBE = (
    "WEBVTT\nKind: captions\nLanguage: en\n\n"
    "00:00:00.000 --> 00:00:02.119 align:start position:0%\n \n"
    "there's<00:00:00.210><c> no</c><00:00:00.359><c> denying</c><00:00:00.690><c> it</c>\n\n"
    "00:00:02.119 --> 00:00:02.129 align:start position:0%\nthere's no denying it\n \n\n"
    "00:00:02.129 --> 00:00:05.360 align:start position:0%\nthere's no denying it\n"
    "is<00:00:02.280><c> a</c><00:00:02.520><c> sleek</c><00:00:03.179><c> machine</c>\n\n"
    "00:00:05.360 --> 00:00:05.370 align:start position:0%\nis a sleek machine\n \n\n"
)


def test_youtube_auto_captions_with_space_only_lines_read_every_word_once(tmp_path):
    site, problems = build(tmp_path, {"content/yt.vtt": YOUTUBE})
    assert problems == []
    assert turns(site, "yt") == [("Unattributed", "0:00", "there's no denying it is a sleek machine")]


TEAMS = (
    "WEBVTT\r\n\r\n"
    "0:0:0.0 --> 0:0:3.330\r\n"
    "<v 88b66bf7-d0d1@72f988bf-86f1>We have a summary for this meeting.</v>\r\n\r\n"
    "0:0:4.430 --> 0:0:22.400\r\n"
    "<v cc8e364a-44c1@72f988bf-86f1>I wanted a progress report.</v>\r\n\r\n"
    "0:0:4.870 --> 0:0:5.970\r\n"
    "<v 88b66bf7-d0d1@72f988bf-86f1>I would, yeah.</v>\r\n\r\n"
    "0:4:6.80 --> 0:4:6.530\r\n"
    "<v cc8e364a-44c1@72f988bf-86f1>Right.</v>\r\n"
)


def test_teams_unpadded_times_guid_voices_and_overlapping_cues(tmp_path):
    site, problems = build(tmp_path, {"content/standup.vtt": TEAMS})
    assert turns(site, "standup") == [
        ("88b66bf7-d0d1@72f988bf-86f1", "0:00", "We have a summary for this meeting."),
        ("cc8e364a-44c1@72f988bf-86f1", "0:04", "I wanted a progress report."),
        ("88b66bf7-d0d1@72f988bf-86f1", "0:04", "I would, yeah."),
        ("cc8e364a-44c1@72f988bf-86f1", "4:06", "Right."),
    ]
    assert problems == ["content/standup.vtt:3:1: note: read times not written as WebVTT writes them "
                        "(and 3 more)"], "one note a file, and --strict passes"
    cues = {p["data-start"] for p in html(site / "standup" / "index.html").select("p[data-start]")}
    assert cues == {"0.0", "4.43", "4.87", "246.08"}, "Teams' `6.80` is 6.080 s, as its end `6.530` says"


def test_seconds_only_times_are_read(tmp_path):
    site, problems = build(tmp_path, {"content/daily.vtt": (
        "WEBVTT\n\n0.860 --> 7.380\n<v SPEAKER_1>Podcasting is coming back.\n\n"
        "70.100 --> 73.480\n<v SPEAKER_1>The summit has been announced.\n")},)
    assert [t for t, _ in paragraph_times(site, "daily")] == ["0:00", "1:10"]
    assert len(problems) == 1 and ": note: " in problems[0]
    assert "0.8600000000000012" not in (site / "daily" / "index.html").read_text()


def test_a_cue_that_cannot_be_read_is_skipped_with_a_warning_at_its_line(tmp_path):
    text = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>First.\n\n"
            "00:03.000 --> later\n<v Ann>Lost.\n\n"
            "no timing here\njust words\n\n"
            "00:05.000 --> 00:06.000\n<v Bob>Last.\n")
    site, problems = build(tmp_path, {"content/a.vtt": text}, strict=False)
    assert turns(site, "a") == [("Ann", "0:01", "First."), ("Bob", "0:05", "Last.")]
    assert problems == ["content/a.vtt:6:1: warning: skipped a cue: cannot read this WebVTT timing line",
                        "content/a.vtt:9:1: warning: skipped: a WebVTT cue needs a timing line like "
                        "`00:01.000 --> 00:04.000`"]


def test_a_timing_line_inside_a_cue_starts_the_next_cue_as_in_browsers():
    """The spec (and web-platform-tests' arrows.vtt): a line with `-->` past a
    block's second line ends the block and is read as the next cue's timing."""
    t = formats.parse("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:03.000 --> 00:04.000\ntwo\n\n"
                      "id\n00:05.000 --> 00:06.000\nthree\n")
    assert [(p.start, p.verbatim) for p in t.turns[0].paragraphs] == [(1.0, "one two three")]
    assert [c.start for c in t.turns[0].paragraphs[0].cues] == [1.0, 3.0, 5.0]


ZOOM = (
    "WEBVTT\n\n1\n00:00:00.510 --> 00:00:01.550\nAshlee Kupor (SL): Let's do that\n\n"
    "2\n00:00:01.790 --> 00:00:07.080\nshruthi: by, too. We? And then\n\n"
    "3\n00:00:07.170 --> 00:00:09.520\nNo, it's gonna. I think it's\n\n"
    "4\n00:00:09.830 --> 00:00:12.050\nSaurabh Swaroop’s iPad: transcribing.\n\n"
    "5\n00:00:24.680 --> 00:00:28.020\nAshlee Kupor (SL): Okay, great.\n\n"
    "6\n00:00:29.200 --> 00:00:30.490\nshruthi: Oh, yeah.\n\n"
    "7\n00:00:31.200 --> 00:00:32.490\nSaurabh Swaroop’s iPad: Sure.\n"
)


def test_zoom_labels_as_zoom_writes_them_are_speakers(tmp_path):
    site, problems = build(tmp_path, {"content/class.vtt": ZOOM})
    assert problems == []
    assert turns(site, "class") == [
        ("Ashlee Kupor (SL)", "0:00", "Let's do that"),
        ("shruthi", "0:01", "By, too. We? And then No, it's gonna. I think it's"),
        ("Saurabh Swaroop’s iPad", "0:09", "Transcribing."),
        ("Ashlee Kupor (SL)", "0:24", "Okay, great."),
        ("shruthi", "0:29", "Oh, yeah."),
        ("Saurabh Swaroop’s iPad", "0:31", "Sure."),
    ]


def test_new_lists_every_label_a_zoom_export_has():
    text = starter.starter("content/class.vtt", ZOOM, "class")
    assert '  # "Ashlee Kupor (SL)": person-id          # 2 turn(s)\n' in text
    assert "  # shruthi: person-id          # 2 turn(s)\n" in text
    assert '  # "Saurabh Swaroop’s iPad": person-id          # 2 turn(s)\n' in text


def test_prose_with_one_colon_in_captions_stays_speech_and_credits_are_not_speakers(tmp_path):
    site, _ = build(tmp_path, {"content/film.srt": (
        "1\n00:00:00,001 --> 00:00:05,000\nSubtitles: @someone\n\n"
        "2\n00:00:25,801 --> 00:00:28,700\nThe answer is simple: it works.\n")}, strict=False)
    assert [name for name, _, _ in turns(site, "film")] == ["Unattributed"]


# Published Markdown, every variant of a bold name.

CHANGELOG = (
    "**Jerod Santo:** Chris, welcome on the Changelog,\nman.\n\n"
    "**Chris Coyier:** Hey, thanks for having me. \\[laughs\\]\n\n"
    "And a second paragraph, wrapped\nover two lines.\n\n"
    "**Break:** \\[30:07\\]\n\n"
    "**Jerod Santo:** \\[30:08\\] So 15 years... I didn't \\[36:08\\] You were the voice.\n"
)


def test_changelog_bold_names_wrapped_paragraphs_escapes_and_times(tmp_path):
    site, problems = build(tmp_path, {"content/cl.md": CHANGELOG})
    assert problems == []
    assert turns(site, "cl") == [
        ("Jerod Santo", "", "Chris, welcome on the Changelog, man."),
        ("Chris Coyier", "", "Hey, thanks for having me. [laughs] And a second paragraph, wrapped over two lines."),
        ("Jerod Santo", "30:08", "So 15 years... I didn't You were the voice."),
    ]
    assert paragraph_times(site, "cl")[-2:] == [("30:08", "So 15 years..."), ("36:08", "You were the")]
    page = html(site / "cl" / "index.html")
    assert len(page.select("div.turn")[1].select(".speech p[id]")) == 2, "a blank line starts a paragraph"


@pytest.mark.parametrize(("text", "expected"), [
    ("**Emma** [0:00] Welcome to the podcast.\n\n**Ali** [0:44] I'm Ali.\n",
     [("Emma", "0:00", "Welcome to the podcast."), ("Ali", "0:44", "I'm Ali.")]),
    ("---\nepisode: \"Episode 3\"\nstatus: publish\n---\n\n"
     "**Michaela:** [00:00:00] Hello, and welcome to the \npodcast. I'm your host.\n\nSecond thought. \n\n"
     "**Sandeep:** [00:00:59] Thanks for having me.\n",
     [("Michaela", "0:00", "Hello, and welcome to the podcast. I'm your host. Second thought."),
      ("Sandeep", "0:59", "Thanks for having me.")]),
    ("[00:00:00] **Michaela:** Hello.\n\n[00:32:08] **Alvaro:** Hi.\n",
     [("Michaela", "0:00", "Hello."), ("Alvaro", "32:08", "Hi.")]),
    ("**[00:00] SPEAKER_00:** So hello.\n\n**[00:03] SPEAKER_01:** Hi, Bob.\n",
     [("Speaker 0", "0:00", "So hello."), ("Speaker 1", "0:03", "Hi, Bob.")]),
], ids=["ladybug", "descript", "descript-time-first", "assemblyai"])
def test_every_bold_name_variant(tmp_path, text, expected):
    site, problems = build(tmp_path, {"content/ep.md": text})
    assert problems == []
    assert turns(site, "ep") == expected


def test_bold_at_a_line_start_without_colon_or_time_is_prose():
    t = formats.parse("p.md", "**Ann:** Hi.\n\n**Python** is great, she said.\n\n**Ann:** Yes.\n")
    assert [(turn.label, [p.verbatim for p in turn.paragraphs]) for turn in t.turns] == [
        ("Ann", ["Hi.", "**Python** is great, she said."]), ("Ann", ["Yes."])]


# Text exports.

def test_talk_python_time_lines_read_as_paragraphs_each_with_its_time(tmp_path):
    lines = [f"00:{m:02d}:{s:02d} Sentence {m}-{s} ends here." for m in range(3) for s in (0, 20, 40)]
    text = "\n\n".join(lines) + "\n\n01:01:37 Bye.\n\n01:01:38 Bye.\n"
    write_files(tmp_path, {"content/tp.yaml": "clean: {paragraph_pause: 1}\n"})
    site, problems = build(tmp_path, {"content/tp.txt": text})
    assert problems == []
    times = paragraph_times(site, "tp")
    assert times[0] == ("0:00", "Sentence 0-0 ends")
    assert ("1:01:37", "Bye. Bye.") in times and ("2:40", "Sentence 2-40 ends") in times
    assert all(shown for shown, _ in times), "a visible time on every paragraph the source times"


def test_youtube_show_transcript_copied_from_the_page(tmp_path):
    site, _ = build(tmp_path, {"content/yt.txt": (
        "0:00\nthere's no denying the MacBook Air\n0:02\nis a pretty sleek\nlittle machine\n1:05:03\nthe end\n")})
    assert turns(site, "yt") == [("Unattributed", "0:00",
                                  "there's no denying the MacBook Air is a pretty sleek little machine the end")]
    assert [t for t, _ in paragraph_times(site, "yt")] == ["0:00", "1:05:03"], "a new paragraph after the pause"


def test_deepgram_utterance_lines_become_paragraphs_of_sentences(tmp_path):
    utterance = "\n".join(["Okay.", "Recording is in pro is in progress, it says.", "So hello,",
                           "everybody."] * 20)
    site, _ = build(tmp_path, {"content/dg.txt": f"SPEAKER_00:\n{utterance}\n\nSPEAKER_01:\nSo hello.\n\n"
                                                  "SPEAKER_01:\nHow are you ?\n"})
    page = html(site / "dg" / "index.html")
    first = page.select("div.turn")[0].select(".speech p[id]")
    assert 1 < len(first) < 20, "not a paragraph per line"
    assert all(verbatim(p).endswith(".") for p in first), "paragraphs end at sentence ends"
    assert [t[0] for t in turns(site, "dg")] == ["Speaker 0", "Speaker 1", "Speaker 1"], \
        "two blocks of one diarization label stay two turns"


def test_otter_unknown_speakers_side_by_side_stay_two_turns(tmp_path):
    site, _ = build(tmp_path, {"content/lb.md": (
        "Sidney  0:00  \ncoding boot camps are designed to help\n\n"
        "Unknown Speaker  0:40  \nWelcome to the ladybug podcast. I'm Kelly.\n\n"
        "Unknown Speaker  0:43  \nI'm Sydney.\n\nSidney  2:06  \nhow is everybody today?\n")})
    assert turns(site, "lb") == [
        ("Sidney", "0:00", "coding boot camps are designed to help"),
        ("Unknown Speaker", "0:40", "Welcome to the ladybug podcast. I'm Kelly."),
        ("Unknown Speaker", "0:43", "I'm Sydney."),
        ("Sidney", "2:06", "How is everybody today?"),
    ]


# JSON and HTML.

def test_zoom_api_utterances(tmp_path):
    data = {"meeting_uuid": "x==", "utterances": [
        {"participant": "UnknownChannel2", "start_ms": 14640, "end_ms": 15980, "text": "Hi, sir."},
        {"participant": "Adi Tiwari", "start_ms": 16800, "end_ms": 18260, "text": "Hey, Justin."},
        {"participant": "Adi Tiwari", "start_ms": 20720, "end_ms": 27620, "confidence": 0.9},
        {"participant": "UnknownChannel2", "start_ms": 65340, "end_ms": 68800, "text": "I'll try."}]}
    site, problems = build(tmp_path, {"content/zoom.json": json.dumps(data, indent=2)}, strict=False)
    assert turns(site, "zoom") == [("UnknownChannel2", "0:14", "Hi, sir."), ("Adi Tiwari", "0:16", "Hey, Justin."),
                                   ("UnknownChannel2", "1:05", "I'll try.")]
    assert problems == ["content/zoom.json:17:22: warning: skipped utterance 3: it has no `text`"]


PODCAST_HTML = (
    "<cite>Travis:</cite>\n<time>0:00</time>\n"
    "<p>When you first get started, it&#39;s <b>almost</b> guaranteed.</p>\n"
    "<cite>Sarah:</cite>\n<time>0:53</time>\n<p>Creating good audio &amp; more.</p>\n"
    "<p>A second paragraph.</p>\n<cite>Travis:</cite>\n<time>1:42</time>\n<p>Now, &lt;script&gt; is text.</p>\n"
)


def test_podcasting_2_html_transcript(tmp_path):
    site, problems = build(tmp_path, {"content/rookie.html": PODCAST_HTML})
    assert problems == []
    assert turns(site, "rookie") == [
        ("Travis", "0:00", "When you first get started, it's almost guaranteed."),
        ("Sarah", "0:53", "Creating good audio & more. A second paragraph."),
        ("Travis", "1:42", "Now, <script> is text."),
    ]


def test_an_html_file_that_is_not_a_transcript_is_named_in_a_warning(tmp_path):
    _, problems = build(tmp_path, {"content/a.txt": "Ann: Hi.\n", "content/notes.html": "<h1>Notes</h1>\n"},
                        strict=False)
    assert problems == ["content/notes.html:1:1: warning: not read: this HTML file is not a transcript"]


def test_a_file_no_reader_accepts_says_what_was_tried_and_shows_its_first_lines():
    with pytest.raises(FormatError) as err:
        formats.parse("content/notes.txt", "\nSome prose, no speakers.\nMore prose.\n")
    message = str(err.value)
    assert message.startswith("content/notes.txt:2:1: error: cannot tell the transcript format")
    assert "\n    Some prose, no speakers.\n" in message and "the lines after it: `More prose.`" in message
    for shape in ("`**Ann:** Hi.`", "`>>`", "`00:00:05 Hi.`", "`Ann: Hi.`", "`WEBVTT`"):
        assert shape in message, shape


def test_times_every_few_minutes_make_no_captions_but_the_podcasting_html(tmp_path):
    turns_md = "".join(f"**{'Ann' if k % 2 else 'Bob'}:** {f'[0:{k:02d}] ' if k == 4 else ''}Words {k}.\n\n"
                       for k in range(10))
    site, _ = build(tmp_path, {"content/sparse.md": turns_md})
    names = sorted(p.name for p in (site / "sparse").iterdir())
    assert "sparse.html" in names and "sparse.vtt" not in names and "sparse.srt" not in names, \
        "one time in ten turns would make a caption of nine turns"


def test_punctuation_left_by_a_removed_repeat_stays_on_its_word_in_the_captions(tmp_path):
    # A repeat split across two segments, its comma left in the first one.
    segments = [{"speaker": "Alban", "startTime": 100.0, "endTime": 104.4, "body": "end, and we will, we"},
                {"speaker": "Alban", "startTime": 104.46, "endTime": 109.38, "body": "will see. So do we want to give"},
                {"speaker": "Alban", "startTime": 109.4, "endTime": 111.0, "body": "it a try?"}]
    site, _ = build(tmp_path, {"content/bc.json": json.dumps({"version": "1.0.0", "segments": segments})})
    srt = (site / "bc" / "bc.srt").read_text("utf-8")
    assert " ." not in srt and "\n." not in srt, srt
    page = reading(html(site / "bc" / "index.html").select_one(".speech"))
    assert "end, and we will see. So do we want to give it a try?" in page

"""Downloads: the page's cleaned, attributed text as WebVTT, SRT, Podcasting 2.0
JSON, Markdown and plain text, each read back the way its users read it:
through gloss's own parsers (the same turns, speakers, times and words as the
page), through webvtt-py and pysrt, and against the Podcasting 2.0 JSON shape;
and, for a transcript without times, as Podcasting 2.0 HTML, read by Python's
html.parser and BeautifulSoup as a reader of the namespace's cite/time/p does."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pysrt
import pytest
import webvtt
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator

from gloss import captioning, exports, formats, pipeline
from gloss.config import Config, load_config
from gloss.errors import SourcePos
from gloss.formats.common import OPENERS, speaker_prefix
from gloss.load import Source, TextFile
from gloss.model import Cue, Paragraph, Site, Span
from gloss.page import make_page

from .conftest import ROOT, html, reading

EXTS = ("vtt", "srt", "json", "md", "txt")

PODCAST_JSON = Draft202012Validator({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "Podcasting 2.0 JSON transcript (podcast-namespace docs/examples/transcripts)",
    "type": "object",
    "required": ["version", "segments"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": "1.0.0"},
        "segments": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["body"],
            "additionalProperties": False,
            "properties": {
                "speaker": {"type": "string", "minLength": 1},
                "startTime": {"type": "number", "minimum": 0},
                "endTime": {"type": "number", "minimum": 0},
                "body": {"type": "string", "minLength": 1},
            },
            "dependentRequired": {"endTime": ["startTime"]},
        }},
    },
})


# The page, as a reader sees it, and an export, as a parser reads it back.


def page_turns(site: Path, slug: str) -> list[tuple[str, float | None, list[str]]]:
    """(speaker, start, words) for each run of one speaker on the page; the start
    is that of the first paragraph shown (data-start, the time the source gives)."""
    out: list[tuple[str, float | None, list[str]]] = []
    for turn in html(site / slug / "index.html").select("main .turn"):
        shown = [p for p in turn.select(".speech p[id]") if p.find_parent("details") is None]
        words = [w for p in shown for w in reading(p).split()]
        if not words:
            continue
        name = turn.cite.get_text()
        if out and out[-1][0] == name:
            out[-1][2].extend(words)
        else:
            start = shown[0].get("data-start")
            out.append((name, float(start) if start is not None else None, words))
    return out


def parsed_turns(path: Path) -> list[tuple[str, float | None, list[str]]]:
    """The same, from an export read back by gloss's own parsers."""
    out: list[tuple[str, float | None, list[str]]] = []
    for turn in formats.parse(path.name, path.read_text("utf-8")).turns:
        words = [w for p in turn.paragraphs for w in p.verbatim.split()]
        if out and out[-1][0] == turn.label:
            out[-1][2].extend(words)
        else:
            out.append((turn.label, turn.start, words))
    return out


def export(site: Path, slug: str, ext: str) -> Path:
    return site / slug / f"{slug.rpartition('/')[2]}.{ext}"


class Elements(HTMLParser):
    """Every element of an HTML document in order, as (tag, text inside it), by
    Python's own parser; it fails on an end tag that closes anything but the
    element last opened, so a stray `</cite>` or `<p>` cannot pass unseen."""

    VOID = frozenset({"meta"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.open: list[int] = []
        self.feed(text)
        self.close()
        assert not self.open, f"left open: {[self.found[k][0] for k in self.open]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, ""))
        if tag not in self.VOID:
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.found[self.open[-1]][0] == tag, f"</{tag}> closes nothing open"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            tag, text = self.found[self.open[-1]]
            self.found[self.open[-1]] = (tag, text + data)
        else:
            assert not data.strip(), f"text outside every element: {data!r}"


TRANSCRIPT_TAGS = ("cite", "time", "p")


def html_sequence(text: str) -> list[tuple[str, str]]:
    """The body of a Podcasting 2.0 HTML transcript as (tag, text), by
    html.parser and by BeautifulSoup, which must agree: only cite, time and p,
    each a child of the body (where a reader of the spec's fragments looks)."""
    found = Elements(text).found
    tags = [tag for tag, _ in found]
    assert tags[: tags.index("body") + 1] == ["html", "head", "meta", "meta", "title", "body"]
    body = found[tags.index("body") + 1 :]
    assert {tag for tag, _ in body} <= set(TRANSCRIPT_TAGS), body
    soup = BeautifulSoup(text, "html.parser")
    assert [(el.name, el.get_text()) for el in soup.body.find_all(recursive=False)] == body
    assert soup.body.find_all(recursive=False) == soup.body.find_all(True), "nothing nested"
    return body


def html_turns(path: Path) -> list[tuple[str, float | None, list[str]]]:
    """(speaker, start, words) for each run of one speaker, from the HTML
    download: the words of each `<p>` go to the `<cite>` before it."""
    out: list[tuple[str, float | None, list[str]]] = []
    name, start = "", None
    for tag, text in html_sequence(path.read_text("utf-8")):
        if tag == "cite":
            assert text.endswith(":") and "\n" not in text, text
            name, start = text.removesuffix(":"), None
        elif tag == "time":
            m, _, s = text.rpartition(":")
            start = float(int(m) * 60 + int(s))
        elif out and out[-1][0] == name:
            out[-1][2].extend(text.split())
        else:
            assert name, "every paragraph is under a name"
            out.append((name, start, text.split()))
    return out


def assert_round_trips(site: Path, slug: str) -> list[str]:
    """Every export of the page reads back as the page; returns the formats written."""
    expected = page_turns(site, slug)
    assert expected, "the page has speech"
    written = [ext for ext in EXTS if export(site, slug, ext).exists()]
    assert export(site, slug, "html").exists() != export(site, slug, "vtt").exists(), \
        "Podcasting 2.0 HTML exactly where there are no captions"
    if export(site, slug, "html").exists():
        assert [(n, w) for n, _, w in html_turns(export(site, slug, "html"))] == \
            [(n, w) for n, _, w in expected], "html"
        assert [(n, w) for n, _, w in parsed_turns(export(site, slug, "html"))] == \
            [(n, w) for n, _, w in expected], "html, read back by gloss's own reader"
    for ext in written:
        got = parsed_turns(export(site, slug, ext))
        assert [(n, w) for n, _, w in got] == [(n, w) for n, _, w in expected], ext
        for (_, want, _), (_, start, _) in zip(expected, got, strict=True):
            if want is None:
                assert start is None, ext
            elif ext in ("md", "txt"):  # m:ss, as the page shows times
                assert start == int(want), ext
            else:
                assert start == pytest.approx(want, abs=0.001), ext
    assert_third_parties_accept(site, slug, expected)
    return written


def assert_third_parties_accept(site: Path, slug: str,
                                expected: list[tuple[str, float | None, list[str]]]) -> None:
    words = [w for _, _, ws in expected for w in ws]
    names = {n for n, _, _ in expected}
    data = json.loads(export(site, slug, "json").read_text("utf-8"))
    assert list(PODCAST_JSON.iter_errors(data)) == []
    assert " ".join(s["body"] for s in data["segments"]).split() == words
    assert {s["speaker"] for s in data["segments"]} == names
    if not export(site, slug, "vtt").exists():
        assert all("startTime" not in s for s in data["segments"])
        return
    vtt = webvtt.from_string(export(site, slug, "vtt").read_text("utf-8"))
    # webvtt-py leaves character references (`&amp;`) as written; players decode them.
    assert " ".join(unescape(c.text) for c in vtt).split() == words
    assert {c.voice for c in vtt} <= names  # webvtt-py reads a caption's first voice
    assert {v for c in vtt for v in re.findall(r"<v ([^>]+)>", c.raw_text)} == names
    srt = pysrt.from_string(export(site, slug, "srt").read_text("utf-8"))
    labels = re.compile(r"^\[?(?:" + "|".join(re.escape(n) for n in names) + r")\]?: ", re.M)
    assert " ".join(labels.sub("", item.text) for item in srt).split() == words
    assert [(i.start.ordinal, i.end.ordinal) for i in srt] == [
        (c.start_time.in_milliseconds(), c.end_time.in_milliseconds()) for c in vtt]
    starts = [s["startTime"] for s in data["segments"] if "startTime" in s]
    assert len(starts) == len(srt) and starts == sorted(starts)
    for item, nxt in zip(srt, [*srt[1:], None], strict=True):
        assert item.start.ordinal <= item.end.ordinal
        assert nxt is None or item.end.ordinal <= nxt.start.ordinal, "captions do not overlap"


def caption_lines(site: Path, slug: str) -> list[list[str]]:
    """The text lines of each WebVTT caption, voice tags left out."""
    blocks = export(site, slug, "vtt").read_text("utf-8").split("\n\n")[1:]
    return [[re.sub(r"<v [^>]*>", "", line) for line in b.strip().split("\n")[1:]] for b in blocks]


# Small inputs, written here.

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Maya Lindqvist>Welcome back. Tonight, um, we talk about rivers

00:00:03.000 --> 00:00:05.000
and the people who map them.

00:00:05.200 --> 00:00:08.000
<v Jonas Weber>Thanks. The the river moved two miles

00:00:08.000 --> 00:00:10.500
after the flood, said Jonas Webber.

00:00:11.000 --> 00:00:13.000
<v Maya Lindqvist>This part is an advert for our sponsor.

00:00:13.500 --> 00:00:16.000
How do you measure &amp; map a river?
"""
VTT_SIDECAR = """title: Rivers
corrections: {Webber: Weber}
cut:
  - from: "This part is an advert"
    to: "for our sponsor."
    reason: sponsor message
"""
SOURCE_STARTS = {1.0, 3.0, 5.2, 8.0, 11.0, 13.5}


def test_webvtt_with_voices_exports_what_the_page_reads_with_the_source_times(make_site):
    site = make_site({"content/rivers.vtt": VTT, "content/rivers.yaml": VTT_SIDECAR})
    assert assert_round_trips(site, "rivers") == list(EXTS)
    vtt = export(site, "rivers", "vtt").read_text("utf-8")
    assert vtt == (
        "WEBVTT\n\n"
        # Two source cues do not share a caption that, with the SRT's `Maya
        # Lindqvist: `, would take three lines.
        "00:00:01.000 --> 00:00:03.000\n"
        "<v Maya Lindqvist>Welcome back. Tonight, we talk about\n"
        "rivers\n\n"
        "00:00:03.000 --> 00:00:05.000\n"
        "<v Maya Lindqvist>and the people who map them.\n\n"
        "00:00:05.200 --> 00:00:10.500\n"
        "<v Jonas Weber>Thanks. The river moved two miles after\n"
        "the flood, said Jonas Weber.\n\n"
        "00:00:13.500 --> 00:00:16.000\n"
        "<v Maya Lindqvist>How do you measure &amp; map a river?\n"
    )
    for ext in EXTS:
        text = export(site, "rivers", ext).read_text("utf-8")
        assert "advert" not in text and "sponsor" not in text, f"the cut passage is left out of .{ext}"
        assert " um" not in text and "The the" not in text and "Webber" not in text, ext
    starts = {c.start_time.in_milliseconds() / 1000 for c in webvtt.from_string(vtt)}
    assert starts <= SOURCE_STARTS, "every caption starts at a time the source gives"


def test_srt_names_the_speaker_where_it_changes(make_site):
    site = make_site({"content/rivers.vtt": VTT, "content/rivers.yaml": VTT_SIDECAR})
    assert export(site, "rivers", "srt").read_text("utf-8") == (
        "1\n00:00:01,000 --> 00:00:03,000\n"
        "Maya Lindqvist: Welcome back. Tonight, we\n"
        "talk about rivers\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\n"
        "and the people who map them.\n\n"
        "3\n00:00:05,200 --> 00:00:10,500\n"
        "Jonas Weber: Thanks. The river moved two\n"
        "miles after the flood, said Jonas Weber.\n\n"
        "4\n00:00:13,500 --> 00:00:16,000\n"
        "Maya Lindqvist: How do you measure & map a\n"
        "river?\n"
    )


def test_verbatim_transcripts_export_verbatim(make_site):
    site = make_site({"content/rivers.vtt": VTT,
                      "content/rivers.yaml": VTT_SIDECAR + "clean: {level: verbatim}\n"})
    assert_round_trips(site, "rivers")
    for ext in EXTS:
        text = " ".join(export(site, "rivers", ext).read_text("utf-8").split())
        assert "Tonight, um, we" in text and "The the river" in text, ext
        assert "advert" not in text, "a cut is still a cut"


SRT = """1
00:00:00,500 --> 00:00:02,000
Priya Natarajan: So what did the survey find?

2
00:00:02,400 --> 00:00:05,000
Tom Okafor: It found, uh, that most rivers

3
00:00:05,000 --> 00:00:07,000
had moved within a decade.

4
00:00:09,000 --> 00:00:10,000
Priya Natarajan: Even the big ones?
"""


def test_srt_round_trips(make_site):
    site = make_site({"content/survey.srt": SRT})
    assert assert_round_trips(site, "survey") == list(EXTS)
    name, start, words = page_turns(site, "survey")[1]
    assert (name, start, " ".join(words)) == (
        "Tom Okafor", 2.4, "It found that most rivers had moved within a decade.")


WHISPERX = {"segments": [
    {"start": 0.0, "end": 4.2, "speaker": "SPEAKER_00",
     "text": " Welcome to the field notes. Today we walk the length of the river from the source "
             "in the hills to the delta, and we listen to the people who live along it."},
    {"start": 4.5, "end": 6.0, "speaker": "SPEAKER_01", "text": " Glad to be here."},
    {"start": 6.0, "end": 7.0, "speaker": "SPEAKER_01", "text": " Let's go."},
]}


def test_whisperx_json_round_trips_and_a_long_segment_is_cut_into_captions(make_site):
    site = make_site({
        "content/walk.json": json.dumps(WHISPERX),
        "content/walk.yaml": "speakers: {SPEAKER_00: ann}\n",
        "content/people.yaml": "ann: Ann Lee\n",
    })
    assert assert_round_trips(site, "walk") == list(EXTS)
    assert [n for n, _, _ in page_turns(site, "walk")] == ["Ann Lee", "Speaker 1"]
    captions = caption_lines(site, "walk")
    # No times inside the long segment: it is cut into captions of two lines,
    # at its sentence end and clause end, sharing the segment's time.
    assert captions == [["Welcome to the field notes."],
                        ["Today we walk the length of the river from", "the source in the hills to the delta,"],
                        ["and we listen to the people who live along", "it."],
                        ["Glad to be here. Let's go."]]
    vtt = webvtt.from_string(export(site, "walk", "vtt").read_text("utf-8"))
    segment = WHISPERX["segments"][0]
    assert vtt[0].start_time.in_milliseconds() == segment["start"] * 1000
    assert vtt[0].end_time.in_milliseconds() == vtt[1].start_time.in_milliseconds()
    assert vtt[2].end_time.in_milliseconds() <= segment["end"] * 1000


def test_a_transcript_without_times_offers_no_captions_and_says_why(make_site):
    site = make_site({"content/chat.txt": "Ann Lee: Hello there.\nBob Stone: Hi Ann. Um, good to be here.\n"})
    assert assert_round_trips(site, "chat") == ["json", "md", "txt"]
    section = html(site / "chat" / "index.html").select_one("section#downloads")
    assert [a["href"] for a in section.select("a")] == ["chat.json", "chat.html", "chat.md", "chat.txt"]
    assert "no timestamps" in section.select_one(".why").get_text()
    assert export(site, "chat", "txt").read_text("utf-8") == (
        "Ann Lee:\nHello there.\n\nBob Stone:\nHi Ann. Good to be here.\n")


CHAT = """Ann Lee: Hello there.
Welcome to the show.
Bob Stone: Hi Ann. Um, good to be here.
Ann Lee: This part is an advert for our sponsor.
So, what did you find?
"""
CHAT_SIDECAR = """title: Chat
cut:
  - from: "This part is an advert"
    to: "for our sponsor."
"""


def test_a_transcript_without_times_offers_podcast_html_in_the_namespace_form(make_site):
    site = make_site({"content/chat.txt": CHAT, "content/chat.yaml": CHAT_SIDECAR})
    assert assert_round_trips(site, "chat") == ["json", "md", "txt"]
    text = export(site, "chat", "html").read_text("utf-8")
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert "<title>Chat</title>" in text
    assert html_sequence(text) == [
        ("cite", "Ann Lee:"), ("p", "Hello there."), ("cite", "Ann Lee:"), ("p", "Welcome to the show."),
        ("cite", "Bob Stone:"), ("p", "Hi Ann. Good to be here."),
        ("cite", "Ann Lee:"), ("p", "So, what did you find?"),
    ], "each p under its speaker's name (readers pair a cite with the p after it); no time where the source has none"
    assert "advert" not in text and "Um" not in text, "cut passages and removed words are out"
    links = html(site / "chat" / "index.html").select("section#downloads a[download]")
    assert [(a.get_text(), a["href"], a["type"]) for a in links] == [
        ("Podcasting 2.0 JSON", "chat.json", "application/json"),
        ("Podcasting 2.0 HTML", "chat.html", "text/html"),
        ("Markdown", "chat.md", "text/markdown"),
        ("Plain text", "chat.txt", "text/plain"),
    ]


def test_a_timed_transcript_offers_captions_and_no_html(make_site):
    site = make_site({"content/rivers.vtt": VTT, "content/chat.txt": CHAT})
    assert export(site, "chat", "html").is_file() and not export(site, "chat", "vtt").exists()
    assert export(site, "rivers", "vtt").is_file() and not export(site, "rivers", "html").exists()
    links = html(site / "rivers" / "index.html").select("section#downloads a[download]")
    assert "rivers.html" not in [a["href"] for a in links]


HOSTILE = '"<script>alert(1)</script> &amp; \\"Al\\" </cite><p>  Lee"'
"""A name as people.yaml writes it (YAML double quotes): markup, a character
reference, quotes and a run of spaces (a line break in a name is an error there:
tests/test_proof.py)."""


def test_names_and_words_that_look_like_markup_stay_text_under_their_speaker(make_site):
    site = make_site({
        "content/odd.txt": 'Ann: <script>alert(1)</script> &amp; "quoted" </cite><p>x</p></body> done.\n'
                           "Bob Stone: Fine.\n",
        "content/odd.yaml": 'title: "</title><cite>T & co"\nspeakers: {Ann: al}\n',
        "content/people.yaml": f"al: {HOSTILE}\n",
    })
    text = export(site, "odd", "html").read_text("utf-8")
    name = '<script>alert(1)</script> &amp; "Al" </cite><p> Lee'
    assert html_sequence(text) == [
        ("cite", f"{name}:"),
        ("p", '<script>alert(1)</script> &amp; "quoted" </cite><p>x</p></body> done.'),
        ("cite", "Bob Stone:"), ("p", "Fine."),
    ], "one cite per turn and one p per paragraph, however the words read"
    assert Elements(text).found[4] == ("title", "</title><cite>T & co")
    assert html_turns(export(site, "odd", "html")) == [
        (name, None, page_turns(site, "odd")[0][2]), ("Bob Stone", None, ["Fine."])]
    assert "\u2028" not in text and text.count("<cite>") == 2 and text.count("<p>") == 2


def test_the_html_transcript_has_a_time_only_where_a_turn_has_one_and_the_language_given():
    page = make_page(Source("talk", TextFile("content/talk.txt", "Ann: Hi.\n"), None), Site(), Config())
    shown = [exports.Turn("Ann", 87.0, ["Hi.", "Again."]), exports.Turn("Bob", None, ["Yo."])]
    assert exports.podcast_html(page, shown, "de") == (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Talk</title>\n</head>\n<body>\n"
        '<cite>Ann:</cite>\n<time datetime="PT87S">1:27</time>\n<p>Hi.</p>\n<cite>Ann:</cite>\n<p>Again.</p>\n'
        "<cite>Bob:</cite>\n<p>Yo.</p>\n</body>\n</html>\n")
    assert [d.ext for d in exports.downloads(page)] == [
        path.rpartition(".")[2] for path in exports.files(page)] == ["json", "html", "md", "txt"]


def test_speech_without_a_time_of_its_own_shares_a_caption_and_keeps_its_speaker(make_site):
    site = make_site({
        "content/mixed.txt": "Ann Lee (0:05): Hi there.\nBob Stone: Hello, Ann.\nAnn Lee (0:09): Bye now.\n",
        "content/lead.txt": "Ann Lee: Well, before we start.\nBob Stone (0:05): Hi.\nAnn Lee (0:07): Go on.\n",
    })
    for slug in ("mixed", "lead"):
        expected = page_turns(site, slug)
        for ext in EXTS:
            got = parsed_turns(export(site, slug, ext))
            assert [(n, w) for n, _, w in got] == [(n, w) for n, _, w in expected], (slug, ext)
        assert_third_parties_accept(site, slug, expected)
    # One speaker a caption: speech without a time of its own shares the time
    # of the speech before it (or, before the first time, takes what its words need).
    assert caption_lines(site, "mixed") == [["Hi there."], ["Hello, Ann."], ["Bye now."]]
    assert caption_lines(site, "lead") == [["Well, before we start."], ["Hi."], ["Go on."]]

    def segments(slug: str) -> list[tuple[str, float | None]]:
        data = json.loads(export(site, slug, "json").read_text("utf-8"))
        return [(seg["speaker"], seg.get("startTime")) for seg in data["segments"]]

    assert segments("mixed") == [("Ann Lee", 5.0), ("Bob Stone", 6.818), ("Ann Lee", 9.0)]
    assert segments("lead") == [("Ann Lee", 3.4), ("Bob Stone", 5.0), ("Ann Lee", 7.0)]
    assert "(0:" not in export(site, "mixed", "md").read_text("utf-8"), \
        "Bob speaks once and has no time: as a timed file, his header would read as Ann's words"
    assert "**Bob Stone** (0:05)\nHi.\n" in export(site, "lead", "md").read_text("utf-8")


ANGLES = """**Ann Lee** (0:01)
We compare x < y and y > z... then <i>here & there.

**Bo Stone** (0:05)
Right: x <= y, <v Eve> & "<3".
"""


def test_angle_brackets_and_ampersands_are_text_in_the_captions_in_words_and_names(make_site):
    """WebVTT escapes `&`, `<` and `>` in cue text and in a `<v Name>` voice, so a
    reader gets exactly what was said from whoever said it; SubRip has no
    escapes, so its text is as said, character for character."""
    site = make_site({"content/cmp.txt": ANGLES, "content/cmp.yaml": "speakers: {Ann Lee: ann}\n",
                      "content/people.yaml": 'ann: "Ann <Lee> & Co"\n'})
    said = [("Ann <Lee> & Co", "We compare x < y and y > z... then <i>here & there."),
            ("Bo Stone", 'Right: x <= y, <v Eve> & "<3".')]
    assert [(n, " ".join(w)) for n, _, w in page_turns(site, "cmp")] == said
    vtt = webvtt.from_string(export(site, "cmp", "vtt").read_text("utf-8"))
    # webvtt-py leaves character references as written; players decode them.
    assert [(unescape(c.voice), " ".join(unescape(c.text).split())) for c in vtt] == said
    srt = pysrt.from_string(export(site, "cmp", "srt").read_text("utf-8"))
    assert [" ".join(item.text.split()) for item in srt] == [
        "[Ann <Lee> & Co]: We compare x < y and y > z... then <i>here & there.",
        'Bo Stone: Right: x <= y, <v Eve> & "<3".']
    for ext in ("vtt", "json", "md"):  # gloss's own readers: the same (SubRip's reads `<i>` as markup)
        assert [(n, " ".join(w)) for n, _, w in parsed_turns(export(site, "cmp", ext))] == said, ext


def test_the_page_links_every_export_with_its_type(make_site):
    site = make_site({"content/season-2/rivers.vtt": VTT, "content/season-2/rivers.yaml": VTT_SIDECAR})
    page = html(site / "season-2" / "rivers" / "index.html")
    links = page.select("section#downloads a[download]")
    assert [(a.get_text(), a["href"], a["type"]) for a in links] == [
        ("WebVTT captions", "rivers.vtt", "text/vtt"),
        ("SRT subtitles", "rivers.srt", "application/x-subrip"),
        ("Podcasting 2.0 JSON", "rivers.json", "application/json"),
        ("Markdown", "rivers.md", "text/markdown"),
        ("Plain text", "rivers.txt", "text/plain"),
    ]
    for a in links:
        assert (site / "season-2" / "rivers" / a["href"]).is_file()
    assert page.select_one("section#downloads .why") is None
    assert page.select_one(".page-head a[href='#downloads']").get_text() == "Download"
    assert page.select_one("section#downloads")["aria-labelledby"] == "downloads-title"


def test_an_edit_rebuilds_the_exports_and_a_removed_page_takes_them_along(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "config.yaml").write_text("title: T\n")
    (tmp_path / "content" / "rivers.vtt").write_text(VTT)
    config = load_config(tmp_path / "config.yaml")
    caches = pipeline.Caches()
    pipeline.build(config, caches=caches)
    (tmp_path / "content" / "rivers.yaml").write_text("corrections: {Webber: Weber-Smith}\n")
    pipeline.build(config, caches=caches)
    for ext in EXTS:
        assert "Weber-Smith" in (tmp_path / "site" / "rivers" / f"rivers.{ext}").read_text("utf-8"), ext
    (tmp_path / "content" / "rivers.vtt").unlink()
    (tmp_path / "content" / "other.txt").write_text("Ann: Hi.\n")
    pipeline.build(config, caches=caches)
    assert not (tmp_path / "site" / "rivers").exists()
    assert set(caches.pages) == {"other"}, "what serve keeps forgets the page that is gone"


# The two seeds, built from a copy of the example site.


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example-exports")
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    shutil.copytree(ROOT / "content", root / "content")
    pipeline.build(load_config(root / "config.yaml"))
    return root / "site"


def test_seed_000_exports_every_format_and_reads_back(example):
    assert assert_round_trips(example, "kaiser-unsupervised-learning") == list(EXTS)
    md = export(example, "kaiser-unsupervised-learning", "md").read_text("utf-8")
    assert md.startswith("# Lukasz Kaiser on whether reasoning is enough to generalize")
    assert "**Lukasz Kaiser** (0:26)\nI think it's a fair question, but...\n" in md, \
        "SPEAKER_3 is exported under the name the page gives"
    for ext in EXTS:
        text = export(example, "kaiser-unsupervised-learning", ext).read_text("utf-8")
        assert "57 more minutes" not in text and "curl" not in text, f"vendor promo left out of .{ext}"


def test_seed_000_captions_are_captions_a_player_can_show(example):
    """Seed 000 gives a time per turn only: a 2½-minute turn was one caption of
    54 lines. Each turn is now cut into captions by the broadcasters' rules,
    its time shared out by characters, and every turn still starts on time."""
    slug = "kaiser-unsupervised-learning"
    vtt = webvtt.from_string(export(example, slug, "vtt").read_text("utf-8"))
    srt = pysrt.from_string(export(example, slug, "srt").read_text("utf-8"))
    turn_starts = [s for _, s, _ in page_turns(example, slug)]
    starts = [c.start_time.in_milliseconds() / 1000 for c in vtt]
    assert set(turn_starts) <= set(starts), "every turn starts a caption at its own time"
    assert len(vtt) > 3 * len(turn_starts)
    assert_caption_limits(vtt, srt)


def assert_caption_limits(vtt: webvtt.WebVTT, srt: pysrt.SubRipFile) -> None:
    """Every cue at most two lines of at most 42 characters and at most 7 s,
    at least 1 s where the next cue leaves room, one voice each; in order."""
    assert len(vtt) == len(srt)
    for k, (cue, item) in enumerate(zip(vtt, srt, strict=True)):
        lines = re.sub(r"<v [^>]*>", "", cue.raw_text).split("\n")
        assert len(lines) <= 2 and all(len(unescape(line)) <= captioning.LINE for line in lines), cue.raw_text
        assert len(item.text.split("\n")) <= 2 and all(len(line) <= captioning.LINE
                                                       for line in item.text.split("\n")), item.text
        assert len(re.findall(r"<v ", cue.raw_text)) == 1
        start, end = cue.start_time.in_milliseconds(), cue.end_time.in_milliseconds()
        following = vtt[k + 1].start_time.in_milliseconds() if k + 1 < len(vtt) else None
        assert end - start <= 7000, cue.raw_text
        assert end - start >= 1000 or (following is not None and end == following), cue.raw_text
        assert following is None or end <= following


def test_seed_002_has_no_times_so_text_exports_only(example):
    assert assert_round_trips(example, "kaiser-mad-podcast") == ["json", "md", "txt"]
    text = export(example, "kaiser-mad-podcast", "txt").read_text("utf-8")
    assert text.startswith("Lukasz Kaiser:\nThere is this thing that's happening in AI")
    assert "GPT-5.1" in text and "GPD 5.1" not in text, "corrections are in"


# The pieces.


def test_a_correction_across_two_captions_stays_whole_in_the_one_it_begins_in():
    para = Paragraph(
        "said Jonas Webber uh laughing", SourcePos("x.vtt"),
        spans=[Span("said ", "said "), Span("Jonas Webber", "Jonas Weber", "fix"),
               Span(" uh", "", "drop"), Span(" laughing", " laughing")],
        cues=(Cue(0, 1.0, 2.0), Cue(11, 2.0, 3.0), Cue(18, 3.0, 4.0)))
    assert captioning.cue_texts(para) == [(1.0, 2.0, "said Jonas Weber"), (2.0, 3.0, ""),
                                       (3.0, 4.0, "laughing")]


def test_wrapped_lines_never_start_like_a_speaker_or_end_as_a_bare_number():
    assert captioning.wrap("We walked along the river for a long time. Tonight: the delta, and more") == [
        "We walked along the river for a long time. Tonight:", "the delta, and more"]
    assert captioning.wrap("We walked along the river for a long time. >> and then") == [
        "We walked along the river for a long time. >>", "and then"]
    assert captioning.wrap("The survey was made along the whole river in 2019") == [
        "The survey was made along the whole river", "in 2019"]
    assert captioning.wrap("The survey was made along the whole river, 2019") == [
        "The survey was made along the whole river, 2019"], "a bare number would read as a cue number"
    assert captioning.wrap("We walked along the river for a long time. so: it goes") == [
        "We walked along the river for a long time.", "so: it goes"], "prose with a colon stays"
    long_name = "x" * 38
    assert captioning.wrap(f"We walked along the river for a long time, Ann {long_name}: so it goes") == [
        f"We walked along the river for a long time, Ann {long_name}:", "so", "it goes"], \
        "a word moved up can make the line it joins read as a mark (`Ann xxx:`): that line moves too"
    assert captioning.wrap("1 - 1", 1) == ["1 - 1"], "`-` + a last `1` would read as `- 1`, a dash mark"


def _wrap_word_by_word(text: str, width: int, indent: int) -> list[str]:
    """`wrap` as the rule says it, written plainly: fill each line one word at a
    time, then move false starts up (`_move_false_starts_up`). Nothing of the
    code under test is used."""
    lines: list[str] = []
    current: list[str] = []
    size, room = -1, width - indent
    for word in text.split():
        n = len(word) + 1
        if current and size + n > room:
            lines.append(" ".join(current))
            current, size, room = [word], n - 1, width
        else:
            current.append(word)
            size += n
    if current:
        lines.append(" ".join(current))
    return _move_false_starts_up(lines)


PUNCTUATION_ALONE = re.compile(r"[.,;:!?…)\]}”’»%]+")
"""Punctuation readers join to the word before it."""
SUBRIP_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}", re.I)


def _false_start(line: str, last: bool) -> bool:
    """Whether a caption line after the first would mislead a reader: it starts
    like a speaker mark as gloss's caption readers take one (`>> `, `- `,
    `[Name]: `, or `Name: ` unless the name is a word that opens sentences,
    `So: `; SubRip tags ignored), it reads as a cue timing (a digit first and
    `-->` in it), it opens with punctuation alone, or it is the last line and a
    bare number (a cue number to SubRip readers)."""
    named, _, bare = speaker_prefix(SUBRIP_TAG.sub("", line))
    speaker = named is not None and not (bare and named.lower() in OPENERS)
    timing = line.lstrip()[:1].isdigit() and "-->" in line
    punctuation = PUNCTUATION_ALONE.fullmatch(line.split(" ")[0]) is not None
    return speaker or timing or punctuation or (last and line.isdigit())


def _move_false_starts_up(lines: list[str]) -> list[str]:
    """While any line after the first is a false start, the first such line's
    first word goes to the end of the line before (a line left empty goes)."""
    lines = list(lines)
    while True:
        risky = [k for k in range(1, len(lines)) if _false_start(lines[k], k == len(lines) - 1)]
        if not risky:
            return lines
        k = risky[0]
        head, _, rest = lines[k].partition(" ")
        lines[k - 1] += " " + head
        lines[k : k + 1] = [rest] if rest else []


def test_wrapping_fills_lines_word_by_word_and_moves_every_false_start_up():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    # Words of any length and spacing, and the marks, timings, numbers and
    # punctuation the rule is about, so every one of its cases comes up.
    word = st.text(st.sampled_from("ab é1.-:>\u00a0\t\n"), min_size=0, max_size=50) | st.sampled_from(
        ["-->", "00:09:00,000", "1", "42", "-", ">>", "Ann:", "so:", "[Ann]:", "<i>Bo:</i>", ".", ",", "…", ")"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(word, max_size=30).map(" ".join), st.integers(1, 50), st.integers(0, 60))
    def check(text: str, width: int, indent: int) -> None:
        assert captioning.wrap(text, width, indent) == _wrap_word_by_word(text, width, indent)

    check()


def test_a_long_turn_with_only_its_start_is_cut_at_sentence_and_clause_ends(make_site):
    said = " ".join(f"The river rose {n} feet that spring, and the town moved uphill." for n in range(1, 41))
    site = make_site({"content/long.md": f"**Ann Lee** (0:00)\n{said}\n\n**Bob Stone** (5:00)\nThanks.\n"})
    slug = "long"
    vtt = webvtt.from_string(export(site, slug, "vtt").read_text("utf-8"))
    srt = pysrt.from_string(export(site, slug, "srt").read_text("utf-8"))
    assert_caption_limits(vtt, srt)
    texts = [" ".join(unescape(c.text).split()) for c in vtt]
    assert " ".join(texts[:-1]) == said and texts[-1] == "Thanks."
    assert all(t.endswith((".", ",")) for t in texts), "cut where the speech pauses, not mid-clause"
    # The turn's five minutes are shared by its words; each caption at most 7 s.
    assert vtt[0].start_time.in_milliseconds() == 0 and vtt[-1].start_time.in_milliseconds() == 300_000
    assert vtt[-2].end_time.in_milliseconds() <= 300_000
    data = json.loads(export(site, slug, "json").read_text("utf-8"))
    assert [s["startTime"] for s in data["segments"]] == [
        c.start_time.in_milliseconds() / 1000 for c in vtt], "the JSON's segments are the captions"

#!/usr/bin/env python3
"""Build real transcript exports with gloss and check the pages against the sources,
read by readers that owe nothing to gloss.

Why: gloss's tests write their own small inputs, so they share the assumptions of
the readers they test. This script takes exports exactly as services and people
published them, builds them as a user would (`gloss build --strict` in a fresh
site), and reads each source again with third-party or hand-written readers:
webvtt-py (.vtt), pysrt (.srt), `json` (Podcasting 2.0, Whisper, Zoom/ASR
utterances), `html.parser` (Podcasting 2.0 HTML) and small regexes written from
looking at the text shapes (`**Name:** text` Markdown, Otter `Name  0:03`, Talk
Python `00:00:00 text`, Deepgram `SPEAKER_00:` ...). Nothing of gloss is imported.
For each page it checks that

  words      the verbatim words of the page are the source's, in order (only
             whitespace and HTML entities are normalised);
  speakers   each source label's words sit under one shown name, that name looks
             like the label (`SPEAKER_3` may read "Speaker 3"), and no two labels
             share a name;
  times      each paragraph whose first word opens a timed source cue or segment
             carries that start time, and no time on the page is other than a
             source time (to 10 ms); paragraphs that start inside a cue are counted;
  downloads  every download beside the page parses with a third-party reader
             (webvtt-py, pysrt, json; .md and .txt by their documented shapes) and
             holds the words and speakers the page shows.

Data: any folder of real exports, walked recursively (README.md and SOURCES.md are
skipped); in this workplace `../shared/real`, one file of each shape, with their
origins in its README.md.

    .venv/bin/python bench/real_exports.py ../shared/real [DIR ...] [--keep OUT] [--verbose]

A file gloss cannot read yet is reported with gloss's message and the others are
still checked: when the strict build of all files fails, the pages come from a
second build (not strict) that leaves out the files with errors. Exit status 1
when the strict build or any check fails.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import difflib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pysrt
import webvtt
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_NAMES = {"README.md", "SOURCES.md"}
TRANSCRIPT_EXTS = {".vtt", ".srt", ".json", ".md", ".markdown", ".txt", ".html", ".htm"}
DOWNLOAD_EXTS = (".vtt", ".srt", ".json", ".md", ".txt", ".html")
TIME_TOLERANCE = 0.01 + 1e-6
"""Seconds: a page time matches a source time to 10 ms."""
SHOWN = 12
"""How many problems of one kind the details list."""


# The source side: (speaker label or None, start or None, text) segments.


@dataclass
class Segment:
    speaker: str | None
    start: float | None
    text: str


@dataclass
class Source:
    path: Path
    reader: str
    """What read it, e.g. `webvtt-py`, `json: Whisper`, `text: Otter`."""
    segments: list[Segment]
    notes: list[str] = field(default_factory=list)
    unit: str = "segment"
    """What a segment is called in reports: `cue` for captions."""
    word_times: list[float] = field(default_factory=list)
    """Times the source gives words inside its segments (YouTube's
    `word<00:00:01.234><c> next</c>`): source times too."""

    def words(self) -> list[tuple[str, int]]:
        """Every word with the index of its segment."""
        return attach([(norm(w), k) for k, seg in enumerate(self.segments) for w in seg.text.split()])


def norm(word: str) -> str:
    return html.unescape(word)


PUNCTUATION = re.compile(r"[.,;:!?\u2026)\]}\u201d\u2019\u00bb%]+")


def attach(words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Punctuation standing alone (`I ,`, a cue that is only `.`) belongs to the
    word before it: how far apart they are written is not a word's difference."""
    out: list[tuple[str, int]] = []
    for word, k in words:
        if out and PUNCTUATION.fullmatch(word):
            out[-1] = (out[-1][0] + word, out[-1][1])
        else:
            out.append((word, k))
    return out


CLOCK = re.compile(r"(\d+(?::\d+)*)(?:[.,](\d+))?")


def parse_clock(text: str) -> float | None:
    """Seconds of `1:02:03.5`, `0:0:4.430`, `01:02,500` or `7.380`; None if not a time.
    Teams pads nothing, its milliseconds included: in its form (hours, and a
    minute or second of one digit) `0:4:6.80` is 6.080 s, not 6.8, as its cues
    show (read as decimals, three cues of the Teams sample end before they start;
    read as milliseconds, none does)."""
    m = CLOCK.fullmatch(text.strip())
    if not m:
        return None
    parts = m[1].split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if len(parts) == 3 and any(len(p) < 2 for p in parts[1:]) and m[2] and len(m[2]) < 3:
        return seconds + int(m[2]) / 1000
    return seconds + (float("0." + m[2]) if m[2] else 0.0)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole, ms = divmod(round(seconds * 1000), 1000)
    h, rest = divmod(whole, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}.{ms:03d}"


# Captions (WebVTT, SubRip): cues -> segments.

TAG = re.compile(r"<[^>]*>")
SSA_TAG = re.compile(r"\{\\[^}]*\}")
WORD_TIME_TAG = re.compile(r"<\d+(?::\d+)+\.\d+>")
"""YouTube's inline word times, `<00:00:00.210>`: the line is new speech."""
VOICE_TAG = re.compile(r"(<v(?:\.[^\s>]*)*[ \t][^>]*>)")
VOICE_NAME = re.compile(r"<v(?:\.[^\s>]*)*[ \t]+([^>]*)>")
NAME_WORD = r"[\w.'\u2019()@&+-]+"
LABEL = re.compile(rf"(?P<name>\[{NAME_WORD}(?: {NAME_WORD}){{0,5}}\]|[^\W\d_][\w.'\u2019()@&+-]*"
                   rf"(?: {NAME_WORD}){{0,5}}):(?:\s+|$)")
"""`Name: ` at the start of a caption line, as exports write it (issue #20): up to
six words of any case, with apostrophes, brackets, `@` (`Ashlee Kupor (SL)`,
`Saurabh Swaroop’s iPad`, `shruthi`), or in square brackets (`[Anand sharma]:`)."""
MARK = re.compile(r"(?:^|\s)>>(?=\s|$)")


def clean(line: str) -> str:
    """A caption line without tags, entities or extra spaces."""
    return " ".join(html.unescape(TAG.sub("", SSA_TAG.sub("", line))).split())


def caption_labels(cues: list[tuple[float, str]]) -> set[str]:
    """`Name: ` labels that open at least two caption lines: a name said once
    (`Subtitles: @someone`) is more likely text than a speaker, unless most
    cues of the file open with a label (Zoom writes one on every cue, so a
    participant who speaks once is still a speaker)."""
    seen: Counter[str] = Counter()
    for _, raw in cues:
        for line in raw.split("\n"):
            m = LABEL.match(clean(line))
            if m:
                seen[m["name"]] += 1
    labelled = sum(bool(LABEL.match(clean(raw.split("\n")[0]))) for _, raw in cues)
    if cues and labelled * 2 >= len(cues):
        return {name.strip("[]") for name in seen}
    # `[Name]: ` says it is a label in its brackets; so do two or more capitalised
    # words said once (`Bekah Hawrot Weigel:` at the first of her turns).
    full_name = re.compile(r"[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)+")
    return {name.strip("[]") for name, n in seen.items()
            if n >= 2 or name.startswith("[") or full_name.fullmatch(name)}


def marked_pieces(line: str, labels: set[str]) -> list[tuple[bool, str | None, str]]:
    """(starts a turn, speaker label, text) pieces of a cleaned line: `>>` and a
    leading dialogue dash `- ` start an unnamed turn, a known `Name: ` a named one."""
    pieces: list[tuple[bool, str | None, str]] = []
    for k, part in enumerate(MARK.split(line)):
        new, speaker, text = k > 0, None, part.strip()
        if text.startswith("- "):
            new, text = True, text[2:]
        m = LABEL.match(text)
        if m and m["name"].strip("[]") in labels:
            new, speaker, text = True, m["name"].strip("[]"), text[m.end():]
        pieces.append((new, speaker, text))
    return pieces


def new_lines(on_screen: list[str], lines: list[str]) -> list[str]:
    """The lines of a rolling (YouTube) cue that were not on screen in the cue
    before: the longest run of leading lines equal to the last lines shown is the
    scroll-up repeat. A line with word times is always new speech."""
    for k in range(min(len(on_screen), len(lines)), 0, -1):
        head = lines[:k]
        if not any(WORD_TIME_TAG.search(line) for line in head) and \
                [clean(line) for line in head] == on_screen[-k:]:
            return lines[k:]
    return lines


def cue_segments(cues: list[tuple[float, str]]) -> tuple[list[Segment], list[str]]:
    """Segments of caption cues (start, raw text with tags): voices, `Name: `
    labels, `>>` and dialogue dashes split them; YouTube's rolling repeats are
    left out."""
    rolling = any(WORD_TIME_TAG.search(raw) for _, raw in cues)
    labels = caption_labels(cues)
    notes = [f"`Name: ` labels: {', '.join(sorted(labels))}"] if labels else []
    if rolling:
        notes.append("rolling captions: each cue's new lines only (the scroll-up repeat is not speech)")
    segments: list[Segment] = []
    on_screen: list[str] = []
    for start, raw in cues:
        lines = [line for line in raw.split("\n") if clean(line)]
        if rolling:
            lines, on_screen = new_lines(on_screen, lines), [clean(line) for line in lines]
        segments += voiced_segments(start, "\n".join(lines), labels)
    return [s for s in segments if s.text], notes


def voiced_segments(start: float, raw: str, labels: set[str]) -> list[Segment]:
    """One cue's segments: a `<v Name>` voice opens one, so do the marks in its lines."""
    out: list[Segment] = []
    for part in VOICE_TAG.split(raw):
        voice = VOICE_NAME.fullmatch(part)
        if voice:
            out.append(Segment(voice[1].strip(), start, ""))
            continue
        if not out:
            out.append(Segment(None, start, ""))
        for line in part.split("\n"):
            for new, speaker, text in marked_pieces(clean(line), labels):
                if new and out[-1].text:
                    out.append(Segment(speaker, start, text))
                    continue
                if new:
                    out[-1].speaker = speaker
                out[-1].text = f"{out[-1].text} {text}".strip()
    return out


def blocks(text: str) -> list[list[str]]:
    """Blocks of lines between empty lines (a line of spaces is not empty)."""
    out: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            if out[-1]:
                out.append([])
        else:
            out[-1].append(line)
    return [b for b in out if b]


def minimal_cues(text: str) -> list[tuple[float, str]]:
    """Cues of a caption file, spec-like but lenient about times (`0:0:4.43`,
    seconds only): a block with a `-->` line in its first two lines is a cue."""
    cues: list[tuple[float, str]] = []
    for block in blocks(text):
        arrow = next((k for k, line in enumerate(block[:2]) if "-->" in line), None)
        if arrow is None:
            if cues and not text.startswith("WEBVTT"):  # SubRip text after a blank line in a cue
                start, raw = cues[-1]
                cues[-1] = (start, raw + "\n" + "\n".join(block))
            continue  # the WEBVTT header, NOTE, STYLE, REGION
        start = parse_clock(block[arrow].split("-->")[0])
        if start is not None:
            cues.append((start, "\n".join(block[arrow + 1:])))
    return cues


def timing_lines(text: str) -> int:
    return sum("-->" in line for line in text.splitlines())


WORD_STAMP = re.compile(r"<((?:\d+:)?\d{2}:\d{2}\.\d{3})>")
"""A timestamp inside a cue's text: the time of the word after it."""


def read_vtt(path: Path) -> Source:
    text = path.read_text("utf-8-sig")
    expected = timing_lines(text)
    try:
        captions = webvtt.from_string(text).captions
    except Exception as exc:  # webvtt-py raises its own and ValueError alike
        why = f"{type(exc).__name__}: {exc}".strip()
    else:
        if len(captions) == expected:
            # Times from the file's own timing lines: webvtt-py reads Teams' `6.80` as 6.8.
            starts = [parse_clock(line.split("-->")[0]) for line in text.splitlines() if "-->" in line]
            cues = [(start or 0.0, c.raw_text) for start, c in zip(starts, captions, strict=True)]
            segments, notes = cue_segments(cues)
            stamps = [parse_clock(m) for m in WORD_STAMP.findall(text)]
            return Source(path, "webvtt-py", segments, notes, unit="cue",
                          word_times=[t for t in stamps if t is not None])
        why = f"it returned {len(captions)} of the {expected} cues"
    segments, notes = cue_segments(minimal_cues(text))
    notes.insert(0, f"webvtt-py refused the file ({why}); read by this script's minimal reader, "
                    "which accepts times WebVTT does not (`0:0:4.43`, seconds only)")
    return Source(path, "minimal WebVTT reader", segments, notes, unit="cue")


def read_srt(path: Path) -> Source:
    text = path.read_text("utf-8-sig")
    expected = timing_lines(text)
    try:
        subs = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    except Exception as exc:  # pysrt.Error and anything a bad file provokes
        why = f"{type(exc).__name__}: {exc}"
    else:
        if len(subs) == expected:
            segments, notes = cue_segments([(s.start.ordinal / 1000, s.text) for s in subs])
            return Source(path, "pysrt", segments, notes, unit="cue")
        why = f"it returned {len(subs)} of the {expected} cues"
    segments, notes = cue_segments(minimal_cues(text))
    notes.insert(0, f"pysrt refused the file ({why}); read by this script's minimal reader")
    return Source(path, "minimal SubRip reader", segments, notes, unit="cue")


# JSON and HTML.


def read_json(path: Path) -> Source:
    data = json.loads(path.read_text("utf-8-sig"))
    items = data.get("segments") if isinstance(data, dict) else data if isinstance(data, list) else None
    if isinstance(items, list) and items and all(isinstance(s, dict) and "body" in s for s in items):
        segs = [Segment(s.get("speaker"), s.get("startTime"), s["body"]) for s in items]
        return Source(path, "json: Podcasting 2.0", segs)
    if isinstance(items, list) and all(isinstance(s, dict) and "text" in s for s in items):
        times = [s.get("start") for s in items if isinstance(s.get("start"), (int, float))]
        words = sum(len(str(s["text"]).split()) for s in items)
        # Whole numbers ten times the words or more: milliseconds (a film's `{"start": 1, "end": 5000}`).
        scale = 0.001 if times and all(isinstance(t, int) for t in times) and max(times) > 10 * words else 1.0
        segs = [Segment(s.get("speaker"),
                        s["start"] * scale if isinstance(s.get("start"), (int, float)) else None,
                        str(s["text"])) for s in items]
        return Source(path, "json: Whisper" + (" (milliseconds)" if scale != 1.0 else ""), segs)
    utterances = data.get("utterances") if isinstance(data, dict) else None
    if isinstance(utterances, list):
        segs = [Segment(u.get("participant") or u.get("speaker"),
                        u["start_ms"] / 1000 if "start_ms" in u else None, u.get("text", ""))
                for u in utterances]
        return Source(path, "json: utterances", segs)
    return Source(path, "json: unknown shape", [], ["no reader for this JSON shape: no words checked"])


class Podcast20Html(HTMLParser):
    """`<cite>Name:</cite> <time>0:00</time> <p>text</p>`, the Podcasting 2.0 HTML transcript."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self.speaker: str | None = None
        self.start: float | None = None
        self.open: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("cite", "time", "p"):
            self.open, self.text = tag, []

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self.open:
            return
        text = " ".join("".join(self.text).split())
        if tag == "cite":
            self.speaker = text.removesuffix(":").strip() or None
        elif tag == "time" or (text and parse_clock(text) is not None):
            self.start = parse_clock(text)  # a paragraph holding only a time is a time
        else:
            self.segments.append(Segment(self.speaker, self.start, text))
            self.start = None
        self.open = None


def read_html(path: Path) -> Source:
    parser = Podcast20Html()
    parser.feed(path.read_text("utf-8-sig"))
    parser.close()
    return Source(path, "html.parser: Podcasting 2.0", parser.segments)


# Text shapes (.md, .txt): a line that opens a turn, then text lines.


@dataclass(frozen=True)
class Shape:
    name: str
    header: re.Pattern[str]
    """A line opening a turn; groups `name`, `time` and `text`, each optional."""
    line_per_segment: bool = False
    """Each text line is an utterance of its own (Deepgram)."""


TIME = r"\d+(?::\d\d)+(?:\.\d+)?"
SHAPES = (
    Shape("markdown `**[00:00] SPEAKER_00:** text` (AssemblyAI)",
          re.compile(rf"\*\*\[(?P<time>{TIME})\]\s*(?P<name>[^*]+?):\*\*\s*(?P<text>.*)")),
    Shape("markdown `**Name:** text`",
          re.compile(rf"\*\*(?P<name>[^*]+?)(?::\*\*|\*\*:)\s*(?:\[(?P<time>{TIME})\]\s*)?(?P<text>.*)")),
    Shape("markdown `**Name** [0:00] text`",
          re.compile(rf"\*\*(?P<name>[^*:]+?)\*\*\s*[\[(](?P<time>{TIME})[\])]\s*(?P<text>.*)")),
    Shape("markdown `[00:00:00] **Name:** text`",
          re.compile(rf"\[(?P<time>{TIME})\]\s*\*\*(?P<name>[^*]+?)(?::\*\*|\*\*:?)\s*(?P<text>.*)")),
    Shape("Otter `Name  0:03`", re.compile(rf"(?P<name>\S.*?)\s{{2,}}(?P<time>{TIME})\s*")),
    Shape("Talk Python `00:00:00 text`", re.compile(r"(?P<time>\d+:\d\d:\d\d)\s+(?P<text>\S.*)")),
    Shape("Deepgram `SPEAKER_00:`", re.compile(r"(?P<name>SPEAKER_\d+|Speaker \d+):\s*"),
          line_per_segment=True),
    Shape("`SPEAKER_00: text` lines", re.compile(r"(?P<name>SPEAKER_\d+|Speaker \d+):\s+(?P<text>\S.*)")),
    Shape("Rev `Name (00:00:00):`", re.compile(rf"(?P<name>[^\s(][^()]*?) \((?P<time>{TIME})\):\s*")),
    Shape("YouTube page `0:00` + text", re.compile(rf"(?P<time>{TIME})\s*")),
)
MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
TIME_MARK = re.compile(rf"\[({TIME})\]")
"""A bracketed time inside the text (`\\[04:33\\]` in the Changelog's Markdown)."""


def strip_preamble(lines: list[str], notes: list[str]) -> list[str]:
    """Lines without YAML front matter and a leading `# Title` (title, not speech)."""
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), None)
        if end is not None:
            notes.append(f"front matter (lines 1-{end + 1}) is not speech")
            lines = lines[end + 1:]
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("# "):
        notes.append(f"title line `{lines[first].strip()}` is not speech")
        lines = lines[first + 1:]
        while (nxt := next((k for k, line in enumerate(lines) if line.strip()), None)) is not None \
                and re.match(r"#{2,6} ", lines[nxt]):
            notes.append(f"heading `{lines[nxt].strip()}` is not speech")
            lines = lines[nxt + 1:]
    return lines


def pick_shape(lines: list[str]) -> Shape | None:
    """The shape whose turn lines match most lines (at least two)."""
    counts = [(sum(bool(s.header.fullmatch(line)) for line in lines), -k, s) for k, s in enumerate(SHAPES)]
    best = max(counts, key=lambda c: c[:2])
    return best[2] if best[0] >= 2 else None


def split_time_marks(seg: Segment) -> list[Segment]:
    """A bracketed time in a segment's text starts a segment at that time."""
    parts = TIME_MARK.split(seg.text)
    out = [Segment(seg.speaker, seg.start, parts[0].strip())]
    for k in range(1, len(parts), 2):
        if not out[-1].text and out[-1].start is None:
            out[-1].start = parse_clock(parts[k])
            out[-1].text = parts[k + 1].strip()
        else:
            out.append(Segment(seg.speaker, parse_clock(parts[k]), parts[k + 1].strip()))
    return out


def read_text(path: Path) -> Source:
    notes: list[str] = []
    text = path.read_text("utf-8-sig")
    if path.suffix in (".md", ".markdown"):
        text = MD_ESCAPE.sub(r"\1", text)
    lines = strip_preamble(text.replace("\r\n", "\n").split("\n"), notes)
    shape = pick_shape(lines)
    if shape is None:
        notes.append("no turn shape recognised: all text, no speakers, no times")
        return Source(path, "text: no shape", [Segment(None, None, " ".join(lines))], notes)
    segments: list[Segment] = []
    speaker: str | None = None
    paragraph_break = True
    for line in lines:
        m = shape.header.fullmatch(line)
        if m:
            groups = m.groupdict()
            speaker = groups.get("name", speaker)
            time = parse_clock(groups["time"]) if groups.get("time") else None
            segments.append(Segment(speaker, time, groups.get("text") or ""))
            paragraph_break = False
        elif not line.strip():
            paragraph_break = True
        elif paragraph_break or shape.line_per_segment or not segments:
            segments.append(Segment(speaker, None, line.strip()))
            paragraph_break = False
        else:
            segments[-1].text += " " + line.strip()
    segments = [piece for seg in segments for piece in split_time_marks(seg)]
    if any(TIME_MARK.search(line) for line in lines if not shape.header.fullmatch(line)):
        notes.append("bracketed times inside the text read as times, not words")
    return Source(path, f"text: {shape.name}", [s for s in segments if s.text or s.start is not None], notes)


READERS: dict[str, Callable[[Path], Source]] = {
    ".vtt": read_vtt, ".srt": read_srt, ".json": read_json, ".html": read_html, ".htm": read_html,
    ".md": read_text, ".markdown": read_text, ".txt": read_text,
}


def read_source(path: Path) -> Source:
    try:
        head = path.read_bytes()[:16].decode("utf-8", "replace").lstrip("\ufeff")
        if head.startswith("WEBVTT"):  # a WebVTT file saved as .txt is still WebVTT
            return read_vtt(path)
        return READERS[path.suffix.lower()](path)
    except Exception as exc:  # a checker that cannot read a file says so and goes on
        return Source(path, "unreadable", [], [f"this script could not read it: {type(exc).__name__}: {exc}"])


# The page side, read as tests/conftest.py reads pages.


def verbatim(el: Tag) -> str:
    """The source text of `el`, as the verbatim switch shows it (tests/conftest.py)."""
    copy = BeautifulSoup(str(el), "html.parser")
    for hidden in copy.select(".chg .c, a.pl"):
        hidden.decompose()
    return " ".join(copy.get_text().split())


def reading(el: Tag) -> str:
    """The text a reader sees in `el` (tests/conftest.py)."""
    copy = BeautifulSoup(str(el), "html.parser")
    for hidden in copy.select("del.rm, .chg .v, a.pl, details.cut"):
        hidden.decompose()
    return " ".join(copy.get_text().split())


@dataclass
class PageTurn:
    tid: str
    name: str
    start: float | None
    """`data-start` of the turn's time link."""
    shown: str | None
    """The time a reader sees in the turn head, and its `datetime`."""
    datetime: str | None


@dataclass
class PageParagraph:
    turn: int
    pid: str
    start: float | None
    words: list[str]
    reading: list[str]


@dataclass
class Page:
    turns: list[PageTurn]
    paragraphs: list[PageParagraph]
    format: str | None
    links: list[str]

    def words(self) -> list[tuple[str, int]]:
        """Every verbatim word with the index of its paragraph."""
        return attach([(norm(w), k) for k, p in enumerate(self.paragraphs) for w in p.words])


def float_attr(el: Tag | None, name: str) -> float | None:
    value = el.get(name) if el is not None else None
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def shown_format(soup: BeautifulSoup) -> str | None:
    """The source format, if the page says which it is anywhere a script can find it."""
    el = soup.select_one("[data-format]")
    if el is not None:
        return str(el["data-format"])
    meta = soup.select_one('meta[name="gloss:format"], meta[name="format"]')
    if meta is not None:
        return str(meta.get("content"))
    for script in soup.select('script[type="application/ld+json"]'):
        with contextlib.suppress(ValueError):
            data = json.loads(script.get_text())
            if isinstance(data, dict) and data.get("encodingFormat"):
                return str(data["encodingFormat"])
    return None


def read_page(path: Path) -> Page:
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    turns: list[PageTurn] = []
    paragraphs: list[PageParagraph] = []
    for k, turn in enumerate(soup.select("main .turn")):
        cite = turn.find("cite")
        ts = turn.select_one(".who a.ts[data-start]") or turn.select_one(".who [data-start]")
        time = turn.select_one(".who time[datetime]")
        name = cite.get_text(" ", strip=True) if cite else ""
        turns.append(PageTurn(str(turn.get("id", f"#{k + 1}")), name, float_attr(ts, "data-start"),
                              time.get_text(strip=True) if time else None,
                              str(time["datetime"]) if time else None))
        for p in turn.select(".speech p[id]"):
            cut = p.find_parent("details", class_="cut") is not None  # folded away: not read
            paragraphs.append(PageParagraph(k, str(p["id"]), float_attr(p, "data-start"),
                                            verbatim(p).split(), [] if cut else reading(p).split()))
    links = [str(a["href"]) for a in soup.select("#downloads a[href]")]
    return Page(turns, paragraphs, shown_format(soup), links)


# Checks.


@dataclass
class Check:
    ok: bool | None
    """None: nothing to check (no labels, no times)."""
    summary: str
    details: list[str] = field(default_factory=list)


Pairs = list[tuple[int, int]]
Diffs = list[tuple[str, int, int, int, int]]
"""difflib opcodes other than `equal`: (op, i1, i2, j1, j2)."""


def align(a: list[str], b: list[str]) -> tuple[Pairs, Diffs]:
    """Matched word positions (source i, page j) and the differing stretches."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs: Pairs = []
    diffs: Diffs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        else:
            diffs.append((op, i1, i2, j1, j2))
    return pairs, diffs


def context(words: list[str], lo: int, hi: int, around: int = 6, most: int = 12) -> str:
    inner = words[lo:hi]
    if len(inner) > most:
        inner = [*inner[:most], f"...(+{len(inner) - most})"]
    before = " ".join(words[max(0, lo - around):lo])
    after = " ".join(words[hi:hi + around])
    return f"...{before} [{' '.join(inner)}] {after}..."


def where_source(src: Source, words: list[tuple[str, int]], i: int) -> str:
    if i >= len(words):
        return "the end of the source"
    seg = src.segments[words[i][1]]
    return f"source word {i + 1} (segment {words[i][1] + 1}, {clock(seg.start)}, `{seg.speaker}`)"


def where_page(page: Page, words: list[tuple[str, int]], j: int) -> str:
    if j >= len(words):
        return "the end of the page"
    para = page.paragraphs[words[j][1]]
    turn = page.turns[para.turn]
    return f"page word {j + 1} (turn {turn.tid} `{turn.name}`, ¶ #{para.pid})"


def check_words(src: Source, page: Page) -> tuple[Check, Pairs]:
    a_words, b_words = src.words(), page.words()
    a, b = [w for w, _ in a_words], [w for w, _ in b_words]
    pairs, diffs = align(a, b)
    counts = f"{len(a)}/{len(b)}"
    if not a:
        return Check(False, f"words {counts} (no source words)"), pairs
    if not diffs:
        return Check(True, f"words {counts} OK"), pairs
    missing = sum(i2 - i1 for _, i1, i2, _, _ in diffs)
    extra = sum(j2 - j1 for _, _, _, j1, j2 in diffs)
    details = [f"{missing} source word(s) missing from the page, {extra} extra on the page, "
               f"in {len(diffs)} place(s)"]
    for n, (op, i1, i2, j1, j2) in enumerate(diffs[:SHOWN]):
        label = "first divergence" if n == 0 else f"divergence {n + 1}"
        details += [f"{label} ({op}) at {where_source(src, a_words, i1)} / {where_page(page, b_words, j1)}:",
                    f"    source: {context(a, i1, i2)}", f"    page:   {context(b, j1, j2)}"]
    if len(diffs) > SHOWN:
        details.append(f"... and {len(diffs) - SHOWN} more")
    return Check(False, f"words {counts} FAIL (-{missing} +{extra})", details), pairs


LETTERS_DIGITS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
OPAQUE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F-]+(@[0-9a-fA-F-]+)?")
"""A machine id for a speaker (a Teams GUID): any readable name will do."""


def name_tokens(text: str) -> list[str]:
    return [str(int(t)) if t.isdigit() else t.lower() for t in LETTERS_DIGITS.findall(text)]


def resembles(label: str, name: str) -> bool:
    """Whether a shown name is the label, prettified or shortened (`SPEAKER_03` as
    "Speaker 3", `UnknownChannel2` as "Unknown Channel 2", `Ashlee Kupor (SL)` as
    "Ashlee Kupor")."""
    if OPAQUE.fullmatch(label):
        return True
    a, b = name_tokens(label), name_tokens(name)
    if not a or not b:
        return label.strip() == name.strip()
    short, long = sorted((a, b), key=len)
    return any(long[k:k + len(short)] == short for k in range(len(long) - len(short) + 1))


def check_speakers(src: Source, page: Page, pairs: Pairs) -> Check:
    a_words, b_words = src.words(), page.words()
    words_of: dict[str | None, Counter[str]] = defaultdict(Counter)
    cues_of: dict[str | None, Counter[str]] = defaultdict(Counter)
    labels_in_turn: dict[int, set[str]] = defaultdict(set)
    counted: set[int] = set()
    for i, j in pairs:
        seg_index = a_words[i][1]
        label = src.segments[seg_index].speaker
        turn = page.paragraphs[b_words[j][1]].turn
        name = page.turns[turn].name
        words_of[label][name] += 1
        if seg_index not in counted:
            counted.add(seg_index)
            cues_of[label][name] += 1
        if label is not None:
            labels_in_turn[turn].add(label)
    details: list[str] = []
    problems = 0
    mapping = {label: names.most_common(1)[0][0] for label, names in words_of.items() if label is not None}
    for label, name in sorted(mapping.items()):
        others = [f"{cues_of[label][n]} {src.unit}(s) / {w} word(s) under {n}"
                  for n, w in words_of[label].most_common() if n != name]
        look = "" if resembles(label, name) else "  <- does not look like the label"
        if OPAQUE.fullmatch(label) and name == label:
            look = "  (a machine id, shown as written)"
        problems += bool(others) + ("does not" in look)
        details.append(f"`{label}` -> {name} ({sum(cues_of[label].values())} {src.unit}s){look}"
                       + (f"; but {', '.join(others)}" if others else ""))
    shared: dict[str, list[str]] = defaultdict(list)
    for label, name in mapping.items():
        shared[name].append(label)
    for name, labels in sorted(shared.items()):
        if len(labels) > 1:
            problems += 1
            details.append(f"labels {', '.join(f'`{x}`' for x in sorted(labels))} all shown as {name}")
    mixed = [page.turns[t].tid for t, labels in sorted(labels_in_turn.items()) if len(labels) > 1]
    if mixed:
        problems += 1
        details.append(f"{len(mixed)} page turn(s) hold words of two or more source labels: "
                       + ", ".join(mixed[:SHOWN]) + (" ..." if len(mixed) > SHOWN else ""))
    wordless = Counter(t.name for k, t in enumerate(page.turns) if k not in turns_with_words(page, pairs))
    if wordless:
        details.append("turns holding no source word: "
                       + ", ".join(f"{n} ({c} turn(s))" for n, c in wordless.most_common()))
    if None in words_of:
        spread = ", ".join(f"{cues_of[None][n]} {src.unit}(s) / {w} word(s) under {n}"
                           for n, w in words_of[None].most_common())
        details.append(f"unlabelled source segments: {spread}")
    if not mapping:
        return Check(None, f"speakers n/a (no labels; page shows {len(words_of[None])} name(s))", details)
    summary = f"speakers {len(mapping)}->{len(shared)} " + ("OK" if not problems else f"FAIL ({problems})")
    return Check(not problems, summary, details)


def turns_with_words(page: Page, pairs: Pairs) -> set[int]:
    b_words = page.words()
    return {page.paragraphs[b_words[j][1]].turn for _, j in pairs}


def check_times(src: Source, page: Page, pairs: Pairs) -> Check:
    """A paragraph whose first word opens a timed source segment must carry that
    segment's start; a paragraph that starts inside a segment has no time of its
    own in the source (reported, not judged); no time on the page may be other
    than a source time."""
    times = sorted({s.start for s in src.segments if s.start is not None} | set(src.word_times))
    page_times = sorted([p.start for p in page.paragraphs if p.start is not None]
                        + [t.start for t in page.turns if t.start is not None])
    if not times:
        if page_times:
            return Check(False, f"times: none in source, {len(page_times)} on page FAIL")
        return Check(None, "times n/a (none in source or page)")
    details: list[str] = []
    right = 0
    opening, inside = paragraph_openings(src, page, pairs)
    for para, seg in opening:
        if para.start is not None and abs(para.start - (seg.start or 0)) <= TIME_TOLERANCE:
            right += 1
        elif len(details) < SHOWN:
            details.append(f"¶ #{para.pid} opens the segment at {clock(seg.start)} "
                           f"but carries {clock(para.start)}")
    stray = [t for t in page_times if not near(t, times)]
    details += [f"page time {clock(t)} is no source time" for t in stray[:SHOWN]]
    head = turn_head_problems(page)
    details += head[:SHOWN]
    on_page = sum(near(t, page_times) for t in times)
    shown = sum(t.shown is not None for t in page.turns)
    with_start = sum(p.start is not None for p in page.paragraphs)
    keep = sum(p.start is not None and abs(p.start - (seg.start or 0)) <= TIME_TOLERANCE for p, seg in inside)
    details[:0] = [f"{on_page} of {len(times)} source times are on the page; {len(page.paragraphs)} ¶, "
                   f"{with_start} with data-start, {shown} turn heads show a time",
                   f"{len(opening)} ¶ open a timed source segment, {right} with its time; {len(inside)} ¶ "
                   f"start inside one: {keep} carry that segment's start, "
                   f"{sum(p.start is None for p, _ in inside)} carry none"]
    ok = right == len(opening) and not stray and not head
    return Check(ok, f"times {right}/{len(opening)}¶ {'OK' if ok else 'FAIL'}", details)


Placed = list[tuple[PageParagraph, Segment]]


def paragraph_openings(src: Source, page: Page, pairs: Pairs) -> tuple[Placed, Placed]:
    """Page paragraphs whose first word found in the source (a) opens a timed
    source segment, (b) lies inside one; each with that segment."""
    a_words, b_words = src.words(), page.words()
    first_match: dict[int, int] = {}
    for i, j in pairs:
        first_match.setdefault(b_words[j][1], i)
    opening: Placed = []
    inside: Placed = []
    for k, para in enumerate(page.paragraphs):
        if k not in first_match:
            continue
        i = first_match[k]
        seg_index = a_words[i][1]
        if src.segments[seg_index].start is None:
            continue
        at_start = i == 0 or a_words[i - 1][1] != seg_index
        (opening if at_start else inside).append((para, src.segments[seg_index]))
    return opening, inside


def near(t: float, times: list[float]) -> bool:
    """Whether `t` is within 10 ms of a time in the sorted `times`."""
    k = bisect.bisect_left(times, t - TIME_TOLERANCE)
    return k < len(times) and times[k] <= t + TIME_TOLERANCE


ISO_DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")


def iso_seconds(text: str) -> float | None:
    m = ISO_DURATION.fullmatch(text)
    if not m or text == "PT":
        return None
    return int(m[1] or 0) * 3600 + int(m[2] or 0) * 60 + float(m[3] or 0)


def turn_head_problems(page: Page) -> list[str]:
    """A turn head's visible time and `datetime` must say its `data-start`, rounded down."""
    out = []
    for turn in page.turns:
        if turn.start is None or turn.datetime is None:
            continue
        whole = int(turn.start)
        h, rest = divmod(whole, 3600)
        shown = f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"
        if iso_seconds(turn.datetime) != whole or turn.shown != shown:
            out.append(f"turn {turn.tid} starts at {clock(turn.start)} but shows {turn.shown} "
                       f"(datetime {turn.datetime})")
    return out


# Downloads: parsed by third-party readers where there are any.


Spoken = list[tuple[str, str | None]]
"""Words with the speaker a file gives them (None where it gives none)."""


def vtt_download(path: Path, names: set[str]) -> Spoken:
    text = path.read_text("utf-8")
    captions = webvtt.from_string(text).captions
    if len(captions) != timing_lines(text):
        raise ValueError(f"webvtt-py read {len(captions)} of {timing_lines(text)} cues")
    return [(norm(w), c.voice) for c in captions for w in html.unescape(c.text).split()]


def srt_download(path: Path, names: set[str]) -> Spoken:
    text = path.read_text("utf-8")
    subs = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    if len(subs) != timing_lines(text):
        raise ValueError(f"pysrt read {len(subs)} of {timing_lines(text)} cues")
    out: Spoken = []
    speaker: str | None = None
    for sub in subs:
        body = sub.text_without_tags
        head, sep, rest = body.partition(": ")
        bare = head[1:-1] if head.startswith("[") and head.endswith("]") else head
        if sep and bare in names:
            speaker, body = bare, rest
        out += [(norm(w), speaker) for w in body.split()]
    return out


def json_download(path: Path, names: set[str]) -> Spoken:
    data = json.loads(path.read_text("utf-8"))
    return [(norm(w), s.get("speaker")) for s in data["segments"] for w in s["body"].split()]


MD_HEADER = re.compile(r"\*\*(?P<name>.+?)\*\*(?: \((?P<time>\d+(?::\d\d)+)\))?")
TXT_HEADER = re.compile(r"(?P<name>\S.*?)(?: \((?P<time>\d+(?::\d\d)+)\)|:)")


def headed_download(path: Path, header: re.Pattern[str]) -> Spoken:
    """`.md`/`.txt`: a header line (directly followed by text) names the speaker;
    the other lines are paragraphs; a leading `# Title` is the title."""
    lines = path.read_text("utf-8").split("\n")
    if path.suffix == ".md" and lines and lines[0].startswith("# "):
        lines = lines[1:]
    out: Spoken = []
    speaker: str | None = None
    markdown = path.suffix == ".md"
    for k, line in enumerate(lines):
        m = header.fullmatch(line)
        if m and k + 1 < len(lines) and lines[k + 1].strip():
            speaker = MD_ESCAPE.sub(r"\1", m["name"]) if markdown else m["name"]
            continue
        if markdown:  # as any Markdown reader shows it: `\:` is `:`, `\*` is `*`
            line = MD_ESCAPE.sub(r"\1", line)
        out += [(norm(w), speaker) for w in line.split()]
    return out


def html_download(path: Path, names: set[str]) -> Spoken:
    """The Podcasting 2.0 HTML transcript: `<cite>Name:</cite>`, `<time>`, `<p>`."""
    parser = Podcast20Html()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return [(norm(w), s.speaker) for s in parser.segments for w in s.text.split()]


DOWNLOAD_READERS: dict[str, Callable[[Path, set[str]], Spoken]] = {
    ".vtt": vtt_download, ".srt": srt_download, ".json": json_download,
    ".md": lambda path, names: headed_download(path, MD_HEADER),
    ".txt": lambda path, names: headed_download(path, TXT_HEADER),
    ".html": html_download,
}


def check_downloads(page_dir: Path, page: Page) -> Check:
    expected: Spoken = [(norm(w), page.turns[p.turn].name) for p in page.paragraphs for w in p.reading]
    names = {t.name for t in page.turns}
    files = sorted(f for f in page_dir.iterdir() if f.suffix in DOWNLOAD_EXTS and f.name != "index.html")
    missing = [href for href in page.links if "/" not in href and not (page_dir / href).exists()]
    details = [f"linked from the page but missing: {href}" for href in missing]
    good = 0
    for f in files:
        problem = download_problem(f, names, expected)
        if problem:
            details.append(f"{f.name}: {problem}")
        else:
            good += 1
    ok = good == len(files) and bool(files) and not missing
    return Check(ok, f"downloads {good}/{len(files)} {'OK' if ok else 'FAIL'}", details)


def _attached(spoken: Spoken) -> Spoken:
    """`attach` for (word, speaker) lists."""
    out: Spoken = []
    for word, speaker in spoken:
        if out and PUNCTUATION.fullmatch(word):
            out[-1] = (out[-1][0] + word, out[-1][1])
        else:
            out.append((word, speaker))
    return out


def download_problem(path: Path, names: set[str], expected: Spoken) -> str | None:
    try:
        got = DOWNLOAD_READERS[path.suffix](path, names)
    except Exception as exc:  # any failure to parse is the finding
        return f"does not parse: {type(exc).__name__}: {exc}"
    expected, got = _attached(expected), _attached(got)
    a, b = [w for w, _ in expected], [w for w, _ in got]
    if a != b:
        _, diffs = align(a, b)
        _, i1, i2, j1, j2 = diffs[0]
        return (f"words differ from the page's reading ({len(a)}/{len(b)}, {len(diffs)} place(s)); first: "
                f"page {context(a, i1, i2, 4, 8)} / file {context(b, j1, j2, 4, 8)}")
    pairs = enumerate(zip(expected, got, strict=True))
    wrong = [k for k, ((_, s1), (_, s2)) in pairs if s2 is not None and s1 != s2]
    unnamed = sum(s is None for _, s in got)
    if wrong:
        k = wrong[0]
        return (f"{len(wrong)} word(s) under another speaker than on the page; first: "
                f"{context(a, k, k + 1, 4)} is {expected[k][1]}'s on the page, {got[k][1]}'s here")
    if unnamed and path.suffix in (".vtt", ".json"):
        return f"{unnamed} word(s) carry no speaker"
    return None


# Building with gloss, as a subprocess: never imported.


@dataclass
class SourceFile:
    path: Path
    display: str
    """Its path under the folder given, e.g. `vtt-zoom/zoom-cip-meeting.vtt`."""
    kind: str
    slug: str

    @property
    def content_name(self) -> str:
        return self.slug + self.path.suffix.lower()


def collect(dirs: list[Path]) -> list[SourceFile]:
    files: list[SourceFile] = []
    slugs: set[str] = set()
    for base in dirs:
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base)
            if path.name in SKIPPED_NAMES or path.name.startswith(".") or \
                    path.suffix.lower() not in TRANSCRIPT_EXTS:
                continue
            slug = stem = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-") or "transcript"
            n = 1
            while slug in slugs:
                n += 1
                slug = f"{stem}-{n}"
            slugs.add(slug)
            kind = rel.parts[0] if len(rel.parts) > 1 else path.suffix.lstrip(".").lower()
            display = str(rel) if len(dirs) == 1 else f"{base.name}/{rel}"
            files.append(SourceFile(path, display, kind, slug))
    return files


@dataclass
class Message:
    file: str | None
    """The content file it names (None: the site)."""
    level: str
    """error, warning or note."""
    text: str
    line: str
    """As gloss printed it."""
    more: list[str] = field(default_factory=list)
    """Its quoted line and hint."""
    echo: bool = True
    """False for the copy naming one file of a message about several."""


MESSAGE = re.compile(r"(?P<where>\S.*?): (?P<level>warning|error|note): (?P<text>.*)")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def parse_messages(output: str, content_names: set[str]) -> list[Message]:
    """gloss's `where: level: text` lines with the indented lines under them; a
    message about the site that names content files (`content: warning: 2 file(s)
    not read ...: a.html, b.mp3`) is also copied to each file it names."""
    messages: list[Message] = []
    latest: list[Message] = []
    for line in ANSI.sub("", output).splitlines():
        m = MESSAGE.fullmatch(line)
        if m:
            where = re.sub(r"(:\d+)+$", "", m["where"]).removeprefix("content/")
            latest = [Message(where if where in content_names else None, m["level"], m["text"], line)]
            if where not in content_names:
                named = {n.strip() for n in re.split(r",\s*|:\s+", m["text"])} & content_names
                latest += [Message(n, m["level"], m["text"], line, echo=False) for n in sorted(named)]
            messages += latest
        elif line.startswith(" "):
            for message in latest:
                message.more.append(line)
        else:
            latest = []
    return messages


@dataclass
class Build:
    label: str
    returncode: int
    output: str
    messages: list[Message]


def run_gloss(site: Path, files: list[SourceFile], ignored: set[str], strict: bool) -> Build:
    config = "title: Real exports\n"
    if ignored:
        config += "ignore:\n" + "".join(f"  - {json.dumps(name)}\n" for name in sorted(ignored))
    (site / "config.yaml").write_text(config, encoding="utf-8")
    command = [sys.executable, "-m", "gloss", "build", *(["--strict"] if strict else [])]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    try:
        done = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=900, env=env)
    except subprocess.TimeoutExpired:
        return Build(" ".join(command[2:]), -1, "timed out after 900 s", [])
    output = done.stdout + done.stderr
    label = "gloss build" + (" --strict" if strict else "") + \
        (f" (leaving out {len(ignored)} file(s) with errors)" if ignored else "")
    return Build(label, done.returncode, output, parse_messages(output, {f.content_name for f in files}))


def build_site(site: Path, files: list[SourceFile]) -> list[Build]:
    """The strict build of every file; if it fails, builds that leave out the files
    with errors until one succeeds (its pages are the ones checked)."""
    content = site / "content"
    content.mkdir(parents=True)
    for f in files:
        (content / f.content_name).write_bytes(f.path.read_bytes())
    builds = [run_gloss(site, files, set(), strict=True)]
    ignored: set[str] = set()
    while builds[-1].returncode != 0 and len(builds) <= len(files) + 1:
        errors = {m.file for m in builds[-1].messages if m.level == "error" and m.file} - ignored
        if len(builds) > 1 and not errors:
            break
        ignored |= errors
        builds.append(run_gloss(site, files, ignored, strict=False))
    return builds


@contextlib.contextmanager
def workplace(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="real-exports-") as tmp:
            yield Path(tmp)
        return
    if keep.exists() and any(keep.iterdir()):
        sys.exit(f"--keep {keep}: the folder exists and is not empty")
    keep.mkdir(parents=True, exist_ok=True)
    yield keep


# One file: read, compare, report.


@dataclass
class Result:
    file: SourceFile
    source: Source
    build: str
    built: bool
    format: str | None = None
    checks: dict[str, Check] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Built without a warning or error (each fails `--strict`), every check passed."""
        clean_build = self.built and all(m.level == "note" for m in self.messages)
        return clean_build and all(c.ok is not False for c in self.checks.values())


def check_file(f: SourceFile, site: Path, builds: list[Build]) -> Result:
    source = read_source(f.path)
    messages = [m for m in builds[0].messages if m.file == f.content_name]
    page_path = site / "site" / f.slug / "index.html"
    built = builds[-1].returncode == 0 and page_path.exists()
    if built:
        levels = sorted({m.level for m in messages})
        status = "built" + (f" ({', '.join(levels)})" if levels else "")
    elif messages:
        worst = next((m for m in messages if m.level == "error"),
                     next((m for m in messages if m.level == "warning"), messages[0]))
        status = f"{worst.level}: {worst.text}"
    else:
        status = "no page" + ("" if builds[-1].returncode == 0 else " (the build failed)")
    result = Result(f, source, status, built, messages=messages)
    if not built:
        return result
    page = read_page(page_path)
    result.format = page.format
    result.checks["words"], pairs = check_words(source, page)
    result.checks["speakers"] = check_speakers(source, page, pairs)
    result.checks["times"] = check_times(source, page, pairs)
    result.checks["downloads"] = check_downloads(page_path.parent, page)
    return result


def summary_line(r: Result) -> str:
    head = f"{'OK  ' if r.ok else 'FAIL'} {r.file.display} [{r.file.kind}; read by {r.source.reader}]"
    if not r.built:
        return f"{head} not built: {r.build} (source: {len(r.source.words())} words)"
    checks = "; ".join(c.summary for c in r.checks.values())
    return f"{head} {r.build}; format {r.format or 'not shown'}; {checks}"


def print_details(r: Result) -> None:
    print(f"\n== {r.file.display} -> content/{r.file.content_name} ({r.source.reader}, "
          f"{len(r.source.segments)} segments, {len(r.source.words())} words)")
    for note in r.source.notes:
        print(f"  source: {note}")
    for m in r.messages:
        print(f"  gloss: {m.line}")
        for line in m.more:
            print(f"  {line}")
    print(f"  build: {r.build}")
    for name, check in r.checks.items():
        print(f"  {name}: {check.summary}")
        for line in check.details:
            print(f"    {line}")


def print_builds(builds: list[Build], verbose: bool) -> None:
    for build in builds:
        print(f"{build.label}: exit {build.returncode}")
        for m in build.messages:
            if m.echo:
                print(f"  {m.line}")
                for line in m.more if verbose else []:
                    print(f"  {line}")
        if build.returncode != 0 and not build.messages:
            print("  " + "\n  ".join(build.output.strip().splitlines()[-5:]))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="folders of real exports")
    parser.add_argument("--keep", type=Path, metavar="OUT", help="build the site in OUT and keep it")
    parser.add_argument("--verbose", "-v", action="store_true", help="details of every check")
    args = parser.parse_args(argv)
    for d in args.dirs:
        if not d.is_dir():
            parser.error(f"{d} is not a folder")
    files = collect(args.dirs)
    if not files:
        parser.error("no transcript files in the folders given")
    with workplace(args.keep) as site:
        builds = build_site(site, files)
        print_builds(builds, args.verbose)
        results = [check_file(f, site, builds) for f in files]
    for r in results:
        print(summary_line(r))
    if args.verbose:
        for r in results:
            print_details(r)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} file(s) pass every check; "
          f"the strict build {'passed' if builds[0].returncode == 0 else 'failed'}"
          + (f"; the site is kept in {args.keep}" if args.keep else ""))
    return 1 if failed or builds[0].returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())

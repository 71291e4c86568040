"""WebVTT captions (`.vtt`), the W3C format podcast apps and YouTube use.

Speakers come from `<v Name>` voice spans (with classes, `<v.loud Ann>`, and
closing tags), or from speaker marks in the text (`>> `, `- `, `Name: `). A
cue without a voice continues the voice before it, so a voice that spans
cues stays one speaker. Cue identifiers and settings, `NOTE`, `STYLE` and
`REGION` blocks are skipped; `mm:ss.ttt` and `hh:mm:ss.ttt` times are read;
character references (`&amp;`, `&lt;`) are decoded; other tags (`<i>`, `<c>`,
karaoke timestamps) are dropped. YouTube's automatic captions repeat each
line in the next cue as it scrolls; those repeats are dropped.
"""

from __future__ import annotations

import html
import re

from ..errors import FormatError, SourcePos
from ..model import Transcript
from .colon import name_like
from .common import SourceCue, assemble, speaker_prefix

HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
STAMP = r"(?:\d+:)?\d{2}:\d{2}\.\d{3}"
TIMING = re.compile(rf"^\s*(?P<start>{STAMP})\s+-->\s+(?P<end>{STAMP})(?:\s+.*)?$")
VOICE = re.compile(r"<v(?:\.[\w.-]+)?(?:\s+(?P<name>[^>]*))?>", re.I)
TAG = re.compile(r"</?[a-z][^>]*>|<\d[\d:.]*>", re.I)
KARAOKE = re.compile(r"<\d+:\d{2}:\d{2}\.\d{3}>|<\d{2}:\d{2}\.\d{3}>")


def sniff(text: str) -> bool:
    return bool(HEADER.match(text.split("\n", 1)[0].strip()))


def stamp_seconds(stamp: str) -> float:
    """`01:02:03.500` or `02:03.500` -> seconds."""
    *rest, secs = stamp.split(":")
    total = 0.0
    for part in rest:
        total = total * 60 + int(part)
    return total * 60 + float(secs)


def _visible(line: str) -> str:
    return html.unescape(TAG.sub("", line))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (index of their first line, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            if not current:
                start = i
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    return blocks


def parse(path: str, text: str) -> Transcript:
    lines = text.split("\n")
    if not sniff(text):
        raise FormatError(SourcePos(path, 1, 1), "a WebVTT file must start with `WEBVTT`",
                          source_line=lines[0])
    scrolling = bool(KARAOKE.search(text))
    cues: list[SourceCue] = []
    voiced = False
    previous_last = ""
    for first, block in _blocks(lines)[1:]:  # the header block is skipped
        if block[0].split()[0] in ("NOTE", "STYLE", "REGION"):
            continue  # comments, style sheets and regions are not speech
        at = next((k for k, line in enumerate(block[:2]) if "-->" in line), None)
        if at is None:
            raise FormatError(SourcePos(path, first + 1, 1),
                              "a WebVTT cue needs a timing line like `00:01.000 --> 00:04.000`",
                              source_line=block[0])
        timing = TIMING.match(block[at])
        if not timing:
            raise FormatError(SourcePos(path, first + at + 1, 1),
                              "cannot read this WebVTT timing line",
                              "times are mm:ss.ttt or hh:mm:ss.ttt, e.g. `00:01:02.500 --> 00:01:05.000`",
                              block[at])
        start, end = stamp_seconds(timing["start"]), stamp_seconds(timing["end"])
        payload = [(line, first + at + 2 + k) for k, line in enumerate(block[at + 1:])]
        if scrolling and payload and _visible(payload[0][0]).strip() == previous_last:
            payload = payload[1:]  # a scrolled-up repeat of the line before
        if payload:
            previous_last = _visible(block[-1]).strip()
        for line, number in payload:
            for label, piece, col in _voices(line):
                if label is not None:
                    voiced = True
                cue = _cue(label, piece, number, col, start, end, voiced)
                cues.append(cue)
    return Transcript(path, "webvtt", assemble(path, cues))


def _voices(line: str) -> list[tuple[str | None, str, int]]:
    """A payload line split at voice spans: (voice name or None, visible text, column)."""
    out: list[tuple[str | None, str, int]] = []
    marks = list(VOICE.finditer(line))
    if not marks:
        return [(None, _visible(line), 1)]
    if line[: marks[0].start()].strip():
        out.append((None, _visible(line[: marks[0].start()]), 1))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(line)
        out.append((html.unescape(m["name"] or "").strip(), _visible(line[m.end():end]), m.end() + 1))
    return out


def _cue(label: str | None, text: str, line: int, col: int, start: float, end: float,
         voiced: bool) -> SourceCue:
    """A cue from one line of payload; with no voice, a speaker mark in the text
    counts, and otherwise the speaker before goes on."""
    if label:
        return SourceCue(label, [(text, line, col)], start, end)
    named, offset, bare = speaker_prefix(text)
    if named is not None and (not bare or name_like(named)) and not voiced:
        return SourceCue(named, [(text[offset:], line, col + offset)], start, end)
    return SourceCue("", [(text, line, col)], start, end, continues=True)

"""SubRip captions (`.srt`): numbered cues with `00:01:02,500 --> ...` times.

Speakers are named in the text the way subtitle files do it: `Name: `,
`[SPEAKER_00]: `, or a dialogue dash `- ` for a change of speaker; a cue that
names no one continues the speaker before. Formatting tags (`<i>`, `<font>`,
`{\\an8}`) are dropped. A missing blank line or cue number is tolerated: a
timing line starts a cue wherever it is.
"""

from __future__ import annotations

import re

from ..errors import FormatError, SourcePos
from ..model import Transcript
from .colon import name_like
from .common import SourceCue, assemble, speaker_prefix

STAMP = r"\d{1,3}:\d{2}:\d{2}(?:[,.]\d{1,3})?"
TIMING = re.compile(rf"^\s*(?P<start>{STAMP})\s*-->\s*(?P<end>{STAMP})(?:\s+.*)?$")
TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}", re.I)


def sniff(text: str) -> bool:
    """A cue number (or nothing) and then a timing line at the start."""
    head = [line for line in text.split("\n")[:4] if line.strip()]
    return any(TIMING.match(line) for line in head[:2]) and (
        bool(TIMING.match(head[0])) or head[0].strip().isdigit())


def stamp_seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse(path: str, text: str) -> Transcript:
    lines = text.split("\n")
    timings = [i for i, line in enumerate(lines) if TIMING.match(line)]
    if not timings:
        raise FormatError(SourcePos(path, 1, 1), "no SubRip cue found",
                          "each cue has a number, a line like `00:00:01,000 --> 00:00:04,000` "
                          "and its text", lines[0])
    first_text = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if first_text < timings[0] - 1:
        raise FormatError(SourcePos(path, first_text + 1, 1), "text before the first SubRip cue",
                          source_line=lines[first_text])
    labels = _labels(lines, timings)
    cues: list[SourceCue] = []
    for k, t in enumerate(timings):
        m = TIMING.match(lines[t])
        assert m is not None
        start, end = stamp_seconds(m["start"]), stamp_seconds(m["end"])
        stop = timings[k + 1] if k + 1 < len(timings) else len(lines)
        body = range(t + 1, stop)
        if k + 1 < len(timings) and lines[stop - 1].strip().isdigit():
            body = range(t + 1, stop - 1)  # the next cue's number
        for i in body:
            line = TAG.sub("", lines[i])
            if not line.strip():
                continue
            named, offset, bare = speaker_prefix(line)
            if named is not None and (not bare or named in labels):
                cues.append(SourceCue(named, [(line[offset:], i + 1, offset + 1)], start, end))
            else:
                cues.append(SourceCue("", [(line, i + 1, 1)], start, end, continues=True))
    return Transcript(path, "srt", assemble(path, cues))


def _labels(lines: list[str], timings: list[int]) -> set[str]:
    """`Name:` prefixes that count as speakers: name-like ones, or any that recur."""
    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        named, _, bare = speaker_prefix(TAG.sub("", line))
        if named is not None and bare and i not in timings:
            seen[named] = seen.get(named, 0) + 1
    return {n for n, count in seen.items() if count > 1 or name_like(n)}

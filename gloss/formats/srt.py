"""SubRip captions (`.srt`): numbered cues with `00:01:02,500 --> ...` times.

Speakers are named in the text the way subtitle files do it: `Name: `,
`[SPEAKER_00]: `, or a dialogue dash `- ` for a change of speaker; a cue that
names no one continues the speaker before. Formatting tags (`<i>`, `<font>`,
`{\\an8}`) are dropped. A missing blank line or cue number is tolerated: a
timing line starts a cue wherever it is.
"""

from __future__ import annotations

import re

from ..errors import FormatError, SiteError, SourcePos, warning
from ..model import Transcript
from .common import SourceCue, assemble, count_labels, take_label

STAMP = r"\d{1,3}:\d{2}:\d{2}(?:[,.]\d{1,3})?"
TIMING = re.compile(rf"^\s*(?P<start>{STAMP})\s*-->\s*(?P<end>{STAMP})(?:\s+.*)?$")
BROKEN = re.compile(r"^\s*\d[\d:.,]*\s*-+>")
"""A timing line whose times cannot be read (`00:00:01.5 --> soon`)."""
TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}", re.I)


def sniff(text: str) -> bool:
    """A cue number (or nothing) and then a timing line at the start."""
    head = [line for line in text.split("\n")[:4] if line.strip()]
    return any(TIMING.match(line) for line in head[:2]) and (
        bool(TIMING.match(head[0])) or head[0].strip().isdigit())


def stamp_seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return round(int(h) * 3600 + int(m) * 60 + float(s), 6)


def parse(path: str, text: str) -> Transcript:
    lines = text.split("\n")
    # A timing line, or one that means to be (a digit first, an arrow in it): a
    # line of speech that says "a --> b" is speech.
    matched = {i: m for i, line in enumerate(lines) if (m := TIMING.match(line)) or BROKEN.match(line)}
    timings = list(matched)
    if not any(matched.values()):
        raise FormatError(SourcePos(path, 1, 1), "no SubRip cue found",
                          "each cue has a number, a line like `00:00:01,000 --> 00:00:04,000` "
                          "and its text", lines[0])
    problems: list[SiteError] = []
    first_text = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if first_text < timings[0] - 1:
        problems.append(warning(SourcePos(path, first_text + 1, 1),
                                "skipped: text before the first SubRip cue", source_line=lines[first_text]))
    bodies: list[tuple[float, float, list[tuple[str, int]]]] = []
    for k, t in enumerate(timings):
        stop = timings[k + 1] if k + 1 < len(timings) else len(lines)
        body = range(t + 1, stop)
        if k + 1 < len(timings) and lines[stop - 1].strip().isdigit():
            body = range(t + 1, stop - 1)  # the next cue's number
        m = matched[t]
        if m is None:
            problems.append(warning(SourcePos(path, t + 1, 1), "skipped a cue: cannot read this SubRip "
                                    "timing line", "times are hh:mm:ss,ttt, e.g. "
                                    "`00:01:02,500 --> 00:01:05,000`", lines[t]))
            continue
        texts = [(TAG.sub("", lines[i]), i + 1) for i in body]
        bodies.append((stamp_seconds(m["start"]), stamp_seconds(m["end"]),
                       [(line, n) for line, n in texts if line.strip()]))
    labels = count_labels(line for _, _, texts in bodies for line, _ in texts)
    cues: list[SourceCue] = []
    for start, end, texts in bodies:
        for line, n in texts:
            named, offset = take_label(line, labels)
            if named is not None:
                cues.append(SourceCue(named, [(line[offset:], n, offset + 1)], start, end))
            else:
                cues.append(SourceCue("", [(line, n, 1)], start, end, continues=True))
    return Transcript(path, "srt", assemble(path, cues), problems=problems)

"""Text with a time at the start of each stretch of speech and no speakers:

    00:00:00 In this episode, we'll be discussing two powerful tools     Talk Python
    00:00:05 Dataset and Dogsheep.

    0:00                                                                 YouTube's "Show
    there's no denying the MacBook Air 2020                              transcript", copied
    0:02                                                                 from the page
    is a pretty sleek little machine

Each time starts a cue whose words run to the next time (on its own line or
on the lines below). The cues are one voice, so they run on as speech and the
clean stage makes paragraphs of sentences, at pauses and past a length, each
with the time its first cue had. A file whose lines after the times name their
speakers (`[00:01:02] Ann: Hi`) is the `colon` format's.
"""

from __future__ import annotations

import re

from ..model import Transcript
from . import colon
from .common import TIME, SourceCue, assemble, seconds

STAMP = re.compile(rf"^\s*[\[(]?(?P<time>{TIME})[\])]?(?:\s+|$)")


def _cues(text: str) -> tuple[list[SourceCue], list[str], int]:
    """The cues, the lines that start them, and how many non-blank lines come
    before the first time."""
    cues: list[SourceCue] = []
    starts: list[str] = []
    before = 0
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = STAMP.match(line)
        if m:
            cues.append(SourceCue("", [(line[m.end():], n, m.end() + 1)], seconds(m["time"])))
            starts.append(line)
        elif cues:
            cues[-1].lines.append((line, n, 1))
        else:
            before += 1
    return cues, starts, before


def sniff(text: str) -> bool:
    """Opens with a time, has at least two, and most times are not followed by
    a speaker's label (`[00:01:02] Ann: Hi` and `[00:01:02] Ann` are `colon`)."""
    cues, starts, before = _cues(text)
    if before or len(cues) < 2:
        return False
    names = colon.labels(text)
    labelled = sum(bool((m := colon.label_of(line)) and m["name"].strip() in names) for line in starts)
    return labelled * 2 < len(cues)


def parse(path: str, text: str) -> Transcript:
    cues, _, _ = _cues(text)
    return Transcript(path, "timed-text", assemble(path, cues))

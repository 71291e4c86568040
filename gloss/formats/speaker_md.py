"""Vendor transcripts with `**Name** (m:ss)` turn headers, one paragraph a line.

A bold line is a header only if it looks like one: it has a time, or its name
recurs, or (in a file whose headers carry no times) it looks like a name; so
`**Applause**` among timed headers stays text. A header with no speech after it stays as text,
so no line is ever lost.
"""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .colon import name_like
from .common import TIME, add_paragraph, finish, first_line, seconds

HEADER = re.compile(rf"^\s*\*\*(?P<name>[^*]+?)\*\*\s*(?:[(\[](?P<time>{TIME})[)\]])?\s*:?\s*$")


def sniff(text: str) -> bool:
    return bool(HEADER.match(first_line(text)))


def _headers(lines: list[str]) -> set[int]:
    """Indexes of the lines that start turns."""
    found = {i: m for i, line in enumerate(lines) if (m := HEADER.match(line))}
    timed = any(m["time"] for m in found.values())
    counts: dict[str, int] = {}
    for m in found.values():
        counts[m["name"].strip()] = counts.get(m["name"].strip(), 0) + 1
    accepted = {i for i, m in found.items()
                if m["time"] or counts[m["name"].strip()] > 1
                or (not timed and name_like(m["name"].strip()))}
    # A header followed by no speech (another header, or the end) is text.
    spoken = set()
    for i in accepted:
        rest = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        if rest is not None and rest not in accepted:
            spoken.add(i)
    return spoken


def parse(path: str, text: str) -> Transcript:
    lines = text.splitlines()
    headers = _headers(lines)
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    for i, line in enumerate(lines):
        n = i + 1
        header = HEADER.match(line) if i in headers else None
        if header:
            start = seconds(header["time"]) if header["time"] else None
            turns.append(Turn(header["name"].strip(), SourcePos(path, n, 1), start=start))
            continue
        add_paragraph(turns[-1], line, path, n, 1)
    return Transcript(path, "speaker-md", finish(turns))

"""Vendor transcripts with `**Name** (m:ss)` turn headers, one paragraph a line."""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .common import TIME, add_paragraph, finish, first_line, seconds

HEADER = re.compile(rf"^\s*\*\*(?P<name>[^*]+?)\*\*\s*(?:[(\[](?P<time>{TIME})[)\]])?\s*:?\s*$")


def sniff(text: str) -> bool:
    return bool(HEADER.match(first_line(text)))


def parse(path: str, text: str) -> Transcript:
    turns: list[Turn] = []
    turn = Turn("", SourcePos(path, 1, 1))
    for n, line in enumerate(text.splitlines(), 1):
        header = HEADER.match(line)
        if header:
            turns.append(turn)
            start = seconds(header["time"]) if header["time"] else None
            turn = Turn(header["name"].strip(), SourcePos(path, n, 1), start=start)
            continue
        add_paragraph(turn, line, path, n, 1)
    turns.append(turn)
    return Transcript(path, "speaker-md", finish(turns))

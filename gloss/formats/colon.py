"""Plain `Name: text` lines, optionally with a timestamp before or after the name.

A line without a `Name:` prefix continues the previous speaker as a new paragraph.
"""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .common import TIME, add_paragraph, finish, first_line, seconds

NAME = r"[^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}"
LINE = re.compile(
    rf"^\s*(?:[\[(]?(?P<t1>{TIME})[\])]?\s+)?"
    rf"(?P<name>{NAME})"
    rf"(?:\s*[\[(](?P<t2>{TIME})[\])])?"
    r"\s*:(?:\s+|$)"
)


def sniff(text: str) -> bool:
    return bool(LINE.match(first_line(text)))


def parse(path: str, text: str) -> Transcript:
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    for n, line in enumerate(text.splitlines(), 1):
        m = LINE.match(line)
        if m:
            stamp = m["t1"] or m["t2"]
            start = seconds(stamp) if stamp else None
            turn = Turn(m["name"].strip(), SourcePos(path, n, m.start("name") + 1), start=start)
            turns.append(turn)
            add_paragraph(turn, line[m.end():], path, n, m.end() + 1)
        else:
            add_paragraph(turns[-1], line, path, n, 1)
    return Transcript(path, "colon", finish(turns))

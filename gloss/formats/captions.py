"""Raw captions where `>>` marks a change of speaker and nothing names them.

Speech before the first `>>` (often a teaser) becomes a turn with an empty
label, so no text is lost and the attribute stage can give it a speaker.
"""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .common import add_paragraph, finish

MARK = re.compile(r"(?:^|(?<=\s))>>")


def sniff(text: str) -> bool:
    return any(line.lstrip().startswith(">>") for line in text.splitlines())


def parse(path: str, text: str) -> Transcript:
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    for n, line in enumerate(text.splitlines(), 1):
        pieces = MARK.split(line)
        col = 1
        add_paragraph(turns[-1], pieces[0], path, n, col)
        col += len(pieces[0])
        for piece in pieces[1:]:
            turns.append(Turn(">>", SourcePos(path, n, col)))
            col += 2
            add_paragraph(turns[-1], piece, path, n, col)
            col += len(piece)
    # A `>>` with nothing after it still marks a speaker change: keep empty
    # marked turns out, but never drop text.
    return Transcript(path, "captions", finish(turns))

"""Raw captions where `>>` marks a change of speaker and nothing names them.

Caption files break lines every few words, so the lines of a turn are joined
into one paragraph (a blank line starts a new one); the clean stage then
splits long turns at sentence ends. Speech before the first `>>` (often a
teaser) becomes a turn with an empty label, so no text is lost and the
attribute stage can give it a speaker.
"""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .common import add_lines, finish

MARK = re.compile(r"(?:^|(?<=\s))>>(?=\s|$)")
"""`>>` on its own: not the `>>>` of a Python prompt or a quoted reply."""


def sniff(text: str) -> bool:
    return any(MARK.match(line.lstrip()) for line in text.splitlines())


def parse(path: str, text: str) -> Transcript:
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    pending: list[tuple[str, int, int]] = []

    def flush() -> None:
        add_lines(turns[-1], pending, path)
        pending.clear()

    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            flush()
            continue
        pieces = MARK.split(line)
        col = 1
        for i, piece in enumerate(pieces):
            if i:
                flush()
                turns.append(Turn(">>", SourcePos(path, n, col)))
                col += 2
            if piece.strip():
                pending.append((piece, n, col))
            col += len(piece)
    flush()
    # A `>>` with nothing after it still marks a speaker change: keep empty
    # marked turns out, but never drop text.
    return Transcript(path, "captions", finish(turns))

"""Pieces every text parser shares: timestamps and building turns line by line."""

from __future__ import annotations

from ..errors import SourcePos
from ..model import Paragraph, Turn

TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
"""A timestamp as transcripts write it: `m:ss`, `mm:ss`, `h:mm:ss`, optional fraction."""


def seconds(stamp: str) -> float:
    """`1:02:03.5` -> 3723.5."""
    total = 0.0
    for part in stamp.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return total


def squash(text: str) -> str:
    """Collapse whitespace runs, so verbatim text compares as readers see it."""
    return " ".join(text.split())


def add_paragraph(turn: Turn, text: str, path: str, line: int, col: int,
                  breaks: tuple[tuple[int, int, int], ...] = ()) -> None:
    """Append `text` as a paragraph of `turn` when it has any words."""
    if text.strip():
        lead = len(text) - len(text.lstrip())
        turn.paragraphs.append(Paragraph(squash(text), SourcePos(path, line, col + lead),
                                         breaks=breaks))


def finish(turns: list[Turn]) -> list[Turn]:
    """Drop turns with no speech (a header followed by nothing carries no text to
    lose) and give each turn's first paragraph the turn's start time."""
    kept = [t for t in turns if t.paragraphs]
    for t in kept:
        if t.paragraphs[0].start is None:
            t.paragraphs[0].start = t.start
    return kept


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


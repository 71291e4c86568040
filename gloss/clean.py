"""Cleaning: an ordered list of small steps over a parsed transcript.

Each step takes and returns a `Transcript`; the verbatim text of every
paragraph is kept beside the cleaned text so nothing is ever lost. This stage
now splits long turns into readable paragraphs; fillers, stutters, name
corrections and boilerplate are further steps added to `STEPS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .config import CleanConfig
from .errors import SourcePos
from .model import Paragraph, Transcript, Turn

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")


def sentences(text: str) -> list[str]:
    """Split at sentence ends; keeps the punctuation with its sentence."""
    out: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        out.append(text[start : m.start()] + text[m.start() : m.end()].rstrip())
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s]


BREAK_BEFORE = re.compile(r"(?<=,)\s|\s(?=(?:so|and|but|because|which|then)\s)", re.I)
"""Where a run-on sentence may be broken: after a comma or before a conjunction."""


def _break_long(sentence: str, limit: int) -> list[str]:
    """A run-on sentence half again over the limit (common in captions, which
    have little punctuation) is broken at the clause boundary nearest its middle."""
    if len(sentence.split()) <= limit * 3 // 2:
        return [sentence]
    middle = len(sentence) // 2
    cuts = [m.start() for m in BREAK_BEFORE.finditer(sentence)]
    if not cuts:
        return [sentence]
    cut = min(cuts, key=lambda i: abs(i - middle))
    return _break_long(sentence[:cut], limit) + _break_long(sentence[cut:].lstrip(), limit)


def split_paragraph(text: str, limit: int) -> list[str]:
    """Group sentences into paragraphs of at most about `limit` words."""
    if len(text.split()) <= limit:
        return [text]
    pieces = [p for s in sentences(text) for p in _break_long(s, limit)]
    groups: list[list[str]] = [[]]
    count = 0
    for piece in pieces:
        n = len(piece.split())
        if groups[-1] and count >= limit // 2 and count + n > limit:
            groups.append([])
            count = 0
        groups[-1].append(piece)
        count += n
    return [" ".join(g) for g in groups if g]


def _split_turn(turn: Turn, limit: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    for para in turn.paragraphs:
        offset = 0
        for i, piece in enumerate(split_paragraph(para.verbatim, limit)):
            at = para.verbatim.index(piece, offset)
            offset = at + len(piece)
            pos = SourcePos(para.pos.path, para.pos.line, para.pos.col + at)
            out.append(Paragraph(piece, pos, piece, para.start if i == 0 else None))
    return out


def paragraphs(transcript: Transcript, cfg: CleanConfig) -> Transcript:
    """Split very long turns so no paragraph is a wall of text."""
    turns = [replace(t, paragraphs=_split_turn(t, cfg.paragraph_words)) for t in transcript.turns]
    return replace(transcript, turns=turns)


Step = Callable[[Transcript, CleanConfig], Transcript]

STEPS: list[tuple[str, Step]] = [
    ("paragraphs", paragraphs),
]


def clean(transcript: Transcript, cfg: CleanConfig) -> Transcript:
    """Run every cleaning step in order."""
    for _name, step in STEPS:
        transcript = step(transcript, cfg)
    return transcript

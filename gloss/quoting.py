"""The quote an annotation is written with, from words selected on a page.

A selection arrives as two points, each a paragraph's id and an offset in
that paragraph's verbatim text (the toolbar counts the words as heard, never
the corrected ones, so a point means the same text whatever cleaning does).
The quote is made of those verbatim words, so it survives a change of the
cleaning rules or a new correction, and it is the shortest run of them that
`anchor` finds in exactly one place (and that place is the selection's):
grown word by word from the selection's start (where a note, chapter, turn,
cut or topic begins) or from its end (where a cut or topic stops). Where no
run is unique, the whole selection is quoted with `occurrence: N`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from . import anchor
from .disfluency import FILLERS
from .model import Transcript
from .sidecar_write import Quote


@dataclass(frozen=True, slots=True)
class Point:
    """A place in the page: a paragraph's id and an offset in its verbatim text."""

    para: str
    at: int


@dataclass(frozen=True, slots=True)
class Word:
    """A verbatim word of the selection: turn, paragraph, character range."""

    turn: int
    para: int
    start: int
    end: int


class Grow(Enum):
    """Which end of the selection the quote must keep."""

    START = "start"
    END = "end"
    WHOLE = "whole"


class SelectionError(ValueError):
    """The selection cannot be quoted: said to the editor as it is."""


def _where(transcript: Transcript, para: str) -> tuple[int, int]:
    for ti, turn in enumerate(transcript.turns):
        for pi, p in enumerate(turn.paragraphs):
            if p.id == para:
                return ti, pi
    raise SelectionError(f"no paragraph `{para}` on this page: reload it and select again")


def selected_words(transcript: Transcript, start: Point, end: Point) -> list[Word]:
    """The verbatim words from `start` to `end`, a word touched counting whole."""
    a, b = _where(transcript, start.para), _where(transcript, end.para)
    if b < a or (a == b and end.at < start.at):
        a, b, start, end = b, a, end, start
    words: list[Word] = []
    for ti, pi, para in anchor.between(transcript, a, b):
        text = para.verbatim
        lo = max(0, min(start.at, len(text))) if (ti, pi) == a else 0
        hi = max(0, min(end.at, len(text))) if (ti, pi) == b else len(text)
        for m in anchor.WORD.finditer(text):
            if m.end() > lo and (m.start() < hi or (lo == hi and m.start() <= lo)):
                words.append(Word(ti, pi, m.start(), m.end()))
                if lo == hi:
                    break
    if not any(_counts(transcript, w) for w in words):
        raise SelectionError("select some words of the transcript (fillers alone do not count)")
    return words


def turn_opening(transcript: Transcript, para: str, most: int = 40) -> list[Word]:
    """The first words of the turn that paragraph `para` is in (a join quotes them)."""
    ti, _ = _where(transcript, para)
    words: list[Word] = []
    for pi, p in enumerate(transcript.turns[ti].paragraphs):
        words += [Word(ti, pi, m.start(), m.end()) for m in anchor.WORD.finditer(p.verbatim)]
        if len(words) >= most:
            break
    return words[:most]


def _counts(transcript: Transcript, word: Word) -> bool:
    text = transcript.turns[word.turn].paragraphs[word.para].verbatim[word.start : word.end]
    return text.lower() not in FILLERS


def text_of(transcript: Transcript, words: list[Word]) -> str:
    """The verbatim text from the first word to the last, one space between lines
    and paragraphs."""
    pieces: list[str] = []
    k = 0
    while k < len(words):
        first = words[k]
        while k + 1 < len(words) and (words[k + 1].turn, words[k + 1].para) == (first.turn, first.para):
            k += 1
        verbatim = transcript.turns[first.turn].paragraphs[first.para].verbatim
        pieces.append(verbatim[first.start : words[k].end])
        k += 1
    return " ".join(" ".join(pieces).split())


def _place(words: list[Word]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    return (words[0].turn, words[0].para, words[0].start), (words[-1].turn, words[-1].para, words[-1].end)


def _ours(match: tuple[anchor.Loc, anchor.Loc], words: list[Word]) -> bool:
    """Whether a place the quote matches is (overlaps) the selected words."""
    first, last = _place(words)
    return match[0].key <= last and first <= match[1].end_key


def shortest(index: anchor.Index, words: list[Word], grow: Grow) -> Quote:
    """The shortest run of `words` kept at the `grow` end that matches only the
    selected place; else all of them with the occurrence that is this place."""
    transcript = index.transcript
    if grow is not Grow.WHOLE:
        for n in range(1, len(words) + 1):
            run = words[:n] if grow is Grow.START else words[len(words) - n :]
            if not any(_counts(transcript, w) for w in run):
                continue
            found = index.matches(text_of(transcript, run))
            if len(found) == 1 and _ours(found[0], run):
                return Quote(text_of(transcript, run))
    text = text_of(transcript, words)
    found = index.matches(text)
    for k, match in enumerate(found, 1):
        if _ours(match, words):
            return Quote(text, 0 if len(found) == 1 else k)
    raise SelectionError(f'"{text}" cannot be found by a quote: select more words')

"""Find where an annotation points: a quote or a time, like a W3C TextQuoteSelector.

Quotes match on normalised words of the verbatim text: case, punctuation,
whitespace, fillers and stuttered repeats are ignored on both sides, so a
quote copied from the raw transcript or from the cleaned page still fits after
the transcript's punctuation or spacing is edited. A quote that matches
nowhere, or in several places without `occurrence`, is an error at the YAML
line and column, with the closest passage as a hint.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from .disfluency import FILLERS
from .errors import AnnotationError
from .formats.common import SECONDS_PER_WORD, clock
from .model import Paragraph, Selector, Transcript

WORD = re.compile(r"\w+(?:['’.]\w+)*")
CLOSING = frozenset(".,;:!?…\"”’)]")
"""Punctuation that belongs to the word before it."""


@dataclass(frozen=True, slots=True)
class Loc:
    """A word's place: turn and paragraph index, character range in the verbatim text."""

    turn: int
    para: int
    start: int
    end: int

    @property
    def key(self) -> tuple[int, int, int]:
        """Where the word starts, for ordering and for telling places apart."""
        return (self.turn, self.para, self.start)

    @property
    def end_key(self) -> tuple[int, int, int]:
        return (self.turn, self.para, self.end)


def scan(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of a text (lowercased, apostrophes straight) and their character ranges."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in WORD.finditer(text):
        words.append(m.group().lower().replace("’", "'"))
        spans.append(m.span())
    return words, spans


def query(quote: str) -> list[str]:
    """The words of a quote as they are matched: normalised by the very code that
    normalises the transcript (`_Text`), so the two can never disagree."""
    return _Text([(0, 0, quote)]).words


TURN = "\n\x00\n"
"""Between turns in the searched text, so a repeat never joins two speakers."""


class _Text:
    """Paragraph texts joined into one string, and its normalised words joined
    again into a string that quotes are found in with `str.find`.

    Normalised: case and punctuation are ignored, fillers are left out, and a
    word said again at once counts once (its place covers every copy), whatever
    punctuation lies between the copies, so a quote with or without a stutter,
    a filler or a full stop finds the same place. A repeat never joins two
    turns: the next speaker's "No." is their own. Repeated phrases ("in the in
    the") are left to the cleaned text, which the index also searches:
    collapsing them here would lose the words across their seam. Only flat
    lists of offsets are kept per word: a 10,000-word transcript takes
    milliseconds."""

    def __init__(self, texts: list[tuple[int, int, str]]) -> None:
        pieces: list[str] = []
        self.starts: list[int] = []
        self.where: list[tuple[int, int]] = []
        turn_starts: list[int] = []
        at, last_turn = 0, -1
        for ti, pi, text in texts:
            sep = "" if not pieces else (TURN if ti != last_turn else "\n")
            pieces.append(sep)
            at += len(sep)
            if ti != last_turn:
                turn_starts.append(at)
            self.starts.append(at)
            self.where.append((ti, pi))
            pieces.append(text)
            at += len(text)
            last_turn = ti
        raw = "".join(pieces)
        lowered = raw.lower()
        if len(lowered) != len(raw):  # lowercasing changed a length (İ): go letter by letter
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in raw)
        self.words: list[str] = []
        self.first: list[int] = []
        """Where each normalised word's first copy begins in the joined text."""
        self.last: list[int] = []
        """Where its last copy ends."""
        bounds = iter([*turn_starts[1:], len(raw) + 1])
        bound = next(bounds)
        previous, turn, previous_turn = "", 0, -1
        for m in WORD.finditer(lowered.replace("’", "'")):
            w, start = m.group(), m.start()
            while start >= bound:
                bound, turn = next(bounds), turn + 1
            if w in FILLERS:
                continue
            if w == previous and turn == previous_turn:
                self.last[-1] = m.end()
                continue
            self.words.append(w)
            self.first.append(start)
            self.last.append(m.end())
            previous, previous_turn = w, turn
        self.offsets = list(accumulate((len(w) + 1 for w in self.words), initial=1))
        self.text = " " + " ".join(self.words) + " "

    def find(self, words: list[str]) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
        """Every place the words occur, as (turn, para, start) of the first and
        (turn, para, end) of the last, offsets in the paragraph texts."""
        needle = " " + " ".join(words) + " "
        out = []
        at = self.text.find(needle)
        while at >= 0:
            k = bisect_right(self.offsets, at + 1) - 1
            out.append((self.locate(self.first[k]), self.locate(self.last[k + len(words) - 1])))
            at = self.text.find(needle, at + 1)
        return out

    def locate(self, offset: int) -> tuple[int, int, int]:
        k = bisect_right(self.starts, offset) - 1
        ti, pi = self.where[k]
        return ti, pi, offset - self.starts[k]


class Index:
    """The transcript searchable by quote: as heard (verbatim) and, where cleaning
    changed anything, as readers see it, so a quote copied from the cleaned page
    anchors too."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        paragraphs = [(ti, pi, p) for ti, t in enumerate(transcript.turns)
                      for pi, p in enumerate(t.paragraphs)]
        self.heard = _Text([(ti, pi, p.verbatim) for ti, pi, p in paragraphs])
        changed = any(len(p.spans) != 1 or p.spans[0].kind for _, _, p in paragraphs)
        self.meant = _Text([(ti, pi, p.text) for ti, pi, p in paragraphs]) if changed else None

    def matches(self, quote: str) -> list[tuple[Loc, Loc]]:
        """Every (first word, last word) where the quote's words occur in order;
        one place found both as heard and as read counts once."""
        q = query(quote)
        if not q:
            return []
        found = [(self._word(*a, start=True), self._word(*b, start=False))
                 for a, b in self.heard.find(q)]
        if self.meant is not None:
            # A quote may fit what was heard in one place and what readers see
            # in another: both count, so an ambiguity is not missed. A place read
            # overlaps one heard iff a heard place starting before it ends, ends
            # after it starts: one sorted sweep, not a comparison with each.
            starts = [m[0].key for m in found]
            reach = list(accumulate((m[1].end_key for m in found), max))
            extra = []
            for a, b in self.meant.find(q):
                m = (self._verbatim(*a, start=True), self._verbatim(*b, start=False))
                k = bisect_right(starts, m[1].end_key)
                if not k or reach[k - 1] < m[0].key:
                    extra.append(m)
            found = sorted(found + extra, key=lambda m: m[0].key)
        return found

    def _word(self, ti: int, pi: int, offset: int, start: bool) -> Loc:
        """The verbatim word that begins at `offset` (`start`) or ends there."""
        text = self.transcript.turns[ti].paragraphs[pi].verbatim
        if start:
            m = WORD.match(text, offset)
            return Loc(ti, pi, offset, m.end() if m else offset)
        begin = offset
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "_'’."):
            begin -= 1
        return Loc(ti, pi, begin, offset)

    def _verbatim(self, ti: int, pi: int, offset: int, start: bool) -> Loc:
        """The verbatim word behind a word of a paragraph's cleaned text that
        begins at `offset` (`start`) or ends there; a changed span (a correction)
        stands for all of its verbatim."""
        para = self.transcript.turns[ti].paragraphs[pi]
        char = offset if start else offset - 1
        at = clean_at = 0
        for span in para.spans:
            if clean_at <= char < clean_at + len(span.text):
                if span.kind:
                    return Loc(ti, pi, at, at + len(span.verbatim))
                v = at + char - clean_at
                return self._word(ti, pi, v if start else v + 1, start)
            clean_at += len(span.text)
            at += len(span.verbatim)
        return Loc(ti, pi, at, at)

    def line_of(self, loc: Loc) -> int:
        return self.transcript.turns[loc.turn].paragraphs[loc.para].position(loc.start).line

    def excerpt(self, a: Loc, b: Loc) -> str:
        """The verbatim text from word a to word b (within a's paragraph)."""
        para = self.transcript.turns[a.turn].paragraphs[a.para].verbatim
        end = b.end if (b.turn, b.para) == (a.turn, a.para) else len(para)
        return para[a.start : end]

    def closest(self, quote: str) -> tuple[Loc, Loc] | None:
        """The window of the quote's length sharing the most words with it."""
        q = query(quote)
        n = len(q)
        words = self.heard.words
        if not n or len(words) < 1:
            return None
        want = Counter(q)
        window = Counter(words[:n])
        score = sum((window & want).values())
        best = (score, 0)
        for i in range(1, max(1, len(words) - n + 1)):
            # The score is the sum over words of min(window, want): only the word
            # that leaves and the one that enters can change it, by one each, so
            # a long quote costs one pass over the transcript, not one per word.
            out, new = words[i - 1], words[i + n - 1]
            score -= window[out] <= want[out]
            window[out] -= 1
            score += window[new] < want[new]
            window[new] += 1
            if score > best[0]:
                best = (score, i)
        if best[0] == 0:
            return None
        last = min(best[1] + n - 1, len(words) - 1)
        return (self._word(*self.heard.locate(self.heard.first[best[1]]), start=True),
                self._word(*self.heard.locate(self.heard.last[last]), start=False))


def _overlap(a: tuple[Loc, Loc], b: tuple[Loc, Loc]) -> bool:
    """Whether two matched ranges share any of the transcript."""
    return a[0].key <= b[1].end_key and b[0].key <= a[1].end_key


def word_end(text: str, end: int) -> int:
    """Extend past punctuation that sticks to the last quoted word ("done." "so,"),
    but not into a word joined to it ("it—and")."""
    while end < len(text) and text[end] in CLOSING:
        end += 1
    return end


def between(transcript: Transcript, first: tuple[int, int], last: tuple[int, int]
            ) -> Iterator[tuple[int, int, Paragraph]]:
    """Every (turn index, paragraph index, paragraph) from `first` to `last`, inclusive."""
    turns = transcript.turns
    for ti in range(first[0], last[0] + 1):
        paras = turns[ti].paragraphs
        lo = first[1] if ti == first[0] else 0
        hi = last[1] if ti == last[0] else len(paras) - 1
        for pi in range(lo, min(hi, len(paras) - 1) + 1):
            yield ti, pi, paras[pi]


def fail(sel: Selector, message: str, hint: str = "") -> AnnotationError:
    return AnnotationError(sel.pos, message, hint, sel.source_line)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def find(index: Index, sel: Selector) -> tuple[Loc, Loc]:
    """The first and last word a selector covers; a time gives its paragraph's start."""
    if sel.time is not None:
        return _find_time(index, sel)
    found = index.matches(sel.quote)
    if not found:
        near = index.closest(sel.quote)
        hint = ""
        if near:
            hint = f'closest passage (line {index.line_of(near[0])}): "{_short(index.excerpt(*near), 90)}"'
        raise fail(sel, f'quote not found in {index.transcript.path}: "{_short(sel.quote)}"', hint)
    if sel.occurrence:
        if sel.occurrence > len(found):
            raise fail(sel, f"`occurrence: {sel.occurrence}` but the quote matches "
                             f"{len(found)} place(s)")
        return found[sel.occurrence - 1]
    if len(found) > 1:
        lines = ", ".join(str(index.line_of(f)) for f, _ in found[:5])
        raise fail(sel, f'quote matches {len(found)} places (transcript lines {lines}): '
                         f'"{_short(sel.quote)}"',
                    "quote more words, or write `{quote: ..., occurrence: N}` to pick one")
    return found[0]


def spoken_end(transcript: Transcript) -> float:
    """When the speech ends, as far as the source says: the end of the last cue
    with a time, or the last time plus about how long the words after it take."""
    end, words = 0.0, 0
    for turn in transcript.turns:
        for para in turn.paragraphs:
            ends = [c.end for c in para.cues if c.end is not None]
            if ends:
                end, words = max(ends), 0
            elif para.start is not None:
                end, words = para.start, len(para.verbatim.split())
            else:
                words += len(para.verbatim.split())
    return end + words * SECONDS_PER_WORD


def _find_time(index: Index, sel: Selector) -> tuple[Loc, Loc]:
    assert sel.time is not None
    timed = [(p.start, ti, pi)
             for ti, turn in enumerate(index.transcript.turns)
             for pi, p in enumerate(turn.paragraphs) if p.start is not None]
    if not timed:
        raise fail(sel, f"{index.transcript.path} has no timestamps", "quote some words instead")
    first, last = timed[0][0], timed[-1][0]
    assert first is not None and last is not None
    if sel.time < first:
        raise fail(sel, f"{clock(sel.time)} is before the transcript's first time",
                   f"it starts at {clock(first)}")
    if sel.time > spoken_end(index.transcript):
        raise fail(sel, f"{clock(sel.time)} is past the end of the transcript",
                   f"its last time is {clock(last)}")
    best = timed[0]
    for item in timed:
        if item[0] is not None and item[0] <= sel.time:
            best = item
    loc = Loc(best[1], best[2], 0, 0)
    return loc, loc

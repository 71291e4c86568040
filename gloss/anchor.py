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
    return _Text([(0, 0, quote)]).all_words()


TURN = "\n\x00\n"
"""Between turns in the searched text, so a repeat never joins two speakers."""


def _in_word(text: str, i: int) -> bool:
    """Whether the character at i belongs to a word (as WORD reads them)."""
    c = text[i]
    return c.isalnum() or c == "_" or (c in "'." and i > 0 and text[i - 1].isalnum())


def _joins(text: str, i: int) -> bool:
    """Whether the word before i goes on at i (a letter, or `'s`, `.1`)."""
    c = text[i]
    return c.isalnum() or c == "_" or (c in "'." and i + 1 < len(text) and text[i + 1].isalnum())


class _Text:
    """Paragraph texts joined into one string, searchable by quote.

    A quote matches normalised words: case and punctuation are ignored, fillers
    are left out, and a word said again at once counts once (its place covers
    every copy), whatever punctuation lies between the copies, so a quote with
    or without a stutter, a filler or a full stop finds the same place. A
    repeat never joins two turns: the next speaker's "No." is their own.
    Repeated phrases ("in the in the") are left to the cleaned text, which the
    index also searches: collapsing them here would lose the words across
    their seam.

    Nothing is made per word of the transcript: a quote is looked for where its
    longest word occurs (a regular expression over the text), and the words
    around each place are normalised to see whether the quote fits there. The
    whole text's words are made only for the closest-passage hint of a quote
    found nowhere."""

    def __init__(self, texts: list[tuple[int, int, str]]) -> None:
        pieces: list[str] = []
        self.starts: list[int] = []
        self.where: list[tuple[int, int]] = []
        at, last_turn = 0, -1
        for ti, pi, text in texts:
            sep = "" if not pieces else (TURN if ti != last_turn else "\n")
            pieces.append(sep)
            at += len(sep)
            self.starts.append(at)
            self.where.append((ti, pi))
            pieces.append(text)
            at += len(text)
            last_turn = ti
        raw = "".join(pieces)
        lowered = raw.lower()
        if len(lowered) != len(raw):  # lowercasing changed a length (İ): go letter by letter
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in raw)
        self.low = lowered.replace("’", "'")
        self._words: tuple[list[str], list[int], list[int]] | None = None

    def normalised(self, begin: int, end: int) -> tuple[list[str], list[int], list[int]]:
        """The normalised words of `low[begin:end]`: each word, where its first copy
        begins and where its last copy ends (offsets in the joined text)."""
        words: list[str] = []
        first: list[int] = []
        last: list[int] = []
        previous, gap_from = "", begin
        low = self.low
        for m in WORD.finditer(low, begin, end):
            w, start = m.group(), m.start()
            new_turn = "\x00" in low[gap_from:start]
            gap_from = m.end()
            if w in FILLERS:
                if new_turn:
                    previous = ""
                continue
            if w == previous and not new_turn:
                last[-1] = m.end()
                continue
            words.append(w)
            first.append(start)
            last.append(m.end())
            previous = w
        return words, first, last

    def all_words(self) -> list[str]:
        if self._words is None:
            self._words = self.normalised(0, len(self.low))
        return self._words[0]

    def word_at(self, k: int, start: bool) -> tuple[int, int, int]:
        words = self._words
        assert words is not None
        return self.locate(words[1][k] if start else words[2][k])

    def find(self, words: list[str]) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
        """Every place the words occur, as (turn, para, start) of the first and
        (turn, para, end) of the last, offsets in the paragraph texts."""
        # Look where the rarest of its words is (a substring count is cheap, and
        # only the order matters; short words are common anyway), so few places
        # need a closer look.
        low = self.low
        longest = sorted(set(words), key=len, reverse=True)[:4]
        counted = sorted((low.count(w), w) for w in longest)
        rarest = counted[0][1]
        k = words.index(rarest)
        check = [w for _, w in counted[1:]]
        found: dict[int, tuple[int, int]] = {}
        reach_back, reach_on = 24 * (k + 2), 24 * (len(words) - k + 2)
        # str.find, not a regular expression: a word-boundary check in front of
        # the word would stop `re` from skipping ahead to it (30 times slower).
        at = low.find(rarest)
        while at >= 0:
            end = at + len(rarest)
            whole = not (at and _in_word(low, at - 1)) and not (end < len(low) and _joins(low, end))
            # A cheap look first: the next rarest words must be near.
            a, b = max(0, at - reach_back), at + reach_on
            if whole and all(low.find(w, a, b) >= 0 for w in check):
                span = self._fits(words, k, at)
                if span is not None:
                    found[span[0]] = span
            at = low.find(rarest, at + 1)
        return [(self.locate(a), self.locate(b)) for a, b in sorted(found.values())]

    def _fits(self, words: list[str], k: int, at: int) -> tuple[int, int] | None:
        """Whether the quote fits with its word k at offset `at`: (start, end) if so."""
        before, after = 32 * (k + 3), 32 * (len(words) - k + 3)
        while True:
            begin, end = max(0, at - before), min(len(self.low), at + after)
            got, first, last = self.normalised(begin, end)
            # The normalised word holding offset `at`: its group's first copy is at or before it.
            g = bisect_right(first, at) - 1
            lo, hi = g - k, g - k + len(words)
            # Enough words on each side to be sure of the groups at the edges.
            if (lo >= 2 or begin == 0) and (hi <= len(got) - 2 or end == len(self.low)):
                break
            before, after = before * 2, after * 2
        if lo < 0 or hi > len(got) or got[lo:hi] != words:
            return None
        return first[lo], last[hi - 1]

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
        words = self.heard.all_words()
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
        return (self._word(*self.heard.word_at(best[1], True), start=True),
                self._word(*self.heard.word_at(last, False), start=False))


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
    words = 0
    for turn in reversed(transcript.turns):  # from the end: only the words after the last time count
        for para in reversed(turn.paragraphs):
            ends = [c.end for c in para.cues if c.end is not None]
            if ends:
                return max(ends) + words * SECONDS_PER_WORD
            words += len(para.verbatim.split())
            if para.start is not None:
                return para.start + words * SECONDS_PER_WORD
    return 0.0 + words * SECONDS_PER_WORD


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

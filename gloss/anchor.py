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


def normalise(words: list[str], groups: list[int] | None = None) -> list[tuple[int, int]]:
    """The words that count, as (first, last) index ranges of `words`: fillers are
    left out and a word said again at once is one (its range covers every
    copy), whatever punctuation lies between the copies. Quotes and the
    transcript normalise alike this way, so a quote with or without a stutter,
    a filler or a full stop finds the same place. A repeat never joins two
    `groups` (turns): the next speaker's "No." is their own. Repeated phrases
    ("in the in the") are left to the cleaned text, which the index also
    searches: collapsing them here would lose the words across their seam."""
    kept: list[tuple[int, int]] = []
    last = ""
    for i, w in enumerate(words):
        if w in FILLERS:
            continue
        if kept and w == last and (groups is None or groups[kept[-1][1]] == groups[i]):
            kept[-1] = (kept[-1][0], i)
            continue
        kept.append((i, i))
        last = w
    return kept


def scan(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of a text (lowercased, apostrophes straight) and their character ranges."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in WORD.finditer(text):
        words.append(m.group().lower().replace("’", "'"))
        spans.append(m.span())
    return words, spans


def query(quote: str) -> list[str]:
    """The words of a quote as they are matched."""
    words, _ = scan(quote)
    return [words[a] for a, _ in normalise(words)]


class _Stream:
    """Normalised words joined into one string, with where each begins and ends."""

    def __init__(self, raw: list[str], locs: list[Loc], groups: list[int]) -> None:
        kept = normalise(raw, groups)
        self.words = [raw[a] for a, _ in kept]
        self.first = [locs[a] for a, _ in kept]
        self.last = [locs[b] for _, b in kept]
        self.offsets: list[int] = []
        pos = 1
        for w in self.words:
            self.offsets.append(pos)
            pos += len(w) + 1
        self.text = " " + " ".join(self.words) + " "

    def matches(self, q: list[str]) -> list[tuple[Loc, Loc]]:
        needle = " " + " ".join(q) + " "
        out = []
        at = self.text.find(needle)
        while at >= 0:
            first = bisect_right(self.offsets, at + 1) - 1
            out.append((self.first[first], self.last[first + len(q) - 1]))
            at = self.text.find(needle, at + 1)
        return out


def _clean_text(para: Paragraph) -> tuple[str, list[int], list[int]]:
    """The paragraph as readers see it, and for each of its characters the
    verbatim range it stands for (a changed span maps all its characters to
    the whole span)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for span in para.spans:
        end = at + len(span.verbatim)
        for k, ch in enumerate(span.text):
            chars.append(ch)
            starts.append(at + k if not span.kind else at)
            ends.append(at + k + 1 if not span.kind else end)
        at = end
    return "".join(chars), starts, ends


class Index:
    """The transcript's normalised words, searchable: as heard (verbatim) and,
    where cleaning changed anything, as readers see them, so a quote copied from
    the cleaned page anchors too."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        heard: tuple[list[str], list[Loc], list[int]] = ([], [], [])
        meant: tuple[list[str], list[Loc], list[int]] = ([], [], [])
        corrected = False
        for ti, turn in enumerate(transcript.turns):
            for pi, para in enumerate(turn.paragraphs):
                words, spans = scan(para.verbatim)
                locs = [Loc(ti, pi, a, b) for a, b in spans]
                heard[0].extend(words)
                heard[1].extend(locs)
                heard[2].extend([ti] * len(words))
                if len(para.spans) == 1 and not para.spans[0].kind:
                    meant[0].extend(words)
                    meant[1].extend(locs)
                    meant[2].extend([ti] * len(words))
                    continue
                corrected = True
                text, starts, ends = _clean_text(para)
                words, spans = scan(text)
                meant[0].extend(words)
                meant[1].extend(Loc(ti, pi, starts[a], ends[b - 1]) for a, b in spans)
                meant[2].extend([ti] * len(words))
        self.heard = _Stream(*heard)
        self.meant = _Stream(*meant) if corrected else None
        self.words, self.locs = self.heard.words, self.heard.first

    def matches(self, quote: str) -> list[tuple[Loc, Loc]]:
        """Every (first word, last word) where the quote's words occur in order;
        one place found both as heard and as corrected counts once."""
        q = query(quote)
        if not q:
            return []
        found = self.heard.matches(q)
        if self.meant is not None:
            # A quote may fit what was heard in one place and what readers see
            # in another: both count, so an ambiguity is not missed.
            found += [m for m in self.meant.matches(q) if not any(_overlap(m, f) for f in found)]
            found.sort(key=lambda m: m[0].key)
        return found

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
        if not n or len(self.words) < 1:
            return None
        want = Counter(q)
        window = Counter(self.words[:n])
        best = (sum((window & want).values()), 0)
        for i in range(1, max(1, len(self.words) - n + 1)):
            window[self.words[i - 1]] -= 1
            window[self.words[i + n - 1]] += 1
            score = sum((window & want).values())
            if score > best[0]:
                best = (score, i)
        if best[0] == 0:
            return None
        return self.locs[best[1]], self.locs[min(best[1] + n - 1, len(self.words) - 1)]


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

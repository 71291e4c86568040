"""Fillers and stutters: what speech has and reading does not need.

Works on one paragraph's verbatim text and returns edits (ranges to drop, a
word to capitalise, dashes to close up) rather than new text, so the verbatim
is never lost and the page can show exactly what was removed. Precision comes
first: a rule that could delete a meaningful word does not fire.

- Fillers: uh, um, er, ah, hmm (any case, with their punctuation), never a
  word that only looks like one (umbrella, ER in capitals) nor one inside a
  title ("Um, Actually"). A filler that opened a sentence passes its capital
  to the next word. Commas or dashes that only framed a filler go with it
  ("my brother, uh, moved" -> "my brother moved"); a mark the sentence needs
  stays ("Well, uh, I think" -> "Well, I think").
- Stutters: a word or a phrase of up to four words said again at once ("I I I
  think", "and then and then", "get the, the pan") keeps one copy; a word
  followed by its own contraction ("it it's") keeps the contraction. Only a
  repeat that holds a function word (pronoun, article, preposition,
  conjunction, auxiliary) collapses: a doubled content word is reduplication
  or contrast ("tom tom", "coffee coffee or decaf"). Kept as well: numbers,
  idioms ("year after year after year"), quoted words and chants, doubles
  that stand alone ("Now now, don't cry"), and pairs where each copy has its
  own job ("ask her her name", "the box that that courier left", "tell you
  you can", "log in in the morning", "things like that that we need", "for
  a while while"). Never across a sentence end, between the copies or inside
  them ("What do you want to do? You want to"); never letters spelled out
  ("A A R P"); never a phrase said again whole ("it's fine, it's fine", "at
  the lake, the lake is") or a clause's end said again as the next one's
  start ("what it would be, it would be"), nor a short clause complete in
  itself said twice where no full stop shows it ended ("i know i know", "they
  have they have they moved"); a run of three or more said for emphasis
  ("me, me, me", "up, up, up") is kept whole (issue #22).

The package, one job a module: `words` (the word classes the rules use),
`tokens` (a paragraph's tokens, found once), `fillers`, `keep` (why a repeat
is meant), `repeats` (where repeats may be and how they collapse) and
`edited` (the opt-in `edited` level: discourse markers and restarts); this
module runs them in order and maps the edits back onto the verbatim.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable

from .edited import marker_edits, restart_edits
from .fillers import filler_edits
from .repeats import repeat_edits
from .tokens import LEAD, TRAIL, Edit, Token, Tokens, applied, by_start, is_filler, tokens
from .words import FILLERS, is_function

__all__ = ["FILLERS", "Edit", "Token", "Tokens", "apply", "edited_of", "edits_of", "find_edits", "is_filler",
           "tokens"]


def find_edits(text: str, fillers: bool = True, stutters: bool = True, edited: bool = False) -> list[Edit]:
    """Every filler and stutter in one paragraph (see `edits_of`); with
    `edited`, also the discourse markers and restarts of `edited_of`."""
    return list(edited_of(text, fillers, stutters) if edited else edits_of(text, fillers, stutters))


@functools.lru_cache(maxsize=1 << 12)
def edits_of(text: str, fillers: bool = True, stutters: bool = True) -> tuple[Edit, ...]:
    """Every filler and stutter in one paragraph, as edits of its verbatim text.
    A pure function of the text, cached: a sidecar edit re-cleans nothing.
    The cache holds the paragraphs of the last few episodes, no more: a build's
    worker makes hundreds, none twice, and with 65,536 paragraphs kept, each
    episode took 15% longer by its 400th (the collector walks what is kept).

    Fillers go first; repeats are then found in the text as it reads without
    them (so "from uh from" is a repeat, and cleaning twice changes nothing),
    and their edits are mapped back onto the verbatim."""
    toks = Tokens(text)
    edits = filler_edits(text, toks) if fillers else []
    if stutters:
        without, where = applied(text, edits) if edits else (text, _same)
        for e in repeat_edits(without, toks.edited(without, edits) if edits else toks):
            start = where(e.start)
            end = where(e.end) if e.end < len(without) else len(text)
            edits.append(Edit(start, end if e.replacement == "" else start + 1, e.replacement, e.kind))
    if not edits:
        return ()
    drops, others = _merge(edits)
    kept = [e for e in others if not any(d.start <= e.start < d.end for d in drops)]
    return tuple(sorted(drops + kept, key=by_start) if kept else drops)


@functools.lru_cache(maxsize=1 << 12)
def edited_of(text: str, fillers: bool = True, stutters: bool = True) -> tuple[Edit, ...]:
    """The `edited` level: every edit of `edits_of`, plus the discourse markers
    and restarts `edited` finds in the text as it reads after them, plus the
    repeats those leave side by side ("the, you know, the thing"), all mapped
    back onto the verbatim. A superset of `edits_of`'s drops: a drop of
    `clean` is never undone, and a capital it gave stays unless the word goes."""
    base = edits_of(text, fillers, stutters)
    without, where = applied(text, list(base)) if base else (text, _same)
    toks = Tokens(without)
    extra, bridges = marker_edits(without, toks)
    if toks.cut:
        restarts = restart_edits(without, toks)
        extra, bridges = sorted(extra + restarts, key=by_start), sorted(bridges + restarts, key=by_start)
    if not extra:
        return base
    edits = list(base) + _mapped(extra, where, len(without), len(text))
    if stutters:
        # Repeats the removed words stood between, found with the comma before
        # a marker kept: "a dog, you know, a dog can" is no stutter.
        again, where_again = applied(without, bridges)
        more: list[Edit] = []
        for e in repeat_edits(again, Tokens(again)):
            if e.replacement:
                if more and more[-1].end == e.start:  # the capital of a collapse kept
                    more.append(e)
            elif _function_words(again[e.start : e.end]):
                more.append(e)
        if more:
            edits += _mapped(_mapped(more, where_again, len(again), len(without)), where, len(without),
                             len(text))
    drops, others = _merge(edits, by_kind=True)
    starts = [d.start for d in drops]  # in order, not overlapping: found by bisection
    kept = []
    for e in others:
        k = bisect_right(starts, e.start) - 1
        if k < 0 or e.start >= drops[k].end:
            kept.append(e)
        elif e.kind == "capital":  # "Well, the fam-, the families": the capital goes on to the word kept
            moved = _capital_after(text, drops, k)
            if moved is not None:
                kept.append(moved)
    return tuple(sorted(drops + kept, key=by_start))


def _capital_after(text: str, drops: list[Edit], k: int) -> Edit | None:
    """A capital for the first word kept after drop k (and any drops touching
    it), if that word is lowercase."""
    at = drops[k].end
    while k + 1 < len(drops) and drops[k + 1].start <= at:
        k += 1
        at = max(at, drops[k].end)
    while at < len(text) and text[at].isspace():
        at += 1
    end = at
    while end < len(text) and not text[end].isspace():
        end += 1
    word = text[at:end]
    if word[:1].islower() and not any(c.isupper() for c in word[1:]):
        return Edit(at, at + 1, text[at].upper(), "capital")
    return None


def _function_words(dropped: str) -> bool:
    """Only function words dropped ("the, you know, the pan"): across a marker a
    phrase with a content word said again may start a clause of its own ("a
    dog, you know, a dog you can tell")."""
    return all(is_function(w.strip(LEAD + TRAIL + "-").lower().replace("’", "'")) for w in dropped.split()
               if w.strip(LEAD + TRAIL + "-—–"))


def _mapped(edits: list[Edit], where: Callable[[int], int], length: int, total: int) -> list[Edit]:
    """Edits of a text with edits applied, as edits of the text before them."""
    out = []
    for e in edits:
        start = where(e.start)
        if e.replacement:
            out.append(Edit(start, start + 1, e.replacement, e.kind))
        else:
            out.append(Edit(start, where(e.end) if e.end < length else total, "", e.kind))
    return out


def _by_start_then_longest(e: Edit) -> tuple[int, int]:
    return e.start, -e.end


def _same(at: int) -> int:
    return at




def _merge(edits: list[Edit], by_kind: bool = False) -> tuple[list[Edit], list[Edit]]:
    """Overlapping drops (a filler inside a repeat, repeated passes) become one;
    returns them in order, and the other edits (capitals). With `by_kind`,
    drops of different kinds that only touch stay apart (each is counted)."""
    drops = [e for e in edits if not e.replacement.strip()]
    drops.sort(key=_by_start_then_longest)
    out: list[Edit] = []
    for e in drops:
        if out and (e.start < out[-1].end or (e.start == out[-1].end and not (
                by_kind and e.kind != out[-1].kind))):
            last = out[-1]
            if e.end > last.end:
                out[-1] = Edit(last.start, e.end, last.replacement or e.replacement, last.kind)
            continue
        out.append(e)
    return out, [e for e in edits if e.replacement.strip()]


def apply(text: str, edits: list[Edit]) -> str:
    """The cleaned text (for tests and tools; pages use spans)."""
    out, at = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < at:
            continue
        out.append(text[at : e.start])
        out.append(e.replacement)
        at = e.end
    out.append(text[at:])
    return "".join(out)

"""Repeats: where they may be, and how they collapse, pass after pass."""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress, repeat
from operator import add

from .keep import PLAIN_STUTTERS, Repeat, keep_repeat
from .tokens import QUOTE_CHARS, Collapse, Edit, Tokens, applied, quoted, tuple_new
from .words import ARTICLES, CONJUNCTIONS, MAX_PHRASE, PARTICLES, PREPOSITIONS, RUN_STUTTERS, is_number


def repeat_at(text: str, toks: Tokens, i: int, inside: list[bool]) -> Collapse | None:
    """How a repeat that starts at token i collapses, if one does."""
    words = toks.words
    w0 = words[i]
    if not w0:
        return None
    dashes, total = toks.dashes, toks.n
    for n in range(1, MAX_PHRASE + 1):
        dash = int(i + n in dashes)
        if i + 2 * n + dash > total:
            break
        j = i + n + dash
        w1 = words[j]
        if w1 != w0 and not (n == 1 and w1.startswith(w0 + "'")):
            continue  # cheap tests first: most words start no repeat
        end_one, end_two = words[i + n - 1], words[j + n - 1]
        if end_one != end_two and not end_two.startswith(end_one + "'"):
            continue
        one = words[i : i + n]
        two = words[j : j + n]
        if one[:-1] != two[:-1] or not all(any(map(str.isalnum, w)) for w in one):
            continue
        # Words then the same words ending in a contraction ("it it's", "when
        # you when you've"), or cut off ("I- I think"): keep the second copy.
        cut_off = i + n - 1 in toks.cut and one == two
        contraction = one[:-1] == two[:-1] and two[-1].startswith(one[-1] + "'") \
            and one[-1].isalpha() and not any(is_number(w) for w in one)
        if cut_off or contraction:
            a, b = toks[i], toks[i + n + dash]
            if keep_repeat(Repeat(text, toks, i, n, not cut_off, inside, dash)):
                continue
            out = [Edit(a.start, b.start, "", "repeat")]
            if text[a.core_start].isupper() and text[b.core_start].islower():
                out.append(Edit(b.core_start, b.core_start + 1, text[b.core_start].upper(), "case"))
            return Collapse(out, i, j - 1, -1, j + n)
        if one != two or keep_repeat(Repeat(text, toks, i, n, False, inside, dash)):
            continue
        # Drop from the end of the first copy's last word to the end of the
        # second copy's last word: the first copy keeps its case, the last
        # copy's punctuation stays ("So, so, so attention" -> "So attention").
        end = toks[j + n - 1].core_end
        return Collapse([Edit(toks[i + n - 1].core_end, end, "", "repeat")], i + n, j + n - 1, i + n - 1,
                        j + n)
    return None


NOTHING = ["\0"] * (MAX_PHRASE + 2)
"""Past the last word: equal to no word, the start of none."""


def repeat_candidates(text: str, words: list[str], lo: int = 0, hi: int | None = None) -> list[int]:
    """Where a repeat may start (among tokens lo..hi): a word said again within
    five tokens (two copies of up to four words, and a dash between), or
    followed by its own contraction ("it it's", "I—I it's"). Python looks
    only at these."""
    stop = len(words) if hi is None else min(len(words), hi + MAX_PHRASE + 2)
    seen: dict[str, int] = {}
    found = []
    for k in range(lo, stop):
        word = words[k]
        j = seen.get(word)
        if j is not None and k - j <= MAX_PHRASE + 1:
            found.append(j)  # an earlier copy within reach was found from j
        seen[word] = k
    if "'" in text or "’" in text:
        part = words[lo:stop]
        plus = list(map(add, part, repeat("'")))
        padded = part + NOTHING
        found += map(add, compress(range(len(part)), map(str.startswith, padded[1:], plus)), repeat(lo))
        found += map(add, compress(range(len(part)), map(str.startswith, padded[2:], plus)), repeat(lo))
    return sorted({k for k in found if hi is None or k <= hi})


def _candidates(text: str, words: list[str], near: list[tuple[int, int]] | None) -> list[int]:
    """Where a repeat may start: anywhere, or with `near` only in the windows
    around those token ranges."""
    if near is None:
        return repeat_candidates(text, words)
    reach: list[tuple[int, int]] = []
    for lo, hi in near:  # the windows around each change, overlapping ones joined
        lo, hi = max(0, lo - REACH_AHEAD), hi + REACH_BEHIND
        if reach and lo <= reach[-1][1] + 1:
            reach[-1] = (reach[-1][0], hi)
        else:
            reach.append((lo, hi))
    return [i for lo, hi in reach for i in repeat_candidates(text, words, lo, hi)]


def _may_repeat(words: list[str], i: int) -> bool:
    """Whether `repeat_at` could find a repeat at token i: its tests on the
    words alone, a dash taken to be wherever a word is empty (so never a
    repeat it would find is missed)."""
    w0 = words[i]
    if not w0:
        return False
    total = len(words)
    for n in range(1, MAX_PHRASE + 1):
        dash = int(i + n < total and not words[i + n])
        if i + 2 * n + dash > total:
            continue
        j = i + n + dash
        w1 = words[j]
        if w1 != w0 and not (n == 1 and w1.startswith(w0 + "'")):
            continue
        end_one, end_two = words[i + n - 1], words[j + n - 1]
        if end_one == end_two or end_two.startswith(end_one + "'"):
            return True
    return False


def _words_after(words: list[str], collapses: list[Collapse]) -> list[str]:
    """The words left when the collapses' tokens are dropped (as `Tokens.collapse` leaves them)."""
    out: list[str] = []
    done = 0
    for c in collapses:
        out += words[done : c.first]
        done = c.last + 1
    out += words[done:]
    return out


def one_pass(text: str, toks: Tokens, near: list[tuple[int, int]] | None = None,
             candidates: list[int] | None = None) -> list[Collapse]:
    """Collapse every repeat found in one left-to-right scan (they do not overlap).
    With `near`, only around those token ranges: elsewhere the text and all a
    rule looks at are as they were in the pass before, which found nothing there.
    `candidates`, when given, are where a repeat may start (as `_candidates` finds them)."""
    if candidates is None:
        candidates = _candidates(text, toks.words, near)
    if not candidates:
        return []
    inside = quoted(text, toks)
    found: list[Collapse] = []
    after = 0
    last = toks.n - 1
    words, chunks, starts = toks.words, toks.chunks, toks.starts
    for i in candidates:  # no repeat starts anywhere else
        if i >= last:
            break
        if i < after:
            continue
        word = words[i]
        if word in PLAIN_STUTTERS and words[i + 1] == word and chunks[i] == chunks[i + 1] \
                and chunks[i] in (word, "I") and not inside[i] and _plain_around(words, i, last):
            # The common case, "the the" or "I I": no rule keeps it, whatever is around.
            end_one, end_two = starts[i] + len(chunks[i]), starts[i + 1] + len(chunks[i + 1])
            edit = tuple_new(Edit, (end_one, end_two, "", "repeat"))
            found.append(Collapse([edit], i + 1, i + 1, i, i + 2))
            after = i + 2
            continue
        collapse = repeat_at(text, toks, i, inside)
        if collapse:
            found.append(collapse)
            after = collapse.stop
    return found


def _plain_around(words: list[str], i: int, last: int) -> bool:
    """Nothing around a plain double ("the the") that a keep rule asks about:
    no copy before it, no article before ("a while while"), no single letter
    beside a single letter ("a a r p"), and a third copy after it only of a
    word whose run is never said for emphasis ("the the the", not "me me me")."""
    word = words[i]
    prev = words[i - 1] if i else ""
    after = words[i + 2] if i + 1 < last else ""
    if prev == word or prev in ARTICLES:
        return False
    if after == word:
        return word in NO_EMPHASIS and (len(word) > 1 or len(prev) != 1)
    return len(word) > 1 or (len(prev) != 1 and len(after) != 1)


NO_EMPHASIS = RUN_STUTTERS | (PREPOSITIONS - PARTICLES) | CONJUNCTIONS
"""Words whose run of three or more copies `keep._emphasis` never keeps."""


def _changed(collapses: list[Collapse]) -> list[tuple[int, int]]:
    """Where each collapse changed the text, in tokens of the new text: the
    token before the dropped ones (which may have taken their punctuation)
    and the one after (which may have taken a capital)."""
    out = []
    dropped = 0
    for c in collapses:
        at = c.first - dropped  # the first token after the dropped ones, in the new text
        out.append((at - 1, at))
        dropped += c.last - c.first + 1
    return out


REACH_AHEAD = 2 * MAX_PHRASE + 1
"""How far on from where a repeat starts its rules look: to the word after two
copies of four words and a dash between."""
REACH_BEHIND = 6
"""How far back they look: the six words before ("the question in all of AI is is")."""


def repeat_edits(text: str, toks: Tokens) -> list[Edit]:
    """Collapse immediate repeats pass after pass, looking again at the text each
    pass leaves ("I I think I think" -> "I think I think" -> "I think"), and
    return the edits in the coordinates of `text`. After the first pass only
    the words around what the last pass changed are looked at again, unless it
    removed a quotation mark (which changes what is quoted further on) or the
    text has bracketed tags (which a rule may look back over)."""
    edits: list[Edit] = []
    current = text
    steps: list[Callable[[int], int]] = []
    candidates: list[int] | None = None

    def where(at: int) -> int:
        for step in reversed(steps):
            at = step(at)
        return at

    while collapses := one_pass(current, toks, None, candidates):
        found = [e for c in collapses for e in c.edits]
        for e in found:
            start = where(e.start)
            if e.replacement:
                edits.append(Edit(start, start + 1, e.replacement, e.kind))
            else:
                end = where(e.end) if e.end < len(current) else len(text)
                edits.append(Edit(start, end, "", e.kind))
        global_change = "]" in current or any(QUOTE_CHARS.search(current, e.start, e.end) for e in found)
        words = _words_after(toks.words, collapses)
        candidates = _candidates(current, words, None if global_change else _changed(collapses))
        if not any(_may_repeat(words, i) for i in candidates):
            break  # the next pass would find nothing: no need to make its text and tokens
        new, step = applied(current, found)
        toks = toks.collapse(new, collapses)
        current = new
        steps.append(step)
    return edits

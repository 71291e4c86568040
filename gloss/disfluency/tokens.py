"""A paragraph's tokens, found once, and what the rules ask of their places."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, compress, repeat
from operator import add, eq
from typing import NamedTuple, overload

from .words import FILLERS

DASHES = frozenset("—–")
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs", "e.g", "i.e",
                           "gen", "lt", "sgt", "capt", "rev", "hon"})
"""Full stops that end no sentence ("Mr. Chen")."""
ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)]*$")
OPEN_QUOTES = {'"': '"', "“": "”", "‘": "’", "'": "'"}
OPENING_MARKS = frozenset(OPEN_QUOTES)
CLOSERS = frozenset("\"'”’)]")
"""Closing quotes and brackets: what they close stays."""
CLOSING_MARKS = frozenset(OPEN_QUOTES.values())


tuple_new = tuple.__new__
"""Makes a Token or an Edit from a tuple of its fields at C speed."""


class Token(NamedTuple):
    """One token of a paragraph (a tuple: made at C speed, `Token._make`)."""

    start: int
    end: int
    """The token's characters, punctuation included, in the paragraph's verbatim."""
    core_start: int
    core_end: int
    """The word itself, without surrounding punctuation."""
    word: str
    """Lowercased core, curly apostrophes made straight; empty for a dash."""
    dash: bool = False
    """A dash standing between words, spaced or not ("—", "--")."""


class Edit(NamedTuple):
    """Drop `verbatim[start:end]` (replacement "") or replace it (a capital, or
    a space where dashes around a filler closed up). A tuple: cheap to make."""

    start: int
    end: int
    replacement: str
    kind: str
    """`filler`, `repeat` or `case`; at the `edited` level also `discourse`,
    `restart` and `capital` (after a removed marker)."""


class Collapse(NamedTuple):
    """A repeat collapsed: its edits, and which tokens they drop."""

    edits: list[Edit]
    first: int
    last: int
    """The tokens dropped, first to last."""
    into: int
    """The token that takes the closing punctuation of the last one dropped
    ("So, so, so attention": the first "So"), or -1 when the tokens after the
    dropped ones stay as they are ("it it's")."""
    stop: int
    """The token after the repeat: the scan goes on from there."""


LEAD = "\"'“‘(["
TRAIL = "\"'”’)].,;:!?…"
"""What may stand before a word (opening quotes, brackets) and after it."""
DASHY = re.compile(r"[—–]|--")
DASH_RUN = re.compile(r"[—–]+|--+")
NON_SPACE = re.compile(r"\S+")
CUT_OFF = re.compile(r"-(?<!--)(?!-)(?=[\"'”’)\].,;:!?…]*(?:\s|[—–]|--|$))")
"""A hyphen that ends a word: "I- I think"."""
QUOTE_CHARS = re.compile("[\"'“”‘’]")


class Tokens(Sequence[Token]):
    """A paragraph's tokens, found once with `str.split` and C-level maps: the
    text at spaces, runs of dashes split out ("call—um—went"), each word's
    lowercased core. A `Token`, with its character offsets, is made only for
    the few tokens a rule looks at (near a filler or a repeat)."""

    __slots__ = ("_made", "chunks", "cut", "dashes", "n", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        # Printable text has no whitespace but the space (no tab, newline, no-break space).
        simple = text.isprintable() and text[:1] not in ("", " ") and text[-1] != " " and "  " not in text
        if simple:  # one space between tokens: offsets are running sums of lengths
            chunks = text.split(" ")
            starts = list(accumulate(map((1).__add__, map(len, chunks[:-1])), initial=0))
        else:
            spans = [m.span() for m in NON_SPACE.finditer(text)]
            starts = [a for a, _ in spans]
            chunks = [text[a:b] for a, b in spans]
        pieces = chunks
        self.dashes: set[int] = set()
        if "—" in text or "–" in text:
            starts, chunks = self._split_dashes(starts, chunks)
        elif "--" in text:
            if simple and text.count("--") == chunks.count("--"):  # spaced "--" only: tokens already
                self.dashes.update(compress(range(len(chunks)), map(eq, chunks, repeat("--"))))
            else:
                starts, chunks = self._split_dashes(starts, chunks)
        lower = text.lower()
        spaced = simple and chunks is pieces and len(lower) == len(text)
        """The tokens are the text's pieces between single spaces (a dash among them spaced)."""
        lowered = lower.split(" ") if spaced else list(map(str.lower, chunks))
        words = list(map(str.rstrip, map(str.lstrip, lowered, repeat(LEAD)), repeat(TRAIL)))
        if "’" in text:
            words = list(map(str.replace, words, repeat("’"), repeat("'")))
        self.cut: set[int] = set()
        """Words cut off ("I- I think"): their hyphen is not part of the word."""
        if "-" in text:
            for k in {bisect_right(starts, m.start()) - 1 for m in CUT_OFF.finditer(text)}:
                if len(words[k]) > 1 and words[k].endswith("-"):
                    words[k] = words[k][:-1]
                    self.cut.add(k)
        for k in self.dashes:
            words[k] = ""
        self.starts, self.chunks, self.words = starts, chunks, words
        self.n = len(chunks)
        self._made: list[Token | None] = [None] * len(chunks)

    def edited(self, text: str, edits: list[Edit]) -> Tokens:
        """The tokens of `text`, this paragraph with `edits` applied (as
        `applied` applies them): tokens away from the edits stay as they are,
        the stretch around each edit, out to the spaces either side, is
        tokenised again."""
        starts, chunks, n = self.starts, self.chunks, self.n
        regions: list[list[int]] = []
        """First and last token, chars from and to, change in length, whether to tokenise again."""
        at = 0
        for e in sorted(edits, key=by_start):
            if e.start < at:
                continue  # as applied does
            at = e.end
            a = max(0, bisect_right(starts, e.start) - 1)
            change = len(e.replacement) - (e.end - e.start)
            if e.start == starts[a] and a + 1 < n and e.end == starts[a + 1] and not e.replacement \
                    and e.end > e.start + len(chunks[a]) and (not regions or a > regions[-1][1]) \
                    and (a == 0 or e.start > starts[a - 1] + len(chunks[a - 1])):
                # A whole token and the space after it ("word uh word"), on its own: it goes.
                regions.append([a, a, e.start, e.end, change, 0])
                continue
            b = min(n - 1, max(a, bisect_right(starts, e.end) - 1))
            while a > 0 and starts[a] == starts[a - 1] + len(chunks[a - 1]):
                a -= 1  # glued to the token before ("call—um"): tokenised together
            while b + 1 < n and starts[b + 1] == starts[b] + len(chunks[b]):
                b += 1
            lo, hi = min(e.start, starts[a]), max(e.end, starts[b] + len(chunks[b]))
            if regions and a <= regions[-1][1]:
                last = regions[-1]
                last[1], last[3], last[4], last[5] = max(b, last[1]), max(hi, last[3]), last[4] + change, 1
            else:
                regions.append([a, b, lo, hi, change, 1])
        new = Tokens.__new__(Tokens)
        new_starts: list[int] = []
        new_chunks: list[str] = []
        new_words: list[str] = []
        dashes: list[int] = []
        cut: list[int] = []
        moves: list[tuple[int, int]] = []  # (first old token of a kept run, its shift in index)
        done = delta = 0
        for a, b, lo, hi, change, again in regions:
            moves.append((done, len(new_chunks) - done))
            new_starts += map(add, starts[done:a], repeat(delta))
            new_chunks += chunks[done:a]
            new_words += self.words[done:a]
            done, delta = b + 1, delta + change
            if not again:
                continue
            piece = Tokens(text[lo + delta - change : hi + delta])
            first = len(new_chunks)
            new_starts += map(add, piece.starts, repeat(lo + delta - change))
            new_chunks += piece.chunks
            new_words += piece.words
            dashes += (k + first for k in piece.dashes)
            cut += (k + first for k in piece.cut)
        moves.append((done, len(new_chunks) - done))
        new_starts += map(add, starts[done:], repeat(delta))
        new_chunks += chunks[done:]
        new_words += self.words[done:]
        kept = [k for k, _ in moves]
        firsts = [r[0] for r in regions]  # in order, not overlapping: found by bisection

        def moved(olds: set[int]) -> Iterator[int]:
            for k in olds:
                r = bisect_right(firsts, k) - 1
                if r < 0 or k > regions[r][1]:
                    yield k + moves[bisect_right(kept, k) - 1][1]

        new.text, new.starts, new.chunks, new.words, new.n = text, new_starts, new_chunks, new_words, \
            len(new_chunks)
        new.dashes = {*dashes, *moved(self.dashes)}
        new.cut = {*cut, *moved(self.cut)}
        new._made = [None] * new.n
        return new

    def collapse(self, text: str, collapses: list[Collapse]) -> Tokens:
        """The tokens of `text`: this paragraph with the collapses' edits applied.
        Their dropped tokens go, a first copy takes the closing punctuation of
        the copy dropped after it, and a capital is handed on: no need to
        tokenise the text again."""
        new = Tokens.__new__(Tokens)
        starts: list[int] = []
        chunks: list[str] = []
        words: list[str] = []
        done = shift = 0
        gone: list[tuple[int, int]] = []
        for c in collapses:
            starts += map(add, self.starts[done : c.first], repeat(-shift))
            chunks += self.chunks[done : c.first]
            words += self.words[done : c.first]
            if c.into >= 0:  # "So, so, so": the first copy ends with the last copy's punctuation
                last_chunk = self.chunks[c.last]
                if last_chunk == self.words[c.last] and chunks[-1] == self.words[c.into]:
                    # no punctuation either side ("the the"): the first copy stays as it is
                    shift += self.starts[c.last] + len(last_chunk) - starts[-1] - shift - len(chunks[-1])
                else:
                    into, last = self[c.into], self[c.last]
                    chunks[-1] = text[starts[-1] : starts[-1] + into.core_end - into.start] + \
                        last_chunk[last.core_end - last.start :]
                    shift += last.core_end - into.core_end
            else:  # "it it's": the next token takes the first dropped one's place
                shift += self.starts[c.last + 1] - self.starts[c.first]
            gone.append((c.first, c.last))
            done = c.last + 1
            if len(c.edits) > 1:  # a capital handed on to the next token
                starts.append(self.starts[done] - shift)
                chunks.append(text[starts[-1] : starts[-1] + len(self.chunks[done])])
                words.append(self.words[done])
                done += 1
        starts += map(add, self.starts[done:], repeat(-shift))
        chunks += self.chunks[done:]
        words += self.words[done:]

        firsts = [a for a, _ in gone]  # in order, not overlapping: found by bisection
        before = list(accumulate((b - a + 1 for a, b in gone), initial=0))
        """Tokens dropped before each collapse."""

        def kept(olds: set[int]) -> Iterator[int]:
            """Each token of `olds` not dropped, at its new place."""
            for k in olds:
                c = bisect_right(firsts, k) - 1
                if c < 0 or k > gone[c][1]:
                    yield k - before[c + 1]

        new.text, new.starts, new.chunks, new.words, new.n = text, starts, chunks, words, len(chunks)
        new.dashes = set(kept(self.dashes))
        new.cut = set(kept(self.cut))
        new._made = [None] * new.n
        return new

    def _split_dashes(self, starts: list[int], chunks: list[str]) -> tuple[list[int], list[str]]:
        """Runs of dashes are tokens of their own, spaced or not."""
        dashy = sorted({bisect_right(starts, m.start()) - 1 for m in DASHY.finditer(self.text)})
        if all(map(DASH_RUN.fullmatch, (chunks[k] for k in dashy))):
            self.dashes.update(dashy)  # spaced dashes only: each is a token as it is
            return starts, chunks
        out_starts: list[int] = []
        out_chunks: list[str] = []
        done = 0
        for k in dashy:
            out_starts += starts[done:k]
            out_chunks += chunks[done:k]
            if DASH_RUN.fullmatch(chunks[k]):  # a spaced dash: one token as it is
                self.dashes.add(len(out_chunks))
                out_starts.append(starts[k])
                out_chunks.append(chunks[k])
                done = k + 1
                continue
            chunk, at, from_ = chunks[k], starts[k], 0
            for m in DASH_RUN.finditer(chunk):
                if m.start() > from_:
                    out_starts.append(at + from_)
                    out_chunks.append(chunk[from_ : m.start()])
                self.dashes.add(len(out_chunks))
                out_starts.append(at + m.start())
                out_chunks.append(m.group())
                from_ = m.end()
            if from_ < len(chunk):
                out_starts.append(at + from_)
                out_chunks.append(chunk[from_:])
            done = k + 1
        return out_starts + starts[done:], out_chunks + chunks[done:]

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, k: int) -> Token: ...

    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...

    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if type(k) is int:
            return self._made[k] or self._token(k if k >= 0 else k + self.n)
        assert isinstance(k, slice)
        return [self._made[j] or self._token(j) for j in range(*k.indices(self.n))]

    def __iter__(self) -> Iterator[Token]:
        return (self._token(k) for k in range(len(self.chunks)))

    def _token(self, k: int) -> Token:
        tok = self._made[k]
        if tok is None:
            chunk, start = self.chunks[k], self.starts[k]
            end = start + len(chunk)
            if k in self.dashes:
                tok = tuple_new(Token, (start, end, start, start, "", True))
            else:
                rest = chunk.lstrip(LEAD)
                core_start = end - len(rest)
                tok = tuple_new(Token, (start, end, core_start, core_start + len(rest.rstrip(TRAIL)),
                                     self.words[k], False))
            self._made[k] = tok
        return tok


def tokens(text: str) -> list[Token]:
    """Every token with its word core."""
    return list(Tokens(text))


def is_dash(tok: Token) -> bool:
    return tok.dash


def is_filler(text: str, tok: Token) -> bool:
    """uh, Uh, UH? Lowercase or capitalised only: `ER` and `UM` may be acronyms."""
    core = text[tok.core_start : tok.core_end]
    if tok.word not in FILLERS:
        return False
    if core.isupper() and len(core) > 1:
        return tok.word != "er"  # ER is the emergency room
    return core.islower() or (core[0].isupper() and core[1:].islower()) or len(core) == 1


def sentence_start(text: str, toks: Tokens, i: int) -> bool:
    """Nothing before token i in the paragraph, or the token before ends a
    sentence; a bracketed tag between does not count ("nineteen. [laughs] Um,")."""
    chunks = toks.chunks  # each token's text
    k = i - 1
    while k >= 0 and chunks[k][-1] == "]":
        while k >= 0 and "[" not in text[toks[k].start : toks[k].core_start + 1]:
            k -= 1
        k -= 1
    return k < 0 or (bool(ENDS_SENTENCE.search(chunks[k])) and toks.words[k] not in ABBREVIATIONS)


def comma_after(text: str, tok: Token) -> bool:
    return text[tok.core_end : tok.end].startswith(",")


def _quotation_marks(text: str) -> bool:
    """Whether the text may hold a quotation mark: a double one, or an
    apostrophe that is not inside a word ("it's" is no quotation)."""
    if '"' in text or "“" in text or "”" in text or "‘" in text:
        return True
    for mark in ("'", "’"):
        k = text.find(mark)
        while k >= 0:
            if not (0 < k < len(text) - 1 and text[k - 1].isalnum() and text[k + 1].isalnum()):
                return True
            k = text.find(mark, k + 1)
    return False


def quoted(text: str, toks: Tokens) -> list[bool]:
    """For each token, whether it lies inside quotation marks (an opening mark
    with its closing one later in the paragraph; an apostrophe counts only then).
    Only tokens with a quotation mark in them can open or close one."""
    inside = [False] * len(toks)
    if not _quotation_marks(text):
        return inside
    opened: int | None = None
    closer = ""
    for k in compress(range(len(toks)), map(QUOTE_CHARS.search, toks.chunks)):
        tok = toks[k]
        if opened is None:
            lead = text[tok.start : tok.core_start]
            mark = next((c for c in lead if c in OPEN_QUOTES), None)
            if mark is None:
                continue
            opened, closer = k, OPEN_QUOTES[mark]
        if closer in text[tok.core_end : tok.end]:
            inside[opened : k + 1] = [True] * (k + 1 - opened)
            opened = None
    return inside


def by_start(e: Edit) -> int:
    return e.start


def applied(text: str, edits: list[Edit]) -> tuple[str, Callable[[int], int]]:
    """The text with `edits` applied, and a function giving for each of its
    characters the offset of the character it came from in `text` (a
    replacement's characters all come from the start of what they replace)."""
    out: list[str] = []
    new: list[int] = []
    """Where each piece starts in the new text..."""
    old: list[int] = []
    """...where it came from..."""
    moves: list[bool] = []
    """...and whether its characters keep their offsets (text) or not (a replacement)."""
    at = 0
    length = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < at:
            continue
        new.append(length)
        old.append(at)
        moves.append(True)
        out.append(text[at : e.start])
        length += e.start - at
        if e.replacement:
            new.append(length)
            old.append(e.start)
            moves.append(False)
            out.append(e.replacement)
            length += len(e.replacement)
        at = e.end
    new.append(length)
    old.append(at)
    moves.append(True)
    out.append(text[at:])

    def where(k: int) -> int:
        piece = bisect_right(new, k) - 1
        return old[piece] + (k - new[piece] if moves[piece] else 0)

    return "".join(out), where

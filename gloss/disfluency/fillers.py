"""Fillers: which go, and what happens to the marks around them."""

from __future__ import annotations

from itertools import compress

from .tokens import (
    CLOSERS,
    CLOSING_MARKS,
    OPENING_MARKS,
    Edit,
    Token,
    Tokens,
    comma_after,
    is_dash,
    is_filler,
    quoted,
    sentence_start,
    tuple_new,
)
from .words import (
    ANSWERS,
    CONTINUES,
    CONTRACTED,
    DISCOURSE,
    DISCOURSE_PHRASES,
    FILLERS,
    INTERJECTIONS,
    NEGATIVES,
    PREPOSITIONS,
    SUBJECTS,
    SUBORDINATORS,
    UNITS,
    is_number,
)


def _answer(text: str, toks: Tokens, i: int) -> bool:
    """Tokens i and i + 1 are an answer on its own: "Mm hmm." "Uh uh, no way"."""
    if i + 1 >= len(toks) or (toks[i].word, toks[i + 1].word) not in ANSWERS:
        return False
    one, two = toks[i], toks[i + 1]
    alone_before = sentence_start(text, toks, i) or comma_after(text, toks[i - 1])
    return alone_before and not text[one.core_end : one.end] and (
        i + 2 == len(toks) or bool(text[two.core_end : two.end]))


def _run_start(text: str, toks: Tokens, i: int) -> int:
    """Where a run of fillers and dashes before token i begins: "Um, UM, the
    plan" reads from where the first filler stands once both are gone."""
    k = i
    while k > 0 and (is_dash(toks[k - 1]) or _quiet_filler(text, toks[k - 1])):
        k -= 1
    return k


def _quiet_filler(text: str, tok: Token) -> bool:
    """A filler word that goes without leaving a mark: "um", "um,", "(um)"."""
    return tok.word in FILLERS and (text[tok.core_end : tok.end] in ("", ",") or _bracketed(text, tok))


def _bracketed(text: str, tok: Token) -> bool:
    """"(um)", "[uh]": a word alone in brackets."""
    return text[tok.start] in "([" and text[tok.end - 1] in ")]"


def _removable(text: str, toks: Tokens, i: int, inside: list[bool]) -> bool:
    """Token i is a filler that can go: not a unit ("5 mm"), not part of an
    interjection ("uh oh"), a title ("Um, Actually") or a mention ('"um"'),
    and in capitals ("HMM") only where a sentence starts."""
    tok = toks[i]
    if not is_filler(text, tok):
        return False
    if i and tok.word in UNITS and is_number(toks[i - 1].word):
        return False
    if i + 1 < len(toks) and toks[i + 1].word in INTERJECTIONS:
        return False
    if _answer(text, toks, i) or (i and _answer(text, toks, i - 1)):
        return False
    core = text[tok.core_start : tok.core_end]
    if core.isupper() and len(core) > 1 and not sentence_start(text, toks, _run_start(text, toks, i)):
        return False  # "we used an HMM for tagging"
    if inside[i] and all(t.word in FILLERS for t in _quotation(text, toks, inside, i) if t.word):
        return False  # 'if I hear "um" one more time', 'she went "Mm, mm, mm"': a sound quoted
    if i and toks[i - 1].word in {"word", "words"}:
        return False  # "the word um": a mention
    return not _in_title(text, toks, i, inside)


def _opens_quote(text: str, tok: Token) -> bool:
    return bool(set(text[tok.start : tok.core_start]) & OPENING_MARKS)


def _closes_quote(text: str, tok: Token) -> bool:
    return bool(set(text[tok.core_end : tok.end]) & CLOSING_MARKS)


def _quotation(text: str, toks: Tokens, inside: list[bool], i: int) -> list[Token]:
    """The tokens of the quotation token i stands in."""
    a, b = i, i
    while a > 0 and inside[a - 1] and not _opens_quote(text, toks[a]):
        a -= 1
    while b + 1 < len(toks) and inside[b + 1] and not _closes_quote(text, toks[b]):
        b += 1
    return toks[a : b + 1]


def _in_title(text: str, toks: Tokens, i: int, inside: list[bool]) -> bool:
    """'the podcast "Um, Actually"': a capitalised filler before another
    capitalised word, where no sentence starts or inside quotes, is a title."""
    core = text[toks[i].core_start : toks[i].core_end]
    if inside[i]:
        words = [text[t.core_start : t.core_end] for t in _quotation(text, toks, inside, i) if t.word]
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            return True  # 'the song "Um Um Um Um Um Um"': every word capitalised
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if not core[:1].isupper() or nxt is None or not text[nxt.core_start : nxt.core_end][:1].isupper():
        return False
    if nxt.word == "i" or nxt.word.startswith("i'") or nxt.word in FILLERS:
        return False
    k = _run_start(text, toks, i)
    return inside[i] or not (sentence_start(text, toks, k) or comma_after(text, toks[k - 1]))


def _needs_mark(text: str, toks: Tokens, before: int, follow: Token | None) -> bool:
    """Whether the comma or dash after token `before` belongs to the sentence
    rather than to a filler that follows it: it closes a discourse word
    ("Well,", "you know,"), a name called ("Your Honor,") or an opening clause
    or phrase ("When I was a girl,", "At 2 a.m.,"). After a function word the
    sentence goes on ("we didn't have, um, power"), so the comma framed the filler."""
    if follow is not None and _opens_quote(text, follow):
        return True  # 'He said, "I don't know."'
    k = before
    while k > 0 and not sentence_start(text, toks, k) and not comma_after(text, toks[k - 1]):
        k -= 1
    words = tuple(t.word for t in toks[k : before + 1])
    if (len(words) == 1 and words[0] in DISCOURSE) or words in DISCOURSE_PHRASES:
        return True
    if words[-1] in CONTINUES or words[-1] in NEGATIVES or words[-1].partition("'")[2] in CONTRACTED:
        return False  # "there's, uh, the ability": a verb still wants its object
    if follow is not None and follow.word in SUBJECTS:
        return True  # "We tried, uh, we really tried": a new clause
    if len(words) > 1 and (words[0] in SUBORDINATORS or words[0] in PREPOSITIONS):
        # "If the pain gets worse—um—or if you notice": the clause goes on.
        return follow is None or follow.word not in {"and", "or", "but", "nor"}
    return len(words) > 1 and sentence_start(text, toks, k) and all(
        text[t.core_start : t.core_start + 1].isupper() for t in toks[k : before + 1])


def filler_edits(text: str, toks: Tokens) -> list[Edit]:
    words = toks.words
    edits: list[Edit] = []
    candidates = list(compress(range(len(words)), map(FILLERS.__contains__, words)))
    if not candidates:
        return edits
    inside = quoted(text, toks)
    chunks, dashes, starts, last_token = toks.chunks, toks.dashes, toks.starts, toks.n - 1
    capitals: list[int] = []
    after_run = 0
    for i in candidates:  # no other token can be a filler
        if i < after_run:
            continue
        word = words[i]
        if 0 < i < last_token and chunks[i] in (word, word + ",") and not inside[i] \
                and chunks[i - 1][-1].isalnum() and i + 1 not in dashes \
                and _plain_neighbours(words[i - 1], word, words[i + 1]):
            # The common case, "word uh word": the filler and the space after it go.
            edits.append(tuple_new(Edit, (starts[i], starts[i + 1], "", "filler")))
            after_run = i + 1
            continue
        if not _removable(text, toks, i, inside):
            continue
        last = _run_end(text, toks, i, inside)
        edit, capital = _run_edit(text, toks, i, last)
        edits.append(edit)
        if capital is not None:
            capitals.append(capital)
        after_run = last + 1
    for k in capitals:
        if k < len(toks) and _capitalisable(text[toks[k].core_start : toks[k].core_end]):
            first = toks[k].core_start
            edits.append(Edit(first, first + 1, text[first].upper(), "case"))
    return edits


def _plain_neighbours(prev: str, word: str, nxt: str) -> bool:
    """No rule about the words either side applies to a lowercase filler in the
    middle of a sentence (what `_removable` and `_run_edit` would find out
    the long way): not a unit, an interjection, an answer or a mention, and
    not followed by another filler."""
    return not (nxt in FILLERS or nxt in INTERJECTIONS or (word, nxt) in ANSWERS or (prev, word) in ANSWERS
                or prev in {"word", "words"} or (word in UNITS and is_number(prev)))


def _run_end(text: str, toks: Tokens, i: int, inside: list[bool]) -> int:
    """The last filler of the run starting at token i: fillers follow one
    another with nothing but commas and dashes between ("Uh, um", "uh — um")."""
    last = i
    while _quiet_filler(text, toks[last]):
        k = last + 1
        while k < len(toks) and is_dash(toks[k]):
            k += 1
        if k >= len(toks) or _opens_quote(text, toks[k]) or not _removable(text, toks, k, inside):
            break
        last = k
    return last


def _run_edit(text: str, toks: Tokens, a: int, b: int) -> tuple[Edit, int | None]:
    """The edit dropping fillers a..b, and which token then takes a capital."""
    first, end_tok = toks[a], toks[b]
    # "(um)": the brackets held nothing else and go with it.
    first_at = first.start if _bracketed(text, first) else first.core_start
    last_at = end_tok.end if _bracketed(text, end_tok) else end_tok.core_end
    after = text[last_at : end_tok.end]
    prev = toks[a - 1] if a else None
    nxt = toks[b + 1] if b + 1 < len(toks) else None
    dash_after = nxt is not None and is_dash(nxt)
    follow_at = b + 2 if dash_after else b + 1
    follow = toks[follow_at] if follow_at < len(toks) else None
    closes = bool(set(after) & CLOSERS)
    starts = sentence_start(text, toks, a) or _opens_quote(text, first)
    if starts and not closes:
        # "Um, but" -> "But": a capital filler hands its capital on; the
        # dash after it goes too ("Um — it's").
        capital = follow_at if text[first.core_start].isupper() else None
        return Edit(first_at, follow.start if follow else len(text), "", "filler"), capital
    if prev is not None and not is_dash(prev) and (nxt is None or (after and after != ",")):
        # "improve uh." -> "improve."; "moment, ah." -> "moment."; '"yes, uh"'
        # -> '"yes"'; "I mean, uh" at the end -> "I mean": drop the word and
        # what came before it, keep the punctuation that closes the phrase.
        return Edit(_end_of_word(text, prev), last_at, "", "filler"), None
    if prev is not None and ((comma_after(text, prev) and after.startswith(",")) or
                             (is_dash(prev) and dash_after)):
        return _framed(text, toks, a, b, follow), None
    # From the word itself: an opening quote or bracket before it stays.
    if follow is None and prev is not None:
        return Edit(_end_of_word(text, prev), last_at, "", "filler"), None  # "went home (um)"
    return Edit(first_at, follow.start if follow else len(text), "", "filler"), None


def _end_of_word(text: str, tok: Token) -> int:
    """Where a word ends with the quotes and brackets that close after it
    ('"yes,"', "it)"), which stay when what follows goes."""
    trail = text[tok.core_end : tok.end]
    last = max((k for k, c in enumerate(trail) if c in CLOSERS), default=-1)
    return tok.core_end + last + 1


def _framed(text: str, toks: Tokens, a: int, b: int, follow: Token | None) -> Edit:
    """Fillers a..b between commas or dashes ("my brother, uh, moved", "the
    call—um—went"). The marks that only framed them go with them; a mark the
    sentence needs stays ("Well, uh, I think" -> "Well, I think")."""
    end = toks[b + 1].end if b + 1 < len(toks) and is_dash(toks[b + 1]) else toks[b].end
    before = a - 2 if is_dash(toks[a - 1]) and a > 1 else a - 1
    if _needs_mark(text, toks, before, follow):
        # Keep the mark before the fillers; drop them, their own mark and the space after.
        first_at = toks[a].start if _bracketed(text, toks[a]) else toks[a].core_start
        return Edit(first_at, follow.start if follow else end, "", "filler")
    start = _end_of_word(text, toks[before])
    if follow is None:
        return Edit(start, end, "", "filler")
    if text[start].isspace() or (end < len(text) and text[end].isspace()):
        return Edit(start, follow.start - 1 if text[follow.start - 1].isspace() else follow.start, "",
                    "filler")
    return Edit(start, end, " ", "filler")  # "call—um—went" -> "call went"


def _capitalisable(word: str) -> bool:
    """"but" -> "But", never "iPhone" -> "IPhone" or "eBay" -> "EBay"."""
    return bool(word) and word[0].islower() and not any(c.isupper() for c in word[1:])

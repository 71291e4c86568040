"""Fillers and stutters: what speech has and reading does not need.

Works on one paragraph's verbatim text and returns edits (ranges to drop, a
word to capitalise) rather than new text, so the verbatim is never lost and
the page can show exactly what was removed. False positives matter more than
misses: a rule that could delete a meaningful word does not fire.

- Fillers: uh, um, er, ah, hmm (any case, with their punctuation), never a
  word that only looks like one (umbrella, ER in capitals). A filler that
  opened a sentence passes its capital to the next word.
- Stutters: a word or a short phrase said again at once ("I I I think",
  "in the in the", "So, so, so") keeps one copy; a word followed by its own
  contraction ("it it's", "we we're") keeps the contraction. Numbers,
  emphatic doubles (very very, had had, bye bye, no no), `maybe maybe not`,
  `question is is`, `said that that` and repeats across a comma in the middle
  of a clause ("do it, it works") are kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

FILLERS = frozenset({"uh", "um", "uhm", "er", "erm", "ah", "hmm", "hm", "mm", "mhm"})
KEEP_DOUBLE = frozenset({
    "had", "very", "bye", "no", "many", "really", "much", "far", "long", "so-so", "ha", "yeah",
    "knock", "tut", "tsk", "blah", "yada", "chop", "bla", "la", "na", "go", "pom", "do",
})
"""Words whose immediate repeat is usually meant (emphasis, idiom or grammar)."""
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
    "billion", "first", "second", "third",
})
SAY_VERBS = frozenset({
    "said", "say", "says", "think", "thought", "know", "knew", "believe", "mean", "meant",
    "told", "tell", "hope", "guess", "realize", "realized", "feel", "felt", "argue", "argued",
    "claim", "claimed", "show", "showed", "shows", "sure", "aware", "clear", "true", "fact",
    "idea", "notice", "noticed", "agree", "doubt", "saying", "thinking",
})
"""`said that that was wrong`, `sure that that is right`: "that that" is grammatical."""
TELL_VERBS = frozenset({
    "tell", "tells", "told", "show", "shows", "showed", "give", "gives", "gave", "ask", "asked",
    "let", "help", "remind", "reminded", "promise", "promised", "teach", "taught", "bet", "assure",
})
"""`tell you you can`: the object, then the subject of a new clause."""
COPULA_NOUNS = frozenset({
    "question", "problem", "thing", "point", "issue", "reason", "truth", "idea", "difference",
    "answer", "trick", "catch", "hope", "fear", "goal", "worry",
})
"""`the question is is the number even`, `the problem is is that`: a double copula."""
OPENING = frozenset({
    "so", "and", "but", "or", "the", "a", "an", "it", "it's", "we", "they", "you", "he", "she",
    "that", "that's", "this", "there", "there's", "what", "when", "where", "why", "how", "if",
    "is", "are", "was", "well", "yes", "no", "now", "then", "because", "in", "on", "at", "to",
    "for", "with", "my", "our", "your", "i'm", "we're", "they're", "do", "does", "can", "will",
})
"""Common sentence openers: "So So now" at a sentence start is a stutter; other
capitalised doubles there may be a name ("Bora Bora is nice")."""
INTERJECTIONS = frozenset({"oh", "ha", "huh", "hum"})
"""`uh oh`, `ah ha`, `uh huh`: a filler word that is part of an interjection stays."""
UNITS = frozenset({"mm", "hm"})
"""Fillers that are also units after a number ("5 mm")."""
MAX_PHRASE = 4

DASHES = frozenset("—–-")
TOKEN_CORE = re.compile(r"(?<!\S)(?=\S)[\"'“‘(\[]*(?P<word>\S*?)[\"'”’)\].,;:!?…]*(?=\s|$)")
"""A token (a run of non-space): opening quotes and brackets, the word, closing punctuation."""
ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)]*$")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    """The token's characters, punctuation included, in the paragraph's verbatim."""
    core_start: int
    core_end: int
    """The word itself, without surrounding punctuation."""
    word: str
    """Lowercased core, curly apostrophes made straight."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Drop `verbatim[start:end]` (replacement "") or replace it (a capital)."""

    start: int
    end: int
    replacement: str
    kind: str
    """`filler`, `repeat` or `case`."""


def tokens(text: str) -> list[Token]:
    """Every whitespace-separated token with its word core, in one regex pass."""
    return [Token(m.start(), m.end(), m.start("word"), m.end("word"),
                  m.group("word").lower().replace("’", "'"))
            for m in TOKEN_CORE.finditer(text)]


def is_filler(text: str, tok: Token) -> bool:
    """uh, Uh, UH? Lowercase or capitalised only: `ER` and `UM` may be acronyms."""
    core = text[tok.core_start : tok.core_end]
    if tok.word not in FILLERS:
        return False
    if core.isupper() and len(core) > 1:
        return tok.word != "er"  # ER is the emergency room
    return core.islower() or (core[0].isupper() and core[1:].islower()) or len(core) == 1


def _number(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in NUMBER_WORDS


def _sentence_start(text: str, toks: list[Token], i: int) -> bool:
    """Nothing before token i in the paragraph, or the token before ends a sentence."""
    return i == 0 or bool(ENDS_SENTENCE.search(text[toks[i - 1].start : toks[i - 1].end]))


def _comma_after(text: str, tok: Token) -> bool:
    return text[tok.core_end : tok.end].startswith(",")


def _keep_repeat(text: str, toks: list[Token], i: int, n: int, contraction: bool = False) -> bool:
    """Whether an immediate repeat of the n words at token i is meant."""
    first = toks[i : i + n]
    words = [t.word for t in first]
    if any(_number(w) for w in words):
        return True
    gap = text[first[-1].core_end : toks[i + n].core_start]
    if re.search(r"[.?!…;:\"“”‘’()\[\]]|(?<!\w)'|'(?!\w)", gap):
        return True  # "repair it. It may", 'the word "word"': a sentence end or a quote between
    if "," in gap:
        # Across a comma only a clause opener repeats by accident ("So, so").
        opener = i == 0 or _sentence_start(text, toks, i) or _comma_after(text, toks[i - 1])
        if not opener:
            return True
    if n == 1 and contraction:
        prev = toks[i - 1].word if i > 0 else ""
        # "said that that's wrong", "told you you'd like it"
        return (words[0] == "that" and prev in SAY_VERBS) or (words[0] == "you" and prev in TELL_VERBS)
    one, two = text[first[0].core_start], text[toks[i + n].core_start]
    start = _sentence_start(text, toks, i)
    if one.isupper() and two.islower() and not start:
        return True  # "I think Will will know", "In May may be": a name, then a word
    if one.isupper() and two.isupper() and words[0] != "i" and (not start or words[0] not in OPENING):
        return True  # "Walla Walla", "Duran Duran", "Bora Bora is nice"
    if n == 1:
        w = words[0]
        prev = toks[i - 1].word if i > 0 else ""
        nxt = toks[i + 2].word if i + 2 < len(toks) else ""
        if w in KEEP_DOUBLE:
            return True
        if w == "maybe" and nxt == "not":
            return True
        if w == "is" and COPULA_NOUNS & {t.word for t in toks[max(0, i - 6) : i]}:
            return True  # "the big question in all of AI is is reasoning enough"
        if w == "is" and {"what", "whatever", "all"} & {t.word for t in toks[max(0, i - 4) : i]}:
            return True  # "What it is is a tool"
        if w == "that" and prev in SAY_VERBS:
            return True
        if w == "you" and prev in TELL_VERBS:
            return True
    return n > 1 and ("and" in words or "or" in words)  # "another and another": a list


def find_edits(text: str, fillers: bool = True, stutters: bool = True) -> list[Edit]:
    """Every filler and stutter in one paragraph (see `edits_of`)."""
    return list(edits_of(text, fillers, stutters))


@functools.lru_cache(maxsize=1 << 16)
def edits_of(text: str, fillers: bool = True, stutters: bool = True) -> tuple[Edit, ...]:
    """Every filler and stutter in one paragraph, as edits of its verbatim text.
    A pure function of the text, cached: a sidecar edit re-cleans nothing.

    Fillers go first; repeats are then found in the text as it reads without
    them (so "from uh from" is a repeat, and cleaning twice changes nothing),
    and their edits are mapped back onto the verbatim."""
    edits = _filler_edits(text) if fillers else []
    if stutters:
        without, where = _applied(text, edits)
        for e in _repeats(without):
            start = where[e.start]
            end = where[e.end] if e.end < len(without) else len(text)
            edits.append(Edit(start, end if e.replacement == "" else start + 1, e.replacement, e.kind))
    edits = _merge(edits)
    drops = [e for e in edits if not e.replacement]
    return tuple(sorted((e for e in edits
                         if not e.replacement or not any(d.start <= e.start < d.end for d in drops)),
                        key=lambda e: e.start))


def _applied(text: str, edits: list[Edit]) -> tuple[str, list[int]]:
    """The text with `edits` applied, and for each of its characters the offset
    of the verbatim character it came from."""
    out: list[str] = []
    where: list[int] = []
    at = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < at:
            continue
        out.append(text[at : e.start])
        where.extend(range(at, e.start))
        out.append(e.replacement)
        where.extend([e.start] * len(e.replacement))
        at = e.end
    out.append(text[at:])
    where.extend(range(at, len(text)))
    return "".join(out), where


def _filler_edits(text: str) -> list[Edit]:
    toks = tokens(text)
    edits: list[Edit] = []
    capitalise: set[int] = set()
    kept: list[int] = []
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if is_filler(text, tok) and not (i and tok.word in UNITS and _number(toks[i - 1].word)) \
                and not (nxt and nxt.word in INTERJECTIONS):
            after = text[tok.core_end : tok.end]
            if _sentence_start(text, toks, i) and (i == 0 or kept or not edits):
                capitalise.add(i + 1)
            elif kept and (nxt is None or (after and after != ",")):
                # "improve uh." -> "improve."; "moment, ah." -> "moment."; '"yes, uh"'
                # -> '"yes"'; "I mean, uh" at the end -> "I mean": drop the word and
                # what came before it, keep the punctuation that closes the phrase.
                edits.append(Edit(toks[kept[-1]].core_end, tok.core_end, "", "filler"))
                continue
            end = nxt.start if nxt else tok.end
            if nxt and set(text[nxt.start : nxt.end]) <= DASHES:
                # "Well — um — it's" -> "Well — it's": one dash goes with the filler.
                after_dash = toks[i + 2] if i + 2 < len(toks) else None
                end = after_dash.start if after_dash else nxt.end
                if i + 1 in capitalise:
                    capitalise.add(i + 2)
            # From the word itself: an opening quote or bracket before it stays.
            edits.append(Edit(tok.core_start, end, "", "filler"))
            if i + 1 in capitalise and nxt and is_filler(text, nxt):
                capitalise.add(i + 2)
            continue
        kept.append(i)
    for i in sorted(capitalise):
        if i < len(toks) and _capitalisable(text[toks[i].core_start : toks[i].core_end]):
            first = toks[i].core_start
            edits.append(Edit(first, first + 1, text[first].upper(), "case"))
    return edits


def _capitalisable(word: str) -> bool:
    """"but" -> "But", never "iPhone" -> "IPhone" or "eBay" -> "EBay"."""
    return bool(word) and word[0].islower() and not any(c.isupper() for c in word[1:])


def _repeat_at(text: str, toks: list[Token], i: int) -> tuple[list[Edit], int]:
    """The edits collapsing a repeat that starts at token i, and how many tokens
    it spans (0: none starts there)."""
    w0 = toks[i].word
    for n in range(1, MAX_PHRASE + 1):
        if i + 2 * n > len(toks):
            break
        w1 = toks[i + n].word
        if w1 != w0 and not (n == 1 and w1.startswith(w0 + "'")):
            continue  # cheap test first: most words start no repeat
        one = [t.word for t in toks[i : i + n]]
        two = [t.word for t in toks[i + n : i + 2 * n]]
        # Words then the same words ending in a contraction: "it it's",
        # "when you when you've" -> keep the second copy.
        if one[:-1] == two[:-1] and two[-1].startswith(one[-1] + "'") \
                and one[-1].isalpha() and not any(_number(w) for w in one):
            a, b = toks[i], toks[i + n]
            if _keep_repeat(text, toks, i, n, contraction=True):
                continue
            out = [Edit(a.start, b.start, "", "repeat")]
            if text[a.core_start].isupper() and text[b.core_start].islower():
                out.append(Edit(b.core_start, b.core_start + 1, text[b.core_start].upper(), "case"))
            return out, 2 * n
        if one != two or not all(any(c.isalnum() for c in w) for w in one):
            continue
        if _keep_repeat(text, toks, i, n):
            continue
        # Drop from the end of the first copy's last word to the end of the
        # second copy's last word: the first copy keeps its case, the last
        # copy's punctuation stays ("So, so, so attention" -> "So attention").
        return [Edit(toks[i + n - 1].core_end, toks[i + 2 * n - 1].core_end, "", "repeat")], 2 * n
    return [], 0


def _one_pass(text: str) -> list[Edit]:
    """Collapse every repeat found in one left-to-right scan (they do not overlap)."""
    toks = tokens(text)
    edits: list[Edit] = []
    i = 0
    while i < len(toks) - 1:
        found, span = _repeat_at(text, toks, i)
        edits += found
        i += span or 1
    return edits


def _repeats(text: str) -> list[Edit]:
    """Collapse immediate repeats pass after pass, looking again at the text each
    pass leaves ("I I think I think" -> "I think I think" -> "I think"), and
    return the edits in the coordinates of `text`."""
    edits: list[Edit] = []
    current, where = text, list(range(len(text)))
    while found := _one_pass(current):
        for e in found:
            start = where[e.start]
            if e.replacement:
                edits.append(Edit(start, start + 1, e.replacement, e.kind))
            else:
                end = where[e.end] if e.end < len(current) else len(text)
                edits.append(Edit(start, end, "", e.kind))
        current, step = _applied(current, found)
        where = [where[k] for k in step]
    return edits


def _merge(edits: list[Edit]) -> list[Edit]:
    """Overlapping drops (a filler inside a repeat, repeated passes) become one."""
    drops = sorted((e for e in edits if not e.replacement), key=lambda e: (e.start, -e.end))
    out: list[Edit] = []
    for e in drops:
        if out and e.start <= out[-1].end and not out[-1].replacement:
            last = out[-1]
            if e.end > last.end:
                out[-1] = Edit(last.start, e.end, "", last.kind)
            continue
        out.append(e)
    return out + [e for e in edits if e.replacement]


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

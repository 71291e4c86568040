"""Repeats that are meant: each rule says why one is kept."""

from __future__ import annotations

import re

from .tokens import DASHES, Tokens, comma_after, sentence_start
from .words import (
    ARTICLES,
    AUXILIARIES,
    BE_FORMS,
    CLAUSE_OPENERS,
    CLAUSE_SUBJECTS,
    CONJUNCTIONS,
    CONTRACTED,
    COPULA_NOUNS,
    DETERMINERS,
    FUNCTION,
    KEEP_DOUBLE,
    LOCATIVE_HEADS,
    MAIN_VERBS,
    NAMES_TOO,
    NEGATIVES,
    NOT_AN_END,
    NOT_STUTTERS,
    OBJECT_THEN_SUBJECT,
    OBJECTS,
    OPENERS,
    PARTICLES,
    PHRASAL_HEADS,
    PHRASE_END,
    PIVOTS,
    PLURALS,
    POSSESSIVES,
    PREPOSITIONS,
    RUN_STUTTERS,
    SAY_WORDS,
    SOOTHING,
    SUBJECT_PRONOUNS,
    SUBJECTS,
    SUBORDINATORS,
    THINK_VERBS,
    WH_WORDS,
    is_function,
    is_number,
)


class Repeat:
    """The n words at token i, said again at once; what the rules ask of it is
    worked out once."""

    __slots__ = ("after", "contraction", "dash", "gap", "i", "inside_quotes", "last", "n", "prev",
                 "second", "text", "toks", "words")

    def __init__(self, text: str, toks: Tokens, i: int, n: int, contraction: bool,
                 inside_quotes: list[bool], dash: int = 0) -> None:
        self.text, self.toks, self.i, self.n = text, toks, i, n
        self.contraction = contraction
        """The second copy ends in a contraction of the first's last word ("it it's")."""
        self.inside_quotes = inside_quotes
        self.dash = dash
        """1 when a dash stands between the copies ("I—I don't")."""
        self.second = i + n + dash
        """The index of the second copy's first token..."""
        self.last = self.second + n - 1
        """...and of its last."""
        words = toks.words
        self.words = words[i : i + n]
        self.prev = words[i - 1] if i > 0 else ""
        self.after = words[self.last + 1] if self.last + 1 < toks.n else ""
        self.gap = text[toks[i + n - 1].core_end : toks[self.second].core_start]
        """What lies between the two copies."""

    def opens(self, k: int) -> bool:
        """Token k starts a sentence or follows a comma."""
        return sentence_start(self.text, self.toks, k) or comma_after(self.text, self.toks[k - 1])


def _number_repeat(r: Repeat) -> bool:
    """"born in eighteen eighteen", "nineteen ninety nineteen ninety": a number."""
    return any(map(is_number, r.words))


def _across_a_boundary(r: Repeat) -> bool:
    """"repair it. It may", 'the word "word"', "What do you want to do? You
    want to": a sentence end or a quote between the copies or inside them."""
    toks = r.toks
    return bool(BOUNDARY.search(r.text, toks[r.i].core_end, toks[r.last].core_start))


def _across_a_pause(r: Repeat) -> bool:
    """Across a comma or a dash a function word repeats by accident ("get the,
    the pan", "I—I don't", "was, was"), unless it can end one clause and open
    the next ("on it, it seems", "I think so, so we left"), or a clause opens
    with it ("So, so")."""
    if not ("," in r.gap or DASHES & set(r.gap) or "--" in r.gap):
        return False
    opener = r.opens(r.i) or (r.prev in CONJUNCTIONS and r.opens(r.i - 1))
    return not opener and r.words[-1] in PIVOTS


def _in_quotes(r: Repeat) -> bool:
    """'yelling "faster faster"': quoted words are given as they were said."""
    return all(r.inside_quotes[r.i : r.last + 1])


def _content_words(r: Repeat) -> bool:
    """"the tom tom drum", "coffee coffee or decaf", "Defense, defense": a repeat
    of content words only is reduplication, contrast or a chant."""
    return not any(is_function(w) and w not in NOT_STUTTERS for w in r.words)


def _names(r: Repeat) -> bool:
    """"I think Will will know", "Walla Walla": a name, then a word or the name again."""
    if r.contraction:
        return False  # "So That that's": a capital in captions, not a name
    text, toks, i = r.text, r.toks, r.i
    one, two = text[toks[i].core_start], text[toks[r.second].core_start]
    start = sentence_start(text, toks, i)
    if one.isupper() and two.islower() and (not start or r.words[0] in NAMES_TOO):
        return True
    me = r.words[0] == "i" or r.words[0].startswith("i'")
    return one.isupper() and two.isupper() and not me and (not start or r.words[0] not in OPENERS)


def _idiom_chain(r: Repeat) -> bool:
    """"year after year after year", "decades and decades and": a word linked to
    itself again and again, or a list; "and then and then" restarts a clause."""
    if r.n > 1 and {"and", "or"} & set(r.words[1:]):
        return True
    if r.n != 2:
        return False
    a, b = r.words

    def link(word: str, other: str) -> bool:
        """`word` links `other` to itself: "year after year", "another and another";
        in "in the in the in the" neither links the other."""
        return word in {"and", "or"} or (word in FUNCTION and not is_function(other))

    return (link(b, a) and r.after == a) or (link(a, b) and r.prev == b)


def _exclaimed(r: Repeat) -> bool:
    """"Come on, come on!": an exclamation repeats on purpose."""
    last = r.toks[r.last]
    return "!" in r.text[last.core_end : last.end]


ENDS_PHRASE = re.compile(r"[,.!?;:…]")
BOUNDARY = re.compile(r"[.?!…;:\"“”‘’()\[\]]|(?<!\w)'|'(?!\w)")


def _stands_alone(r: Repeat) -> bool:
    """"Now now, don't cry", "There, there.", "it was so so.": a double that
    ends its phrase restarts nothing."""
    if r.n != 1 or r.contraction or r.words[0] in NOT_AN_END:
        return False
    if r.words[0] in SOOTHING and r.gap.strip() in ("", ",") and r.opens(r.i) \
            and r.after not in BE_FORMS:
        return True  # "now now don't cry", "There, there."
    if r.gap.strip():
        return False
    second = r.toks[r.second]
    return bool(ENDS_PHRASE.match(r.text[second.core_end : second.end]))


def _two_jobs(r: Repeat) -> bool:
    """One word, twice, where each copy may have its own job."""
    if r.n != 1:
        return False
    w, prev, after = r.words[0], r.prev, r.after
    if r.contraction:  # "that that's": the second copy is "that" and a verb
        after = CONTRACTED.get(r.toks[r.second].word.partition("'")[2], "")
    if w in KEEP_DOUBLE and not r.contraction:
        return True
    if w == "maybe" and after == "not":
        return True  # "maybe, maybe not"
    if w == "so" and prev in SO_VERBS:
        return True  # "I would imagine so so what were you doing": "so" ends a clause, then opens one
    if w in {"so", "too"} and _joined_to_prev(r) and (
            prev in BE_FORMS | {"be", "been", "am", "felt", "feel", "looks", "looked"}
            or prev.endswith(("'s", "'re", "'m"))):
        return True  # "it was so so", "it's so so good": so-so, or emphasis
    before = set(r.toks.words[max(0, r.i - 6) : r.i])
    if w in {"is", "was"} and (COPULA_NOUNS & before or after == "that"):
        return True  # "the big question in all of AI is is reasoning enough", "my worry is is that"
    if w in AUXILIARIES and CLAUSE_SUBJECTS & set(r.toks.words[max(0, r.i - 4) : r.i]):
        return True  # "What it is is a tool"
    if w == "her":
        return True  # "ask her her name": object, then possessive
    if prev in ARTICLES and (w in CONJUNCTIONS or w in PREPOSITIONS):
        return True  # "for a while while we waited": a noun, then the word itself
    if w in OBJECT_THEN_SUBJECT | {"that"} and prev in PREPOSITIONS \
            and prev not in PARTICLES | SUBORDINATORS | {"than"} and (w == "that" or prev != "like"):
        return True  # "the cost of it it has", "things like that that we need": object, then subject
    if w == "you" and after == "know" and not r.contraction and not _clause_after_know(r):
        return True  # "if you you know have a family": the second opens "you know"
    if w == "that":
        return _that_that(r, prev, after)
    if w in OBJECT_THEN_SUBJECT and _verb_before(r):
        return True  # "tell you you can", "I love it it's great"
    if w == "there":
        return after not in BE_FORMS or prev in LOCATIVE_HEADS  # "There there, it's all right"
    if w in PARTICLES:
        two_back = r.toks.words[r.i - 2] if r.i > 1 else ""
        return bool(_stems(prev) & PHRASAL_HEADS) or (prev in OBJECTS and bool(two_back)
                                                      and two_back not in FUNCTION)  # "log in in"
    return False


def _joined_to_prev(r: Repeat) -> bool:
    """Nothing but a space between the word before and the repeat."""
    return r.i > 0 and not r.text[r.toks[r.i - 1].core_end : r.toks[r.i].core_start].strip()


def _verb_before(r: Repeat) -> bool:
    """The word before the repeat may be a verb taking it as object: a content
    word, not a number, not a noun after an article ("the endpoint it it
    opens"), with no punctuation between."""
    if r.i == 0 or (is_function(r.prev) and r.prev not in MAIN_VERBS) or is_number(r.prev):
        return False
    if r.prev.endswith("ly") and not r.prev.endswith("ply") and len(r.prev) > 4:
        return False  # "honestly it it worked": an adverb
    if r.prev in CLOSING_WORDS:
        return False  # "yeah it it is": an answer word, not a verb
    if r.prev in THINK_VERBS:
        return False  # "I think you you said": a clause follows, not an object
    if not _joined_to_prev(r):
        return False
    return r.i < 2 or r.toks.words[r.i - 2] not in DETERMINERS | POSSESSIVES


def _stems(word: str) -> set[str]:
    """The forms a verb may have come from: "logged" -> log, "moving" -> move."""
    out = {word}
    for ending in ("ing", "ed", "es", "s", "d"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)]
            out |= {stem, stem + "e", stem[:-1]}
    return out


def _that_that(r: Repeat, prev: str, after: str) -> bool:
    """"the box that that courier left" (relative, then demonstrative) and "said
    that that was wrong" are meant; "a team that that tries" is a stutter:
    no demonstrative stands before a verb, a plural or a pronoun."""
    # A capital mid-sentence starts a new sentence in captions: "so so That that's".
    capital = r.text[r.toks[r.i].core_start].isupper()
    clause = bool(_stems(prev) & SAY_WORDS) and not capital
    if r.contraction:
        return clause
    if not after or is_function(after):
        return clause and after in AUXILIARIES | NEGATIVES
    if after in PLURALS or (after.endswith("s") and not after.endswith(("ss", "us", "is"))):
        return clause  # "that that makes sense": a subject, then its verb
    return True


def _clause_after_know(r: Repeat) -> bool:
    """"but you you know it's": after "you know" a clause starts, so the
    first "you" is no subject waiting for its verb."""
    k = r.last + 2
    nxt = r.toks[k].word if k < len(r.toks) else ""
    return nxt in SUBJECTS or nxt.endswith("'s") or nxt in WH_WORDS or nxt in {"that", "if"}


def _said_again(r: Repeat) -> bool:
    """"it's wonderful, it's wonderful.", "get a dog, get a dog", "I think it
    is, I think it is": a phrase said again that ends its sentence or phrase
    both times is whole, said again on purpose; so is a short clause of "it's"
    and a word ("that's true that's true"), and a noun phrase that ends one
    clause and opens the next ("at the beach, the beach is great")."""
    if r.n < 2:
        return False
    words = r.words
    last = words[-1]
    if last in NOT_AN_END or (last in PREPOSITIONS and last not in PARTICLES) or last in CONJUNCTIONS:
        return False
    if r.last + 1 == r.toks.n or _ends_phrase(r, r.last):
        return True
    if r.after in CLOSING_WORDS:
        return True  # "I see I see well good", "good for you good for you yeah": the clause ended
    if words[0] in DETERMINERS | POSSESSIVES and r.prev in PREPOSITIONS and "," in r.gap \
            and (r.after in AUXILIARIES or r.after in NEGATIVES):
        return True  # "at the beach, the beach is great": object, then subject
    stem, _, verb = words[0].partition("'")
    return verb in ("s", "re") and stem in COPULA_SUBJECTS and not is_function(last) \
        and not any(w in DETERMINERS or w in POSSESSIVES for w in words[1:])


def _ends_phrase(r: Repeat, k: int) -> bool:
    tok = r.toks[k]
    return any(c in PHRASE_END for c in r.text[tok.core_end : tok.end])


def _whole_clause(r: Repeat) -> bool:
    """"I know I know", "I don't know I don't know", "I agree I agree": a
    clause complete in itself is said again on purpose, even where no
    punctuation shows that it ended. So is a question whose verb ends it
    ("where was that was that downtown": two questions), and a "have" with no
    object ("they have they have they moved it": a subject, not an object,
    follows). The clause may be read from a word or two later ("you know I
    don't know I don't know": "know I don't" twice is the same repetition)."""
    words = r.words
    if r.n >= 2:
        said = r.toks.words
        for a in range(r.i, r.i + r.n):
            copy = said[a : a + r.n]
            if said[a + r.n : a + 2 * r.n] != copy:
                break
            if copy[0] in {"i", "we"} and copy[-1] in WHOLE_ENDS \
                    and all(w in WHOLE_MIDDLES for w in copy[1:-1]):
                return True
    if r.n == 2 and words[0] in {"is", "was", "are", "were"} and words[1] in PIVOTS and r.prev in WH_WORDS:
        return True
    return r.n >= 2 and words[-1] in {"have", "has", "had"} and r.after in NOMINATIVES


def _ends_a_clause(r: Repeat) -> bool:
    """"what it would be, it would be money", "when he grew up he grew up
    with", "who do you think you're talking to, you're talking to", "what do you
    listen to do you listen to", "the job
    that I will have will have": a clause opened by a wh-word, a subordinator
    or "that" may end with the first copy, the second then opening the next
    clause: a copy that starts with a subject, or follows one, in such a clause."""
    if r.n < 2:
        return False
    words, k = r.toks.words, r.i - 1
    first = r.words[0]
    if first in SUBJECTS or first in SUBJECT_PRONOUNS or (
            first in AUXILIARIES and r.words[1] in SUBJECT_PRONOUNS):
        openers = CLAUSE_OPENERS if not all(map(is_function, r.words)) else WH_OBJECTS
        return any(w in openers for w in words[_clause_start(r) : r.i])
    return k > 0 and words[k] in SUBJECT_PRONOUNS and words[k - 1] in CLAUSE_OPENERS and (
        words[k - 1] in WH_OBJECTS or not all(map(is_function, r.words)))


def _clause_start(r: Repeat) -> int:
    """Where the clause the repeat stands in starts, six words back at most:
    after a sentence end or a comma."""
    k = r.i
    toks = r.toks
    while k > max(0, r.i - 6) and not PHRASE_END & set(r.text[toks[k - 1].core_end : toks[k - 1].end]):
        k -= 1
    return k


def _letters(r: Repeat) -> bool:
    """"T I A A", "a a r p", "the U S, the U S": letters spelled out, not a word said twice."""
    if any(len(w) == 1 and w.isalpha() and w not in "ai" for w in r.words):
        return True  # "the u s, the u s"
    if not all(len(w) == 1 for w in r.words):
        return False
    return any(len(w) == 1 and w not in r.words for w in (r.prev, r.after))


RUN_REACH = 8
"""How many copies on either side a run is followed: eight are emphasis enough."""


def _emphasis(r: Repeat) -> bool:
    """"all about me, me, me", "up, up, up, up", "I don't know, I don't know, I
    don't know": three copies or more of words that can end a phrase are said
    for emphasis and kept whole ("I I I think" and "So, so, so" are stutters).
    A single word's run must end its phrase too."""
    w = r.words[-1]
    if w in RUN_STUTTERS or (w in PREPOSITIONS and w not in PARTICLES) or w in CONJUNCTIONS:
        return False
    n = 1 if len(set(r.words)) == 1 else r.n  # "me me" twice is a run of "me"
    words, text, toks = r.toks.words, r.text, r.toks
    copy = words[r.i : r.i + n]

    def same(k: int) -> bool:  # another copy at token k, with no sentence end before it
        return k >= 0 and k + n <= toks.n and words[k : k + n] == copy and \
            not BOUNDARY.search(text, toks[k].core_end, toks[k + n - 1].core_start)

    a = r.i
    while r.i - a < RUN_REACH * n and same(a - n) \
            and not BOUNDARY.search(text, toks[a - 1].core_end, toks[a].core_start):
        a -= n
    b = first_b = r.last - n + 1  # the last copy's start
    while b - first_b < RUN_REACH * n:  # the next copy, past a stutter on its first word
        k = b + n
        while k + 1 < toks.n and words[k] == words[k + 1] == copy[0] and n > 1:
            k += 1
        if not same(k) or BOUNDARY.search(text, toks[b + n - 1].core_end, toks[k].core_start):
            break
        b = k
    if (b + n - a) // n < 3:
        return False
    return n > 1 or b - first_b >= RUN_REACH * n or b + 1 == toks.n or _ends_phrase(r, b)



def _copies_begin(r: Repeat, words: list[str], a: int, n: int) -> tuple[int, bool]:
    """Where the run of `n`-word copies read from token `a` begins (a sentence
    end ends it), and whether that was seen within `SHIFT_REACH` copies back
    (else the run is longer)."""
    toks = r.toks
    for _ in range(SHIFT_REACH):
        if a - n < 0 or words[a - n : a] != words[a : a + n] \
                or BOUNDARY.search(r.text, toks[a - n].core_end, toks[a].core_start):
            return a, True
        a -= n
    return a, False


def _shifted(r: Repeat) -> bool:
    """"I don't know, I don't know, I don't know": the same words read from a
    word later ("don't know, I" twice) are the same repetition; kept if it is
    kept read from its start, the reading whose run begins first. ("in the in
    the in the" read as "the in" begins a word after its run, so it is not.)"""
    if r.n < 2 or r.dash or r.contraction:
        return False
    words = r.toks.words
    here, seen_here = _copies_begin(r, words, r.i, r.n)
    for k in range(1, r.n):
        a = r.i - k
        if a < 0 or words[a : a + r.n] != words[a + r.n : a + 2 * r.n] or r.toks.n < a + 2 * r.n:
            break
        begins, seen = _copies_begin(r, words, a, r.n)
        if not (seen and seen_here and begins < here):
            continue
        other = Repeat(r.text, r.toks, a, r.n, False, r.inside_quotes)
        if not _across_a_boundary(other) and (_said_again(other) or _emphasis(other) or _whole_clause(other)):
            return True
    return False


SHIFT_REACH = 64
"""Copies `_shifted` looks back over for where a run begins: a run longer than
this (said 64 times) is a stutter loop, read as it comes."""


SO_VERBS = frozenset({"think", "thought", "guess", "guessed", "hope", "hoped", "imagine", "imagined",
                      "suppose", "supposed", "believe", "believed", "expect", "expected", "afraid",
                      "say", "said", "says", "tell", "told"})
"""Verbs that take "so" for a whole clause: "I think so", "I'm afraid so"."""
WHOLE_ENDS = frozenset({"know", "agree", "so", "too"})
"""How a short clause that is complete in itself ends: "I know", "I think so", "I do too"."""
WHOLE_MIDDLES = frozenset({"do", "don't", "did", "didn't", "not", "really", "just", "think", "guess",
                           "hope", "suppose", "believe"})
"""What may stand between its subject and its end: "I don't really know", "I guess so"."""
NOMINATIVES = frozenset({"i", "we", "they", "he", "she"})
"""Pronouns that are never an object: after one, the verb before had none."""
WH_OBJECTS = frozenset({"what", "whatever", "which", "who", "whom", "that"})
"""Openers after which a clause of function words only may end ("what it would be")."""
CLOSING_WORDS = frozenset({"well", "yeah", "yes", "no", "okay", "oh", "anyway", "right"})
"""Words that open a new turn of speech: a clause before them has ended."""
COPULA_SUBJECTS = frozenset({"that", "it", "he", "she", "there", "they", "you", "we", "what"})
"""Words whose "'s" or "'re" makes a clause with the word after: "that's true"."""

PLAIN_STUTTERS = frozenset(
    w for w in FUNCTION - NOT_STUTTERS - KEEP_DOUBLE - AUXILIARIES - OBJECT_THEN_SUBJECT - PARTICLES
    - SOOTHING - NAMES_TOO - {"maybe", "so", "too", "her", "that", "there"} if not is_number(w))
"""Function words whose double, written plainly in the middle of a sentence
("the the", "and and", "I I"), no keep rule can save: `one_pass` collapses
them without asking each rule."""

KEEP_RULES = (_two_jobs, _content_words, _across_a_boundary, _names, _stands_alone, _number_repeat,
              _across_a_pause, _in_quotes, _idiom_chain, _exclaimed, _said_again, _whole_clause,
              _ends_a_clause, _letters, _emphasis, _shifted)
"""Each says why a repeat is meant; one is enough to keep it. (Each is a pure
test, so their order changes nothing but speed: those that most often keep a
repeat come first.)"""


def keep_repeat(r: Repeat) -> bool:
    for rule in KEEP_RULES:  # noqa: SIM110 (a loop: any() over a generator costs a third more here)
        if rule(r):
            return True
    return False

"""The `edited` level: what clean-verbatim transcription removes besides
fillers and stutters, only where the words' shape says they carry nothing.

Runs on the text as the `clean` level leaves it (so everything `clean` removes
goes too) and returns edits of that text. Tuned on the Switchboard corpus's
hand-marked disfluencies (`bench/switchboard.py --level edited`): a rule
stays only if nearly every word it removes is marked there, and none of the
rest changes what was said.

- "you know" and "I mean" set off as a clause of their own: between commas
  ("it was, you know, huge"), opening a sentence before a comma ("I mean, it
  works"), or closing one after a comma (", you know." -> "."). Never one
  with a job: "if you know the answer", "do you know", "I mean what I say",
  "what I mean is" (no comma or sentence start before), "You know." alone,
  ", you know?" (a question asked), "you know, what I mean?" and "you know,
  that..." (a wh-word, "that", "if" or "whether" after may be the verb's
  object), "You know, how many ... ?" (a question).
- "Well," and "Oh," opening a sentence ("Well, I think" -> "I think"), and
  "well" before a subject without a comma ("Well I think"); never "well
  water", "Oh, my", "Oh, no", "Oh, really". Not "so": the corpus marks an
  opening "So," a conjunction (it says "therefore") more often than not, and
  not "like": between commas it is as often "such as" or a quote ("I was,
  like, gosh") as a filler.
- Restarts at a cut-off word: the fragment, when the next word completes
  it ("a sh- shorter one"), or with the words before it that the speaker
  says again ("the fam-, the families" -> "the families"). A cut word is
  never dropped otherwise ("pre- and post-war").

Markers in a row ("Well, you know, I") go as one. A marker opening a
sentence hands its capital on; commas that only framed a marker go with it,
one the sentence needs stays (as for fillers), and so does one between words
said on both sides of it, for the caller to collapse them if they are a
stutter ("the, you know, the pan" -> "the pan", "do it, you know, it works"
-> "do it, it works").
"""

from __future__ import annotations

from .fillers import _capitalisable, _end_of_word, _needs_mark
from .tokens import ENDS_SENTENCE, Edit, Tokens, comma_after, sentence_start
from .words import MAX_PHRASE, SUBJECTS, WH_WORDS

PAIRS = frozenset({("you", "know"), ("i", "mean")})
"""Two-word markers."""
OPENERS = frozenset({"well", "oh"})
"""Words that open an utterance and carry nothing when a comma sets them off."""
NOT_AFTER_OH = frozenset({"my", "no", "dear", "boy", "god", "gosh", "man", "wow", "well", "gee", "lord",
                          "jeez", "geez", "golly", "brother", "yes", "yeah", "okay", "ok", "really"})
"""`Oh, my`, `Oh, no`, `Oh, boy`, `Oh, really?`: the two words are one exclamation."""
CLAUSE_AFTER = WH_WORDS | {"that", "if", "whether"}
"""Words after "you know" or "I mean" that may open the verb's object."""


def _marker(words: list[str], i: int) -> int:
    """How many words a discourse marker at token i has (0: none)."""
    w = words[i]
    if i + 1 < len(words) and (w, words[i + 1]) in PAIRS:
        return 2
    return 1 if w in OPENERS else 0


def _right(text: str, toks: Tokens, j: int) -> str:
    """What closes token j: "comma", "stop" (a full stop), "end" (the paragraph
    ends with no mark) or "" (anything else: a question, a quote, no mark)."""
    tok = toks[j]
    if j + 1 < toks.n and toks[j + 1].dash:
        return ""
    tail = text[tok.core_end : tok.end]
    if tail == ",":
        return "comma"
    if tail == ".":
        return "stop"
    if tail == "" and j == toks.n - 1:
        return "end"
    return ""


def _left(text: str, toks: Tokens, i: int) -> str:
    """What opens at token i: "start" (a sentence), "comma" (after one) or ""."""
    tok = toks[i]
    if tok.start != tok.core_start:
        return ""  # a quote or a bracket opens with it
    if sentence_start(text, toks, i):
        return "start"
    if i and not toks[i - 1].dash and comma_after(text, toks[i - 1]) and \
            text[toks[i - 1].core_end : toks[i - 1].end] == ",":
        return "comma"
    return ""


def _member(text: str, toks: Tokens, i: int, m: int, left: str, first: bool, right: str) -> bool:
    """Whether the marker of m words at token i may go, given what opens
    before it (for a marker in a row, what opened the row) and closes after it."""
    words = toks.words
    w = words[i]
    nxt = words[i + m] if i + m < len(words) else ""
    if m == 2:
        if right != "comma" and not (right in ("stop", "end") and left == "comma"):
            return False  # "You know." on its own is a sentence, "you know I was" may be one
        if nxt in CLAUSE_AFTER:
            return False  # "you know, what I mean?", "I mean, that..." may be the verb's object
        return not (left == "start" and first and _question(text, toks, i))
    # well, oh: only opening a sentence
    if not first or left != "start":
        return False
    if w == "oh" and nxt in NOT_AFTER_OH:
        return False
    if right == "comma":
        return bool(nxt)
    return right == "" and w == "well" and nxt in SUBJECTS


def _question(text: str, toks: Tokens, i: int) -> bool:
    """The sentence token i is in ends with a question mark ("You know, how
    many people are in the band?" asks whether the listener knows)."""
    for k in range(i, toks.n):
        if ENDS_SENTENCE.search(toks.chunks[k]):
            return "?" in toks.chunks[k]
    return False


def marker_edits(text: str, toks: Tokens) -> tuple[list[Edit], list[Edit]]:
    """Discourse markers that carry nothing, as edits of `text`; and the same
    markers dropped with the comma before them kept, for finding the repeats
    they stood between: "the, you know, the pan" reads "the, the pan" (a
    stutter), "a dog, you know, a dog can" reads "a dog, a dog can" (kept)."""
    words = toks.words
    n = toks.n
    edits: list[Edit] = []
    bridges: list[Edit] = []
    i = 0
    while i < n:
        m = _marker(words, i)
        if not m:
            i += 1
            continue
        left = _left(text, toks, i)
        if not left:
            i += 1
            continue
        a, b, at = i, -1, i
        while at < n and (m := _marker(words, at)):
            right = _right(text, toks, at + m - 1)
            if not _member(text, toks, at, m, left, at == a, right):
                break
            b = at + m - 1
            if right != "comma" or toks[at + m - 1].start != toks[at + m - 1].core_start:
                break
            at = b + 1
        if b < 0:
            i += 1
            continue
        got = _drop(text, toks, a, b, left, _right(text, toks, b))
        edits += got
        if left == "comma" and b + 1 < n:
            bridges.append(Edit(toks[a].start, toks[b + 1].start, "", "discourse"))
        else:
            bridges += got
        i = b + 1
    return edits, bridges


def _drop(text: str, toks: Tokens, a: int, b: int, left: str, right: str) -> list[Edit]:
    """The edits dropping markers a..b with the marks that only framed them."""
    first, last = toks[a], toks[b]
    follow = toks[b + 1] if b + 1 < toks.n else None
    prev = toks[a - 1] if a else None
    if left == "start":
        if follow is None:
            return [Edit(_end_of_word(text, prev) if prev else 0, len(text), "", "discourse")]
        out = [Edit(first.start, follow.start, "", "discourse")]
        if right in ("comma", "") and text[first.core_start].isupper() and \
                _capitalisable(text[follow.core_start : follow.core_end]):
            at = follow.core_start
            out.append(Edit(at, at + 1, text[at].upper(), "capital"))
        return out
    assert prev is not None
    if right in ("stop", "end") or follow is None:
        return [Edit(_end_of_word(text, prev), last.core_end, "", "discourse")]  # ", you know." -> "."
    if _said_again(toks.words, a, b) or _needs_mark(text, toks, a - 1, follow):
        # "do it, you know, it works": the comma stays between words said twice
        # (a stutter then goes with the repeat: "the, you know, the pan").
        return [Edit(first.start, follow.start, "", "discourse")]  # "When I got home, you know, I"
    return [Edit(_end_of_word(text, prev), last.end, "", "discourse")]  # "it was, you know, huge"


def _said_again(words: list[str], a: int, b: int) -> bool:
    """The words before markers a..b are said again after them ("do it, you
    know, it works", "a dog, you know, a dog you can tell")."""
    return any(words[a - n : a] == words[b + 1 : b + 1 + n] for n in range(1, min(a, MAX_PHRASE) + 1))


def restart_edits(text: str, toks: Tokens) -> list[Edit]:
    """Words cut off and said again: the fragment goes when the next word
    completes it ("a sh- shorter one"), and with the words before it when the
    speaker says those again first ("the fam-, the families", "in the s-, in
    the store"). Any other cut word stays: "pre- and post-war" is no restart."""
    words = toks.words
    edits: list[Edit] = []
    done = -1
    for k in sorted(toks.cut):
        if k <= done or k + 1 >= toks.n or not words[k].isalpha():
            continue
        nxt = words[k + 1]
        if toks[k + 1].dash:
            continue
        if nxt != words[k] and nxt.startswith(words[k]) and nxt.isalpha():
            edits.append(Edit(toks[k].start, toks[k + 1].start, "", "restart"))
            done = k
            continue
        for m in (3, 2, 1):
            if k - m < 0 or k + m + 1 >= toks.n or k - m <= done:
                continue
            if words[k - m : k] == words[k + 1 : k + m + 1] and all(words[k - m : k]):
                if any(toks[j].dash for j in range(k - m, k + m + 2)):
                    continue
                if any(ENDS_SENTENCE.search(toks.chunks[j]) for j in range(k - m, k)):
                    continue  # "It was the. The fam-, the families": no restart across a sentence end
                first, follow = toks[k - m], toks[k + 1]
                edits.append(Edit(first.start, follow.start, "", "restart"))
                at = follow.core_start
                if text[first.core_start].isupper() and sentence_start(text, toks, k - m) and \
                        _capitalisable(text[at : follow.core_end]):
                    edits.append(Edit(at, at + 1, text[at].upper(), "capital"))  # "The fam-, the" -> "The"
                done = k
                break
    return edits


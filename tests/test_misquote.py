"""Issue #22: the cleaner never changes what was said.

Each cause of a misquote found in conversational speech (the Switchboard
corpus, `bench/switchboard.py`) and in Whisper output, as a sentence of our
own in the same shape, cased and lowercased without punctuation; then
properties: nothing is removed across a sentence end, and a run of three or
more copies said for emphasis is kept whole.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gloss import disfluency

from . import reference_disfluency as reference


def cleaned(text: str) -> str:
    return disfluency.apply(text, disfluency.find_edits(text))


def lowercase(text: str) -> str:
    """As raw captions give it: lowercase, no punctuation but apostrophes."""
    return " ".join(re.sub(r"[^\w'\s-]", " ", text.lower()).split())


KEPT = [
    # "that" doing two jobs
    "They raised the fees on the expectation that that would pay for the road.",
    "I need books like that that I can read on the train.",
    "Something like that that might work for the kids.",
    "I am concerned that, uh, that's going to cost us.",
    "I suspect that that's true for most of us.",
    # object, then subject
    "It's the price for it it has to be paid.",
    "I heard it from you, you know, their side of it.",
    "And if you, you know, have a family, it's hard.",
    # a clause's end said again as the next clause's start
    "We met at the lake, the lake is lovely in June.",
    "When she grew up, she grew up with horses.",
    "I have no idea what it would cost, it would cost a lot.",
    "Who do you think you're writing to, you're writing to a judge.",
    # a noun, then the word itself
    "She stayed for a while while her brother packed.",
    "The house that I will buy will have a porch.",
    # repetition meant
    "The garden is lovely, the garden is lovely.",
    "It's perfect, it's perfect.",
    "Buy a boat, buy a boat, that's what he said.",
    "He practised and practised and practised.",
    "They argued on and on and on.",
    "That's fair, that's fair.",
    "I don't know, I don't know, I don't know what to say.",
    # letters
    "Write to the A B C, uh, D E F office.",
    "He joined the A A R P last year.",
    "We drove across the U S, the U S is big.",
    # sentence ends (Whisper)
    "What do you plan to do? You plan to sell it?",
    "We were the owners. We were the owners.",
    "I want this fixed. I want this fixed. I want this fixed.",
    "It's all about her, her, her.",
    "The price went up, up, up, up, up",
    "The task that that routine starts never ends.",
    "If it's done, it's done.",
]


@pytest.mark.parametrize("text", KEPT)
def test_no_word_with_a_job_of_its_own_is_removed(text):
    assert cleaned(text) == text.replace(", uh,", "").replace(" uh,", "")


LOWER_KEPT = [
    "they raised the fees on the expectation that that would pay for the road",
    "i need books like that that i can read",
    "it's the price for it it has to be paid",
    "i heard it from you you know their side",
    "and if you you know have a family it's hard",
    "we met at the lake, the lake is lovely",
    "when she grew up she grew up with horses",
    "i have no idea what it would cost it would cost a lot",
    "she stayed for a while while her brother packed",
    "the house that i will buy will have a porch",
    "that's fair that's fair",
    "it's perfect it's perfect well anyway",
    "i don't know i don't know i don't know what to say",
    "write to the a b c uh d e f office",
    "he joined the a a r p last year",
    "we drove across the u s the u s is big",
    "what do you listen to do you listen to jazz",
    # a whole clause said twice, with nothing left to show where it ended
    "i know i know it's late",
    "you know i don't know i don't know cars what do you think",
    "i agree i agree but the cost",
    "they have they have they moved it north",
    "where was that was that downtown or",
    "i would imagine so so what were you doing",
]


@pytest.mark.parametrize("text", LOWER_KEPT)
def test_lowercase_text_without_punctuation_keeps_them_too(text):
    out = cleaned(text)
    assert out.split() == [w for w in text.split() if w not in ("uh", "uh,")]


STILL_CLEANED = [
    ("I I think so.", "I think so."),
    ("the the cat sat", "the cat sat"),
    ("I I I think so.", "I think so."),
    ("So, so, so we left.", "So we left."),
    ("It was in the kitchen when I was, I was nine.", "It was in the kitchen when I was nine."),
    ("We stood in the middle of, in the middle of the road.", "We stood in the middle of the road."),
    ("but you you know it's late", "but you know it's late"),
    ("a field that that doesn't pay", "a field that doesn't pay"),
    ("I went to to the shop", "I went to the shop"),
    ("yeah it it is boring", "yeah it is boring"),
    ("we have we have two cats", "we have two cats"),
    ("where was it it was here", "where was it was here"),
]


@pytest.mark.parametrize(("text", "expected"), STILL_CLEANED)
def test_stutters_still_collapse(text, expected):
    assert cleaned(text) == expected


@pytest.mark.parametrize("text", KEPT + LOWER_KEPT + [t for t, _ in STILL_CLEANED])
def test_the_reference_agrees(text):
    fast = [tuple(e) for e in disfluency.find_edits(text)]
    slow = [(e.start, e.end, e.replacement, e.kind) for e in reference.find_edits(text)]
    assert fast == slow


# Properties.

CLAUSE_WORDS = ["I", "you", "we", "it", "it's", "that", "that's", "the", "a", "is", "was", "have", "do",
                "want", "to", "go", "home", "in", "up", "me", "so", "and", "what", "know", "think",
                "users", "gone", "this", "said", "not"]
clause = st.lists(st.sampled_from(CLAUSE_WORDS), min_size=1, max_size=6)


def _words(text: str) -> list[str]:
    return [w.strip(".,?!").lower() for w in text.split()]


def _sentence(words: list[str]) -> str:
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


@settings(max_examples=500, deadline=None)
@given(clause, clause, st.sampled_from([". ", "? ", "! "]), st.integers(1, 4))
@example(a=["you", "I", "you"], b=["I", "you", "I", "you"], mark=". ", k=2)  # a run read across the end
def test_nothing_is_removed_across_a_sentence_end(a, b, mark, k):
    """Sentence B starting with the words that ended A: every word is kept,
    and no removal spans the boundary or pairs a word of A with one of B."""
    k = min(k, len(a))
    b = a[-k:] + b  # B opens with A's last k words
    first, second = _sentence(a) + mark.strip(), _sentence(b) + "."
    text = first + " " + second
    boundary = len(first)
    edits = disfluency.find_edits(text)
    for e in edits:
        if not e.replacement.strip():
            assert not (e.start < boundary < e.end), (text, e)
    out = cleaned(text)
    cut = out.index(mark.strip() + " ") + 1 if (mark.strip() + " ") in out else len(out)
    # Nothing paired across: A loses what it loses alone, B no more than alone
    # (a rule may keep more in B from what it sees in A: "What it is. Is is").
    assert _words(out[:cut]) == _words(cleaned(first))
    assert _subsequence(_words(cleaned(second)), _words(out[cut:]))
    assert _subsequence(_words(out[cut:]), _words(second))


def _subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


RUN_WORDS = ["me", "up", "her", "him", "us", "them", "down", "more", "again", "home", "now"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["It is all about", "The price went", "She said", "Tell", "We want"]),
       st.sampled_from(RUN_WORDS), st.integers(3, 7), st.sampled_from([", ", " "]),
       st.sampled_from([".", "!", "", ","]))
def test_a_run_said_for_emphasis_is_kept_whole(start, word, copies, sep, end):
    run = sep.join([word] * copies)
    text = f"{start} {run}{end}"
    assert cleaned(text) == text
    assert cleaned(text.lower().replace(",", "").rstrip(".!")) == text.lower().replace(",", "").rstrip(".!")

"""The fast cleaner finds exactly the edits the reference algorithm finds.

gloss/disfluency tokenises a paragraph once and looks closely only at the
few words where a filler or a repeat may be (issue #14);
tests/reference_disfluency.py is the algorithm of issue #13 kept as it was,
re-tokenising the text on every pass. Whatever the text, both must give the
same edits: same ranges, same replacements, same kinds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gloss import disfluency
from gloss.disfluency.fillers import filler_edits
from gloss.disfluency.keep import PLAIN_STUTTERS
from gloss.disfluency.repeats import one_pass
from gloss.disfluency.tokens import Tokens, applied

from . import reference_disfluency as reference
from .goldfile import read_fixture_file

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
CASES = [c for name in ("gold.txt", "heldout.txt", "genres.txt", "genres-heldout.txt", "rules.txt")
         for c in read_fixture_file(FIXTURES / name)]

# Words the rules care about, with the punctuation, quotes, dashes, brackets,
# numbers and capitals around them that change what the rules decide.
VOCABULARY = [
    "I", "i", "I'm", "I- ", "it", "it's", "It's", "it’s", "the", "The", "the,", "the-", "a", "that",
    "that's", "That", "so", "So,", "so,", "and", "and,", "then", "you", "you,", "You", "her", "him",
    "there", "there's", "are", "is", "is,", "was", "was,", "to", "to,", "in", "log", "we", "we're",
    "uh", "Uh,", "uh,", "um", "Um,", "um.", "um—", "—um—", "call—uh—went", "er,", "ER", "Er,",
    "HMM", "hmm", "Hmm?", "mm", "Mm", "hmm,", "umm,", "uh-huh", "oh", "huh", "(um)", "[laughs]",
    "umbrella", "year", "after", "over", "and", "or", "decaf", "coffee", "tom", "Will", "will",
    "May", "may", "said", "think", "tell", "now", "Now", "now,", "well", "Well,", "like", "know,",
    "not", "had", "do", "very", "maybe", "what", "What", "is", "courier", "box", "tries", "people",
    "eighteen", "nineteen", "1990", "5", "12", "two", "two-hour", "one-hundredth",
    "—", "–", "--", "-", "...", "…", ".", ",", "!", "?", ";", ":", "'", '"', "“", "”", "‘", "’",
    '"Um,', 'Actually"', "'faster", "faster'", '"um"', '"yes,', 'uh"', "“Help,", "help!”", "(I", "think)",
    "Mr.", "Chen,", "When", "If", "we", "tried,", "defense!", "Defense,", "go!", "word", "İstanbul",
]
SEPARATORS = [" "] * 12 + ["  ", "\t", "\n", "\u00a0", ""]


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Words from the vocabulary, with repeats made on purpose: the last one to
    four words said again, after a space, a comma or a dash, the last copy
    sometimes ending in a contraction or cut off."""
    words: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        if words and draw(st.integers(0, 3)) == 0:
            k = draw(st.integers(1, min(4, len(words))))
            copy = list(words[-k:])
            ending = draw(st.sampled_from(["", "", "'s", "'re", "-", ",", "."]))
            copy[-1] = copy[-1] + ending
            words[-1] += draw(st.sampled_from(["", "", ",", "—", " —", " --", "-"]))
            words += copy
        else:
            words.append(draw(st.sampled_from(VOCABULARY)))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip(draw(st.sampled_from(["", " "])))


def same_edits(text: str, fillers: bool = True, stutters: bool = True) -> None:
    fast = disfluency.find_edits(text, fillers, stutters)
    slow = reference.find_edits(text, fillers, stutters)
    assert [(e.start, e.end, e.replacement, e.kind) for e in fast] == \
        [(e.start, e.end, e.replacement, e.kind) for e in slow], text


@settings(max_examples=2000, deadline=None)
@given(texts(), st.booleans(), st.booleans())
def test_the_fast_path_gives_the_reference_edits_on_any_text(text, fillers, stutters):
    same_edits(text, fillers, stutters)


@pytest.mark.parametrize("case", CASES, ids=[f"line {c.line}" for c in CASES])
def test_the_fast_path_gives_the_reference_edits_on_every_gold_case(case):
    same_edits(case.input)
    same_edits(case.expected)


def test_the_tokens_are_the_reference_tokens():
    """Tokens found by splitting at spaces equal the reference's regex tokens."""
    for case in CASES:
        for text in (case.input, "a—b--c  d\t(e) “f”", "I- I—I -- x---y"):
            assert [(t.start, t.end, t.core_start, t.core_end, t.word) for t in disfluency.tokens(text)] == \
                [(t.start, t.end, t.core_start, t.core_end, t.word) for t in reference.tokens(text)]


def test_the_fast_path_gives_the_reference_edits_on_generated_transcripts():
    """Paragraphs as the speed benchmark makes them: caption and Whisper styles,
    fillers, stutters, phrase repeats, commas, dashes and quotes."""
    from bench.clean_speed import _paragraphs, own_transcript

    for i in range(2):
        for para in _paragraphs(own_transcript(i)):
            same_edits(para)


def _spans(toks) -> list[tuple[int, int, int, int, str, bool]]:
    return [tuple(t) for t in toks]


@settings(max_examples=3000, deadline=None)
@given(texts())
def test_tokens_updated_after_edits_are_the_tokens_of_the_new_text(text):
    """Later passes update the token list instead of tokenising again: the
    result must be what tokenising the new text gives."""
    toks = Tokens(text)
    dropped = filler_edits(text, toks)
    without = applied(text, dropped)[0]
    toks = toks.edited(without, dropped) if dropped else toks
    assert _spans(toks) == _spans(Tokens(without)) and toks.cut == Tokens(without).cut
    collapses = one_pass(without, toks)
    if collapses:
        after = applied(without, [e for c in collapses for e in c.edits])[0]
        fresh = Tokens(after)
        assert _spans(toks.collapse(after, collapses)) == _spans(fresh)


def test_plain_stutters_collapse_as_the_rules_decide_whatever_surrounds_them():
    """The fast path for "the the", "and and", "I I" skips the keep rules: it
    must agree with them next to every kind of word the rules look at."""
    before = ["", "said ", "what ", "all ", "the ", "Uh, ", "so, ", "go ", "log ", "it ", "done. ", "question ",
              "in ", "tell ", "is ", "Will ", "was ", '"']
    after = ["", " is", " not", " that", "!", ".", ",", " courier", " are", " in", " the", " you", "'s"]
    for word in sorted(PLAIN_STUTTERS):
        w = "I" if word == "i" else word
        for b in before:
            for a in after:
                same_edits(f"{b}{w} {w}{a}")


def test_plain_runs_of_three_collapse_as_the_rules_decide_whatever_surrounds_them():
    """The fast path also takes "the the the" (a word whose run is never kept
    for emphasis): it must agree with the rules, and "me me me" must not take it."""
    before = ["", "said ", "a ", "I ", "the ", "Uh, ", "so, ", "go ", "it ", "done. ", "what ", "x "]
    after = ["", " is", " not", "!", ".", ",", " courier", " the", " you", "'s", " a"]
    for word in sorted(PLAIN_STUTTERS | {"me", "us", "them", "a"}):
        w = "I" if word == "i" else word
        for b in before:
            for a in after:
                same_edits(f"{b}{w} {w} {w}{a}")
                same_edits(f"{b}{w} {w} {w} {w}{a}")

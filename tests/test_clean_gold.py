"""The cleaner against passages cleaned by hand.

tests/fixtures/clean/gold.txt holds 122 cases: 76 real passages from seed 002
(raw captions), 8 from seed 000 (which must come out unchanged) and 38
synthetic traps for false positives; rules.txt one case for each rule of
issue #13. heldout.txt (seed 002), genres.txt and genres-heldout.txt (other
speakers and genres in caption, Whisper and vendor styles) were cleaned blind,
by people who never saw the cleaner. `bench/clean_quality.py` reports
precision, recall and exact matches over all of them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bench.clean_quality import score
from gloss import disfluency
from gloss.clean import Options, clean
from gloss.formats import parse

from .goldfile import read_fixture_file

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
GOLD = read_fixture_file(FIXTURES / "gold.txt")
RULES = read_fixture_file(FIXTURES / "rules.txt")


def cleaned(text: str) -> str:
    return disfluency.apply(text, disfluency.find_edits(text))


@pytest.mark.parametrize("case", GOLD, ids=[f"line {c.line}" for c in GOLD])
def test_gold(case):
    assert cleaned(case.input) == case.expected, case.title


@pytest.mark.parametrize("case", RULES, ids=[c.title for c in RULES])
def test_rules(case):
    assert cleaned(case.input) == case.expected


def test_gold_set_is_large_and_mostly_real():
    real = [c for c in GOLD if not c.title.startswith("synthetic:")]
    assert len(GOLD) >= 30 and len(real) >= 30


@pytest.mark.parametrize("case", GOLD[:40], ids=[f"line {c.line}" for c in GOLD[:40]])
def test_the_page_model_keeps_the_verbatim(case):
    """Through the whole clean stage, spans join back to the source exactly."""
    transcript = clean(parse("t.txt", ">> " + case.input + "\n"), Options())
    paras = transcript.turns[0].paragraphs
    assert " ".join("".join(s.verbatim for s in p.spans) for p in paras) == case.input
    assert " ".join(p.text for p in paras) == case.expected


# Properties: over any text made of words the cleaner cares about.

WORDS = ["I", "i", "it", "it's", "the", "that", "that's", "so", "So,", "uh", "Um,", "um.", "and",
         "you", "know,", "very", "two", "2", "is", "question", "we", "we're", "said", "Hmm",
         "think", "models.", "Really?", "umbrella", "ER", "maybe", "not", "in", "a", "lot"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)


def words(text: str) -> list[str]:
    return [w.lower() for w in text.split()]


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_cleaning_is_idempotent(text):
    once = cleaned(text)
    assert cleaned(once) == once


@settings(max_examples=400, deadline=None)
@given(texts)
def test_cleaning_never_invents_a_word(text):
    """Only removals and capitals: the cleaned words are the source's, in order."""
    out = cleaned(text)
    assert is_subsequence([w.strip(".,?!") for w in words(out)], [w.strip(".,?!") for w in words(text)])


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_verbatim_view_is_the_source_exactly(text):
    transcript = clean(parse("t.txt", ">> " + text + "\n"), Options())
    paras = transcript.turns[0].paragraphs
    assert " ".join("".join(s.verbatim for s in p.spans) for p in paras) == text


@settings(max_examples=200, deadline=None)
@given(texts)
def test_words_that_only_look_like_fillers_survive(text):
    only_fillers = disfluency.apply(text, disfluency.find_edits(text, stutters=False))
    out = [w.strip(".,?!") for w in words(only_fillers)]
    source = [w.strip(".,?!") for w in words(text)]
    assert out.count("umbrella") == source.count("umbrella")
    assert out.count("er") == source.count("er")


# What the cleaner may remove: a filler, or one copy of a repeat next to it.

RICH = [*WORDS, "the,", "you,", "her", "her,", "name", "now", "now,", "there", "there,", "then",
        "year", "after", "over", "eighteen", "1990", "tom", "coffee", "or", "Defense,", "defense!",
        "'faster", "faster'", '"Um,', 'Actually"', "—", "—um—", "call—uh—went", "uh,", "Uh", "er,",
        "I'm", "mm", "5", "Will", "will", "said,", "get", "pan.", "it.", "It", "oh", "me", "ask"]
rich_texts = st.lists(st.sampled_from(RICH), min_size=1, max_size=30).map(" ".join)
WORD = re.compile(r"\w+(?:['’]\w+)*")


def _removed(text: str, edits: list[disfluency.Edit]) -> list[tuple[str, bool]]:
    """Each word of the text (lowercased) and whether the edits remove it; a
    word only partly removed fails the test."""
    gone = [False] * len(text)
    for e in edits:
        if not e.replacement.strip():
            gone[e.start : e.end] = [True] * (e.end - e.start)
    out = []
    for m in WORD.finditer(text):
        part = gone[m.start() : m.end()]
        assert all(part) or not any(part), f"{m.group()!r} is cut in two"
        out.append((m.group().lower().replace("’", "'"), all(part)))
    return out


def _copy(block: list[str], other: list[str]) -> bool:
    """The same words, the last one possibly followed by its contraction ("it it's")."""
    return len(block) == len(other) > 0 and block[:-1] == other[:-1] and (
        block[-1] == other[-1] or other[-1].startswith(block[-1] + "'"))


def _explained(words: list[tuple[str, bool]]) -> bool:
    """Whether every removed word is a filler or, block by block, one copy of
    up to four words right next to the same words. Every order of explaining is
    tried: taking the first copy found can strand a copy that only reads as one
    once a filler between is gone ("I uh said I said said")."""

    @functools.cache
    def explained(seq: tuple[tuple[str, bool], ...]) -> bool:
        if not any(r for _, r in seq):
            return True

        def copy_at(i: int, k: int) -> bool:
            block = [w for w, _ in seq[i : i + k]]
            return (len(block) == k and all(r for _, r in seq[i : i + k])
                    and (_copy(block, [w for w, _ in seq[i + k : i + 2 * k]])
                         or (i >= k and [w for w, _ in seq[i - k : i]] == block)))

        steps = [(i, k) for i in range(len(seq)) for k in range(1, 5) if copy_at(i, k)]
        steps += [(i, 1) for i, (w, r) in enumerate(seq) if r and w in disfluency.FILLERS]
        return any(explained(seq[:i] + seq[i + k:]) for i, k in steps)

    return explained(tuple(words))


@settings(max_examples=600, deadline=None)
@given(rich_texts)
def test_every_removed_word_is_a_filler_or_a_copy_of_its_neighbour(text):
    edits = disfluency.find_edits(text)
    assert _explained(_removed(text, edits)), disfluency.apply(text, edits)


def _has_repeat(words: list[str]) -> bool:
    return any(_copy(words[i : i + k], words[i + k : i + 2 * k])
               for k in range(1, 5) for i in range(len(words) - 2 * k + 1))


@settings(max_examples=600, deadline=None)
@given(rich_texts)
def test_a_passage_with_nothing_to_remove_is_unchanged_byte_for_byte(text):
    words = [m.group().lower().replace("’", "'") for m in WORD.finditer(text)]
    assume(not _has_repeat(words) and not set(words) & disfluency.FILLERS)
    assert cleaned(text) == text


def test_the_property_checks_can_fail():
    """The checker itself: removing a word that repeats nothing is caught."""
    text = "we went home"
    assert not _explained(_removed(text, [disfluency.Edit(2, 7, "", "repeat")]))
    assert _explained(_removed("I I think I think so", disfluency.find_edits("I I think I think so")))


@pytest.mark.parametrize("name", ["gold.txt", "heldout.txt", "genres.txt", "genres-heldout.txt"])
def test_no_gold_set_loses_a_meaningful_word(name):
    """Precision 1.000: the cleaner never deletes a word the editor kept."""
    s = score(FIXTURES / name)
    assert s.cases >= 100
    assert s.wrong == 0, "\n".join(s.false_positives)


# Each bar sits just under the figure measured (bench/clean_quality.py), so one
# more word missed, or one more passage not exactly right, fails. Issue #13 set
# the bar at recall 0.95 and nine passages in ten; the cleaner does better, and
# a bar that far below would let it lose a dozen words unseen.
HELD_OUT_BARS = {
    # file: (recall at least, share of passages exactly right at least)
    "heldout.txt": (0.98, 0.96),  # measured: recall 0.983 (281 of 286), exact 137 of 142 (0.965)
    "genres.txt": (0.998, 0.996),  # measured: recall 1.000 (452 of 452), exact 208 of 208
    "genres-heldout.txt": (0.996, 0.97),  # measured: recall 1.000 (246 of 246), exact 114 of 117 (0.974)
}


def test_held_out_passages_find_nearly_every_removable_word():
    """142 passages of seed 002 cleaned by someone who never saw the cleaner."""
    s = score(FIXTURES / "heldout.txt")
    recall, exact = HELD_OUT_BARS["heldout.txt"]
    assert s.recall >= recall, "\n".join(s.misses)
    assert s.exact / s.cases >= exact, "\n".join(s.inexact)


@pytest.mark.parametrize("name", ["genres.txt", "genres-heldout.txt"])
def test_other_speakers_and_genres_come_out_as_an_editor_cleaned_them(name):
    """Speech the rules were not written for: nearly every removable word found,
    and nearly every passage exactly right."""
    s = score(FIXTURES / name)
    recall, exact = HELD_OUT_BARS[name]
    assert s.recall >= recall, "\n".join(s.misses)
    assert s.exact / s.cases >= exact, "\n".join(s.inexact)


@pytest.mark.parametrize("name", HELD_OUT_BARS)
def test_each_bar_fails_on_one_word_more_missed_or_one_passage_less_exact(name):
    """The bars are tight: today's figures pass them, one word or passage fewer
    does not. When the cleaner or the file gets better, this fails until the bar
    is raised to just under the new figure."""
    s = score(FIXTURES / name)
    recall, exact = HELD_OUT_BARS[name]
    found, removable = s.right, s.right + s.missed
    raise_it = f"{s.line(name)}: raise its bar in HELD_OUT_BARS to just under this"
    assert (found - 1) / removable < recall, raise_it
    assert (s.exact - 1) / s.cases < exact, raise_it

"""Quotes as editors copy them: any run of words from the raw transcript or the
cleaned page, with its punctuation or without, anchors to the place it came
from, and two reported places are never the same passage."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from gloss import anchor, formats
from gloss.clean import Options, clean
from gloss.disfluency import FILLERS
from gloss.errors import SourcePos
from gloss.model import Selector

WORDS = ["I", "think", "the", "model", "works", "so", "uh", "um", "it", "it's", "GPD", "five",
         "we", "we're", "know", "no", "yes", "that", "scaling", "law", "is", "in", "on"]
PUNCT = ["", "", "", ",", ".", "?", "..."]

word = st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCT)).map("".join)
paragraph = st.lists(word, min_size=1, max_size=14).map(" ".join)
turn = st.lists(paragraph, min_size=1, max_size=3).map("\n\n".join)
transcript = st.lists(turn, min_size=1, max_size=4).map(lambda ts: "".join(f">> {t}\n" for t in ts))


def cleaned(text: str):
    return clean(formats.parse("t.txt", text), Options(corrections=(("GPD five", "GPT-5"),)))


def located(index: anchor.Index, quote: str) -> list[tuple[anchor.Loc, anchor.Loc]]:
    try:
        return [anchor.find(index, Selector(SourcePos("a.yaml", 1, 1), quote))]
    except Exception as err:  # an ambiguity: look at every place reported
        if "matches" not in str(err):
            raise
        return index.matches(quote)


def overlaps(found: tuple[anchor.Loc, anchor.Loc], turn: int, para: int, a: int, b: int) -> bool:
    first, last = found
    return first.key <= (turn, para, b) and (turn, para, a) <= last.end_key


def clean_text(para):
    """The paragraph as readers see it, and for each of its characters the
    verbatim range it stands for (a changed span maps to the whole span)."""
    chars, starts, ends, at = [], [], [], 0
    for span in para.spans:
        end = at + len(span.verbatim)
        for k, ch in enumerate(span.text):
            chars.append(ch)
            starts.append(at + k if not span.kind else at)
            ends.append(at + k + 1 if not span.kind else end)
        at = end
    return "".join(chars), starts, ends


def normalised(words: list[str], groups: list[int]) -> list[str]:
    """The rule, written plainly: no fillers, a word said again at once within a
    turn counts once."""
    out: list[str] = []
    last_group = None
    for w, g in zip(words, groups, strict=True):
        if w in FILLERS:
            continue
        if out and w == out[-1] and g == last_group:
            continue
        out.append(w)
        last_group = g
    return out


def occurrences(t, quote: str) -> int:
    """How often the quote's normalised words occur as heard or as read: the
    most places a quote can honestly be reported ambiguous between."""
    needle = anchor.query(quote)
    total = 0
    for read in (lambda p: p.verbatim, lambda p: p.text):
        words, groups = [], []
        for ti, turn in enumerate(t.turns):
            for p in turn.paragraphs:
                found = anchor.scan(read(p))[0]
                words += found
                groups += [ti] * len(found)
        kept = normalised(words, groups)
        total += sum(kept[i : i + len(needle)] == needle for i in range(len(kept)))
    return total


def check(index: anchor.Index, quote: str, turn: int, para: int, a: int, b: int) -> None:
    if not anchor.query(quote):
        return  # only fillers: nothing to anchor (the sidecar reader refuses such quotes)
    places = located(index, quote)
    # It anchors where it came from, and never in an earlier speaker's turn.
    assert any(overlaps(p, turn, para, a, b) and p[0].turn == turn for p in places), (quote, places)
    # Ambiguous only where the words really occur more than once: as many places
    # as the normalised words occur, each reported once.
    assert len({p[0].key for p in places}) == len(places), f"one place reported twice: {quote!r}"
    assert len(places) <= max(1, occurrences(index.transcript, quote)), (quote, places)


@settings(max_examples=300, deadline=None)
@given(transcript, st.data())
def test_a_run_of_verbatim_words_anchors_where_it_came_from(text, data):
    t = cleaned(text)
    index = anchor.Index(t)
    ti = data.draw(st.integers(0, len(t.turns) - 1))
    pi = data.draw(st.integers(0, len(t.turns[ti].paragraphs) - 1))
    verbatim = t.turns[ti].paragraphs[pi].verbatim
    spans = [m.span() for m in anchor.WORD.finditer(verbatim)]
    i = data.draw(st.integers(0, len(spans) - 1))
    j = data.draw(st.integers(i, min(len(spans) - 1, i + 8)))
    quote = verbatim[spans[i][0] : spans[j][1]]
    if data.draw(st.booleans()):
        quote = " ".join(re.findall(r"[\w']+", quote))
    check(index, quote, ti, pi, spans[i][0], spans[j][1])


@settings(max_examples=300, deadline=None)
@given(transcript, st.data())
def test_a_run_of_words_from_the_cleaned_page_anchors_where_it_came_from(text, data):
    t = cleaned(text)
    index = anchor.Index(t)
    ti = data.draw(st.integers(0, len(t.turns) - 1))
    pi = data.draw(st.integers(0, len(t.turns[ti].paragraphs) - 1))
    para = t.turns[ti].paragraphs[pi]
    page, starts, ends = clean_text(para)
    spans = [m.span() for m in anchor.WORD.finditer(page)]
    if not spans:
        return
    i = data.draw(st.integers(0, len(spans) - 1))
    j = data.draw(st.integers(i, min(len(spans) - 1, i + 8)))
    quote = page[spans[i][0] : spans[j][1]]
    if data.draw(st.booleans()):
        quote = " ".join(re.findall(r"[\w'-]+", quote))
    check(index, quote, ti, pi, starts[spans[i][0]], ends[spans[j][1] - 1])


def test_a_filler_or_repeat_at_either_end_is_one_place_not_two():
    t = cleaned(">> like, to had to look is climate community of um the data.\n"
                ">> uh right the contributors said the in in launch that worked.\n")
    index = anchor.Index(t)
    for quote in ("like, to had to look is climate community of um",
                  "uh right the contributors", "the in in launch that", "the in launch that"):
        assert len(index.matches(quote)) == 1, quote


def test_punctuation_between_repeats_is_ignored_on_both_sides():
    index = anchor.Index(cleaned(">> on conjecture theorem the. The another to other history\n"))
    assert len(index.matches("on conjecture theorem the The another to other history")) == 1
    assert len(index.matches("on conjecture theorem the another")) == 1


def test_the_next_speakers_repeat_is_their_own():
    for text in (">> Is it done? No.\n>> No, not yet.\n", ">> Is it done? No.\n>> uh, No, not yet.\n"):
        (first, _), = index_matches(cleaned(text), "No, not yet")
        assert first.turn == 1, text


def index_matches(t, quote):
    return anchor.Index(t).matches(quote)


@settings(max_examples=300, deadline=None)
@given(transcript, st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join))
def test_the_hint_for_a_quote_found_nowhere_is_the_window_sharing_most_words(text, quote):
    """`closest` keeps its overlap score as the window slides; the rule, written
    plainly: the first window of the quote's length with the most words in common."""
    index = anchor.Index(cleaned(text))
    q, heard = anchor.query(quote), index.heard
    near = index.closest(quote)
    words = heard.all_words()
    if not q:
        assert near is None
        return
    scores = [sum((Counter(words[i : i + len(q)]) & Counter(q)).values())
              for i in range(max(1, len(words) - len(q) + 1))]
    if max(scores) == 0:
        assert near is None
        return
    best = scores.index(max(scores))
    last = min(best + len(q) - 1, len(words) - 1)
    assert near is not None
    assert (near[0].turn, near[0].para, near[0].start) == heard.word_at(best, True)
    assert (near[1].turn, near[1].para, near[1].end) == heard.word_at(last, False)


def _spoken_end_forward(t) -> float:
    """`anchor.spoken_end` as it was first written: every paragraph read in order."""
    end, words = 0.0, 0
    for turn in t.turns:
        for para in turn.paragraphs:
            ends = [c.end for c in para.cues if c.end is not None]
            if ends:
                end, words = max(ends), 0
            elif para.start is not None:
                end, words = para.start, len(para.verbatim.split())
            else:
                words += len(para.verbatim.split())
    return end + words * anchor.SECONDS_PER_WORD


time = st.one_of(st.none(), st.floats(min_value=0, max_value=5000, allow_nan=False))
timed_paragraph = st.tuples(paragraph, time, st.lists(st.tuples(time, time), max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(timed_paragraph, min_size=1, max_size=3), max_size=5))
def test_the_spoken_end_read_from_the_end_is_the_one_read_from_the_start(turns):
    from gloss.model import Cue, Paragraph, Transcript, Turn

    pos = SourcePos("t.txt")
    t = Transcript("t.txt", "txt", [Turn("A", pos, [
        Paragraph(text, pos, start=start, cues=tuple(Cue(k, s, e) for k, (s, e) in enumerate(cues)))
        for text, start, cues in paras]) for paras in turns])
    assert anchor.spoken_end(t) == _spoken_end_forward(t)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab. \t\n\u00a0\u2028\x1c\u3000\u00e9", max_size=20))
def test_words_are_counted_as_split_counts_them(text):
    from gloss.model import word_count

    assert word_count(text) == len(text.split())

"""Issue #22: the opt-in `edited` level (clean-verbatim transcription).

Every sentence here is our own. What goes: discourse "you know" and "I mean"
set off by commas, an opening "Well," or "Oh,", restarts at a cut-off word,
repeats across a removed marker. What stays: every one of those words with a
job. Then properties: `edited` removes everything `clean` removes and more,
and never a word outside its patterns; and the setting in config.yaml and a
sidecar.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gloss import disfluency, formats
from gloss.clean import Options, clean
from gloss.config import CleanConfig, load_config
from gloss.errors import SiteError
from gloss.model import Site
from gloss.sidecar import parse_sidecar

from .conftest import html, reading, verbatim


def edited(text: str) -> str:
    return disfluency.apply(text, disfluency.find_edits(text, edited=True))


def lowercase(text: str) -> str:
    return " ".join(re.sub(r"[^\w'\s-]", " ", text.lower()).split())


GOES = [
    ("It was, you know, a long winter.", "It was a long winter."),
    ("You know, I never liked that car.", "I never liked that car."),
    ("We sold the boat, you know.", "We sold the boat."),
    ("I mean, the plan works.", "The plan works."),
    ("The roof leaked, I mean, every night.", "The roof leaked every night."),
    ("When we got home, you know, the lights were off.", "When we got home, the lights were off."),
    ("Well, I think she left early.", "I think she left early."),
    ("Well I think she left early.", "I think she left early."),
    ("Oh, the bus was late again.", "The bus was late again."),
    ("Well, you know, the thing is cheap.", "The thing is cheap."),
    ("Um, well, the plan, uh, I mean, works.", "The plan works."),
    ("the fam-, the families were there", "the families were there"),
    ("We bought a sh- shorter ladder.", "We bought a shorter ladder."),
    ("We drove to the s-, to the store.", "We drove to the store."),
    ("She put it on the, you know, the shelf.", "She put it on the shelf."),
    ("We waited. Well, nobody came.", "We waited. Nobody came."),
]


@pytest.mark.parametrize(("text", "out"), GOES)
def test_what_clean_verbatim_removes_goes(text: str, out: str) -> None:
    assert edited(text) == out


STAYS = [
    "If you know the answer, tell me.",
    "Do you know where the keys are?",
    "I like it.",
    "It looks like rain.",
    "He runs like a deer.",
    "Well water is cold.",
    "So that was the end of it.",
    "So, what do you do?",
    "It was, like, huge.",
    "I mean what I say.",
    "That is not what I mean.",
    "What I mean is simple.",
    "You know.",
    "It rained all week, you know?",
    "You know, what is the time?",
    "You know, that the shop closed?",
    "I know you know, that is the point.",
    "Oh, my word.",
    "Oh, no, not again.",
    "Oh, really?",
    "He did well, I think.",
    "We ate pre- and post-war rations.",
    "As you know, the office is closed.",
    "people you know and trust",
]


@pytest.mark.parametrize("text", STAYS)
def test_words_with_a_job_stay(text: str) -> None:
    kept = edited(text)
    gone = set(re.findall(r"[\w'-]+", text.lower())) - set(re.findall(r"[\w'-]+", kept.lower()))
    assert not gone, kept
    assert edited(lowercase(text)) == lowercase(text)


def test_stays_exactly() -> None:
    for text in STAYS:
        assert edited(text) == text


def test_a_repeat_across_a_marker_goes_only_where_clean_would_collapse_it() -> None:
    assert edited("Do it, you know, it works.") == "Do it, it works."
    assert edited("She saw a dog, you know, a dog can tell.") == "She saw a dog, a dog can tell."
    assert edited("I, you know, I think so.") == "I think so."


def test_edits_name_their_kind_and_keep_the_verbatim() -> None:
    text = "Well, you know, the fam-, the families, uh, came."
    edits = disfluency.find_edits(text, edited=True)
    assert {e.kind for e in edits} >= {"discourse", "restart", "filler", "capital"}
    para = clean(formats.parse("e.txt", ">> " + text + "\n"), Options(CleanConfig(level="edited")))
    spans = para.turns[0].paragraphs[0].spans
    assert "".join(s.verbatim for s in spans) == text
    assert para.turns[0].paragraphs[0].text == "The families came."
    assert {s.note for s in spans if s.kind == "drop"} >= {"discourse marker", "restart", "filler"}


WORDS = ["I", "i", "you", "You", "know", "know,", "know.", "mean", "mean,", "Well,", "well", "Oh,", "oh",
         "so", "So,", "like", "like,", "the", "the,", "fam-", "fam-,", "families", "a", "sh-", "shorter",
         "uh", "uh,", "Um,", "it", "it,", "works", "dog", "dog,", "can", "if", "do", "what", "that", "is",
         "think", "we", "went", "home", "home.", "?", "answer", "store", "to", "to,", "s-,", "and"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        if words and draw(st.integers(0, 4)) == 0:
            words.append(draw(st.sampled_from(["you know,", "I mean,", "Well,"])))
        words.append(draw(st.sampled_from(WORDS)))
    return " ".join(words)


def _removed(text: str, edits: list[disfluency.Edit]) -> set[int]:
    """Offsets of the word characters the drops remove."""
    return {k for e in edits if not e.replacement.strip() for k in range(e.start, e.end) if text[k].isalnum()}


MARKER_WORDS = {"you", "know", "i", "mean", "well", "oh"}


@settings(max_examples=400, deadline=None)
@given(sentences())
def test_edited_removes_a_superset_and_only_its_patterns(text: str) -> None:
    base = _removed(text, disfluency.find_edits(text))
    more = _removed(text, disfluency.find_edits(text, edited=True))
    assert base <= more
    words = [(m.start(), m.end(), m.group().lower().rstrip("-")) for m in re.finditer(r"[\w'-]+", text)]
    kept = [w for a, b, w in words if a not in more]
    for a, b, word in words:
        if a in more and a not in base:
            cut = text[b - 1] == "-"
            assert word in MARKER_WORDS or cut or word in kept, (text, word)
    # whole words only: a word goes entirely or not at all
    assert all(not (a in more) ^ all(k in more for k in range(a, b) if text[k].isalnum()) for a, b, _ in words)


def test_the_level_is_set_in_config_and_a_sidecar(make_site) -> None:
    files = {"content/a.txt": ">> Well, you know, I I think so.\n",
             "content/b.txt": ">> Well, you know, I I think so.\n",
             "content/b.yaml": "clean: {level: clean}\n"}
    site = make_site(files, config="clean:\n  level: edited\n")
    a = html(site / "a" / "index.html")
    assert reading(a.select_one("main .turns p")) == "I think so."
    assert verbatim(a.select_one("main .turns p")) == "Well, you know, I I think so."
    assert reading(html(site / "b" / "index.html").select_one("main .turns p")) == "Well, you know, I think so."
    counts = a.select_one(".view .meta").get_text()
    assert counts == "2 fillers, repeats, asides and restarts removed", "the count says what went"
    assert html(site / "b" / "index.html").select_one(".view .meta").get_text() == "1 filler or repeat removed"
    meta = parse_sidecar("t.yaml", "clean: {level: edited}\n", Site())
    assert meta.clean.level == "edited"
    assert meta.clean.on("fillers") and meta.clean.on("corrections")


def test_other_levels_are_rejected_with_the_three_named(tmp_path) -> None:
    with pytest.raises(SiteError) as err:
        parse_sidecar("t.yaml", "clean: {level: tidy}\n", Site())
    assert "`clean.level` must be `clean`, `edited` or `verbatim`" in str(err.value)
    (tmp_path / "config.yaml").write_text("clean:\n  level: edit\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        load_config(tmp_path / "config.yaml")
    assert "`clean.level` must be `clean`, `edited` or `verbatim`" in str(err.value)

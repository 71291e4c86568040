"""From words selected on a page to the entry written (issue #27): the shortest
verbatim quote that anchors in exactly one place, the selection's, in the key
of each kind of entry; checked here against the example site's transcripts
with the code `gloss check` runs for one transcript (`page.make_page`)."""

from __future__ import annotations

import pytest

from gloss import anchor, load, page, shared
from gloss.config import load_config
from gloss.errors import Diagnostics, SiteError
from gloss.model import Page
from gloss.quoting import Grow, Point, SelectionError, selected_words, shortest, text_of
from gloss.selection_entry import GLOSSARY, SIDECAR, TOPICS, plan
from gloss.sidecar import parse_sidecar

from .conftest import ROOT
from .test_sidecar_write import one_insert

SLUG = "kaiser-unsupervised-learning"


@pytest.fixture(scope="module")
def example() -> tuple[load.Source, load.Content, object]:
    config = load_config(ROOT / "config.yaml")
    diag = Diagnostics()
    content = load.load_content(config, diag)
    source = load.filled(next(s for s in content.sources if s.slug == SLUG))
    return source, content, config


def made(example, sidecar: str | None = None, files: dict[str, str] | None = None) -> Page:
    source, content, config = example
    if sidecar is not None:
        assert source.sidecar is not None
        source = load.Source(source.slug, source.transcript, load.TextFile(source.sidecar.shown, sidecar))
    site_files = dict(content.site_files)
    for name, text in (files or {}).items():
        site_files[name] = load.TextFile(name, text)
    return page.make_page(source, shared.read_site_files(site_files, Diagnostics()), config)


def texts(example) -> dict[str, str]:
    source, content, _ = example
    return {SIDECAR: source.sidecar.text, TOPICS: content.site_files[TOPICS].text, GLOSSARY: ""}


def where(pg: Page, para: str, words: str) -> tuple[Point, Point]:
    """The points a reader's selection of `words` in paragraph `para` gives."""
    text = next(p.verbatim for t in pg.transcript.turns for p in t.paragraphs if p.id == para)
    at = text.index(words)
    return Point(para, at), Point(para, at + len(words))


def request(kind: str, a: Point, b: Point, **fields: object) -> dict[str, object]:
    return {"kind": kind, "start": {"p": a.para, "at": a.at}, "end": {"p": b.para, "at": b.at}, **fields}


def test_a_quote_grows_from_the_selection_until_it_is_unique(example):
    pg = made(example)
    index = anchor.Index(pg.transcript)
    a, b = where(pg, "if-we-take-the-current", "I know every day spend hours talking to Codex")
    words = selected_words(pg.transcript, a, b)
    assert text_of(pg.transcript, words) == "I know every day spend hours talking to Codex"
    start, end = shortest(index, words, Grow.START), shortest(index, words, Grow.END)
    assert len(start.text.split()) < len(words) and not start.occurrence
    assert "I know every day spend hours talking to Codex".startswith(start.text)
    assert "I know every day spend hours talking to Codex".endswith(end.text)
    for quote in (start, end):
        assert len(index.matches(quote.text)) == 1
        shorter = quote.text.split()[1:] if quote is start else quote.text.split()[:-1]
        assert not shorter or len(index.matches(" ".join(shorter))) != 1 or \
            index.matches(" ".join(shorter)) != index.matches(quote.text), "no shorter run would do"


def test_a_word_said_in_many_places_is_quoted_with_its_occurrence(example):
    pg = made(example)
    a, b = where(pg, "thank-you-very-much-thank", "Thank you")
    quote = shortest(anchor.Index(pg.transcript), selected_words(pg.transcript, a, b), Grow.WHOLE)
    assert quote.text == "Thank you" and quote.occurrence == 1
    assert len(anchor.Index(pg.transcript).matches("Thank you")) > 1


def test_a_selection_touching_part_of_a_word_takes_the_whole_word(example):
    pg = made(example)
    a, b = where(pg, "anthropic-made-this-very-good", "thropic made this very go")
    assert text_of(pg.transcript, selected_words(pg.transcript, a, b)) == "Anthropic made this very good"


@pytest.mark.parametrize("kind, fields, key", [
    ("highlight", {}, "highlights"),
    ("note", {"text": "Claude Code launched in *February 2025*."}, "notes"),
    ("chapter", {"title": "Why coding: Anthropic"}, "chapters"),
    ("topic", {"topic": "multimodal"}, "topics"),
    ("cut", {"reason": "off topic"}, "cut"),
    ("turn", {"person": "jacob-effron"}, "turns"),
    ("correction", {"meant": "OpenAI's"}, "corrections"),
])
def test_each_kind_writes_its_key_and_gloss_check_accepts_it(example, kind, fields, key):
    pg = made(example)
    a, b = where(pg, "anthropic-made-this-very-good", "OpenAI was like")
    old = texts(example)
    (edit,) = plan(kind, request(kind, a, b, **fields), pg, old)
    assert edit.file == SIDECAR
    added = one_insert(old[SIDECAR], edit.text)
    if kind != "chapter":
        assert added.startswith(("  - ", f"{key}:\n")), added
    meta = parse_sidecar("x.yaml", edit.text, shared.read_site_files(example[1].site_files, Diagnostics()))
    after = made(example, edit.text)  # raises what `gloss check` would
    if kind == "chapter":
        assert [c.title for c in after.chapters] == ["Cold open", "Why coding: Anthropic", "Introduction",
                                                      "Is reasoning enough to generalize?"]
        assert edit.text == old[SIDECAR].replace(
            '  - at: "0:28"', '  - at: "OpenAI was"\n    title: "Why coding: Anthropic"\n  - at: "0:28"', 1)
    if kind == "cut":
        assert meta.cuts[-1].reason == "off topic"
        assert meta.cuts[-1].start.quote == "OpenAI was" and meta.cuts[-1].end.quote.endswith("was like")


def test_a_new_topic_goes_into_topics_yaml_too(example):
    pg = made(example)
    a, b = where(pg, "anthropic-made-this-very-good", "OpenAI was like")
    edits = plan("topic", request("topic", a, b, topic="openai", title="OpenAI"), pg, texts(example))
    assert [e.file for e in edits] == [TOPICS, SIDECAR]
    assert one_insert(texts(example)[TOPICS], edits[0].text) == "openai:\n  title: OpenAI\n"
    after = made(example, edits[1].text, {TOPICS: edits[0].text})
    assert "openai" in after.topics


def test_a_correction_for_the_whole_site_goes_into_the_glossary(example):
    pg = made(example)
    a, b = where(pg, "anthropic-made-this-very-good", "OpenAI")
    (edit,) = plan("correction", request("correction", a, b, meant="Open AI", glossary=True), pg,
                   texts(example))
    assert (edit.file, edit.text) == (GLOSSARY, "OpenAI: Open AI\n")


def test_a_speaker_label_and_a_join(example):
    pg = made(example)
    a, b = where(pg, "i-think-its-a-fair", "fair question")
    (edit,) = plan("speaker", request("speaker", a, b, person="jacob-effron"), pg, texts(example))
    assert edit.text == texts(example)[SIDECAR].replace("SPEAKER_3: lukasz-kaiser", "SPEAKER_3: jacob-effron")
    a, b = where(pg, "thank-you-very-much-thank", "for having me")
    (edit,) = plan("join", request("join", a, b), pg, texts(example))
    assert one_insert(texts(example)[SIDECAR], edit.text).startswith('turns:\n  - at: "Thank you very"')
    assert len(made(example, edit.text).transcript.turns) == len(pg.transcript.turns) - 1


def test_what_gloss_check_refuses_is_refused_with_its_message(example):
    pg = made(example)
    a, b = where(pg, "anthropic-made-this-very-good", "OpenAI was like")
    (edit,) = plan("turn", request("turn", a, b, person="nobody-here"), pg, texts(example))
    with pytest.raises(SiteError, match=r"unknown person `nobody-here`"):
        made(example, edit.text)
    with pytest.raises(SelectionError, match="give the title"):
        plan("chapter", request("chapter", a, b), pg, texts(example))
    with pytest.raises(SelectionError, match="no paragraph `gone`"):
        plan("note", request("note", Point("gone", 0), b, text="x"), pg, texts(example))
    with pytest.raises(SelectionError, match="`>>`"):
        plan("speaker", request("speaker", Point("i-think-its-a-fair", 0), b, person="x"),
             _with_label(pg, ">>"), texts(example))


def _with_label(pg: Page, label: str) -> Page:
    from dataclasses import replace
    turns = [replace(t, label=label) for t in pg.transcript.turns]
    return replace(pg, transcript=replace(pg.transcript, turns=turns))

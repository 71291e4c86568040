"""Long turns are split into readable paragraphs without losing a word."""

from __future__ import annotations

from gloss import formats
from gloss.clean import Options, clean, sentences, split_paragraph
from gloss.config import CleanConfig


def test_sentences_keep_their_punctuation_and_closing_quotes():
    text = 'He said "stop." Then left! Why? ok'
    assert sentences(text) == ['He said "stop."', "Then left!", "Why?", "ok"]


def test_short_text_is_one_paragraph():
    assert split_paragraph("One. Two. Three.", 10) == ["One. Two. Three."]


def test_long_text_splits_at_sentence_ends_near_the_limit():
    sentence = "word " * 9 + "end."  # 10 words
    text = " ".join([sentence] * 7)  # 70 words
    parts = split_paragraph(text, 30)
    assert [len(p.split()) for p in parts] == [30, 30, 10]
    assert " ".join(parts) == text
    assert all(p.endswith("end.") for p in parts)


def test_a_run_on_sentence_is_split_at_a_comma_near_its_middle():
    text = "a " * 40 + "b, " + "c " * 40 + "d."
    parts = split_paragraph(text.strip(), 20)
    assert len(parts) == 2
    assert parts[0].endswith("b,")
    assert " ".join(parts) == " ".join(text.split())


def test_clean_keeps_verbatim_and_source_positions():
    body = " ".join([f"This is sentence number {i}." for i in range(30)])
    t = formats.parse("c.txt", ">> " + body + "\n")
    cleaned = clean(t, Options(CleanConfig(paragraph_words=40)))
    paras = cleaned.turns[0].paragraphs
    assert len(paras) > 1
    assert " ".join(p.verbatim for p in paras) == body
    assert all(p.text == p.verbatim for p in paras)
    for p in paras:
        assert body[p.pos.col - 4 :].startswith(p.verbatim)
    assert t.turns[0].paragraphs[0].verbatim == body, "the parsed transcript is not mutated"

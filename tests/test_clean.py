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


def test_a_vendor_trailer_is_folded_but_speech_about_api_keys_is_not():
    vendor = ("Ann: Last words.\n57 more minutes of transcript below\nTry it now — copy, paste, done:\n"
              "curl -H \"x-api-key: pt_demo\" \\\nhttps://example.com/t/1\n")
    t = clean(formats.parse("v.txt", vendor), Options())
    paras = t.turns[0].paragraphs
    assert [p.cut.startswith("excerpt: the source transcript stops here") for p in paras] == [
        False, True, True, True, True]
    speech = ("Guest: just sign up for an account, grab an API key, and start building.\n"
              "Host: Sign up and start. Thanks for coming on, it's per transcript pricing.\n")
    t = clean(formats.parse("s.txt", speech), Options())
    assert not any(p.cut for turn in t.turns for p in turn.paragraphs)
    before = "**Bob** (0:10)\nHonestly, you just sign up and grab an API key.\n57 more minutes of transcript below\n"
    t = clean(formats.parse("b.txt", before), Options())
    assert [bool(p.cut) for p in t.turns[0].paragraphs] == [False, True]


def test_every_cleaning_rule_can_be_switched_off():
    from gloss.config import CleanConfig

    text = ">> Um, I I think GPD 5.1 is good.\n"
    pairs = (("GPD 5.1", "GPT-5.1"),)

    def out(**switches):
        t = clean(formats.parse("c.txt", text), Options(CleanConfig(**switches), pairs))
        return t.turns[0].paragraphs[0].text

    assert out() == "I think GPT-5.1 is good."
    assert out(fillers=False) == "Um, I think GPT-5.1 is good."
    assert out(stutters=False) == "I I think GPT-5.1 is good."
    assert out(corrections=False) == "I think GPD 5.1 is good."
    assert out(level="verbatim") == "Um, I I think GPD 5.1 is good."


def test_config_sets_the_level_and_a_sidecar_overrides_it(make_site):
    from .conftest import html, reading

    files = {"content/a.txt": ">> Um, I I think so.\n", "content/b.txt": ">> Um, I I think so.\n",
             "content/b.yaml": "clean: {level: clean, stutters: false}\n"}
    site = make_site(files, config="clean:\n  level: verbatim\n")
    assert reading(html(site / "a" / "index.html").select_one("main .turns p")) == "Um, I I think so."
    assert reading(html(site / "b" / "index.html").select_one("main .turns p")) == "I I think so."


def test_filler_and_stutter_rules_apply_to_english_only():
    text = ">> Er hat gesagt, dass wir um acht Uhr die die Gäste treffen.\n"
    german = clean(formats.parse("de.txt", text), Options(language="de"))
    assert german.turns[0].paragraphs[0].text == text[3:].strip()
    english = clean(formats.parse("en.txt", ">> Um, I I think so.\n"), Options(language="en-GB"))
    assert english.turns[0].paragraphs[0].text == "I think so."


def test_a_word_capitalised_after_a_filler_is_still_corrected():
    t = clean(formats.parse("c.txt", ">> Um, codeex is great. I use codeex daily.\n"),
              Options(corrections=(("codeex", "Codex"), ("gpd", "gpt"))))
    para = t.turns[0].paragraphs[0]
    assert para.text == "Codex is great. I use Codex daily."
    assert "".join(s.verbatim for s in para.spans) == "Um, codeex is great. I use codeex daily."
    t = clean(formats.parse("c.txt", ">> Uh, gpd is here.\n"), Options(corrections=(("gpd", "gpt"),)))
    assert t.turns[0].paragraphs[0].text == "Gpt is here."

"""Search relevance on the example site, as readers get it (issue #24, item 2).

The example site is built with its index into a temporary folder and served over
HTTP; each query is typed into the search page of a real Chromium, which runs
the real static/search.js, and Enter pressed. A query scores at k when one of
the paragraphs it should find is among the paragraph links of its first k
results (a result links to up to three paragraphs: the ones a reader sees).

The queries are ones a reader of the two transcripts would type, with the
paragraph (or paragraphs) they want: names with a word, words only a note or a
chapter title holds, typos, versions, hyphenated words, numbers, phrases. The
figures are in README.md (Search); `GLOSS_RELEVANCE=1` prints them query by query.

Skips with a reason without Chromium, except under CI (conftest.need).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from gloss import pipeline
from gloss.config import load_config

from .conftest import copy_example, write_files
from .test_browser import browser  # noqa: F401  (the fixture)
from .test_search_browser import serve

MAD, UL = "kaiser-mad-podcast", "kaiser-unsupervised-learning"

# query -> the paragraphs (page, id) a reader wants to land on.
RELEVANCE: dict[str, set[tuple[str, str]]] = {q: {(p, i) for i in ids.split()} for q, p, ids in [
    # The dead ends of the issue: a speaker's name with a word, a note, a typo,
    # a version, a hyphenated word, a number written out, words said apart.
    ("Kaiser distillation", MAD, "but-our-models-dont-have its-a-paper-or-a so-now-maybe-there-is"),
    ("Turck GPUs", MAD, "do-people-compete-for-gpu great-what-is-next-for"),
    ("open source vs closed source", UL, "whats-your-gut-intuition-on we-talked-about-what-the"),
    ("five year old puzzle", MAD, "at-the-same-time-i so-it-has-you-see and-then-you-have-another "
     "it-says-its-odd-and i-just-showed-you-a"),
    ("5-year-old", MAD, "so-it-has-you-see it-says-its-odd-and i-just-showed-you-a"),
    ("Turing Award", MAD, "and-does-that-does-that"),
    ("distilation", MAD, "but-our-models-dont-have its-a-paper-or-a so-now-maybe-there-is"),
    ("GPD 5.1", MAD, "hi-im-matt-welcome-to there-was-a-narrative-at"),
    ("pre-train", MAD, "so-if-you-just-pre pre-training-as-i-said great-what-is-next-for"),
    ("transformer paper", MAD, "i-have-to-ask-you well-we-never-got-together i-i-recently-got-a "
     "so-so-so-attention-is its-now-called-attention-and i-think-thats-the-the"),
    # Versions and numbers, as written.
    ("5.1", MAD, "thank-you-for-all-of in-51-you-have-additional yeah-so-to-double-click"),
    ("GPT-5.1-Codex-Max", MAD, "and-is-is-is-part there-was-a-narrative-at"),
    ("GPT-3.5", MAD, "so-so-its-not-like"),
    ("15 minutes", MAD, "it-says-its-odd-and"),
    ("100 trillion synapses", MAD, "so-you-just-economically-need but-our-models-dont-have"),
    ("4o o3 o1 naming", MAD, "there-used-to-be-a"),
    # Typos and other forms of a word.
    ("translaton industry", MAD, "well-for-for-me-yes theres-more-translations-to-be"),
    ("pretraining", MAD, "great-what-is-next-for pre-training-as-i-said and-thats-certainly-something-you "
     "and-what-do-we-care so-you-just-economically-need but-our-models-dont-have its-a-paper-or-a "
     "so-now-maybe-there-is its-its-not-like-we"),
    ("model naming", MAD, "there-used-to-be-a mini-is-the-smaller-model so-i-feel-like-even"),
    ("hallucinations", MAD, "now-it-is-and-and i-very-much-used-to"),
    # Notes, titles and names.
    ("Singularity Is Near", MAD, "i-came-to-ray-curtzswwells"),
    ("knowledge distillation paper", MAD, "its-a-paper-or-a"),
    ("Nano Banana Pro", MAD, "there-was-a-narrative-at"),
    ("Ray Kurzweil", MAD, "i-came-to-ray-curtzswwells"),
    ("Ilya Sutskever", MAD, "i-came-to-ray-curtzswwells so-i-cover-was-my"),
    ("Effron generalization", UL, "i-can-think-of-no and-i-think-in-november is-reasoning-enough-to-get"),
    ("GDPval", MAD, "what-would-it-take-for"),
    ("Yann LeCun JEPA", MAD, "i-think-there-is-a and-does-that-does-that"),
    # What a passage is about.
    ("chain of thought", MAD, "going-back-to-chain-of so-in-the-current-chat so-a-reasoning-model-is"),
    ("what is a reasoning model", MAD, "so-id-love-to-do so-a-reasoning-model-is"),
    ("attention mechanism", MAD, "so-so-so-attention-is its-now-called-attention-and"),
    ("mixture of experts", MAD, "i-think-thats-the-the"),
    ("RLHF human feedback", MAD, "at-the-beginning-of-chat like-if-you-trained-the"),
    ("scaling laws", MAD, "there-was-a-narrative-at they-they-totally-work-like"),
    ("Moore's law", MAD, "this-this-is-the-overarching"),
    ("GPU access", MAD, "do-people-compete-for-gpu i-dont-think-its-so"),
    ("interpretability sparse circuits", MAD, "what-we-can-identify-is one-question-that-i-find"),
    ("sycophantic", MAD, "yeah-so-to-double-click"),
    ("how long should the model think", MAD, "in-51-you-have-additional so-the-model-sees-the"),
    ("math olympiad gold medal", MAD, "so-this-is-the-fundamental"),
    ("jagged", MAD, "so-so-its-not-as"),
    ("Gemini 3 dots", MAD, "so-it-has-you-see at-the-same-time-i and-then-you-have-another"),
    ("compaction context", MAD, "so-instead-of-keeping-everything so-so-you-know-how and-is-is-is-part"),
    ("AI intern", MAD, "that-would-be-amazing-its"),
    ("investment bankers", MAD, "one-theme-that-people-like"),
    ("robots in the home", MAD, "when-it-does-i-have the-robotss-there-its-always"),
    ("self-driving cars San Francisco", MAD, "when-it-does-i-have the-robotss-there-its-always"),
    ("Anthropic coding", UL, "why-do-you-think-anthropic anthropic-made-this-very-good"),
    ("exhausting all other options", UL, "on-the-other-hand-there they-will-learn-it-but"),
    ("post-transformers", UL, "there-is-now-like-a"),
    ("SF zoo", MAD, "i-very-much-used-to"),
    ("hotels.com", MAD, "obviously-now-you-dont-want"),
    ("driving fast in a fog", MAD, "someone-said-its-like-driving"),
    ("fork spoon", MAD, "its-its-just-something-we"),
    ("TensorFlow learning rate warm up", MAD, "so-you-need-things-like"),
    ("COVID remote work", MAD, "so-i-cover-was-my"),
    ("synthetic data", MAD, "now-synthetic-data-is-becoming"),
    ("common crawl", MAD, "and-you-improve-it-and"),
    ("Nobel Prize", MAD, "well-if-you-solve-agia"),
    ("PhD in Germany", MAD, "yes-i-was-definitely-very"),
    ("Emacs", MAD, "well-it-just-happened-like"),
    ("dog years", UL, "and-i-think-in-november"),
    ("Kaizer transformer", MAD, "i-have-to-ask-you i-i-recently-got-a so-so-so-attention-is "
     "its-now-called-attention-and i-think-thats-the-the so-so-how-do-you"),
    ("Illia Polosukhin", MAD, "i-i-recently-got-a"),
    ("Noam Shazeer", MAD, "i-think-thats-the-the"),
    ("long-running agents", MAD, "and-is-is-is-part is-that-an-engineering-problem so-it-is-an-both"),
    ("GPT 5.1 Pro", MAD, "it-says-its-odd-and there-was-a-narrative-at"),
    ("why did coding move first", UL, "why-do-you-think-anthropic anthropic-made-this-very-good"),
    ("Kurzweil", MAD, "i-came-to-ray-curtzswwells"),
    ("Google Brain manager", MAD, "so-i-cover-was-my i-came-to-ray-curtzswwells"),
    ("tenure in France", MAD, "i-did-research-in-logic"),
    ("counting dots in a picture", MAD, "so-it-has-you-see and-then-you-have-another it-says-its-odd-and"),
]}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Iterator[str]:
    """The example site, built with its index in a temporary folder and served."""
    project = copy_example(tmp_path_factory.mktemp("relevance"))
    pipeline.build(load_config(project / "config.yaml"), search=True)
    site = project / "site"
    assert (site / "search" / "data" / "meta.json").is_file()
    yield from serve(site)


def first_results(page, url: str, query: str, k: int = 3) -> list[list[tuple[str, str]]]:
    """The paragraph links (page, id) of the first k results for `query`, typed and
    sent with Enter as a reader would."""
    page.goto(url + "search/")
    page.locator("#search-q").click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-status]').textContent;"
        " return /result/.test(s) && !/Searching/.test(s); }", timeout=20000)
    out: list[list[tuple[str, str]]] = []
    for hit in page.locator(".search-results > li").all()[:k]:
        links = []
        for href in hit.locator("a.hit-passage").evaluate_all("as => as.map(a => a.href)"):
            parts = urlsplit(href)
            links.append((parts.path.strip("/").split("/")[-1], unquote(parts.fragment)))
        out.append(links)
    return out


def test_the_relevance_set_finds_what_readers_want(browser, example):  # noqa: F811
    assert len(RELEVANCE) >= 40
    page = browser.new_page()
    at1 = at3 = 0
    empty: list[str] = []
    missed: list[str] = []
    lines: list[str] = []
    for query, wanted in RELEVANCE.items():
        results = first_results(page, example, query)
        rank = next((n for n, links in enumerate(results, 1) if wanted & set(links)), 0)
        at1 += rank == 1
        at3 += 1 <= rank <= 3
        if not results:
            empty.append(query)
        if not rank:
            missed.append(query)
        lines.append(f"{rank or '-':>2}  {query}")
    page.close()
    report = f"hits@1 {at1}/{len(RELEVANCE)}, hits@3 {at3}/{len(RELEVANCE)}; missed: {missed}"
    if os.environ.get("GLOSS_RELEVANCE"):
        print("\n" + "\n".join(lines) + "\n" + report)
    assert not empty, f"queries that find nothing: {empty}"
    assert at3 >= len(RELEVANCE) - 2, report
    assert at1 >= len(RELEVANCE) * 3 // 4, report


# The rules behind the figures, each on a small site of its own.

RULES_TALK = """**Ann Host** (0:00)
Welcome. Today GPT-5.1 and version 2.0, and a 5-year-old puzzle.
**Bob Guest** (0:05)
It took 15 minutes, 5 years ago. Distillation matters, and pre-training.
**Ann Host** (0:20)
The previous train had a preference for trains.
**Bob Guest** (0:31)
Zebras everywhere, and a word about Kurzweil.
"""

RULES_SIDECAR = """title: A talk
speakers: {Ann Host: ann, Bob Guest: bob}
chapters:
  - {at: "0:00", title: Opening}
  - {at: "0:31", title: Savanna animals}
notes:
  - at: "Zebras everywhere"
    text: Ray [Kurzweil](https://example.org/rk) won the Turing Award? He did not.
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("rules")
    write_files(root, {"config.yaml": "title: T\n", "content/talk.txt": RULES_TALK,
                       "content/talk.yaml": RULES_SIDECAR, "content/people.yaml": "ann: {name: Ann Host}\nbob: {name: Bob Guest}\n"})
    pipeline.build(load_config(root / "config.yaml"), search=True)
    yield from serve(root / "site")


def found(page, url: str, query: str, enter: bool = True) -> tuple[str, list[tuple[str, list[str]]]]:
    """The status and, for each result, its head and its marked words."""
    page.goto(url + "search/")
    page.locator("#search-q").click()
    page.keyboard.type(query)
    if enter:
        page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-status]').textContent;"
        " return /result/.test(s) && !/Searching/.test(s); }", timeout=20000)
    hits = [(hit.locator(".hit-head").inner_text(), hit.locator(".hit-passage mark").all_inner_texts())
            for hit in page.locator(".search-results > li").all()]
    return page.locator("[data-status]").inner_text(), hits


@pytest.mark.parametrize(("query", "status", "hits"), [
    # Versions as written: "5.1" is not "5" and "1" ("5 years", "15 minutes").
    ("5.1", "1 result", [("Ann Host · A talk", ["GPT-5.1"])]),
    ("GPT-5.1", "1 result", [("Ann Host · A talk", ["GPT-5.1"])]),
    ("2.0", "1 result", [("Ann Host · A talk", ["2.0"])]),
    # Hyphenated words found whole or word by word, numbers written out too.
    ("5-year-old", "1 result", [("Ann Host · A talk", ["5-year-old"])]),
    ("five year old", "1 result", [("Ann Host · A talk", ["5-year-old"])]),
    # A word is whole once sent: "pre-train" finds "pre-training", not "previous" or "preference".
    ("pre-train", "1 result", [("Bob Guest · A talk", ["pre-training"])]),
    ("train", "2 results", [("Ann Host · A talk", ["train", "trains"]), ("Bob Guest · A talk", ["pre-training"])]),
    # One typo in a word of five letters or more.
    ("distilation", "1 result", [("Bob Guest · A talk", ["Distillation"])]),
    # A name or a chapter title ranks a record, but makes no result alone.
    ("Guest minutes", "1 result", [("Bob Guest · A talk", ["minutes"])]),
    ("Savanna", "No results", []),
    # A note is shown as a note, never under a speaker's name.
    ("Turing Award", "1 result", [("Note · A talk", ["Turing Award"])]),
    ("Kurzweil", "2 results", [("Bob Guest · A talk", ["Kurzweil"]), ("Note · A talk", ["Kurzweil"])]),
    # When no record holds every word, the best partial matches, labelled.
    ("zebras giraffes", "No result has every word: 1 result with some of them",
     [("Bob Guest · A talk · without “giraffes”", ["Zebras"])]),
])
def test_words_are_found_as_written_and_as_meant(browser, rules, query, status, hits):  # noqa: F811
    page = browser.new_page()
    assert found(page, rules, query) == (status, hits)
    page.close()


def test_only_the_word_being_typed_is_the_start_of_a_longer_one(browser, rules):  # noqa: F811
    page = browser.new_page()
    hits = found(page, rules, "distil", enter=False)[1]
    assert hits == [("Bob Guest · A talk", ["Distillation"])]
    # Sent, a word that is a word of the index is whole ("pre" is, in "pre-training").
    assert found(page, rules, "pre")[1] == [("Bob Guest · A talk", ["pre-training"])]
    # While typed, the last word also starts longer words; the others are whole.
    assert found(page, rules, "Welcome pre", enter=False)[1] == [
        ("Ann Host · A talk", ["Welcome", "previous", "preference"])]
    page.close()

"""Search in a real browser: the example site built with its index, served over
HTTP (the search page loads its index with fetch, which file:// does not
allow), searched as a reader would, from the keyboard.

Skips with a reason without Chromium, except under CI, where that is a
failure (conftest.need).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import copy_example, need, need_module, run_cli, write_files
from .test_browser import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium to run the search tests")
    sync_api = need_module("playwright.sync_api", "pip install playwright (the test extra)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example(browser, tmp_path_factory) -> Iterator[str]:
    """The example site (a copy of content/ and config.yaml), built and served."""
    project = copy_example(tmp_path_factory.mktemp("search-site"))
    built = run_cli("build", "--quiet", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "search" / "data" / "meta.json").is_file()
    yield from serve(project / "site")


def search_for(browser, url: str, query: str, **options):
    """Open the search page, type the query and press Enter, as a reader would."""
    page = browser.new_page(**options)
    page.goto(url + "search/")
    page.locator("#search-q").click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_function("/(\\d+|No) results?$/.test(document.querySelector('[data-status]').textContent)",
                           timeout=20000)
    return page


@pytest.mark.parametrize(("query", "speaker", "slug", "time", "shown"), [
    ('"Machine learning is beautifully forgiving"', "Lukasz Kaiser", "kaiser-mad-podcast", None,
     "Machine learning is beautifully forgiving"),
    ('"Anthropic made this very good decision"', "Lukasz Kaiser", "kaiser-unsupervised-learning", "0:12",
     "Anthropic made this very good decision"),
    ('"successful on the coding side"', "Jacob Effron", "kaiser-unsupervised-learning", "0:08",
     "successful on the coding side"),
    ('"GPD 5.1"', "Matt Turck", "kaiser-mad-podcast", None, "GPT-5.1"),
])
def test_a_search_finds_the_passage_under_its_speaker_and_opens_that_paragraph(
        browser, example, query, speaker, slug, time, shown):
    page = search_for(browser, example, query)
    hit = page.locator(".search-results > li").first
    assert hit.locator(".hit-who").inner_text() == speaker
    assert "Lukasz Kaiser" in hit.locator(".hit-ep").inner_text()
    link = hit.locator("a.hit-passage").first
    if time:
        assert link.locator("time").inner_text() == time
    marked = " ".join(link.locator("mark").all_inner_texts())
    if query == '"GPD 5.1"':
        # The misheard form is shown as heard, after the correction readers see.
        assert marked == "GPD 5.1" and re.search(r"GPT-5\.1\S* \(heard “GPD 5\.1", link.inner_text())
    else:
        assert marked == query.strip('"')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{slug}/#*")
    fragment = page.url.split("#", 1)[1]
    assert page.evaluate("location.hash") == "#" + fragment
    target = page.locator(f"[id='{fragment}']")
    assert target.evaluate("el => el.tagName") == "P"
    assert shown in target.inner_text()
    assert target.evaluate("el => el.closest('.turn').querySelector('cite').textContent") == speaker
    page.close()


def test_results_are_announced_and_reachable_by_keyboard(browser, example):
    page = search_for(browser, example, "transformer")
    status = page.locator("[data-status]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    count = int(status.inner_text().split()[0])
    assert count > 6 and page.locator(".search-results > li").count() == 6, "a first batch of six"
    page.locator("[data-more]").click()
    page.wait_for_function("document.querySelectorAll('.search-results > li').length > 6")
    page.locator("#search-q").focus()
    assert page.get_by_label("Search every transcript").input_value() == "transformer"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hit-passage')"):
            break
    else:
        raise AssertionError("Tab does not reach the first result")
    assert "q=transformer" in page.url, "the query stays in the address, to share or go back to"
    page.close()


def test_the_filters_narrow_to_one_speaker(browser, example):
    page = search_for(browser, example, "reasoning")
    everyone = set(page.locator(".hit-who").all_inner_texts())
    assert {"Lukasz Kaiser", "Matt Turck"} <= everyone
    page.locator("summary", has_text="Filter").click()
    page.wait_for_function("document.querySelector('select[name=speaker]').options.length > 1")
    assert page.get_by_label("Speaker").locator("option").all_inner_texts() == [
        "Any speaker", "Jacob Effron", "Lukasz Kaiser", "Matt Turck"]
    page.get_by_label("Speaker").select_option("Matt Turck")
    page.wait_for_function("document.querySelector('[data-status]').textContent.includes('with these filters')")
    assert set(page.locator(".hit-who").all_inner_texts()) == {"Matt Turck"}
    assert "speaker=Matt+Turck" in page.url
    page.close()


def test_without_javascript_the_search_page_says_so_and_the_rest_reads(browser, example):
    page = browser.new_page(java_script_enabled=False)
    page.goto(example + "search/?q=transformer")
    assert page.locator("[data-nojs]").is_visible()
    assert "Search needs JavaScript" in page.locator("[data-nojs]").inner_text()
    assert page.locator("form[data-search]").is_hidden(), "no form that cannot work"
    page.goto(example + "kaiser-mad-podcast/")
    assert page.locator(".turn").count() > 20
    page.close()


def test_result_text_is_never_markup(browser, tmp_path):
    """Words from a transcript show as typed, even when they look like HTML."""
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt":
                           "Ann: Type <b>bold</b> and <img src=x onerror=alert(1)> zebrafish here.\n"})
    assert run_cli("build", "--quiet", cwd=tmp_path).returncode == 0
    for url in serve(tmp_path / "site"):
        page = search_for(browser, url, "zebrafish")
        text = page.locator(".hit-text").first
        assert "<b>bold</b>" in text.inner_text() and "<img src=x" in text.inner_text()
        assert text.locator("b, img").count() == 0
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_follow_the_theme_in_light_and_dark(browser, example, scheme, tmp_path):
    page = search_for(browser, example, '"GPD 5.1"', color_scheme=scheme, viewport={"width": 1000, "height": 900})
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(251, 250, 247)" if scheme == "light" else "rgb(22, 24, 28)")
    who = page.locator(".hit-who").first
    assert who.evaluate("el => getComputedStyle(el).color") != page.evaluate(
        "getComputedStyle(document.body).color"), "the speaker's colour, as on the page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    if os.environ.get("GLOSS_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["GLOSS_SCREENSHOTS"]) / f"search-{scheme}.png"))
    page.close()


def test_a_missing_index_is_said_plainly(browser, tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt": "Ann: Hello there.\n"})
    assert run_cli("build", "--quiet", cwd=tmp_path).returncode == 0
    shutil.rmtree(tmp_path / "site" / "search" / "data")
    for url in serve(tmp_path / "site"):
        page = browser.new_page()
        page.goto(url + "search/?q=hello")
        page.wait_for_function("document.querySelector('[data-status]').textContent.includes('unavailable')")
        assert page.locator(".search-results > li").count() == 0
        page.close()


WORDS_TALK = """Ann: We met at the Caf\u00e9 Zo\u00eb on Tuesday, after the talks.
Bob: Talking helps. The red car was fast, and the car was red.
Ann: Quantum widgets, quantum gadgets.
"""


@pytest.mark.parametrize(("query", "found"), [
    ("cafe zoe", {"Ann": ["Caf\u00e9 Zo\u00eb"]}),  # accents are not needed to find a word
    ("talking", {"Bob": ["Talking"], "Ann": ["talks"]}),  # in English, other endings of the word too
    ("talk", {"Bob": ["Talking"], "Ann": ["talks"]}),  # the last word may be the start of a longer one
    ('"red car"', {"Bob": ["red car"]}),
    ("quant widg", {"Ann": ["Quantum widgets", "quantum"]}),
])
def test_words_are_found_as_readers_type_them(browser, tmp_path, query, found):
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt": WORDS_TALK})
    assert run_cli("build", "--quiet", cwd=tmp_path).returncode == 0
    for url in serve(tmp_path / "site"):
        page = search_for(browser, url, query)
        hits = page.locator(".search-results > li").all()
        assert {hit.locator(".hit-who").inner_text(): hit.locator("mark").all_inner_texts()
                for hit in hits} == found
        page.close()


def test_a_phrase_in_quotes_finds_only_its_words_in_a_row(browser, tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt": WORDS_TALK})
    assert run_cli("build", "--quiet", cwd=tmp_path).returncode == 0
    for url in serve(tmp_path / "site"):
        page = search_for(browser, url, '"car red"')
        assert page.locator("[data-status]").inner_text() == "No results"
        page.close()
        page = search_for(browser, url, "car red")
        assert page.locator("[data-status]").inner_text() == "1 result"
        page.close()


def test_a_rare_phrase_is_looked_for_a_few_dozen_records_at_a_time(browser, tmp_path):
    """Records with both words, but not in a row, are checked in rounds: each
    round costs downloads, so "Show more" goes on where the last one stopped."""
    files = {"config.yaml": "title: T\n"}
    for i in range(60):
        files[f"content/t{i:02d}.txt"] = "Ann: We launch the big rocket today, and the launch went well.\n"
    files["content/t60.txt"] = "Bob: A rocket launch, at last.\n"
    write_files(tmp_path, files)
    assert run_cli("build", "--quiet", cwd=tmp_path).returncode == 0
    for url in serve(tmp_path / "site"):
        page = browser.new_page()
        page.goto(url + "search/?q=%22rocket+launch%22")
        status = page.locator("[data-status]")
        page.wait_for_function("document.querySelector('[data-status]').textContent.includes('result')")
        found = page.locator(".search-results > li")
        # Each round ends by saying the status again (to screen readers), its
        # words the same or not: count the times it is said.
        page.evaluate("""() => { window.__said = 0; new MutationObserver(() => window.__said++)
            .observe(document.querySelector('[data-status]'), {childList: true, characterData: true, subtree: true}); }""")
        rounds = 0
        while "more may follow" in status.inner_text() and rounds < 10:
            assert status.inner_text() in ("0 results so far; more may follow", "1 result so far; more may follow")
            said = page.evaluate("window.__said")
            page.locator("[data-more]").click()
            page.wait_for_function("n => window.__said > n", arg=said, timeout=15000)
            rounds += 1
        assert 1 <= rounds <= 3, "61 records with both words take two or three rounds of checks"
        assert status.inner_text() == "1 result"
        assert found.count() == 1 and found.first.locator(".hit-who").inner_text() == "Bob"
        assert found.first.locator("mark").all_inner_texts() == ["rocket launch"]
        page.close()


@pytest.mark.parametrize(("query", "titles", "said"), [
    ("unsupervised learning excerpt", ["Lukasz Kaiser on whether reasoning is enough to generalize "
                                       "(Unsupervised Learning, excerpt)"],
     "No result has every word"),  # "excerpt" is said nowhere: the passages hold some of the words
    ("MAD podcast", ["Lukasz Kaiser on reasoning models, the Transformer and why AI progress is not slowing "
                     "(The MAD Podcast)"], None),
    ("distillation", [], None),  # said, in no title
])
def test_a_query_in_an_episode_title_finds_that_transcript(browser, example, query, titles, said):
    """Titles are not in the word files (a title is in every record of its
    episode): the search page matches them itself and shows the transcripts
    above the passages."""
    page = browser.new_page()
    page.goto(example + "search/")
    page.locator("#search-q").fill(query)
    page.keyboard.press("Enter")
    page.wait_for_function("/results?|some of them/.test(document.querySelector('[data-status]').textContent)",
                           timeout=20000)
    links = page.locator(".title-hits a")
    assert links.all_inner_texts() == titles
    for link in links.all():
        assert link.get_attribute("href").endswith(("/kaiser-mad-podcast/", "/kaiser-unsupervised-learning/"))
    if said:
        assert page.locator("[data-status]").inner_text().startswith(said)
    page.close()

"""Issue #24's reader checks on an archive nobody annotated by hand: 40
generated hour-long interviews (bench/corpus.py: ~10,000 words each, turns
with times, a sidecar with speakers, a chapter, topics, a note and a
highlight). What holds on the two seeds must hold on any site: the first
words on the first screen, the site's title in one place on every page kind,
one Tab stop per turn, and pages that print full."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bench.corpus import generate

from .conftest import run_cli
from .test_browser import browser  # noqa: F401  (the fixture)
from .test_print import printed
from .test_reading import SCREENS, assert_one_tab_stop_a_turn


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("generated")
    generate(40, project / "content", "transcript", sidecars=True)
    (project / "config.yaml").write_text("title: Forty interviews\n", "utf-8")
    built = run_cli("build", "--quiet", "--strict", cwd=project)
    assert built.returncode == 0, built.stderr
    return project / "site"


def transcripts(site: Path) -> list[str]:
    return sorted(p.parent.name for p in site.glob("*/index.html")
                  if p.parent.name not in ("topics", "people", "search", "quotes"))


def test_the_archive_is_all_there(generated):
    assert len(transcripts(generated)) == 40


def test_the_first_spoken_words_are_on_the_first_screen(browser, generated):  # noqa: F811
    slugs = transcripts(generated)[::8]
    for name, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        try:
            page = context.new_page()
            for slug in slugs:
                page.goto((generated / slug / "index.html").as_uri())
                top = page.evaluate("document.querySelector('.turns .speech p').getBoundingClientRect().top")
                assert top + 50 < viewport["height"], f"{name}: {slug} speech starts at {top}px"
        finally:
            context.close()


def test_the_site_title_stays_in_one_place_on_every_page_kind(browser, generated):  # noqa: F811
    topic = next((generated / "topics").glob("*/index.html"))
    person = next((generated / "people").glob("*/index.html"))
    quote = next((generated / "quotes").rglob("index.html"))
    pages = [generated / "index.html", generated / transcripts(generated)[0] / "index.html",
             generated / "topics" / "index.html", topic, generated / "people" / "index.html", person, quote,
             generated / "search" / "index.html"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        places = {}
        for path in pages:
            page.goto(path.as_uri())
            box = page.locator(".site-title").bounding_box()
            assert box
            places[str(path.relative_to(generated))] = (round(box["x"]), round(box["y"]))
        assert len(set(places.values())) == 1, places
    finally:
        page.close()


def test_tab_goes_turn_by_turn(browser, generated):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((generated / transcripts(generated)[3] / "index.html").as_uri())
        assert_one_tab_stop_a_turn(page)
    finally:
        page.close()


def test_a_long_transcript_prints_without_blank_pages(browser, generated):  # noqa: F811
    pages = printed(browser, generated / transcripts(generated)[5] / "index.html")
    assert len(pages) > 10
    typical = statistics.median(len(text) for text in pages)
    thin = [i + 1 for i, text in enumerate(pages[:-1]) if len(text) < typical / 4]
    assert not thin, f"pages {thin} are under a quarter full"

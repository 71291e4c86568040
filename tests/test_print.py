"""Transcript pages on paper, as Chromium prints them to PDF and pypdf reads
the PDF back: pages filled, headings with their text, no interface, and where
the page came from printed once."""

from __future__ import annotations

import io
import statistics
import unicodedata
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, need_module
from .test_browser import browser, site  # noqa: F401  (the fixtures)

PAGES = ["kaiser-mad-podcast", "kaiser-unsupervised-learning"]


def printed(browser, page_file: Path) -> list[str]:  # noqa: F811
    """The text of each printed A4 page, JavaScript on, as a reader prints."""
    pypdf = need_module("pypdf", "pip install pypdf (the test extra)")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        data = page.pdf(format="A4")
    finally:
        page.close()
    # NFKC: the PDF draws "fi" as one ligature glyph.
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def paper(browser, site) -> dict[str, list[str]]:  # noqa: F811
    return {slug: printed(browser, site / slug / "index.html") for slug in PAGES}


@pytest.mark.parametrize("slug", PAGES)
def test_no_page_is_left_mostly_blank(paper, slug):
    """A turn breaks across pages: keeping each whole left a quarter to a third
    of the pages blank."""
    pages = paper[slug]
    typical = statistics.median(len(text) for text in pages)
    thin = [i + 1 for i, text in enumerate(pages[:-1]) if len(text) < typical / 4]
    assert not thin, f"{slug}: pages {thin} are under a quarter full"


@pytest.mark.parametrize("slug", PAGES)
def test_a_chapter_heading_is_never_the_last_line_of_a_page(paper, slug):
    chapters = yaml.safe_load((ROOT / "content" / f"{slug}.yaml").read_text()).get("chapters") or []
    titles = {ch["title"] for ch in chapters}
    assert titles
    for number, text in enumerate(paper[slug], 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert not lines or lines[-1] not in titles, f"{slug}: page {number} ends with a heading"


@pytest.mark.parametrize("slug", PAGES)
def test_the_interface_does_not_print_and_the_address_prints_once(paper, site, slug):  # noqa: F811
    text = "\n".join(paper[slug])
    for interface in ("Download", "Show verbatim", "Skip to content", "All transcripts", "Search transcripts"):
        assert interface not in text, interface
    lines = text.splitlines()
    assert not any(line.strip().startswith("#") and line.strip()[1:].isdigit() for line in lines), "#n labels"
    address = (site / slug / "index.html").as_uri()
    assert text.count(address) == 1
    assert "printed " in text

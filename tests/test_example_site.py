"""End to end: the example site in content/, built from the two real seed transcripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT, html, run_cli

SEEDS = {
    "kaiser-unsupervised-learning": ("kaiser-unsupervised-learning.txt", 10),
    "kaiser-mad-podcast": ("kaiser-mad-podcast.txt", 63),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = run_cli("--out", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "built 2 page(s)" in result.stdout
    return out


def source_words(text: str) -> list[str]:
    text = re.sub(r"^\*\*[^*]+\*\* \(\d+:\d\d\)$", " ", text, flags=re.M)
    text = re.sub(r"(^|\s)>>", " ", text)
    return text.split()


@pytest.mark.parametrize("slug", SEEDS)
def test_every_word_of_the_seed_is_on_its_page_in_order(site, slug):
    name, turns = SEEDS[slug]
    page = html(site / slug / "index.html")
    assert len(page.select("main .turn")) == turns
    shown = []
    for p in page.select("main .turn .speech p"):
        p.select_one("a.pl").decompose()
        shown += p.get_text().split()
    assert shown == source_words((ROOT / "content" / name).read_text("utf-8"))


def test_seed_000_names_its_speakers(site):
    page = html(site / "kaiser-unsupervised-learning" / "index.html")
    speakers = [c.get_text() for c in page.select("main .turn cite")]
    assert set(speakers) == {"Jacob Effron", "Lukasz Kaiser"}, "SPEAKER_3 is mapped to Lukasz"
    assert page.select("main .turn time")[6]["datetime"] == "PT28S"


def test_seed_002_long_turns_are_split_into_paragraphs(site):
    page = html(site / "kaiser-mad-podcast" / "index.html")
    paragraphs = page.select("main .turn .speech p")
    longest = max(len(p.get_text().split()) for p in paragraphs)
    assert len(paragraphs) > 120
    assert longest < 300


def test_home_lists_both_seeds(site):
    home = html(site / "index.html")
    links = sorted(a["href"] for a in home.select(".cards h2 a"))
    assert links == ["kaiser-mad-podcast/", "kaiser-unsupervised-learning/"]

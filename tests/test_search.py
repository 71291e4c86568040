"""Search records and the index: each record is one speaker's words as readers see
them (and the misheard forms), never a cut passage, linking to paragraphs that
exist on the page; the build makes the index when Pagefind is there and says
clearly, once, when it is not."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from gloss import cli, pipeline, search
from gloss.config import load_config
from gloss.errors import Diagnostics

from .conftest import ROOT, html, reading, write_files

TALK = """**Ann Host** (0:00)
Welcome. Today we talk about GPD 5.1 with our guest.
**Bob Guest** (0:05)
Thanks. GPD 5.1 is, uh, a big step. <script>alert(1)</script> stays text.
**Ann Host** (0:20)
Sponsored segment: buy our mattress today.
**Bob Guest** (0:31)
And the benchmarks agree.
"""

SIDECAR = """title: Talk about GPT-5.1
speakers: {Ann Host: ann, Bob Guest: bob}
corrections: {GPD 5.1: GPT-5.1}
cut:
  - from: "Sponsored segment"
    to: "mattress today"
    reason: advert
topics:
  - topic: models
    from: "Thanks."
    to: "stays text."
"""

FILES = {"content/talk.txt": TALK, "content/talk.yaml": SIDECAR,
         "content/people.yaml": "ann: {name: Ann Host}\nbob: {name: Bob Guest}\n",
         "content/topics.yaml": "models: {title: Models}\n"}

NEEDS_PAGEFIND = "Pagefind is not installed: pip install 'pagefind[bin]' (make test installs it)"


@pytest.fixture
def pagefind() -> Path:
    """The Pagefind binary; a test that needs it is skipped without it (failed under CI)."""
    found = search.find_pagefind()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(NEEDS_PAGEFIND)
        pytest.skip(NEEDS_PAGEFIND)
    return found


def records_of(config) -> list[search.Record]:
    """The site's search records, as a build with search makes them (in memory)."""
    caches = pipeline.Caches()
    config = replace(config, search=True)
    model = pipeline.make_site(config, Diagnostics(), pipeline.Memory(), caches=caches)
    return search.records([(p, caches.pages[p.slug][1].records or []) for p in model.pages])


def site_records(root: Path) -> tuple[list[search.Record], Path]:
    """Build the project at `root` (without search) and return its records and site."""
    config = load_config(root / "config.yaml")
    pipeline.build(config)
    return records_of(config), config.output_path


def test_a_record_is_one_speakers_words_with_the_misheard_forms_and_no_cut_text(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    records, site = site_records(tmp_path)
    page = html(site / "talk" / "index.html")

    def pid(alias: str) -> str:
        """A paragraph's id on the page, by its turn-and-paragraph alias."""
        return page.select_one(f"p:has(> span#{alias})")["id"]

    assert [(r.speaker, r.person, r.topics, [p.id for p in r.passages]) for r in records] == [
        ("Ann Host", "Ann Host", (), [pid("t1-1")]),
        ("Bob Guest", "Bob Guest", ("Models",), [pid("t2-1")]),
        ("Bob Guest", "Bob Guest", (), [pid("t4-1")]),
    ]
    ann, bob, _ = records
    assert ann.passages[0].text == "Welcome. Today we talk about GPT-5.1 \u3014 GPD 5.1 \u3015 with our guest."
    assert bob.passages[0].text == ("Thanks. GPT-5.1 \u3014 GPD 5.1 \u3015 is a big step. "
                                    "<script>alert(1)</script> stays text.")
    assert [p.start for r in records for p in r.passages] == [0, 5, 31]
    assert all("mattress" not in p.text and "Sponsored" not in p.text for r in records for p in r.passages)
    assert all(r.episode == "Talk about GPT-5.1" and r.page == "talk/" for r in records)


def test_every_record_links_to_paragraphs_of_its_speaker_on_the_page(tmp_path):
    """On the example site: every passage's anchor is a paragraph in a turn of the
    record's speaker, it reads the same words, and every paragraph not cut is in
    exactly one record."""
    for name in ("content", "config.yaml"):
        (shutil.copytree if name == "content" else shutil.copy)(ROOT / name, tmp_path / name)
    records, site = site_records(tmp_path)
    pages = {}
    seen = set()
    for rec in records:
        page = pages.setdefault(rec.page, html(site / rec.page / "index.html"))
        for passage in rec.passages:
            p = page.find("p", id=passage.id)
            assert p is not None, f"{rec.page}#{passage.id} is not on the page"
            assert p.find_parent(class_="turn").find("cite").get_text() == rec.speaker
            heard = passage.text.split(" \u3014 ")
            shown = " ".join([heard[0]] + [h.split(" \u3015", 1)[1] for h in heard[1:]]).split()
            assert " ".join(shown) == reading(p).replace("\xa0", " ").strip(), passage.id
            seen.add((rec.page, passage.id))
    for slug, page in pages.items():
        ids = {p["id"] for p in page.select(".speech > p[id], .with-notes > p[id]")}
        assert {i for s, i in seen if s == slug} == ids
    assert len(seen) == sum(len(r.passages) for r in records)


def test_the_misheard_forms_of_the_seed_are_indexed_beside_the_corrections(tmp_path):
    for name in ("content", "config.yaml"):
        (shutil.copytree if name == "content" else shutil.copy)(ROOT / name, tmp_path / name)
    records, _ = site_records(tmp_path)
    texts = [p.text for r in records for p in r.passages]
    assert any(re.search(r"GPT-5\.1\W* \u3014 GPD 5\.1 \u3015", t) for t in texts)
    assert not any("GPD 5.1" in re.sub("\u3014[^\u3015]*\u3015", "", t) for t in texts), \
        "the misheard form is only ever indexed as heard, after its correction"


def test_record_pages_escape_content_and_carry_no_searchable_metadata():
    rec = search.Record("a/", "Ep <b>1</b>", "Ann & Co", 2, "Ann & Co", ("T",),
                        (search.Passage("t1-1", "<script>x</script> & more", 87.0),))
    page = search.record_html(rec, "en")
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; more" in page
    assert "Ep &lt;b&gt;1&lt;/b&gt;" in page and "data-pagefind-meta" not in page
    assert '<span id="@87"></span><span id="t1-1"></span>' in page


def test_pagefind_makes_the_index_in_memory_without_its_own_ui(tmp_path, pagefind):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    records, _ = site_records(tmp_path)
    files = search.build_index(records, "en", pagefind)
    assert "pagefind/pagefind.js" in files and "pagefind/pagefind-entry.json" in files
    assert not [f for f in files if "-ui." in f or "highlight" in f]
    fragments = [json.loads(gzip.decompress(data)[len(b"pagefind_dcd"):])
                 for name, data in files.items() if name.startswith("pagefind/fragment/")]
    assert len(fragments) == len(records)
    bob = next(f for f in fragments if "Thanks." in f["content"])
    # Content comes back as raw text (the search page shows it as text, never as HTML),
    # and each paragraph's anchor gives the word it starts at.
    assert "<script>alert(1)</script>" in bob["content"]
    assert bob["filters"] == {"episode": ["Talk about GPT-5.1"], "name": ["Bob Guest"], "color": ["1"],
                              "speaker": ["Bob Guest"], "topic": ["Models"]}
    assert bob["meta"] == {}
    first = next(r for r in records if r.speaker == "Bob Guest").passages[0].id
    assert [(a["id"], a["location"]) for a in bob["anchors"]] == [("@5", 0), (first, 0)]
    assert bob["url"] == "/talk/1.html"
    assert search.build_index(records, "en", pagefind) == files, "the same records, the same bytes"


def test_the_build_adds_a_search_page_a_search_box_and_the_index(tmp_path, pagefind):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    assert cli.main(["build", "--quiet", "--config", str(tmp_path / "config.yaml")]) == 0
    site = tmp_path / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    page = html(site / "search" / "index.html")
    assert page.select_one("form[role=search] input[name=q]")["id"] == "search-q"
    assert "Search needs JavaScript" in page.select_one("[data-nojs]").get_text()
    assert page.select_one("[role=status][aria-live=polite]") is not None
    box = html(site / "talk" / "index.html").select_one("header form[role=search]")
    assert box["action"] == "../search/" and box.select_one("label[for=site-q]")


@pytest.mark.parametrize("why", ["missing", "broken"])
def test_without_pagefind_the_build_says_so_once_and_the_site_has_no_search(tmp_path, monkeypatch, capsys,
                                                                            why):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    if why == "missing":
        monkeypatch.setattr(search, "find_pagefind", lambda: None)
        line = "search: Pagefind is not installed; pip install 'pagefind[bin]' to add search"
    else:
        not_a_program = tmp_path / "pagefind"
        not_a_program.write_text("not a program\n")
        monkeypatch.setattr(search, "find_pagefind", lambda: not_a_program)
        line = "search: Pagefind cannot run here ("
    assert cli.main(["build", "--config", str(tmp_path / "config.yaml")]) == 0
    err = capsys.readouterr().err
    assert err.count("search: ") == 1 and line in err
    site = tmp_path / "site"
    assert not (site / "search").exists() and not (site / "pagefind").exists()
    assert html(site / "talk" / "index.html").select("form[role=search]") == []
    assert "Welcome." in html(site / "talk" / "index.html").get_text()


def test_a_site_with_nothing_to_search_has_no_search_and_nothing_to_say(tmp_path, capsys):
    write_files(tmp_path, {"config.yaml": "title: T\n"})
    (tmp_path / "content").mkdir()
    assert cli.main(["build", "--config", str(tmp_path / "config.yaml")]) == 0
    assert "search" not in capsys.readouterr().err
    assert not (tmp_path / "site" / "search").exists()


def test_serve_indexes_in_the_background_and_reuses_an_index_nothing_changed(tmp_path, pagefind):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    config = load_config(tmp_path / "config.yaml")
    ready = threading.Event()
    cache = search.SearchCache(on_ready=ready.set)
    recs = records_of(config)
    assert search.site_index(recs, "k", "en", cache) == {}, "the build does not wait for Pagefind"
    assert ready.wait(60), "the index is reported ready"
    files = search.site_index(recs, "k", "en", cache)
    assert files and "pagefind/pagefind.js" in files
    ready.clear()
    assert search.site_index(recs, "k", "en", cache) is files, "unchanged records reuse the index"
    assert not ready.is_set() and cache.worker is None


def test_serve_publishes_each_new_index_when_it_is_ready(tmp_path, pagefind):
    from .serving import Server, fetch, free_port, wait_for

    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    server = Server(tmp_path, free_port())
    try:
        server.started()
        assert "data-search" in fetch(server.url + "search/")[1]
        entry = server.url + "pagefind/pagefind-entry.json"
        first = wait_for(lambda: fetch(entry)[0] == 200 and fetch(entry)[1])
        (tmp_path / "content" / "talk.txt").write_text(TALK + "**Ann Host** (0:40)\nZanzibar, goodbye.\n")
        wait_for(lambda: fetch(entry)[1] != first)
        assert "Zanzibar" in fetch(server.url + "talk/")[1]
    finally:
        out = server.stop()
    assert "search:" not in out, out
    assert "search index updated: " in out, "the terminal says when a new index is published"


def test_a_new_index_alone_reloads_no_open_page(tmp_path):
    from gloss.serve import LiveSite

    live = LiveSite()
    live.publish(tmp_path, "")
    epoch = live.epoch
    live.publish(tmp_path, "", reload=False)
    assert live.epoch == epoch, "a new index alone reloads no page"
    live.publish(tmp_path, "")
    assert live.epoch == epoch + 1


def test_the_index_is_made_again_only_when_the_words_searched_change(tmp_path, pagefind, monkeypatch):
    """Pagefind takes half a minute at 1,000 episodes: an edit that changes no
    record (a note, a date, a chapter) reuses the index; new words do not."""
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    runs: list[int] = []
    real = search.build_index

    def counting(recs, language, binary=None):
        runs.append(len(recs))
        return real(recs, language, binary)

    monkeypatch.setattr(search, "build_index", counting)
    pipeline.build(config, search=True)
    assert len(runs) == 1
    sidecar = tmp_path / "content" / "talk.yaml"
    sidecar.write_text(SIDECAR + "date: 2025-11-02\nnotes:\n  - at: \"And the benchmarks\"\n"
                       "    text: A note readers see beside the paragraph.\n")
    pipeline.build(config, search=True)
    assert len(runs) == 1, "a note and a date change no record"
    assert "A note readers see" in (tmp_path / "site" / "talk" / "index.html").read_text()
    talk = tmp_path / "content" / "talk.txt"
    talk.write_text(TALK.replace("And the benchmarks agree.", "And the benchmarks agree, Zanzibar."))
    pipeline.build(config, search=True)
    assert len(runs) == 2, "new words are indexed"
    recs = records_of(config)
    assert any("Zanzibar" in p.text for r in recs for p in r.passages)

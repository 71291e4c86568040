"""Search records and the index: each record is one speaker's words as readers see
them (and the misheard forms), never a cut passage, linking to paragraphs that
exist on the page; the index finds each word's records, and a result's fragment
says who spoke, where and when."""

from __future__ import annotations

import bisect
import json
import re
import shutil
import threading
import unicodedata
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gloss import cli, pipeline, search, search_records
from gloss.config import load_config
from gloss.errors import Diagnostics, SourcePos
from gloss.model import Paragraph, Span

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

def records_of(config) -> list[search.Record]:
    """The site's search records, with their words, as a build with search makes
    them (in this process), in site order."""
    made: dict[str, list[search.Record]] = {}
    real = search.transcript_records

    def keeping(page, site):
        made[page.slug] = real(page, site)
        return made[page.slug]

    search.transcript_records = keeping
    try:
        config = replace(config, search=True, jobs=1)
        model = pipeline.make_site(config, Diagnostics(), pipeline.Memory(), caches=pipeline.Caches())
    finally:
        search.transcript_records = real
    return [r for p in model.pages for r in made[p.slug]]


def entries_of(config) -> list[search.Entry]:
    """What the index is made from: the site's records as the build keeps them."""
    return [search.entry(r) for r in records_of(config)]


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
    exactly one record. A note is a record of its own, with no speaker: its text,
    linking to the paragraph it annotates."""
    for name in ("content", "config.yaml"):
        (shutil.copytree if name == "content" else shutil.copy)(ROOT / name, tmp_path / name)
    records, site = site_records(tmp_path)
    pages = {}
    seen = set()
    notes = [r for r in records if r.note]
    assert len(notes) == 14 and all(r.speaker == "" and r.person == "" for r in notes)
    for rec in notes:
        page = pages.setdefault(rec.page, html(site / rec.page / "index.html"))
        (passage,) = rec.passages
        shown = [search.words(n.get_text(" ")) for n in
                 page.find("p", id=passage.id).find_parent(class_="with-notes").select("aside.note")]
        assert search.words(passage.text) in shown, passage.text
    turing = next(r for r in notes if "Turing Award" in r.passages[0].text)
    assert turing.chapter == "Generalization and new architectures" and "https" not in turing.passages[0].text
    for rec in records:
        if rec.note:
            continue
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
    assert len(seen) == sum(len(r.passages) for r in records if not r.note)


def test_the_misheard_forms_of_the_seed_are_indexed_beside_the_corrections(tmp_path):
    for name in ("content", "config.yaml"):
        (shutil.copytree if name == "content" else shutil.copy)(ROOT / name, tmp_path / name)
    records, _ = site_records(tmp_path)
    texts = [p.text for r in records for p in r.passages]
    assert any(re.search(r"GPT-5\.1\W* \u3014 GPD 5\.1 \u3015", t) for t in texts)
    assert not any("GPD 5.1" in re.sub("\u3014[^\u3015]*\u3015", "", t) for t in texts), \
        "the misheard form is only ever indexed as heard, after its correction"


def lookup(files: dict[str, bytes], word: str) -> dict[int, int]:
    """Record number -> weight for one word, read from the index files as the search
    page reads them (meta.json's word files, numbers as differences)."""
    meta = json.loads(files["search/data/meta.json"])
    firsts = [first for first, _ in meta["words"]]
    name = meta["words"][max(0, bisect.bisect_right(firsts, word) - 1)][1]
    found = json.loads(files[f"search/data/w/{name}.json"]).get(word, [])
    out, at = {}, 0
    for delta, count in zip(found[0::2], found[1::2], strict=True):
        at += delta
        out[at] = count
    return out


def fragment(files: dict[str, bytes], records: list[search.Record], number: int) -> dict:
    """The fragment of record `number`, found as the search page finds it (the
    fragments are written with each page)."""
    meta = json.loads(files["search/data/meta.json"])
    for page, count in meta["pages"]:
        if number < count:
            written = search.fragments([r for r in records if r.page == page])
            n = search.FRAGMENT_RECORDS
            return json.loads(written[f"search/data/r/{page}{number // n}.json"])[number % n]
        number -= count
    raise AssertionError("no such record")


def test_words_are_folded_as_the_search_page_folds_a_query():
    assert search.words("Caf\u00e9 don\u2019t GPT-5.1, \u3014 GPD 5.1 \u3015 na\u00efve_x \u00dcBER") == [
        "cafe", "don't", "gpt", "5.1", "gpt-5.1", "gpd", "5.1", "naive", "x", "uber"]
    # A version is one word; words joined by hyphens are each a word, and the whole too.
    assert search.words("5-year-old hotels.com 2.0. v1.2.3 gpt5.1 pre\u2011training") == [
        "5", "year", "old", "5-year-old", "hotels", "com", "2.0", "v1.2.3", "gpt5.1",
        "pre", "training", "pre-training"]


def _words_as_first_written(text: str) -> list[str]:
    """`search.words` before its faster paths: one pattern, every chunk split."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
        text = text.replace("\u2019", "'")
    out: list[str] = []
    for chunk in search_records._CHUNK.findall(text):
        parts = search_records._HYPHEN.split(chunk)
        out += parts
        if len(parts) > 1:
            out.append("-".join(parts))
    return out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ09_'.-\u2010\u2011\u00e9\u2019 ,;!\n", max_size=40))
def test_words_are_the_ones_the_first_pattern_found(text):
    """`words` reads ASCII text with its own pattern, and splits only chunks
    with a hyphen (faster): the same words, in the same order, as before."""
    assert search.words(text) == _words_as_first_written(text)
    assert search.words(text.encode("ascii", "ignore").decode()) == _words_as_first_written(
        text.encode("ascii", "ignore").decode())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab. \t\n\u00a0\u2028\x1c\u3000\u3014", max_size=12), min_size=1, max_size=4))
def test_a_paragraphs_indexed_text_has_one_space_between_words(texts):
    para = Paragraph("".join(texts), SourcePos("t.txt"), spans=[Span(t, t) for t in texts])
    said = "".join(texts).replace("\u3014", "(")
    assert search_records.indexed_text(para) == " ".join(said.split())


def test_the_index_finds_each_word_in_its_records_and_each_fragment_says_who_and_where(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    records, _ = site_records(tmp_path)
    files = search.build_index([search.entry(r) for r in records], "en")
    assert set(lookup(files, "gpd")) == {0, 1}, "the misheard form finds both records that had it"
    assert set(lookup(files, "benchmarks")) == {2}
    assert lookup(files, "mattress") == {}, "cut words are not searchable"
    assert set(lookup(files, "thanks")) == {1} and lookup(files, "zanzibar") == {}
    bob = fragment(files, records, 1)
    first = next(r for r in records if r.speaker == "Bob Guest").passages[0].id
    # Content comes back as raw text (the search page shows it as text, never as HTML).
    assert bob == {"page": "talk/", "episode": "Talk about GPT-5.1", "speaker": "Bob Guest", "color": 1,
                   "passages": [[first, 5, "Thanks. GPT-5.1 \u3014 GPD 5.1 \u3015 is a big step. "
                                 "<script>alert(1)</script> stays text."]]}
    meta = json.loads(files["search/data/meta.json"])
    filters = json.loads(files[f"search/data/f/{meta['filters']}.json"])
    assert filters == {"speaker": {"Ann Host": [0], "Bob Guest": [1, 1]}, "topic": {"Models": [1]},
                       "episode": {"Talk about GPT-5.1": [0, 1, 1]}}
    assert meta["records"] == 3 and meta["pages"] == [["talk/", 3]] and meta["language"] == "en"
    assert search.build_index([search.entry(r) for r in records], "en") == files, "the same bytes"


def test_words_spread_over_many_files_are_each_found_in_one(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_NUMBERS", 4)
    recs = [search.Record(f"p{i}/", f"Ep {i}", "Ann", 0, "", (),
                          (search.Passage("a", f"word{i} common \u00e9t\u00e9 {'x' * (i + 1)}", None),))
            for i in range(30)]
    files = search.build_index([search.entry(r) for r in recs], "fr")
    assert len([f for f in files if "/w/" in f]) > 10
    for i in range(30):
        assert set(lookup(files, f"word{i}")) == {i} and set(lookup(files, "x" * (i + 1))) == {i}
        assert fragment(files, recs, i)["page"] == f"p{i}/"
    assert set(lookup(files, "common")) == set(range(30)) and len(lookup(files, "ete")) == 30


def test_a_word_weighs_more_said_more_often_and_in_fewer_words():
    """BM25's term part, kept in the index: ranking needs no record lengths."""
    def rec(page: str, text: str) -> search.Record:
        return search.Record(page, page, "Ann", 0, "", (), (search.Passage("a", text, None),))

    filler = " ".join(f"w{i}" for i in range(400))
    recs = [rec("once/", f"zebra {filler} {filler}"), rec("twice/", f"zebra zebra {filler} {filler}"),
            rec("short/", f"zebra {filler}"), rec("long/", f"zebra {filler} {filler} {filler}"),
            rec("shortest/", "zebra here"), rec("brief/", "zebra " + " ".join(f"w{i}" for i in range(150)))]
    files = search.build_index([search.entry(r) for r in recs], "en")
    weight = lookup(files, "zebra")
    assert weight[1] > weight[0] > weight[3] > 0 and weight[2] > weight[0]
    assert weight[4] == weight[5] > weight[2], "a line or two weighs as much as a short passage, no more"


def test_names_and_titles_add_to_a_words_weight_but_never_make_a_result_alone():
    """The speaker's name and the titles of the chapter and topics add to a word's
    weight; a word found only there has a negative weight (the search
    page ranks by its size, and shows a record only when its own words hold one
    word of the query). A note's words weigh half."""
    said = search.Record("a/", "Zebra talk", "Ann Zebra", 0, "Ann Zebra", ("Stripes",),
                         (search.Passage("p", "We saw stripes " + "and more " * 100, None),), "Savanna")
    weights = search.weigh(said)
    plain = search.weigh(replace(said, speaker="Ann", episode="Talk", topics=(), chapter=""))
    assert weights["zebra"] == -search_records.FIELDS["name"] and "talk" not in weights, "not the episode's title"
    assert weights["savanna"] == -search_records.FIELDS["chapter"] and weights["ann"] == -search_records.FIELDS["name"]
    assert weights["stripes"] == plain["stripes"] + search_records.FIELDS["topic"] > 0
    note = replace(said, speaker="", person="", note=True, topics=(), chapter="", episode="Talk")
    assert "ann" not in search.weigh(note), "a note has no speaker"
    assert 0 < search.weigh(note)["stripes"] < plain["stripes"]


def test_a_records_weights_are_the_same_in_every_process():
    """Words found only in the name and titles come in the order written, not in a
    set's order (which changes with each process's string hashes): the weights
    are part of the digest that tells whether the index must be made again."""
    rec = search.Record("a/", "Talk", "Zed Quill Alpha", 0, "", ("Omega Yak", "Gamma"),
                        (search.Passage("p", "Words here.", None),), "Mid Beta Xi")
    assert search.entry(rec).weights == ("words 143 here 143 zed -30 quill -30 alpha -30 mid -40 "
                                         "beta -40 xi -40 omega -25 yak -25 gamma -25")


def test_the_build_adds_a_search_page_a_search_box_and_the_index(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    assert cli.main(["build", "--quiet", "--config", str(tmp_path / "config.yaml")]) == 0
    site = tmp_path / "site"
    assert (site / "search" / "data" / "meta.json").is_file()
    page = html(site / "search" / "index.html")
    assert page.select_one("form[data-search] input[name=q]")["id"] == "search-q"
    assert "Search needs JavaScript" in page.select_one("[data-nojs]").get_text()
    assert page.select_one("[role=status][aria-live=polite]") is not None
    box = html(site / "talk" / "index.html").select_one("header form[role=search]")
    assert box["action"] == "../search/" and box.select_one("label[for=site-q]")


def test_a_site_with_nothing_to_search_has_no_search_and_nothing_to_say(tmp_path, capsys):
    write_files(tmp_path, {"config.yaml": "title: T\n"})
    (tmp_path / "content").mkdir()
    assert cli.main(["build", "--config", str(tmp_path / "config.yaml")]) == 0
    assert "search" not in capsys.readouterr().err
    assert not (tmp_path / "site" / "search").exists()


def test_serve_indexes_changes_in_the_background_and_reuses_an_index_nothing_changed(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    config = load_config(tmp_path / "config.yaml")
    ready = threading.Event()
    cache = search.SearchCache(on_ready=ready.set)
    recs = entries_of(config)
    first = search.site_index([("talk", "d1", recs)], "k", "en", cache)
    assert first and "search/data/meta.json" in first, "the first index is made at once"
    assert search.site_index([("talk", "d1", recs)], "k", "en", cache) is first, "unchanged records reuse it"
    fewer = [("talk", "d2", recs[:1])]
    assert search.site_index(fewer, "k2", "en", cache) is first, "an edit does not wait for the index"
    try:
        assert ready.wait(60), "the new index is reported ready"
        files = search.site_index(fewer, "k2", "en", cache)
        assert files != first and json.loads(files["search/data/meta.json"])["records"] == 1
        assert cache.worker is None or not cache.worker.is_alive() or cache.wanted is None
        # Made in a process of its own, which sends back only the files that are new.
        assert cache.process is not None
        ready.clear()
        back = [("talk", "d1", recs)]
        assert search.site_index(back, "k3", "en", cache) is files
        assert ready.wait(60)
        assert search.site_index(back, "k3", "en", cache) == first, "the same records, the same bytes"
    finally:
        cache.stop()


def test_serve_publishes_each_new_index_when_it_is_ready(tmp_path):
    from .serving import Server, fetch, free_port, wait_for

    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    server = Server(tmp_path, free_port())
    try:
        server.started()
        assert "data-search" in fetch(server.url + "search/")[1]
        entry = server.url + "search/data/meta.json"
        first = wait_for(lambda: fetch(entry)[0] == 200 and fetch(entry)[1])
        (tmp_path / "content" / "talk.txt").write_text(TALK + "**Ann Host** (0:40)\nZanzibar, goodbye.\n")
        wait_for(lambda: fetch(entry)[1] != first, context=server.output)
        # The terminal says when a new index is published (just after it is on disk).
        wait_for(lambda: "search index updated: " in server.output(), context=server.output)
        assert "Zanzibar" in fetch(server.url + "talk/")[1], "the page came with the build before the index"
    finally:
        out = server.stop()
    assert "search:" not in out, out


def test_a_new_index_alone_reloads_no_open_page(tmp_path):
    from gloss.live import LiveSite

    live = LiveSite()
    live.publish(tmp_path, "")
    epoch = live.epoch
    live.publish(tmp_path, "", reload=False)
    assert live.epoch == epoch, "a new index alone reloads no page"
    live.publish(tmp_path, "")
    assert live.epoch == epoch + 1


def test_the_index_is_made_again_only_when_the_words_searched_change(tmp_path, monkeypatch):
    """The index takes seconds at 1,000 episodes: an edit that changes no record
    (a date, a description) reuses it; new words do, and so does a note (notes
    are searched)."""
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    runs: list[int] = []
    real = search.build_index

    def counting(recs, language, words=None):
        runs.append(len(recs))
        return real(recs, language, words)

    monkeypatch.setattr(search, "build_index", counting)
    pipeline.build(config, search=True)
    assert len(runs) == 1
    sidecar = tmp_path / "content" / "talk.yaml"
    sidecar.write_text(SIDECAR + "date: 2025-11-02\ndescription: Words of a description.\n")
    pipeline.build(config, search=True)
    assert len(runs) == 1, "a date and a description change no record"
    sidecar.write_text(SIDECAR + "notes:\n  - at: \"And the benchmarks\"\n"
                       "    text: A note readers see beside the [paragraph](https://example.org).\n")
    pipeline.build(config, search=True)
    assert len(runs) == 2, "a note is searched"
    assert "A note readers see" in (tmp_path / "site" / "talk" / "index.html").read_text()
    talk = tmp_path / "content" / "talk.txt"
    talk.write_text(TALK.replace("And the benchmarks agree.", "And the benchmarks agree, Zanzibar."))
    pipeline.build(config, search=True)
    assert len(runs) == 3, "new words are indexed"
    recs = records_of(config)
    assert any("Zanzibar" in p.text for r in recs for p in r.passages)
    (note,) = [r for r in recs if r.note]
    assert note.passages[0].text == "A note readers see beside the paragraph."
    assert note.speaker == "" and note.passages[0].id == recs[-2].passages[-1].id


def test_a_new_title_makes_only_the_filters_and_the_list_of_pages_again(tmp_path):
    """Word files depend only on the pages and their words' weights: a sidecar
    edit that changes a title or a name reuses them as they are."""
    write_files(tmp_path, {"config.yaml": "title: T\n", **FILES})
    recs = entries_of(load_config(tmp_path / "config.yaml"))
    cache = search.SearchCache()
    first = search.site_index([("talk", "d1", recs)], "k1", "en", cache)
    words = cache.words
    renamed = [replace(r, episode="A new title") for r in recs]
    again = search.site_index([("talk", "d2", renamed)], "k2", "en", cache)
    assert cache.words is words
    assert {k: v for k, v in again.items() if "/w/" in k} == {k: v for k, v in first.items() if "/w/" in k}
    meta = json.loads(again["search/data/meta.json"])
    assert list(json.loads(again[f"search/data/f/{meta['filters']}.json"])["episode"]) == ["A new title"]
    reworded = [replace(r, weights=r.weights + " zanzibar 90") for r in renamed]
    search.site_index([("talk", "d3", reworded)], "k3", "en", cache)
    assert cache.words is not words and cache.words.key != words.key

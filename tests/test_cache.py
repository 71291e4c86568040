"""Fast builds must be the same builds: a site made serially, in a process pool,
or from `.gloss-cache/` is byte for byte the same, and the cache is never
trusted beyond what it was made from."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

import pytest

from gloss import cache, code, make, pipeline
from gloss.config import load_config

from .conftest import html, write_files

WORDS = ["the", "model", "data", "river", "tide", "we", "I", "so", "think", "know", "that", "it", "works", "again", "field", "notes"]


def corpus(root: Path, n: int = 8) -> None:
    """n small transcripts with fillers and stutters, a sidecar each, people and topics."""
    rng = random.Random(7)
    files = {"config.yaml": "title: Corpus\n",
             "content/people.yaml": "ann: Ann Abara\nbob: Bob Becker\n",
             "content/topics.yaml": "tides: Tides\n"}
    for i in range(n):
        turns = []
        for t in range(12):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
            if rng.random() < 0.5:
                words.insert(rng.randint(0, len(words)), "uh")
            k = rng.randint(0, len(words) - 1)
            words.insert(k, words[k])
            turns.append(f"**{'Ann' if t % 2 else 'Bob'}** (0:{t * 4:02d})\n{' '.join(words)}.\n")
        files[f"content/ep{i}.txt"] = f"# Episode {i}\n\n" + "".join(turns)
        files[f"content/ep{i}.yaml"] = ("speakers: {Ann: ann, Bob: bob}\n"
                                        f"date: 2024-01-{i + 1:02d}\n"
                                        "topics:\n  - {topic: tides, from: \"0:04\", to: \"0:12\"}\n")
    write_files(root, files)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def built(root: Path, out: str, **settings: object) -> dict[str, bytes]:
    config = replace(load_config(root / "config.yaml"), output_dir=out, **settings)
    pipeline.build(config)
    return _files(root / out)


def _made_pages(monkeypatch) -> list[str]:
    """The slugs whose page is made from here on, in order."""
    made: list[str] = []
    real = make.make_page

    def counting(source, shared, cfg):
        made.append(source.slug)
        return real(source, shared, cfg)

    monkeypatch.setattr(make, "make_page", counting)
    return made


def test_serial_parallel_and_cached_builds_are_byte_identical(tmp_path):
    corpus(tmp_path)
    serial = built(tmp_path, "serial", jobs=1, cache=False)
    parallel = built(tmp_path, "parallel", jobs=2, cache=False)
    first = built(tmp_path, "cached", jobs=2, cache=True)
    assert any((tmp_path / ".gloss-cache" / "pages").glob("*/*.json")), "the cache was filled"
    again = built(tmp_path, "cached-again", jobs=2, cache=True)
    assert len(serial) > 8 * 6
    assert parallel == serial
    assert first == serial
    assert again == serial


def test_a_cache_from_other_settings_or_another_gloss_is_not_reused(tmp_path, monkeypatch):
    corpus(tmp_path, n=2)
    built(tmp_path, "site")
    (tmp_path / "config.yaml").write_text("title: Renamed corpus\n")
    built(tmp_path, "site")
    page = html(tmp_path / "site" / "ep0" / "index.html")
    assert page.select_one(".site-title").get_text() == "Renamed corpus"

    monkeypatch.setattr(cache, "FORMAT", "gloss 99.0 cache 1")
    store = cache.PageStore.open(load_config(tmp_path / "config.yaml"))
    assert not list((tmp_path / ".gloss-cache" / "pages").glob("*/*.json")), "another gloss: afresh"
    assert (tmp_path / ".gloss-cache" / "VERSION").read_text() == "gloss 99.0 cache 1"
    assert store.get("ep0", "0" * 40) is None


def test_one_cache_however_the_config_file_is_named(tmp_path, monkeypatch):
    """`gloss build` in the folder and a build given the config's full path (as
    scripts and editors run it) make the same pages: neither makes them again."""
    corpus(tmp_path, n=2)
    monkeypatch.chdir(tmp_path)
    pipeline.build(load_config(Path("config.yaml")))
    made: list[str] = []
    real = make.make_page
    monkeypatch.setattr(make, "make_page", lambda s, *a: made.append(s.slug) or real(s, *a))
    (tmp_path / "site" / "ep0" / "index.html").unlink()  # so the build does not stop at "up to date"
    pipeline.build(replace(load_config(tmp_path / "config.yaml"), jobs=1))
    assert made == ["ep0"], "only the page deleted from the site is made again"


class _Planted:
    """A pickle that, loaded, creates the file it names: what a poisoned CI cache
    would hold, with `os.system` in place of `open`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_cache_runs_nothing_and_changes_nothing(tmp_path, monkeypatch):
    """CI restores `.gloss-cache/` from a store others can write to. Every file in
    it, under its name now and under the names gloss before 0.1 cache 4 read
    (pickles), holding a pickle that runs code when loaded: the next build runs
    none of it and publishes exactly what a build without a cache does."""
    import pickle

    from gloss import cli

    corpus(tmp_path, n=3)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "-q"]) == 0
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    folder = tmp_path / ".gloss-cache"
    planted = [p for p in folder.rglob("*") if p.is_file() and p.name not in ("VERSION", ".gitignore")]
    kinds = {p.name.split(".", 1)[0] if p.parent == folder else "page" for p in planted}
    kinds |= {"records" for p in planted if ".records." in p.name}
    assert kinds >= {"page", "records", "render", "words", "last-build"}, kinds
    for path in planted:
        stem = path.name.rsplit(".", 1)[0]
        for name in (f"{stem}.json", f"{stem}.pickle"):
            path.with_name(name).write_bytes(payload)
    (tmp_path / "content" / "ep1.txt").touch()  # not a reason to make anything: bytes are the same

    assert cli.main(["build", "-q"]) == 0
    assert cli.main(["build", "-q"]) == 0  # and again, reading what the first one wrote
    assert not marker.exists(), "a cache file ran code"
    assert cli.main(["build", "-q", "--no-cache", "--out", "fresh"]) == 0
    assert not marker.exists()
    assert _files(tmp_path / "site") == _files(tmp_path / "fresh")
    assert not list(folder.rglob("*.pickle")), "the old pickles are gone, not kept beside"


@pytest.mark.parametrize("value", [
    '["ep0", {"page": null, "files": {}, "digests": {"ep0/index.html": 7}}]',  # a number for a digest
    '["ep0", {"page": null, "files": {}, "warnings": [{"pos": {"path": "x"}, "message": 1}]}]',
    '["ep0", {"files": {}}]',  # no page at all
    '{"__reduce__": ["os.system", ["touch x"]]}',
    '[' * 10_000 + ']' * 10_000,
])
def test_a_cache_entry_of_the_wrong_shape_is_absent(tmp_path, value):
    """Right format, kind and key, wrong contents: treated as no entry at all."""
    import json

    corpus(tmp_path, n=1)
    store = cache.PageStore.open(load_config(tmp_path / "config.yaml"))
    path = store._path("ab" * 20)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{{"format": {json.dumps(cache.FORMAT)}, "kind": "page", "key": "{"ab" * 20}", '
                    f'"value": {value}}}')
    assert store.get("ep0", "ab" * 20) is None


def test_a_cache_entry_is_read_only_as_what_it_was_written_for(tmp_path):
    """A file copied under another key, or of another kind, is not what it claims."""
    corpus(tmp_path, n=1)
    built(tmp_path, "site", search=True)
    store = cache.PageStore.open(load_config(tmp_path / "config.yaml"))
    [entry] = [p for p in (tmp_path / ".gloss-cache" / "pages").glob("*/*.json")
               if p.name.count(".") == 1 and not p.name.startswith("index-")]
    key = entry.name.split(".")[0]
    made = store.get("ep0", key)
    assert made is not None and made.page is not None and made.page.title == "Episode 0"
    assert store.get("ep1", key) is None, "another transcript's result"
    other = store._path("cd" * 20)
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(entry.read_bytes())
    assert store.get("ep0", "cd" * 20) is None, "made from other inputs"
    store._path("cd" * 20, "records").write_bytes(entry.read_bytes())
    assert store.records("cd" * 20) is None, "a page is not records"


def test_a_damaged_cache_entry_is_ignored_and_made_again(tmp_path):
    corpus(tmp_path, n=2)
    good = built(tmp_path, "site")
    for entry in (tmp_path / ".gloss-cache" / "pages").glob("*/*.json"):
        entry.write_bytes(b'{"format": "not what it should be"')
    (tmp_path / "content" / "ep1.txt").touch()
    assert built(tmp_path, "site") == good


@pytest.mark.parametrize("edit", ["content/ep0.txt", "content/ep0.yaml", "content/people.yaml"])
def test_an_edit_is_seen_through_the_cache(tmp_path, edit):
    corpus(tmp_path, n=2)
    built(tmp_path, "site")
    path = tmp_path / edit
    text = path.read_text()
    if edit.endswith(".txt"):
        path.write_text(text.replace("**Ann** (0:04)\n", "**Ann** (0:04)\nA brand new sentence. ", 1))
    elif edit.endswith("ep0.yaml"):
        path.write_text(text + "title: A new title\n")
    else:
        path.write_text("ann: Annabel Abara\nbob: Bob Becker\n")
    built(tmp_path, "site")
    page = html(tmp_path / "site" / "ep0" / "index.html")
    shown = page.get_text(" ")
    expected = {"content/ep0.txt": "A brand new sentence.", "content/ep0.yaml": "A new title",
                "content/people.yaml": "Annabel Abara"}[edit]
    assert expected in shown


def test_the_preview_keeps_what_the_next_build_needs_and_remakes_only_the_edit(tmp_path, monkeypatch):
    """serve holds results in memory; its rebuilds must neither drop the disk cache
    the next run reads (then every page would be made again) nor make unchanged
    pages again to gather their search records."""
    corpus(tmp_path, n=4)
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    made = _made_pages(monkeypatch)
    preview = pipeline.Caches(keep_staging=True)
    pipeline.build(config, caches=preview, search=True)  # no cache yet: all made
    assert sorted(made) == ["ep0", "ep1", "ep2", "ep3"]
    made.clear()
    sidecar = tmp_path / "content" / "ep2.yaml"
    sidecar.write_text(sidecar.read_text() + "title: Edited while previewing\n")
    entries = sorted((tmp_path / ".gloss-cache" / "pages").glob("*/*.json"))
    pipeline.build(config, caches=preview, search=True)
    assert made == ["ep2"], "only the edited transcript is made again"
    made.clear()
    for k in range(3):  # each edit replaces its transcript's entry: the cache does not grow
        sidecar.write_text(sidecar.read_text().replace("previewing", f"previewing {k}"))
        pipeline.build(config, caches=preview, search=True)
    pages = [p for p in (tmp_path / ".gloss-cache" / "pages").glob("*/*.json") if "index-" not in p.name]
    assert len(pages) == len([p for p in entries if "index-" not in p.name])
    made.clear()
    pipeline.build(config, search=True)  # the next one-off build, after the preview
    assert made == [], "the preview left the cache whole"
    page = html(tmp_path / "site" / "ep2" / "index.html")
    assert page.select_one("h1").get_text(" ", strip=True) == "Edited while previewing 2 1 0"


def test_another_version_of_a_library_that_shapes_pages_is_another_cache(tmp_path, monkeypatch):
    """Upgrading Jinja2 (or markdown-it, PyYAML, MarkupSafe) may change pages: the
    code digest in every cache key changes with it."""
    import importlib.machinery
    import importlib.util

    monkeypatch.setattr(code, "_CODE", None)
    before = code.code_digest()
    fake = tmp_path / "__init__.py"
    fake.write_text('__version__ = "99.0"\n')
    real = importlib.util.find_spec

    def newer_jinja2(name, *args):
        if name == "jinja2":
            return importlib.machinery.ModuleSpec(name, None, origin=str(fake))
        return real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", newer_jinja2)
    monkeypatch.setattr(code, "_CODE", None)
    assert code.code_digest() != before
    monkeypatch.setattr(importlib.util, "find_spec", real)
    monkeypatch.setattr(code, "_CODE", None)
    assert code.code_digest() == before


def test_a_one_off_build_holds_each_transcript_s_digest_not_its_words(tmp_path):
    """Memory must not grow with the words of the archive: the text is read again
    where the page is made."""
    from gloss import load
    from gloss.errors import Diagnostics

    write_files(tmp_path, {"config.yaml": "title: T\n", "content/a.txt": "Ann: First words.\n"})
    content = load.load_content(load_config(tmp_path / "config.yaml"), Diagnostics())
    kept = content.sources[0].transcript
    assert kept.text == "" and kept.digest == load.text_digest("Ann: First words.\n")
    assert load.filled(content.sources[0]).transcript.text == "Ann: First words.\n"


def test_a_transcript_edited_while_the_build_reads_it_is_not_cached_under_its_old_digest(tmp_path, monkeypatch):
    from gloss import load

    write_files(tmp_path, {"config.yaml": "title: T\n", "content/a.txt": "Ann: First words.\n"})
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    transcript = tmp_path / "content" / "a.txt"
    real = load.filled

    def edited_meanwhile(source):
        transcript.write_text("Ann: Second words.\n")
        return real(source)

    monkeypatch.setattr(load, "filled", edited_meanwhile)
    pipeline.build(config)
    page = tmp_path / "site" / "a" / "index.html"
    assert "Second words." in html(page).get_text(), "the words as they were when read"
    monkeypatch.undo()
    transcript.write_text("Ann: First words.\n")
    pipeline.build(config)
    assert "First words." in html(page).get_text(), "no result kept for the first words but made from others"


def test_a_site_restored_with_its_times_cut_to_the_second_is_kept_not_made_again(tmp_path, monkeypatch):
    """CI restores `.gloss-cache/` and the site from an archive, which may keep
    times to the second only (tar's default format): every page would be made
    again if a file's time had to be as recorded. Its bytes are checked instead;
    a page whose bytes changed is still made again."""
    corpus(tmp_path, n=3)
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    pipeline.build(config)
    site = tmp_path / "site"
    good = _files(site)
    changed = site / "ep1" / "index.html"
    changed.write_bytes(changed.read_bytes().replace(b"Episode 1", b"Episode X"))  # same size
    for path in site.rglob("*"):
        if path.is_file():
            seconds = path.stat().st_mtime_ns // 10**9 - 1
            os.utime(path, ns=(seconds * 10**9, seconds * 10**9))
    made = _made_pages(monkeypatch)
    pipeline.build(config)
    assert made == ["ep1"], "only the page whose bytes changed is made again"
    assert _files(site) == good


def test_a_one_off_build_after_a_title_edit_reuses_the_word_files_it_published(tmp_path, monkeypatch):
    """The words of the archive did not change, so the search index's word files
    (most of its making at 1,000 episodes) are read back from the site, not made
    again; a word file changed on disk is made again. Either way the site is
    what a build from nothing makes."""
    from gloss import search

    corpus(tmp_path, n=3)
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    pipeline.build(config, search=True)
    reused: list[bool] = []
    real = search.word_files

    def spying(records, last=None, key=""):
        words = real(records, last, key)
        reused.append(words is last)
        return words

    monkeypatch.setattr(search, "word_files", spying)
    sidecar = tmp_path / "content" / "ep2.yaml"
    sidecar.write_text(sidecar.read_text() + "title: A new title\n")
    pipeline.build(config, search=True)
    assert reused == [True]
    fresh = replace(config, output_dir="fresh", cache=False)
    pipeline.build(fresh, search=True)
    assert _files(tmp_path / "site") == _files(tmp_path / "fresh")

    word_file = next((tmp_path / "site" / "search" / "data" / "w").iterdir())
    word_file.write_bytes(word_file.read_bytes().replace(b"[", b"[0,", 1))
    sidecar.write_text(sidecar.read_text().replace("A new title", "Another title"))
    reused.clear()
    pipeline.build(config, search=True)
    assert reused == [False], "a word file not as published is not trusted"
    pipeline.build(fresh, search=True)
    assert _files(tmp_path / "site") == _files(tmp_path / "fresh")


def test_a_preview_build_that_failed_publishes_what_it_made_once_it_succeeds(tmp_path, monkeypatch):
    """serve remembers what a failed build made, but nothing of that build was
    published: when the next build succeeds, those pages are published too (their
    files are asked about after the edit's page is written, not before)."""
    from gloss.errors import BuildFailed

    corpus(tmp_path, n=3)
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    preview = pipeline.Caches(keep_staging=True)
    pipeline.build(config, caches=preview)
    first, second = tmp_path / "content" / "ep0.yaml", tmp_path / "content" / "ep1.yaml"
    first.write_text(first.read_text() + "title: Made while the build failed\n")
    broken = second.read_text()
    second.write_text(broken + "date: [not a date\n")
    with pytest.raises(BuildFailed):
        pipeline.build(config, caches=preview)
    made = _made_pages(monkeypatch)
    second.write_text(broken)
    pipeline.build(config, caches=preview)
    assert made == ["ep0"], "made again: it was made, never published"
    page = html(tmp_path / "site" / "ep0" / "index.html")
    assert page.select_one("h1").get_text(" ", strip=True) == "Made while the build failed"


def test_a_remembered_result_whose_files_are_not_all_published_is_made_again(tmp_path, monkeypatch):
    """serve asks about most of a remembered result's files after the edit's page
    is written; one that is not as published then is made again there."""
    corpus(tmp_path, n=3)
    config = replace(load_config(tmp_path / "config.yaml"), jobs=1)
    preview = pipeline.Caches(keep_staging=True)
    pipeline.build(config, caches=preview)
    key, result = preview.pages["ep1"]
    last = list(result.digests)[-1]  # a file asked about only after the edit's page
    preview.pages["ep1"] = (key, replace(result, digests={**result.digests, last: "0" * 32}))
    made = _made_pages(monkeypatch)
    sidecar = tmp_path / "content" / "ep2.yaml"
    sidecar.write_text(sidecar.read_text() + "title: An edit\n")
    pipeline.build(config, caches=preview)
    assert made == ["ep2", "ep1"], "the edit first, then the result found not published"
    assert _files(tmp_path / "site") == built(tmp_path, "fresh", cache=False)

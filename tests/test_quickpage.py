"""serve shows a save on its page before the build that follows it: the page is
made from the saved files alone (quickpage.py), served from memory until the
build publishes it, and not made twice; a save during a long build is shown at
the build's next step, not when it ends."""

from __future__ import annotations

import io
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gloss import load, make, search, watch
from gloss.annotating import Annotator
from gloss.config import load_config
from gloss.errors import Diagnostics
from gloss.live import LiveSite
from gloss.quickpage import one_source
from gloss.serve import Builder

from .conftest import write_files

TALK = "**Ann** (0:01)\nHello there.\n**Bob** (0:05)\nHi Ann.\n"


def words(page: bytes | None) -> str:
    assert page is not None
    return " ".join(p.get_text(" ", strip=True) for p in BeautifulSoup(page, "html.parser").select("main p"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt": TALK,
                           "content/talk.yaml": "title: First\n", "content/other.txt": "Cy: unrelated\n",
                           "content/people.yaml": "ann: {name: Ann Lee}\n"})
    return tmp_path


def serving(project: Path) -> tuple[Builder, watch.Changes, LiveSite]:
    config = replace(load_config(project / "config.yaml"), drafts=True)
    live, changes = LiveSite(), watch.Changes()
    builder = Builder(project / "config.yaml", config, live, io.StringIO(), changes)
    builder.build({}, verb="built")
    assert live.folder is not None
    return builder, changes, live


def save(changes: watch.Changes, path: Path, text: str) -> None:
    path.write_text(text)
    changes.add(path.resolve(), watch.Change.CONTENT, time.monotonic(), saved=True)


def test_a_saved_transcript_is_shown_at_once_then_published_by_the_build_without_making_it_again(
        project, monkeypatch):
    builder, changes, live = serving(project)
    made: list[str] = []
    real = make.transcript
    monkeypatch.setattr(make, "transcript", lambda source, *a: made.append(source.slug) or real(source, *a))

    save(changes, project / "content" / "talk.txt", TALK.replace("Hello there.", "Hello again."))
    builder.checkpoint()
    assert "Hello again." in words(live.read("talk/index.html")), "shown before any build"
    assert "Hello there." in words((project / "site" / "talk" / "index.html").read_bytes()), \
        "the site's file waits for the build"
    assert made == ["talk"]

    builder.build(changes.take())
    assert "Hello again." in words((project / "site" / "talk" / "index.html").read_bytes())
    assert live.overrides == {}, "the build's files are served now"
    assert made == ["talk"], "the build wrote the page it was handed"
    assert "Hello again." in words(live.read("talk/index.html"))


def test_a_saved_sidecar_shows_on_its_transcripts_page(project):
    builder, changes, live = serving(project)
    save(changes, project / "content" / "talk.yaml", "title: Second\nspeakers: {Ann: ann}\n")
    builder.checkpoint()
    page = BeautifulSoup(live.read("talk/index.html") or b"", "html.parser")
    assert page.h1 is not None and page.h1.get_text() == "Second"
    assert "Ann Lee" in [c.get_text(strip=True) for c in page.select("main cite")]


def test_a_save_with_an_error_is_left_to_the_build_which_reports_it(project):
    builder, changes, live = serving(project)
    save(changes, project / "content" / "talk.yaml", "title: Second\ntitel: oops\n")
    builder.checkpoint()
    assert live.overrides == {}
    builder.build(changes.take())
    assert "unknown key `titel`" in live.errors


def test_a_save_during_a_long_build_is_shown_before_the_build_ends(project):
    """The build asks between its steps; the save's page does not wait for the rest."""
    for i in range(8):
        write_files(project, {f"content/ep{i}.txt": f"Dee: episode {i} words.\n"})
    builder, changes, live = serving(project)
    events: list[str] = []
    real_publish, real_override = live.publish, live.override

    def publish(folder, errors, reload=True, pages=None):
        if folder is not None:
            events.append("build published")
        real_publish(folder, errors, reload, pages)

    def override(files, saves, page=""):
        if page:  # the page itself, then its downloads with no reload
            events.append("save shown")
        real_override(files, saves, page)

    live.publish, live.override = publish, override  # type: ignore[method-assign]
    real_checkpoint = builder.checkpoint
    calls = 0

    def checkpoint() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:  # the editor saves while the build is going on
            save(changes, project / "content" / "talk.txt", TALK.replace("Hi Ann.", "Hi again, Ann."))
        real_checkpoint()

    builder.checkpoint = checkpoint  # type: ignore[method-assign]
    (project / "content" / "other.txt").write_text("Cy: changed too\n")
    builder.build({(project / "content" / "other.txt").resolve(): watch.Change.CONTENT})
    assert events == ["save shown", "build published"]
    assert "Hi again, Ann." in words(live.read("talk/index.html"))
    builder.build(changes.take())
    assert "Hi again, Ann." in words((project / "site" / "talk" / "index.html").read_bytes())


def test_a_page_shown_at_a_save_is_not_reloaded_again_by_the_build_that_writes_it(project):
    builder, changes, live = serving(project)
    builder.build({})  # from now on the site is written in place, page by page
    seen = live.epoch
    save(changes, project / "content" / "talk.yaml", "title: Retitled\n")
    builder.checkpoint()
    assert live.stale("/talk/", seen), "the open page reloads to show the save"
    shown = live.epoch
    builder.build(changes.take())
    assert "Retitled" in (project / "site" / "talk" / "index.html").read_text()
    assert not live.stale("/talk/", shown), "it shows these bytes already: no second reload"
    assert live.stale("/", shown), "the home page lists the episode by its new title"


def test_a_build_newer_than_the_page_shown_at_a_save_reloads_the_page_with_its_own(project):
    """A save taken by the build before its page was made: the page shown for the
    save before must not hide the build's page when the open page reloads."""
    builder, changes, live = serving(project)
    builder.build({})  # from now on the site is written in place, page by page
    sidecar = project / "content" / "talk.yaml"
    save(changes, sidecar, "title: Shown\n")
    builder.checkpoint()
    save(changes, sidecar, "title: Built\n")  # saved again, taken by the build at once
    changed = changes.take()
    reloaded: list[str] = []
    real_publish = live.publish

    def publish(folder, errors, reload=True, pages=None):
        real_publish(folder, errors, reload, pages)
        if reload and (pages is None or "/talk/" in pages):
            h1 = BeautifulSoup(live.read("talk/index.html") or b"", "html.parser").h1
            reloaded.append(h1.get_text() if h1 else "")

    live.publish = publish  # type: ignore[method-assign]
    builder.build(changed)
    assert reloaded and reloaded[-1] == "Built", "the open page's last reload shows the build's page"


def test_the_toolbar_keeps_a_shown_pages_digests_over_a_build_that_had_not_read_its_save(project):
    """A page reloaded at a save carries its files' digests; a build that started
    before the save must not put the old ones back (the next entry would be
    refused as changed on disk)."""
    builder, changes, live = serving(project)
    builder.annotator = Annotator(io.StringIO())
    real_checkpoint, calls = builder.checkpoint, 0

    def checkpoint() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the editor saves the sidecar while the build goes on
            save(changes, project / "content" / "talk.yaml", "title: Saved mid-build\n")
        real_checkpoint()

    builder.checkpoint = checkpoint  # type: ignore[method-assign]
    (project / "content" / "other.txt").write_text("Cy: changed\n")
    builder.build({(project / "content" / "other.txt").resolve(): watch.Change.CONTENT})
    assert BeautifulSoup(live.read("talk/index.html") or b"", "html.parser").h1.get_text() == "Saved mid-build"
    assert builder.annotator.pages["/talk/"].digest == load.text_digest("title: Saved mid-build\n")
    builder.build(changes.take())
    assert builder.annotator.pages["/talk/"].digest == load.text_digest("title: Saved mid-build\n")


def test_the_source_of_a_saved_file_is_the_one_the_build_reads(project):
    write_files(project, {"content/season 2/Ep 1.md": "**Ann:** Hi.\n", "content/season 2/Ep 1.yaml": "title: S\n"})
    config = load_config(project / "config.yaml")
    built = {s.slug: s for s in load.load_content(config, Diagnostics(), cache={}).sources}
    for rel in ("talk.txt", "talk.yaml", "other.txt", "season 2/Ep 1.md", "season 2/Ep 1.yaml"):
        alone = one_source(config, (project / "content" / rel).resolve())
        assert alone is not None, rel
        assert alone.source == built[alone.source.slug], rel


def test_a_file_in_any_doubt_is_left_to_the_build(project):
    content = project / "content"
    write_files(project, {"content/.hidden.txt": "Ann: hi\n", "content/twice.txt": "Ann: hi\n",
                          "content/twice.vtt": "WEBVTT\n", "content/skip.txt": "Ann: hi\n",
                          "content/real/linked.txt": "Ann: hi\n"})
    os.symlink(content / "real" / "linked.txt", content / "link.txt")
    config = replace(load_config(project / "config.yaml"), ignore=["skip.txt"])
    for name in ("people.yaml", ".hidden.txt", "twice.txt", "skip.txt", "link.txt"):
        assert one_source(config, (content / name).absolute()) is None, name
    assert one_source(config, project / "config.yaml") is None


def test_the_search_index_waits_while_serve_holds_the_processor(monkeypatch):
    monkeypatch.setattr(search, "QUIET", 0.0)
    cache = search.SearchCache()
    ready = threading.Event()
    cache.on_ready = ready.set
    record = search.Entry("a/", "ep", "ann", (), "hello 3 there 1")
    cache.hold()  # a build
    with cache.lock:
        cache.later("key", [("a", "1", [record])], "en")
    cache.hold()  # a save shown within it
    cache.release()
    assert not ready.wait(0.3), "no index is made while held, until the build's hold ends too"
    cache.release()
    try:
        assert ready.wait(30)
        assert cache.files is not None and any(rel.endswith("meta.json") for rel in cache.files)
    finally:
        cache.stop()

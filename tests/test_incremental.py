"""Rebuilds re-render only what an edit affects (the dependency record), and
what they produce is exactly what a full build produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from gloss import pipeline
from gloss.config import load_config
from gloss.theme import PACKAGE_THEMES

from .conftest import html as html_of
from .conftest import write_files

TALK = "**Ann** (0:01)\nHello there.\n**Bob** (0:05)\nHi Ann.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    theme = tmp_path / "themes" / "default"
    (theme / "templates").mkdir(parents=True)
    for part in ("templates", "static"):
        for f in (PACKAGE_THEMES / "default" / part).iterdir():
            (theme / part).mkdir(exist_ok=True)
            (theme / part / f.name).write_bytes(f.read_bytes())
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/talk.txt": TALK,
                           "content/talk.yaml": "title: First\n",
                           "content/other.txt": "Cy: unrelated\n"})
    return tmp_path


@pytest.mark.parametrize("serve", [False, True], ids=["swapped", "in place"])
def test_edits_re_render_only_what_they_affect(project, serve):
    """Serve's builds after its first change files in place (write.InPlaceWriter):
    the same site either way."""
    config = load_config(project / "config.yaml")
    caches = pipeline.Caches(keep_staging=serve)

    def rebuild(**edits: str) -> list[str]:
        write_files(project, edits)
        for rel in edits:
            caches.files.pop((project / rel).resolve(), None)
        result = pipeline.build(config, caches=caches)
        fresh = pipeline.render_site(config)[0]
        on_disk = {rel: (project / "site" / rel).read_bytes() for rel in fresh}
        assert on_disk == fresh, "an incremental build writes what a full build would"
        return sorted(result.rendered)

    assert rebuild() == ["404.html", "index.html", "other/index.html", "talk/index.html"]
    assert rebuild() == []
    assert rebuild(**{"content/talk.yaml": "title: Second\n"}) == ["index.html", "talk/index.html"]
    assert rebuild(**{"content/talk.txt": TALK.replace("Hello", "Hallo")}) == ["talk/index.html"]
    assert rebuild(**{"themes/default/templates/transcript.html":
                      (project / "themes/default/templates/transcript.html").read_text() + "\n"}) \
        == ["other/index.html", "talk/index.html"]
    card = project / "themes/default/templates/card.html"
    assert rebuild(**{"themes/default/templates/card.html":
                      card.read_text().replace('class="card"', 'class="card tile"')}) \
        == ["index.html", "other/index.html", "talk/index.html"]  # transcripts: any template
    assert len(html_of(project / "site" / "index.html").select("li.card.tile")) == 2
    base = project / "themes/default/templates/base.html"
    assert rebuild(**{"themes/default/templates/base.html": base.read_text() + "\n"}) == [
        "404.html", "index.html", "other/index.html", "talk/index.html"]
    assert rebuild(**{"content/new.txt": "Dee: new\n"}) == ["index.html", "new/index.html"]
    (project / "content" / "new.txt").unlink()
    assert rebuild() == ["index.html"]
    assert not (project / "site" / "new").exists()
    published = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    assert published == set(pipeline.render_site(config)[0]), "nothing left over, nothing missing"


def test_a_person_gaining_a_page_recolours_consistently(project):
    config = load_config(project / "config.yaml")
    caches = pipeline.Caches()
    pipeline.build(config, caches=caches)
    write_files(project, {"content/people.yaml": "bob: {name: Bob B.}\n",
                          "content/talk.yaml": "title: First\nspeakers: {Bob: bob}\n"})
    caches.files.clear()
    result = pipeline.build(config, caches=caches)
    assert "talk/index.html" in result.rendered
    assert "Bob B." in (project / "site" / "talk" / "index.html").read_text()


def test_serve_reads_only_the_files_the_watcher_names_when_they_are_edits(project, monkeypatch):
    """An edit (in place, or a new copy renamed over the file, as many editors
    save) is read without walking content/ again; a file that came or went, or
    a build the watcher did not start, walks it. Either way the site is what a
    full build makes, and the load's warnings are said every time."""
    from gloss import load

    write_files(project, {"content/notes.docx": "not a transcript"})
    config = load_config(project / "config.yaml")
    caches = pipeline.Caches(keep_staging=True)
    walks: list[int] = []
    real_walk = load._walk
    monkeypatch.setattr(load, "_walk", lambda *a: walks.append(1) or real_walk(*a))
    content = (project / "content").resolve()

    def rebuild(changed: set[str] | None, **edits: str) -> int:
        write_files(project, edits)
        walks.clear()
        paths = None if changed is None else frozenset(content / name for name in changed)
        result = pipeline.build(config, caches=caches, changed=paths)
        walked = len(walks)
        fresh = pipeline.render_site(config)[0]
        published = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")
                     if p.is_file()}
        assert published == set(fresh), "nothing left over, nothing missing"
        assert all((project / "site" / rel).read_bytes() == data for rel, data in fresh.items())
        assert any("notes.docx" in str(w) for w in result.diagnostics.warnings)
        return walked

    assert rebuild(None) == 1
    assert rebuild({"talk.yaml"}, **{"content/talk.yaml": "title: Second\n"}) == 0
    assert "Second" in (project / "site" / "index.html").read_text()
    assert rebuild({"talk.txt"}, **{"content/talk.txt": TALK.replace("Hello", "Hallo")}) == 0
    assert "Hallo" in (project / "site" / "talk" / "index.html").read_text()
    # Saved by renaming a new copy over it: the folder changes too, but no name came or went.
    (project / "content" / ".talk.yaml.new").write_text("title: Third\n")
    (project / "content" / ".talk.yaml.new").replace(project / "content" / "talk.yaml")
    assert rebuild({"", "talk.yaml"}) == 0
    assert "Third" in (project / "site" / "index.html").read_text()
    assert rebuild({"new.txt"}, **{"content/new.txt": "Dee: new\n"}) == 1
    assert (project / "site" / "new" / "index.html").is_file()
    (project / "content" / "new.txt").unlink()
    assert rebuild({"new.txt"}) == 1
    assert not (project / "site" / "new").exists()
    (project / "content" / "other.yaml").write_text("title: Other\n")  # a sidecar that is new
    assert rebuild({"", "other.yaml"}) == 1
    assert "Other" in (project / "site" / "index.html").read_text()
    assert rebuild(set()) == 0, "a theme edit alone reads no content"


def test_a_build_after_an_edit_keeps_the_pages_across_transcripts_it_did_not_change(project):
    """Each one-off build records what made each page across transcripts: the next
    one renders only those whose inputs changed, keeps the rest as published, and
    renders again one changed by hand. The site is what a full build makes."""
    write_files(project, {"content/people.yaml": "ann: {name: Ann Abara}\n",
                          "content/talk.yaml": "title: First\nspeakers: {Ann: ann}\n"})
    config = load_config(project / "config.yaml")

    def build() -> list[str]:
        result = pipeline.build(config)
        fresh = pipeline.render_site(config)[0]
        published = {p.relative_to(project / "site").as_posix(): p.read_bytes()
                     for p in (project / "site").rglob("*") if p.is_file()}
        assert published == fresh
        return sorted(r for r in result.rendered if not r.startswith(("talk/", "other/")))

    assert build() == ["404.html", "index.html", "people/ann/index.html", "people/index.html"]
    write_files(project, {"content/other.txt": "Cy: immaterial\n"})  # as many words: the same card
    assert build() == [], "nothing across transcripts changed"
    write_files(project, {"content/talk.yaml": "title: Second\nspeakers: {Ann: ann}\n"})
    assert build() == ["index.html", "people/ann/index.html"]
    (project / "site" / "404.html").write_text("changed by hand")
    write_files(project, {"content/other.txt": "Cy: unrelated\n"})
    assert build() == ["404.html"]

"""What the content folder holds: every file becomes a page, is an annotation,
is left out on purpose, or is named in a warning; links stay inside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gloss import pipeline
from gloss.config import load_config
from gloss.errors import BuildFailed

from .conftest import html, need, run_cli, write_files

TALK = "Ann: Hello.\nBob: Hi.\n"


def check(root: Path) -> list[str]:
    """Every diagnostic a check of the site prints, as lines."""
    diag = pipeline.check(load_config(root / "config.yaml"))
    return [str(d).splitlines()[0] for d in diag.sorted()]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are shown relative to where gloss runs."""
    monkeypatch.chdir(tmp_path)


def site(tmp_path: Path, files: dict[str, str], config: str = "title: T\n") -> Path:
    write_files(tmp_path, {"config.yaml": config, **files})
    (tmp_path / "content").mkdir(exist_ok=True)
    os.chdir(tmp_path)
    return tmp_path


def test_subfolders_become_nested_pages_with_their_sidecars(make_site):
    out = make_site({"content/season-2/Ep 13.txt": TALK,
                     "content/season-2/Ep 13.yaml": "title: Thirteen\n",
                     "content/season-1/ep13.txt": TALK})
    page = html(out / "season-2" / "ep-13" / "index.html")
    assert page.h1.get_text() == "Thirteen"
    assert page.select_one('link[rel="stylesheet"]')["href"] == "../../static/style.css"
    home = html(out / "index.html")
    assert sorted(a["href"] for a in home.select(".card h2 a")) == ["season-1/ep13/", "season-2/ep-13/"]


def test_files_that_are_not_read_are_named_in_one_warning(tmp_path):
    root = site(tmp_path, {"content/a.txt": TALK, "content/cover.jpg": "x", "content/audio/a.mp3": "x",
                           "content/.DS_Store": "x", "content/.draft.txt": TALK})
    assert check(root) == [
        "content: warning: 2 file(s) not read, being neither transcripts nor annotations: "
        "audio/a.mp3, cover.jpg",
        "content: warning: 1 hidden file(s) not read: .draft.txt",
    ]


def test_ignore_patterns_leave_files_out_on_purpose(tmp_path):
    root = site(tmp_path, {"content/a.txt": TALK, "content/cover.jpg": "x", "content/audio/a.mp3": "x",
                           "content/drafts/b.txt": TALK, "content/drafts/deep/c.txt": "x"},
                config="ignore: ['*.jpg', audio, 'drafts/**']\n")
    assert check(root) == []
    result = pipeline.build(load_config(root / "config.yaml"))
    assert result.pages == 1


def test_markdown_notes_are_a_warning_and_a_bad_transcript_an_error(tmp_path):
    root = site(tmp_path, {"content/a.txt": TALK, "content/README.md": "# About\n\nSome notes.\n"})
    assert check(root) == ["content/README.md:3:1: warning: not read: this Markdown file has no speaker turns"]
    write_files(root, {"content/b.txt": "Just prose.\n"})
    assert "content/b.txt:1:1: error: cannot tell the transcript format" in check(root)


def test_a_draft_is_built_only_when_asked(tmp_path):
    root = site(tmp_path, {"content/a.txt": TALK, "content/b.txt": TALK, "content/b.yaml": "draft: true\n"})
    result = run_cli(cwd=root)
    assert result.returncode == 0
    assert "built 1 page(s) into site (1 draft(s) left out: --drafts builds them)" in result.stdout
    assert not (root / "site" / "b").exists()
    assert run_cli("--drafts", cwd=root).returncode == 0
    assert html(root / "site" / "b" / "index.html").select_one("h1 .draft").get_text() == "Draft"


def test_links_outside_the_content_folder_are_refused(tmp_path):
    need(os.name != "nt", "symbolic links need privileges on Windows")
    secret = tmp_path / "secret.txt"
    secret.write_text("Eve: the password is hunter2\n")
    root = site(tmp_path / "proj", {"content/a.txt": TALK, "content/inside.txt": TALK})
    (root / "content" / "leak.txt").symlink_to(secret)
    (root / "content" / "etc").symlink_to("/etc")
    (root / "content" / "gone.txt").symlink_to(root / "nowhere.txt")
    (root / "content" / "alias.txt").symlink_to(root / "content" / "inside.txt")
    assert check(root) == [
        "content: warning: 2 link(s) leading outside the content folder not followed: etc, leak.txt",
        "content: warning: 1 broken link(s) or special file(s) not read: gone.txt",
    ]
    out = pipeline.build(load_config(root / "config.yaml"))
    assert out.pages == 3  # a, inside and alias (a link inside the folder is fine)
    assert not any("hunter2" in p.read_text() for p in (root / "site").rglob("*.html"))


def test_a_link_loop_is_an_error_at_the_link(tmp_path):
    need(os.name != "nt", "symbolic links need privileges on Windows")
    root = site(tmp_path, {"content/a.txt": TALK})
    (root / "content" / "loop.txt").symlink_to(root / "content" / "loop.txt")
    (root / "content" / "sub").mkdir()
    (root / "content" / "sub" / "up").symlink_to(root / "content")
    with pytest.raises(BuildFailed) as failed:
        pipeline.build(load_config(root / "config.yaml"))
    assert [str(e).splitlines()[0] for e in failed.value.diagnostics.errors] == [
        "content/loop.txt: error: this link leads round in a loop",
        "content/sub/up: error: this link leads round in a loop",
    ]


def test_init_starts_a_site_that_builds_and_never_overwrites(tmp_path):
    made = run_cli("init", "mysite", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "cd mysite && build.py serve" in made.stdout
    root = tmp_path / "mysite"
    assert (root / ".gitignore").read_text().count("/site/") == 1
    build = run_cli("--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    page = html(root / "site" / "gull-point" / "index.html")
    assert page.select_one(".toc") is not None and page.select("aside.note")
    (root / "config.yaml").write_text("title: Mine\n")
    again = run_cli("init", "mysite", cwd=tmp_path)
    assert again.returncode == 1
    assert "mysite/config.yaml: error: already exists; not overwriting it" in again.stderr
    assert (root / "config.yaml").read_text() == "title: Mine\n"


@pytest.mark.parametrize(("raw", "read"), [
    (b"Ann: one\x07two\r\nBob: ok\x7f.\n", "Ann: one two\nBob: ok .\n"),  # plain ASCII
    ("Ann: caf\u00e9\x0bau lait\n".encode(), "Ann: caf\u00e9 au lait\n"),
    ("\ufeffAnn: one\x1btwo\rBob: ok\t!\n".encode(), "Ann: one two\nBob: ok\t!\n"),
])
def test_control_characters_are_read_as_spaces_and_line_ends_as_newlines(tmp_path, raw, read):
    from gloss.errors import FormatError
    from gloss.fsutil import read_text

    path = tmp_path / "t.txt"
    path.write_bytes(raw)
    assert read_text(path, FormatError) == read

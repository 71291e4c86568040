"""The writer: atomic, only changed files, stale pages removed, never outside site/."""

from __future__ import annotations

import os
import shutil

import pytest

from gloss import write
from gloss.errors import SiteError
from gloss.write import write_site

from .conftest import ROOT, run_cli, write_files


def test_writes_only_what_changed_and_removes_stale_pages(tmp_path):
    out = tmp_path / "site"
    assert write_site(out, {"index.html": b"home", "a/index.html": b"A"}) == (
        ["index.html", "a/index.html"], [])
    stamp = (out / "index.html").stat().st_mtime_ns
    assert write_site(out, {"index.html": b"home", "b/index.html": b"B"}) == (
        ["b/index.html"], ["a/index.html"])
    assert (out / "index.html").stat().st_mtime_ns == stamp
    assert not (out / "a").exists(), "stale page and its empty folder are gone"
    assert (out / "b" / "index.html").read_bytes() == b"B"


def test_files_gloss_did_not_write_are_left_alone(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("example.org")
    write_site(out, {"index.html": b"x"})
    write_site(out, {"other.html": b"y"})
    assert (out / "CNAME").read_text() == "example.org"
    assert not (out / "index.html").exists()


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/passwd", "a/../../x", "", ".gloss-manifest.json"])
def test_refuses_paths_outside_the_site(tmp_path, bad):
    with pytest.raises(ValueError):
        write_site(tmp_path / "site", {bad: b"x"})
    assert not (tmp_path / "evil.html").exists()


def test_a_failure_while_writing_leaves_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old home", "a/index.html": b"old A"})
    real = type(out).write_bytes
    calls = []

    def failing(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(type(out), "write_bytes", failing)
    with pytest.raises(SiteError, match="cannot write the site: No space left on device"):
        write_site(out, {"index.html": b"new home", "a/index.html": b"new A"})
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"old home"
    assert (out / "a" / "index.html").read_bytes() == b"old A"
    assert not (out / write.STAGING).exists()


def test_a_build_that_fails_midway_leaves_the_previous_site(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "default").symlink_to(ROOT / "themes" / "default")
    write_files(tmp_path, {"content/a.txt": "Ann: one\n", "content/b.txt": "Bob: two\n"})
    assert run_cli(cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    # Change one page, then break another: nothing of the new build may land.
    write_files(tmp_path, {"content/a.txt": "Ann: changed\n", "content/b.yaml": "date: soon\n"})
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 1
    after = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before


def test_refuses_to_write_over_the_project(tmp_path):
    write_files(tmp_path, {"content/a.txt": "Ann: one\n"})
    for out in (".", "content", ".."):
        result = run_cli("--out", out, cwd=tmp_path)
        assert result.returncode == 1
        assert "config.yaml: error: refusing to write the site into" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["content"]


def test_files_deleted_behind_the_writers_back_are_written_again(tmp_path):
    out, known = tmp_path / "site", {}
    files = {"index.html": b"home", "a/index.html": b"A"}
    write_site(out, files, known)
    shutil.rmtree(out)
    assert write_site(out, files, known) == (["index.html", "a/index.html"], [])
    assert (out / "a" / "index.html").read_bytes() == b"A"

"""The writer: the output folder is always one complete build, only changed files are
written, stale pages are removed, files gloss did not write are kept, nothing of its
bookkeeping is inside the site, and nothing is ever written outside it.

Kills at random moments and two builds at once are in test_faults.py."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from gloss import write
from gloss.errors import SiteError
from gloss.write import SiteWriter, write_site

from .conftest import ROOT, run_cli, write_files


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (symlinks as their target), by relative path."""
    out: dict[str, bytes] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = b"-> " + os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Work in tmp_path, so the output folder is named `site/` in messages."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_writes_only_what_changed_and_removes_stale_pages(here):
    out = here / "site"
    assert write_site(out, {"index.html": b"home", "a/index.html": b"A"}) == (
        ["index.html", "a/index.html"], [])
    before = (out / "index.html").stat()
    assert write_site(out, {"index.html": b"home", "b/index.html": b"B"}) == (
        ["b/index.html"], ["a/index.html"])
    after = (out / "index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), \
        "an unchanged page is the same file, not a copy"
    assert not (out / "a").exists(), "stale page and its empty folder are gone"
    assert (out / "b" / "index.html").read_bytes() == b"B"


def test_bookkeeping_lives_beside_the_site_never_in_it(here):
    write_site(here / "site", {"index.html": b"home"})
    assert sorted(os.listdir(here / "site")) == ["index.html"]
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]
    manifest = json.loads((here / ".site.gloss-manifest.json").read_text())
    assert list(manifest["files"]) == ["index.html"]
    digest, size, _ = manifest["files"]["index.html"]
    assert size == (here / "site" / "index.html").stat().st_size and digest == write.digest(
        (here / "site" / "index.html").read_bytes()), "each file recorded with what it is"


def test_files_gloss_did_not_write_are_left_alone(here):
    out = here / "site"
    write_files(out, {"CNAME": "example.org", ".git/HEAD": "ref: refs/heads/gh-pages\n"})
    (out / "latest").symlink_to("index.html")
    write_site(out, {"index.html": b"x"})
    write_site(out, {"other.html": b"y"})
    assert tree(out) == {"CNAME": b"example.org", ".git/HEAD": b"ref: refs/heads/gh-pages\n",
                         "latest": b"-> index.html", "other.html": b"y"}


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/passwd", "a/../../x", "", "a\\..\\x",
                                 ".gloss-manifest.json"])
def test_refuses_paths_outside_the_site(here, bad):
    with pytest.raises(ValueError):
        write_site(here / "site", {bad: b"x"})
    assert not (here / "evil.html").exists()
    assert not (here / "site").exists()


def test_two_files_for_one_path_are_refused(here):
    with SiteWriter(here / "site") as w:
        w.add("a.html", b"1")
        with pytest.raises(ValueError, match=r"two files would be written to 'a\.html'"):
            w.add("a.html", b"2")
    assert not (here / "site").exists(), "an uncommitted writer publishes nothing"


def test_pages_are_staged_as_they_come_and_published_at_commit(here):
    write_site(here / "site", {"index.html": b"old"})
    with SiteWriter(here / "site") as w:
        w.add("index.html", b"new")
        w.add("a/index.html", b"A")
        assert tree(here / ".site.gloss-staging") == {"index.html": b"new", "a/index.html": b"A"}
        assert tree(here / "site") == {"index.html": b"old"}, "nothing published before commit"
        assert w.commit() == (["index.html", "a/index.html"], [])
    assert tree(here / "site") == {"a/index.html": b"A", "index.html": b"new"}
    assert not (here / ".site.gloss-staging").exists()


def test_leaving_without_commit_keeps_the_old_site(here):
    write_site(here / "site", {"index.html": b"old"})
    with pytest.raises(KeyboardInterrupt), SiteWriter(here / "site") as w:
        w.add("index.html", b"new")
        raise KeyboardInterrupt
    assert tree(here / "site") == {"index.html": b"old"}
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]


def test_a_disk_full_halfway_leaves_the_old_site_and_names_the_folder(here, monkeypatch):
    out = here / "site"
    old = {f"p{i}/index.html": b"old %d" % i for i in range(30)}
    write_site(out, old)
    real, calls = os.write, []

    def failing(fd, data):
        calls.append(fd)
        if len(calls) == 12:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", failing)
    with pytest.raises(SiteError) as caught:
        write_site(out, {rel: b"new" + data for rel, data in old.items()})
    monkeypatch.undo()
    assert str(caught.value) == "site/: error: cannot write the site: No space left on device"
    assert tree(out) == old
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]


def test_a_folder_gloss_cannot_write_beside_the_site_is_explained(here, monkeypatch):
    write_site(here / "site", {"index.html": b"old"})
    real = os.mkdir

    def denied(path, *args, **kwargs):
        if str(path).endswith(".gloss-staging"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", denied)
    with pytest.raises(SiteError) as caught:
        write_site(here / "site", {"index.html": b"new"})
    message = str(caught.value).splitlines()
    assert message[0] == "site/: error: cannot write the site: Permission denied"
    assert message[1].startswith("  hint: gloss prepares the new site beside site/")
    assert "staging" not in message[0]
    assert tree(here / "site") == {"index.html": b"old"}


def test_a_swap_that_fails_leaves_the_old_site(here, monkeypatch):
    write_site(here / "site", {"index.html": b"old"})

    def refused(a, b):
        raise PermissionError(errno.EACCES, "Permission denied", str(b))

    monkeypatch.setattr(write.swap, "_exchange", refused)
    with pytest.raises(SiteError, match=r"^site/: error: cannot write the site: Permission denied"):
        write_site(here / "site", {"index.html": b"new", "extra.html": b"x"})
    assert tree(here / "site") == {"index.html": b"old"}
    assert not (here / ".site.gloss-staging").exists()


def test_without_an_atomic_exchange_two_renames_do_it(here, monkeypatch):
    def unsupported(a, b):
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(write.swap, "_exchange", unsupported)
    write_site(here / "site", {"index.html": b"old", "gone.html": b"x"})
    assert write_site(here / "site", {"index.html": b"new"}) == (["index.html"], ["gone.html"])
    assert tree(here / "site") == {"index.html": b"new"}
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]


def test_when_the_second_of_the_two_renames_fails_the_old_site_is_put_back(here, monkeypatch):
    out = here / "site"
    old = {"index.html": b"old", "a/index.html": b"A"}
    write_site(out, old)
    (out / "CNAME").write_text("example.org")  # a file of the user's, carried over
    monkeypatch.setattr(write.swap, "_renameat2", lambda: None)  # a system without renameat2
    real, calls = os.rename, []

    def second_fails(src, dst, *args, **kwargs):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", second_fails)  # the folders' renames (records use os.replace)
    with pytest.raises(SiteError) as caught:
        write_site(out, {"index.html": b"new", "b/index.html": b"B"})
    monkeypatch.undo()
    assert calls[:2] == [("site", ".site.gloss-old"), (".site.gloss-staging", "site")], \
        "the fallback's two renames, the second refused"
    assert str(caught.value) == "site/: error: cannot write the site: Input/output error"
    assert tree(out) == {**old, "CNAME": b"example.org"}, "site/ holds the previous build"
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]
    assert write_site(out, {"index.html": b"new"}) == (["index.html"], ["a/index.html"]), \
        "the next build starts from the previous site"
    assert tree(out) == {"index.html": b"new", "CNAME": b"example.org"}


def test_a_swap_killed_between_its_two_renames_is_finished_by_the_next_build(here):
    out = here / "site"
    write_site(out, {"index.html": b"old", "old.html": b"o"})
    # What a build killed after `site -> old` and before `staging -> site` leaves:
    write_files(here / ".site.gloss-staging", {"index.html": "new", "new.html": "n"})
    (here / ".site.gloss-manifest.json").write_text('["index.html", "new.html", "old.html"]')
    (here / ".site.gloss-journal.json").write_text("{}")
    out.rename(here / ".site.gloss-old")
    with SiteWriter(out) as w:
        assert tree(out) == {"index.html": b"new", "new.html": b"n"}, "rolled forward first"
        w.add("index.html", b"newer")
        assert w.commit() == (["index.html"], ["new.html"])
    assert tree(out) == {"index.html": b"newer"}
    assert sorted(os.listdir(here)) == [".site.gloss-lock", ".site.gloss-manifest.json", "site"]


@pytest.mark.parametrize("before", [{"index.html": b"A"}, {"index.html": b"A", "gone.html": b"g"}])
def test_pages_published_by_a_build_killed_before_its_manifest_are_still_removed(here, monkeypatch, before):
    """Whether the manifest is written once (no page removed) or twice (before and
    after the swap), a build killed right after its swap leaves one that lists
    every page it published."""
    out = here / "site"
    write_site(out, before)
    real = write.SiteWriter._swap

    def dies_after_the_swap(self):
        real(self)
        raise SystemExit("killed")  # before the manifest is written again, if it would be

    monkeypatch.setattr(write.SiteWriter, "_swap", dies_after_the_swap)
    with pytest.raises(SystemExit):
        write_site(out, {"index.html": b"B", "new/index.html": b"only in B"})
    monkeypatch.undo()
    assert tree(out) == {"index.html": b"B", "new/index.html": b"only in B"}
    write_site(out, {"index.html": b"A"})
    assert tree(out) == {"index.html": b"A"}, "the page of the killed build is gone"


def test_old_versions_bookkeeping_inside_the_site_is_cleared(here):
    out = here / "site"
    write_files(out, {"index.html": "x", "stale/index.html": "s", "CNAME": "c",
                      ".gloss-manifest.json": '["index.html", "stale/index.html"]',
                      ".gloss-staging/0": "half a page"})
    assert write_site(out, {"index.html": b"x"}) == ([], ["stale/index.html"])
    assert tree(out) == {"CNAME": b"c", "index.html": b"x"}


def test_when_hard_links_fail_files_are_copied(here, monkeypatch):
    out = here / "site"
    write_files(out, {"CNAME": "c"})
    write_site(out, {"index.html": b"x"})

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    assert write_site(out, {"index.html": b"x", "b.html": b"b"}) == (["b.html"], [])
    assert tree(out) == {"CNAME": b"c", "b.html": b"b", "index.html": b"x"}


def test_a_symlinked_output_folder_is_published_where_it_points(here):
    (here / "real").mkdir()
    (here / "site").symlink_to("real")
    write_site(here / "site", {"index.html": b"one"})
    write_site(here / "site", {"index.html": b"two"})
    assert (here / "site").is_symlink()
    assert tree(here / "real") == {"index.html": b"two"}


def test_an_output_path_that_is_a_file_is_an_error(here):
    (here / "site").write_text("not a folder")
    with pytest.raises(SiteError, match=r"^site/: error: cannot write the site: it is not a folder"):
        write_site(here / "site", {"index.html": b"x"})
    assert (here / "site").read_text() == "not a folder"


def test_a_second_build_waits_then_gives_up_clearly(here, monkeypatch):
    notices: list[str] = []
    with SiteWriter(here / "site") as first:
        first.add("index.html", b"first")
        second = SiteWriter(here / "site", notice=notices.append, lock_wait=0.2)
        with pytest.raises(SiteError) as caught:
            second.__enter__()
        first.commit()
    assert notices == ["waiting for another build into site/ to finish"]
    assert str(caught.value).splitlines()[0] == (
        "site/: error: another build into site/ is still running (waited 0.2 s)")
    assert tree(here / "site") == {"index.html": b"first"}


def test_a_second_build_that_waits_publishes_after_the_first(here):
    notices: list[str] = []
    entered = threading.Event()
    done: list[tuple[list[str], list[str]]] = []

    def second() -> None:
        entered.wait(10)
        done.append(write_site_with_notices(here / "site", {"b.html": b"B"}, notices))

    thread = threading.Thread(target=second)
    thread.start()
    with SiteWriter(here / "site") as first:
        first.add("a.html", b"A")
        entered.set()
        while not notices and thread.is_alive():
            thread.join(0.05)
        first.commit()
    thread.join(10)
    assert notices == ["waiting for another build into site/ to finish"]
    assert done == [(["b.html"], ["a.html"])]
    assert tree(here / "site") == {"b.html": b"B"}


def write_site_with_notices(out: Path, files: dict[str, bytes], notices: list[str]):
    with SiteWriter(out, notice=notices.append, lock_wait=10) as w:
        for rel, data in files.items():
            w.add(rel, data)
        return w.commit()


def test_a_build_that_fails_midway_leaves_the_previous_site(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "default").symlink_to(ROOT / "gloss" / "themes" / "default")
    write_files(tmp_path, {"content/a.txt": "Ann: one\n", "content/b.txt": "Bob: two\n"})
    assert run_cli(cwd=tmp_path).returncode == 0
    before = tree(tmp_path / "site")
    # Change one page, then break another: nothing of the new build may land.
    write_files(tmp_path, {"content/a.txt": "Ann: changed\n", "content/b.yaml": "date: soon\n"})
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 1
    assert tree(tmp_path / "site") == before


def test_refuses_to_write_over_the_project(tmp_path):
    write_files(tmp_path, {"content/a.txt": "Ann: one\n"})
    for out in (".", "content", ".."):
        result = run_cli("--out", out, cwd=tmp_path)
        assert result.returncode == 1
        assert "config.yaml: error: refusing to write the site into" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["content"]


def test_files_deleted_behind_the_writers_back_are_written_again(here):
    out, known = here / "site", {}
    files = {"index.html": b"home", "a/index.html": b"A"}
    write_site(out, files, known)
    shutil.rmtree(out)
    assert write_site(out, files, known) == (["index.html", "a/index.html"], [])
    assert (out / "a" / "index.html").read_bytes() == b"A"
    assert known == files


def test_a_leftover_staging_folder_is_brought_in_line_not_trusted(here):
    out = here / "site"
    write_files(out, {"CNAME": "c"})
    write_site(out, {"index.html": b"home", "a/index.html": b"A", "b/index.html": b"B"})
    staging = here / ".site.gloss-staging"
    # What a killed build, or a hostile hand, may leave there:
    write_files(staging, {"index.html/x": "a folder where a page goes", "a": "a file where a folder goes",
                          "b/index.html": "half a pa", "stale/index.html": "old", "CNAME": "wrong"})
    (here / "elsewhere").mkdir()
    (staging / "c").symlink_to(here / "elsewhere")
    (staging / "evil").symlink_to("/etc")
    assert write_site(out, {"index.html": b"home", "a/index.html": b"A", "b/index.html": b"B",
                            "c/index.html": b"C"}) == (["c/index.html"], [])
    assert tree(out) == {"CNAME": b"c", "a/index.html": b"A", "b/index.html": b"B", "c/index.html": b"C",
                         "index.html": b"home"}
    assert os.listdir(here / "elsewhere") == [], "nothing written through a link in the staging folder"
    assert not staging.exists()


def test_serve_keeps_the_old_site_as_the_next_staging_folder(here):
    out, staging = here / "site", here / ".site.gloss-staging"
    pages = {f"p{i}/index.html": b"page %d" % i for i in range(5)}
    folder = {}
    for n in range(4):
        before = dict(pages)
        pages["p0/index.html"] = b"edit %d" % n
        with SiteWriter(out, keep_staging=True) as w:
            for rel, data in pages.items():
                w.add(rel, data)
            written, _ = w.commit()
        assert written == (list(pages) if n == 0 else ["p0/index.html"])
        assert tree(out) == pages
        assert tree(staging) == ({} if n == 0 else before), "the previous site, kept for reuse"
        folder[n] = (out / "p3").stat().st_ino
    assert folder[0] == folder[2] and folder[1] == folder[3], "page folders are reused, not made again"


def test_an_output_folder_that_cannot_be_replaced_whole_is_explained(here, monkeypatch):
    write_site(here / "site", {"index.html": b"old"})

    def busy(a, b):  # what renameat2 says of a mount point
        raise OSError(errno.EBUSY, "Device or resource busy", str(b))

    monkeypatch.setattr(write.swap, "_exchange", busy)
    with pytest.raises(SiteError) as caught:
        write_site(here / "site", {"index.html": b"new"})
    assert str(caught.value).splitlines() == [
        "site/: error: cannot write the site: Device or resource busy",
        "  hint: site/ cannot be replaced as a whole (is it a mount point?): build into a folder inside it"]
    assert tree(here / "site") == {"index.html": b"old"}


def test_serve_remembers_the_manifest_it_wrote_and_reads_one_changed_since(here, monkeypatch):
    out = here / "site"
    memory = write.Remembered()

    def build(files: dict[str, bytes]) -> tuple[list[str], list[str]]:
        with SiteWriter(out, remembered=memory) as w:
            for rel, data in files.items():
                w.add(rel, data)
            return w.commit()

    build({"a.html": b"a", "b.html": b"b"})
    assert memory.files == {"a.html", "b.html"}
    with monkeypatch.context() as m:
        m.setattr(write.manifest.json, "loads", lambda *a, **k: pytest.fail("the manifest was read again"))
        assert build({"a.html": b"a"}) == ([], ["b.html"])
    # Another build (an older gloss, say) rewrote it: the file wins over memory.
    manifest = write.sibling(Path(os.path.realpath(out)), "manifest.json")
    manifest.write_text('["a.html", "c.html"]')
    (out / "c.html").write_text("c")
    assert build({"a.html": b"a"}) == ([], ["c.html"])
    assert sorted(p.name for p in out.iterdir()) == ["a.html"]


def test_in_place_changes_only_what_changed_and_keeps_the_users_files(here):
    """serve after its first build: a changed file is replaced, an unchanged one is
    not touched, one that went is removed with its empty folder, a CNAME stays,
    and the manifest left is one a later swapped build reads rightly."""
    out = here / "site"
    memory = write.Remembered()
    with SiteWriter(out, remembered=memory) as w:
        for rel, data in {"index.html": b"home", "a/index.html": b"a", "b/index.html": b"b"}.items():
            w.add(rel, data)
        w.commit()
    (out / "CNAME").write_text("example.org")
    before = (out / "index.html").stat()
    assert write.InPlaceWriter.usable(out, memory)
    with write.InPlaceWriter(out, memory) as w:
        assert w.can_keep("index.html", write.digest(b"home")) and not w.can_keep("a/index.html", "x")
        w.keep("index.html", write.digest(b"home"))
        w.add("a/index.html", b"a, edited")
        assert w.commit() == (["a/index.html"], ["b/index.html"])
    assert tree(out) == {"CNAME": b"example.org", "index.html": b"home", "a/index.html": b"a, edited"}
    assert not (out / "b").exists()
    after = (out / "index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # A swapped build afterwards trusts the manifest the in-place one wrote.
    assert write_site(out, {"index.html": b"home"}) == ([], ["a/index.html"])
    assert tree(out) == {"CNAME": b"example.org", "index.html": b"home"}


def test_in_place_manifests_reuse_their_entries_and_read_as_written_whole(here):
    """The in-place writer encodes only the entries that changed (serve writes the
    manifest on every edit); the file is JSON as a whole write gives it, and a
    build that reads it next finds every file as it is."""
    import json

    out = here / "site"
    memory = write.Remembered()
    with SiteWriter(out, remembered=memory) as w:
        for rel in ("a/index.html", "b/index.html", "c \u00e9\"q\".html"):
            w.add(rel, rel.encode())
        w.commit()
    manifest = write.sibling(out.resolve(), "manifest.json")
    for edit in (b"one", b"two"):
        with write.InPlaceWriter(out, memory) as w:
            w.keep("a/index.html", write.digest(b"a/index.html"))
            w.keep("c \u00e9\"q\".html", write.digest("c \u00e9\"q\".html".encode()))
            w.add("b/index.html", edit)
            w.add("new.html", edit)
            w.commit()
        text = manifest.read_text("utf-8")
        files = json.loads(text)["files"]
        assert sorted(files) == ["a/index.html", "b/index.html", "c \u00e9\"q\".html", "new.html"]
        assert files["b/index.html"][0] == write.digest(edit)
        assert text == json.dumps({"version": 2, "files": files}, separators=(",", ":"))
    assert write_site(out, {"a/index.html": b"a/index.html", "b/index.html": b"two"}) \
        == ([], ["c \u00e9\"q\".html", "new.html"])


def test_serve_s_first_build_writes_in_place_over_a_site_another_build_made(here):
    """serve need not copy the whole site before its first edit shows: a manifest
    another run wrote will do, each file it lists kept only once seen to be as
    recorded; a file changed behind gloss's back is written again, even when the
    new bytes are the ones recorded."""
    out = here / "site"
    write_site(out, {"index.html": b"home", "a/index.html": b"a", "gone.html": b"old"})
    (out / "CNAME").write_text("example.org")
    (out / "a" / "index.html").write_bytes(b"changed by hand")
    memory = write.Remembered()
    assert not write.InPlaceWriter.usable(out, memory), "only serve's first build takes another's manifest"
    assert write.InPlaceWriter.usable(out, memory, first=True) and not memory.trusted
    with write.InPlaceWriter(out, memory) as w:
        assert w.can_keep("index.html", write.digest(b"home"))
        assert not w.can_keep("a/index.html", write.digest(b"a"))
        w.keep("index.html", write.digest(b"home"))
        w.add("a/index.html", b"a")
        assert w.commit() == (["a/index.html"], ["gone.html"])
    assert tree(out) == {"CNAME": b"example.org", "index.html": b"home", "a/index.html": b"a"}
    assert memory.trusted and write.InPlaceWriter.usable(out, memory)
    write.sibling(out.resolve(), "pending.txt").write_text("x.html\n")
    assert not write.InPlaceWriter.usable(out, write.Remembered(), first=True), "a killed build: swap"
    write.sibling(out.resolve(), "pending.txt").unlink()
    write.sibling(out.resolve(), "manifest.json").write_text("{not json")
    assert not write.InPlaceWriter.usable(out, write.Remembered(), first=True)


def test_a_file_whose_time_alone_changed_is_kept_and_recorded_with_its_new_time(here):
    """A site restored from an archive that keeps times to the second: each file's
    bytes are read once, checked against the manifest, kept, and recorded with
    the time it has now, by both writers; a file whose bytes differ is not kept."""
    out = here / "site"
    write_site(out, {"index.html": b"home", "a/index.html": b"aaaa"})
    (out / "a" / "index.html").write_bytes(b"AAAA")  # same size, other bytes
    for path in (out / "index.html", out / "a" / "index.html"):
        os.utime(path, ns=(10**18, 10**18))
    manifest = write.sibling(out.resolve(), "manifest.json")
    memory = write.Remembered()
    assert write.InPlaceWriter.usable(out, memory, first=True)
    with write.InPlaceWriter(out, memory) as w:
        assert w.can_keep("index.html", write.digest(b"home"))
        assert not w.can_keep("a/index.html", write.digest(b"aaaa"))
        w.keep("index.html", write.digest(b"home"))
        w.add("a/index.html", b"aaaa")
        w.commit()
    recorded = json.loads(manifest.read_text())["files"]
    assert recorded["index.html"][2] == 10**18, "recorded with its time now"
    os.utime(out / "index.html", ns=(2 * 10**18, 2 * 10**18))
    with SiteWriter(out) as w:
        assert w.can_keep("index.html", write.digest(b"home"))
        w.keep("index.html", write.digest(b"home"))
        w.add("a/index.html", b"aaaa")
        w.commit()
    assert json.loads(manifest.read_text())["files"]["index.html"][2] == 2 * 10**18
    assert tree(out) == {"index.html": b"home", "a/index.html": b"aaaa"}


def test_in_place_is_not_used_once_another_build_wrote_the_site(here):
    out = here / "site"
    memory = write.Remembered()
    with SiteWriter(out, remembered=memory) as w:
        w.add("index.html", b"home")
        w.commit()
    assert write.InPlaceWriter.usable(out, memory)
    write_site(out, {"index.html": b"other"})  # `gloss build` in another terminal
    assert not write.InPlaceWriter.usable(out, memory)


def test_serve_sets_the_staging_copy_aside_and_it_is_gone_by_exit(here):
    out = here / "site"
    write_site(out, {"index.html": b"home"}, keep_staging=True)
    write_site(out, {"index.html": b"home", "a/index.html": b"a"}, keep_staging=True)  # the old site stays
    staging = write.sibling(Path(os.path.realpath(out)), "staging")
    assert staging.is_dir()
    write.retire_staging(out)
    assert not staging.exists(), "set aside at once, not deleted in the way of the next edit"
    write.drop_staging(out)  # at exit: whatever the thread has not deleted yet
    assert sorted(p.name for p in here.iterdir() if p.name.startswith(".site")) == [
        ".site.gloss-lock", ".site.gloss-manifest.json"]
    assert tree(out) == {"index.html": b"home", "a/index.html": b"a"}


def test_files_an_in_place_build_wrote_before_it_was_killed_are_still_gloss_s(here):
    """Noted before each is written, so the next build removes them when the
    site no longer has them, instead of taking them for the user's own."""
    out = here / "site"
    memory = write.Remembered()
    with SiteWriter(out, remembered=memory) as w:
        w.add("index.html", b"home")
        w.commit()
    with pytest.raises(SystemExit), write.InPlaceWriter(out, memory) as w:
        w.keep("index.html", write.digest(b"home"))
        w.add("new/index.html", b"a new talk")
        raise SystemExit("killed before its manifest")
    assert tree(out) == {"index.html": b"home", "new/index.html": b"a new talk"}
    assert not write.InPlaceWriter.usable(out, memory), "an unfinished in-place build: swap again"
    assert write_site(out, {"index.html": b"home"}) == ([], ["new/index.html"])
    assert tree(out) == {"index.html": b"home"}
    assert not write.sibling(Path(os.path.realpath(out)), "pending.txt").exists()

"""`gloss build` with nothing changed answers from the last build's record,
and anything that could change the site, however small, makes it build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gloss import cli, uptodate

from .conftest import html

TALK = "**Ann** (0:01)\nWe planted the north field in April.\n\n**Bob** (0:05)\nAnd the rain came late.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small site, built once. Files written by a test are seconds old at most,
    which the racy rule (tested on its own below) would never trust."""
    monkeypatch.setattr(uptodate, "RACY_NS", 0)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "talk.txt").write_text(TALK)
    (tmp_path / "content" / "talk.yaml").write_text("speakers: {Ann: ann, Bob: bob}\n")
    (tmp_path / "content" / "people.yaml").write_text("ann: Ann Abara\nbob: Bob Becker\n")
    (tmp_path / "content" / "notes.rtf").write_text("not a transcript\n")
    (tmp_path / "config.yaml").write_text("title: Farm talk\n")
    monkeypatch.chdir(tmp_path)
    assert build() == (0, "built")
    return tmp_path


def build(*args: str) -> tuple[int, str]:
    """Exit status, and whether the site was built or found up to date."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        status = cli.main(["build", *args])
    text = err.getvalue()
    build.output = text  # type: ignore[attr-defined]
    return status, "up to date" if "is up to date" in text else "built" if "\nbuilt " in "\n" + text else text


def test_nothing_changed_answers_from_the_record_and_says_the_same_warnings(site):
    first = build.output  # type: ignore[attr-defined]
    assert "notes.rtf" in first
    before = {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")}
    assert build() == (0, "up to date")
    assert "notes.rtf" in build.output, "the unread file is still named"  # type: ignore[attr-defined]
    assert {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")} == before


def test_a_same_size_edit_with_its_old_time_put_back_is_still_seen(site):
    talk = site / "content" / "talk.txt"
    st = talk.stat()
    talk.write_text(TALK.replace("April", "March"))  # five letters for five
    os.utime(talk, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert build() == (0, "built")
    assert "March" in html(site / "site" / "talk" / "index.html").get_text()


@pytest.mark.parametrize("change", ["new transcript", "sidecar", "config", "theme", "base url",
                                    "output file edited", "output file removed", "no cache"])
def test_any_change_builds(site, change):
    args: list[str] = []
    if change == "new transcript":
        (site / "content" / "more.txt").write_text(TALK)
    elif change == "sidecar":
        (site / "content" / "talk.yaml").write_text("speakers: {Ann: ann, Bob: bob}\ntitle: Rain\n")
    elif change == "config":
        (site / "config.yaml").write_text("title: Farm talks\n")
    elif change == "theme":
        folder = site / "themes" / "default" / "static"
        folder.mkdir(parents=True)
        (folder / "extra.css").write_text("body { color: black }\n")
    elif change == "base url":
        args = ["--base-url", "https://example.org/farm/"]
    elif change == "output file edited":
        page = site / "site" / "talk" / "index.html"
        page.write_text(page.read_text().replace("Farm talk", "Hacked"))
    elif change == "output file removed":
        (site / "site" / "talk" / "index.html").unlink()
    elif change == "no cache":
        args = ["--no-cache"]
    assert build(*args) == (0, "built")
    page = html(site / "site" / "talk" / "index.html")
    assert "Hacked" not in page.get_text()
    if change == "no cache":
        assert build() == (0, "built"), "a build without the cache leaves no record to trust"


def test_strict_fails_on_the_warnings_of_the_last_build_too(site):
    status, _ = build("--strict")
    assert status == 1
    assert "notes.rtf" in build.output  # type: ignore[attr-defined]
    assert "site was not changed" in build.output  # type: ignore[attr-defined]


def test_a_file_changed_close_to_the_last_build_is_not_trusted(tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "talk.txt").write_text(TALK)
    (tmp_path / "config.yaml").write_text("title: Farm talk\n")
    monkeypatch.chdir(tmp_path)
    assert build() == (0, "built")
    # Written moments before that build started: a coarse clock could hide an
    # edit made in the same tick, so the record is not used.
    assert build() == (0, "built")


def test_a_damaged_record_is_ignored(site):
    (site / ".gloss-cache" / uptodate.FILE).write_bytes(b'{"format": 4}')
    assert build() == (0, "built")
    assert build() == (0, "up to date")

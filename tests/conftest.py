"""Shared helpers: build tiny sites from a dict of files, and read pages as a reader would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gloss import pipeline
from gloss.config import load_config

ROOT = Path(__file__).resolve().parent.parent

SiteMaker = Callable[..., Path]


def write_files(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path) -> SiteMaker:
    """Write `files` (relative path -> text) into a fresh project that uses the
    real default theme, build it, and return the output folder."""

    def make(files: dict[str, str], config: str = "title: Test site\n") -> Path:
        write_files(tmp_path, {"config.yaml": config, **files})
        (tmp_path / "content").mkdir(exist_ok=True)
        pipeline.build(load_config(tmp_path / "config.yaml"))
        return tmp_path / "site"

    return make


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run build.py as a user would, in `cwd`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def reading(el) -> str:
    """The text a reader sees in `el`: no removed words, corrected forms, no ¶ links."""
    el = BeautifulSoup(str(el), "html.parser")
    for hidden in el.select("del.rm, .chg .v, a.pl, a.pt, details.cut"):
        hidden.decompose()
    return " ".join(el.get_text().split())


def verbatim(el) -> str:
    """The source text of `el`, as the verbatim switch shows it."""
    el = BeautifulSoup(str(el), "html.parser")
    for hidden in el.select(".chg .c, a.pl, a.pt"):
        hidden.decompose()
    return " ".join(el.get_text().split())


EXAMPLE_BASE_URL = "https://example.github.io/demo/"
EXAMPLE_MEDIA = "kaiser-unsupervised-learning"
"""The example transcript that the checked copy gives a recording, so the pages
checked by outside tools include the player."""


@pytest.fixture(scope="session")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example site (`content/` and `config.yaml` of this repository) built as
    a user would, with and without `--base-url`; in the copy, one transcript has
    a recording (`media: {audio: ...}`, a tone written here), so its page has the
    player. Returns build name -> output folder."""
    from .test_player import tone

    project = tmp_path_factory.mktemp("example")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "config.yaml", project / "config.yaml")
    with open(project / "content" / f"{EXAMPLE_MEDIA}.yaml", "a", encoding="utf-8") as f:
        f.write("\nmedia: {audio: static/recording.wav}\n")
    tone(project / "themes" / "default" / "static" / "recording.wav")
    sites = {"base-url": ("--base-url", EXAMPLE_BASE_URL), "no-base-url": ()}
    for name, options in sites.items():
        built = run_cli("build", "--quiet", "--strict", "--out", name, *options, cwd=project)
        assert built.returncode == 0, built.stderr
    return {name: project / name for name in sites}

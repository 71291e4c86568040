"""The test suite's own rules (issue #28): a test that cannot run fails under
CI instead of skipping, waits are for conditions rather than for a time, the
tests write nothing into the checkout nor name paths in it that are not there,
and a run that collects nothing fails."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
import uuid
from pathlib import Path

import pytest

from .conftest import ROOT, need, need_module, under_ci, untracked_in_checkout

TESTS = Path(__file__).resolve().parent
SOURCES = sorted(p for p in TESTS.glob("*.py") if p.name != Path(__file__).name)
"""The test files, this one (which names what it looks for) left out."""


def code_of(path: Path) -> list[tuple[int, str]]:
    """(line number, line) of `path`, comments and docstrings left out."""
    text = path.read_text("utf-8")
    docs: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            docs.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    lines = text.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col]
    return [(n, line) for n, line in enumerate(lines, 1) if n not in docs]


# 13: skips fail under CI.

@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE", "True"])
def test_under_ci_a_missing_tool_fails_rather_than_skips(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert under_ci()
    with pytest.raises(pytest.fail.Exception, match="required under CI: no frobnicator"):
        need(False, "no frobnicator: apt-get install frobnicator")
    with pytest.raises(pytest.fail.Exception, match="cannot import no_such_module_"):
        need_module(f"no_such_module_{uuid.uuid4().hex}", "pip install it")


@pytest.mark.parametrize("value", [None, "", "false", "0", "no"])
def test_elsewhere_a_missing_tool_skips_with_the_reason(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not under_ci()
    with pytest.raises(pytest.skip.Exception, match="no frobnicator: apt-get install frobnicator"):
        need(False, "no frobnicator: apt-get install frobnicator")
    with pytest.raises(pytest.skip.Exception, match="cannot import no_such_module_"):
        need_module(f"no_such_module_{uuid.uuid4().hex}", "pip install it")


def test_what_is_there_is_used(monkeypatch):
    monkeypatch.setenv("CI", "true")
    need(True, "never said")
    assert need_module("json", "never said").dumps([1]) == "[1]"


SKIPS = re.compile(r"pytest\.skip\b|importorskip|\bskipif\b|mark\.skip|pytest\.xfail|mark\.xfail")


def test_every_skip_goes_through_need():
    """A skip written any other way (pytest.skip, importorskip, skipif) would
    pass silently under CI."""
    found = [f"{path.name}:{n}: {line.strip()}" for path in SOURCES if path.name != "conftest.py"
             for n, line in code_of(path) if SKIPS.search(line)]
    assert found == []


def test_the_ci_script_sets_ci_and_stops_at_the_first_failure():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^export CI=true$", script, re.M), "the tests must not rely on the runner to set CI"
    assert re.search(r"^set -euo pipefail$", script, re.M)
    assert script.rstrip().endswith("make test")


def test_a_run_that_collects_no_test_fails(tmp_path):
    """pytest exits 5 when it collects nothing (this repository's settings, in a
    folder with no tests), and `make test` runs it without hiding the status."""
    (tmp_path / "test_nothing.py").write_text('"""No tests here."""\n')
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 5, run.stdout + run.stderr
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe is not None
    for line in recipe.group(1).splitlines():
        assert not line.lstrip("\t").startswith("-") and "|| true" not in line and "; true" not in line, line
    assert "\t$(PY) -m pytest\n" in recipe.group(1)


# 14: waits are for conditions.

SLEEPS_ALLOWED = {
    # file: how many time.sleep calls, each a duration that is itself the test
    "serving.py": 1,  # wait_for's poll interval
    "faulty_build.py": 1,  # FAULT_SLOW: a slow disk, on purpose
    "test_faults.py": 1,  # a kill at a random moment of the build
    "test_serve.py": 2,  # clients that stay slow or silent for a while, on purpose
}


def test_no_test_waits_a_fixed_time_for_something_to_happen():
    """Browser tests wait for a condition (wait_for_function, wait_for_selector),
    never wait_for_timeout; time.sleep only where the time is the point."""
    timeouts = [f"{path.name}:{n}" for path in SOURCES for n, line in code_of(path)
                if "wait_for_timeout(" in line]
    assert timeouts == []
    sleeps = {path.name: sum(len(re.findall(r"\bsleep\(", line)) for _, line in code_of(path))
              for path in SOURCES}
    assert {name: n for name, n in sleeps.items() if n} == SLEEPS_ALLOWED


# 15: nothing written into the checkout, no path named in it that is not there.

def test_the_checkout_guard_sees_files_tests_leave_there():
    """conftest.checkout_stays_clean fails the session when this set grows."""
    before = untracked_in_checkout()
    need(before is not None, "not a git checkout: the guard has nothing to compare")
    assert before is not None
    probes = [ROOT / f"probe-{uuid.uuid4().hex}.txt",  # untracked
              ROOT / f".probe-{uuid.uuid4().hex}.gloss-cache"]  # ignored (.gitignore: .*.gloss-*)
    try:
        for probe in probes:
            probe.write_text("left by a test\n")
        assert untracked_in_checkout() == before | {p.name for p in probes}
    finally:
        for probe in probes:
            probe.unlink(missing_ok=True)
    assert untracked_in_checkout() == before


PATH_IN_CHECKOUT = re.compile(r'\bROOT((?:\s*/\s*"[^"]+")+)')


def test_every_path_the_tests_name_in_the_checkout_is_there():
    """A symbolic link to `ROOT / "themes" / "default"`, gone since the theme
    moved into the package, dangled, and the tests passed on the packaged theme
    without anyone knowing: a project's theme is copied from gloss.theme's
    PACKAGE_THEMES (conftest.copy_default_theme)."""
    missing = []
    for path in SOURCES:
        for n, line in code_of(path):
            for chain in PATH_IN_CHECKOUT.findall(line):
                parts = re.findall(r'"([^"]+)"', chain)
                if parts[0] != ".venv" and not ROOT.joinpath(*parts).exists():  # .venv: made by `make`
                    missing.append(f"{path.name}:{n}: {'/'.join(parts)}")
    assert missing == []

"""Publishing survives what happens to real builds: a SIGKILL at any moment of the
write step, and two builds into one folder at once.

A small site of 40 pages exists in two versions, A and B: every page's text
differs, and each version has five pages the other lacks. Reference builds of
each give the exact bytes of every file. After any fault `site/` must be exactly
one of them (a `CNAME` the user put there included), and after the next good
build nothing of a killed build may remain: no page, no staging folder."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from gloss import pipeline
from gloss.config import load_config

from .test_write import tree

DRIVER = Path(__file__).with_name("faulty_build.py")
PAGES = {"A": range(0, 40), "B": range(5, 45)}
KILLS_PER_SWAP = 9
"""Kills at a random step, for each way of swapping (exchange, two renames)."""
TIMED_KILLS = 4
"""Kills from outside at a random time, while the writer is slowed down."""


def set_content(project: Path, version: str) -> None:
    content = project / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    for i in PAGES[version]:
        (content / f"p{i:02d}.txt").write_text(f"Ann: Page {i}, version {version}.\nBob: Right.\n")


def make_project(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.yaml").write_text("title: Faults\n")
    return path


def build_here(project: Path, keep_staging: bool = False) -> None:
    """A good build in this process; `keep_staging` leaves the old site beside the new
    one, as serve and a build with the page cache do, for the next build to reuse.
    With search, as the command line (the driver) builds."""
    config = replace(load_config(project / "config.yaml"), cache=keep_staging)
    pipeline.build(config, caches=pipeline.Caches(keep_staging=keep_staging), search=True)


def run(project: Path, *args: str, **faults: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **faults}
    return subprocess.run([sys.executable, str(DRIVER), "-q", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def steps(result: subprocess.CompletedProcess[str]) -> int:
    assert result.returncode == 0, result.stderr
    return int(result.stderr.rsplit("FAULT: steps ", 1)[1])


def which(site: dict[str, bytes], refs: dict[str, dict[str, bytes]]) -> str:
    """Which complete version `site` is; fail with what is mixed otherwise."""
    for name, ref in refs.items():
        if site == ref:
            return name
    mixed = {rel: [n for n, ref in refs.items() if ref.get(rel) == data] for rel, data in site.items()}
    missing = sorted(set(refs["A"]) & set(refs["B"]) - set(site))
    raise AssertionError(f"site/ is not one complete version: {mixed}, missing {missing}")


def bookkeeping(project: Path) -> list[str]:
    """The writer's files beside site/ (the page cache is not the writer's)."""
    return sorted(n for n in os.listdir(project) if n.startswith(".") and n != ".gloss-cache")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The project (site/ built from A, with the user's CNAME) and both references."""
    project = make_project(tmp_path_factory.mktemp("faults"))
    (project / "site").mkdir()
    (project / "site" / "CNAME").write_text("transcripts.example.org\n")
    refs = {}
    for version in ("B", "A"):
        set_content(project, version)
        build_here(project)
        refs[version] = tree(project / "site")
    pages = [rel for rel in refs["A"] if rel.startswith("p") and rel.endswith("/index.html")
             and rel in refs["B"]]
    assert len(pages) == 35 and all(refs["A"][rel] != refs["B"][rel] for rel in pages)
    return project, refs


@pytest.mark.parametrize("swap", ["exchange", "two renames"])
def test_a_build_killed_at_any_step_leaves_one_complete_site(sites, swap):
    project, refs = sites
    faults = {"FAULT_NO_EXCHANGE": "1"} if swap == "two renames" else {}
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    set_content(project, "B")
    total = steps(run(project, **faults))  # how many steps a whole write of B over A takes
    set_content(project, "A")
    build_here(project)
    outcomes = []
    for trial in range(KILLS_PER_SWAP):
        # Kill a build of B at a random step; sometimes kill the next one (of A),
        # which first has to recover from the first, as well.
        kill_at = rng.randint(1, total)
        set_content(project, "B")
        killed = run(project, **faults, FAULT_KILL_AT=str(kill_at))
        assert killed.returncode in (-signal.SIGKILL, 0), killed.stderr
        state = which(tree(project / "site"), refs)
        outcomes.append((kill_at, state))
        set_content(project, "A")
        if trial % 2:
            again = run(project, **faults, FAULT_KILL_AT=str(rng.randint(1, total)))
            assert again.returncode in (-signal.SIGKILL, 0), again.stderr
            which(tree(project / "site"), refs)
        # Restore the old content and build again: nothing of B may remain. Every
        # third time the build keeps the old site as serve does, so the next killed
        # build starts from a staging folder full of another version.
        keep = trial % 3 == 0
        build_here(project, keep_staging=keep)
        assert tree(project / "site") == refs["A"], f"seed {seed}, trial {trial}: {outcomes}"
        assert bookkeeping(project) == [".site.gloss-lock", ".site.gloss-manifest.json"] + (
            [".site.gloss-staging"] if keep else [])
    print(f"{swap}: {len(outcomes)} kills in {total} steps (seed {seed}): {outcomes}")


def test_a_build_killed_from_outside_at_random_times_leaves_one_complete_site(sites):
    project, refs = sites
    rng = random.Random()
    set_content(project, "A")
    build_here(project)
    for trial in range(TIMED_KILLS):
        version = "B" if trial % 2 == 0 else "A"
        other = "A" if version == "B" else "B"
        set_content(project, version)
        proc = subprocess.Popen([sys.executable, str(DRIVER), "-q"], cwd=project, text=True,
                                env={**os.environ, "FAULT_SLOW": "0.002"},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stderr is not None
        assert proc.stderr.readline() == "FAULT: writing\n"
        assert proc.stderr.readline() == "FAULT: locked\n"
        time.sleep(rng.uniform(0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        which(tree(project / "site"), refs)
        set_content(project, other)
        build_here(project)
        assert tree(project / "site") == refs[other]
        assert bookkeeping(project) == [".site.gloss-lock", ".site.gloss-manifest.json"]


def test_two_builds_into_one_folder_at_once_both_finish_one_after_the_other(tmp_path):
    first, second = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    set_content(first, "A")
    set_content(second, "B")
    refs = {}
    for project, version in ((first, "A"), (second, "B")):
        build_here(project)
        refs[version] = tree(project / "site")
    shared = tmp_path / "shared" / "site"
    for _ in range(2):
        slow = subprocess.Popen([sys.executable, str(DRIVER), "-q", "--no-cache", "--out", str(shared)],
                                cwd=first,
                                env={**os.environ, "FAULT_SLOW": "0.003"}, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert slow.stderr is not None
        assert slow.stderr.readline() == "FAULT: writing\n"
        assert slow.stderr.readline() == "FAULT: locked\n"
        fast = run(second, "--no-cache", "--out", str(shared))
        _, slow_err = slow.communicate(timeout=120)
        assert slow.returncode == 0, slow_err
        assert fast.returncode == 0, fast.stderr
        assert f"waiting for another build into {shared}/ to finish\n" in fast.stderr
        assert tree(shared) == refs["B"], "the build that waited published last, whole"
        assert bookkeeping(shared.parent) == [".site.gloss-lock", ".site.gloss-manifest.json"]

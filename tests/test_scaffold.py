"""The workflow `gloss init` writes installs, on GitHub's runner, the gloss that
made the site: from its repository, or its release on PyPI (as gloss-transcripts:
PyPI's `gloss` is another program). A gloss installed from this machine's disk
has no address GitHub can reach, so init says so and the workflow stops, saying
what to write, instead of installing nothing or someone else's package."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess

import pytest
import yaml

from gloss import __version__, cli, scaffold

GIT = {"url": "https://github.com/you/gloss", "vcs_info": {"vcs": "git", "commit_id": "4f0ab76c0ffee"}}
FOLDER = {"url": "file:///home/me/gloss", "dir_info": {}}
EDITABLE = {"url": "file:///home/me/gloss", "dir_info": {"editable": True}}
WHEEL = {"url": "file:///home/me/gloss/dist/gloss_transcripts-0.1.0-py3-none-any.whl",
         "archive_info": {"hashes": {"sha256": "00"}}}


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Make this gloss look installed as pip would record it: a
    gloss_transcripts dist-info first on the path, with `direct_url` as its
    direct_url.json (PEP 610), or none, as pip leaves for an index such as PyPI."""
    def install(direct_url: dict | None, installer: str = "pip\n") -> None:
        info = tmp_path / "site-packages" / f"gloss_transcripts-{__version__}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: gloss-transcripts\nVersion: {__version__}\n")
        if installer:
            (info / "INSTALLER").write_text(installer)
        if direct_url is not None:
            (info / "direct_url.json").write_text(json.dumps(direct_url))
        monkeypatch.syspath_prepend(str(info.parent))
    return install


def workflow(site):
    return yaml.safe_load((site / ".github" / "workflows" / "pages.yml").read_text())


def first_step(flow, gloss: str) -> subprocess.CompletedProcess[str]:
    """Run the build job's first step as GitHub's runner does (bash -eo pipefail)."""
    step = flow["jobs"]["build"]["steps"][0]
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          env={"GLOSS": gloss, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)


@pytest.mark.parametrize(("direct_url", "wanted"), [
    (None, f"gloss-transcripts=={__version__}"),
    (GIT, "gloss-transcripts @ git+https://github.com/you/gloss@4f0ab76c0ffee"),
    ({**GIT, "vcs_info": {**GIT["vcs_info"], "requested_revision": "v0.1"}},
     "gloss-transcripts @ git+https://github.com/you/gloss@v0.1"),
    (FOLDER, None),
    (EDITABLE, None),
    (WHEEL, None),
], ids=["from-pypi", "from-git", "from-a-git-tag", "from-a-folder", "editable", "from-a-wheel-file"])
def test_the_requirement_names_where_github_can_get_this_gloss(installed, direct_url, wanted):
    installed(direct_url)
    assert scaffold.requirement() == wanted


def test_run_from_a_checkout_without_installing_there_is_no_address_either(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    assert scaffold.requirement() is None


def test_metadata_a_build_left_in_the_checkout_is_not_a_release(installed):
    installed(None, installer="")  # what `pip wheel .` leaves: no INSTALLER, no direct_url.json
    assert scaffold.requirement() is None


def test_init_from_a_folder_install_says_so_and_writes_a_workflow_that_stops(installed, tmp_path, capsys):
    installed(FOLDER)
    assert cli.main(["init", str(tmp_path / "mysite")]) == 0
    out, err = capsys.readouterr()
    path = tmp_path / "mysite" / ".github" / "workflows" / "pages.yml"
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if row.startswith("  GLOSS:"))
    assert out.startswith("started a site in")
    assert err.startswith(f"{path}:{line}: warning: gloss was installed from a folder or file on this "
                          "machine (file:///home/me/gloss), and GitHub's runner cannot install it from there")
    assert "edit the GLOSS line to a git address of your gloss, e.g. " \
           "`gloss-transcripts @ git+https://github.com/you/gloss`" in err

    flow = workflow(tmp_path / "mysite")
    assert flow["env"]["GLOSS"] == scaffold.PLACEHOLDER
    assert "@GLOSS_" not in path.read_text()
    stopped = first_step(flow, flow["env"]["GLOSS"])
    assert stopped.returncode == 1
    assert stopped.stdout.startswith("::error file=.github/workflows/pages.yml,title=Set GLOSS::GLOSS in "
                                     ".github/workflows/pages.yml is not set: gloss init ran with a gloss "
                                     "installed from a folder on that machine")
    assert "gloss-transcripts @ git+https://github.com/you/gloss" in stopped.stdout
    assert f"gloss-transcripts=={__version__}" in stopped.stdout
    assert first_step(flow, "").returncode == 1


def test_the_stopping_step_lets_a_real_requirement_through(installed, tmp_path):
    installed(FOLDER)
    scaffold.init(tmp_path / "mysite")
    flow = workflow(tmp_path / "mysite")
    for gloss in ("gloss-transcripts @ git+https://github.com/you/gloss", f"gloss-transcripts=={__version__}"):
        passed = first_step(flow, gloss)
        assert (passed.returncode, passed.stdout) == (0, f"gloss comes from: {gloss}\n")


@pytest.mark.parametrize("direct_url", [None, GIT], ids=["from-pypi", "from-git"])
def test_init_from_an_address_github_can_reach_writes_it_and_says_nothing_more(installed, tmp_path, capsys,
                                                                                direct_url):
    installed(direct_url)
    assert cli.main(["init", str(tmp_path / "mysite")]) == 0
    assert capsys.readouterr().err == ""
    flow = workflow(tmp_path / "mysite")
    assert flow["env"]["GLOSS"] == scaffold.requirement()
    assert first_step(flow, flow["env"]["GLOSS"]).returncode == 0
    install = next(s for s in flow["jobs"]["build"]["steps"] if s.get("name") == "Install gloss")
    assert install["run"] == 'python -m pip install "$GLOSS"'

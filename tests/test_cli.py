"""The command line as a newcomer meets it."""

from __future__ import annotations

import shutil

import pytest

from gloss.theme import PACKAGE_THEMES

from .conftest import run_cli, write_files


def project(tmp_path):
    write_files(tmp_path, {"content/a.txt": "Ann: one\n", "content/b.txt": ">> hi\n>> yo\n"})
    return tmp_path


def test_help_explains_the_commands_and_formats(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for words in ("build", "check", "--out", "--config", "--quiet", "content/", ">>"):
        assert words in result.stdout


def test_build_prints_a_summary(tmp_path):
    result = run_cli(cwd=project(tmp_path))
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("built 2 page(s) into site: ")
    assert "0 warning(s) in " in summary
    again = run_cli(cwd=tmp_path)
    assert " 0 file(s) written" in again.stdout


def test_quiet_prints_nothing_and_out_picks_the_folder(tmp_path):
    result = run_cli("--quiet", "--out", "public", cwd=project(tmp_path))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "public" / "a" / "index.html").is_file()
    assert not (tmp_path / "site").exists()


def test_verbose_lists_what_changed(tmp_path):
    root = project(tmp_path)
    first = run_cli("--verbose", cwd=root).stdout.splitlines()
    assert "wrote a/index.html" in first and "wrote static/style.css" in first
    (root / "content" / "b.txt").unlink()
    again = run_cli("-v", cwd=root).stdout.splitlines()
    again = [line for line in again if " search/data/" not in line]  # the search index changes too
    assert again[0] == "wrote index.html"
    assert [line for line in again if line.startswith("removed")] == [
        f"removed b/{name}" for name in ("b.html", "b.json", "b.md", "b.txt", "index.html")], "the page and its downloads"


def test_check_validates_and_writes_nothing(tmp_path):
    result = run_cli("check", cwd=project(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip() == "check passed: 0 warning(s)"
    assert not (tmp_path / "site").exists()


def test_config_option_and_a_missing_config(tmp_path):
    root = project(tmp_path)
    write_files(root, {"other.yaml": "title: Other\noutput: built\n"})
    assert run_cli("--config", "other.yaml", cwd=root).returncode == 0
    assert "Other" in (root / "built" / "index.html").read_text()
    result = run_cli("--config", "nope.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip() == "nope.yaml: error: config file not found"


def test_an_unknown_command_is_refused_with_usage(tmp_path):
    result = run_cli("deploy", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'deploy'" in result.stderr


def test_strict_fails_on_warnings_before_writing_anything(tmp_path):
    root = project(tmp_path)
    write_files(root, {"content/orphan.yaml": "title: x\n"})
    result = run_cli("--strict", cwd=root)
    assert result.returncode == 1
    assert "content/orphan.yaml: warning: annotation file has no transcript beside it" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "build failed: 0 error(s), 1 warning(s) (--strict); the site was not changed")
    assert not (root / "site").exists()
    assert run_cli(cwd=root).returncode == 0


def test_the_output_folder_may_not_be_an_input(tmp_path):
    root = project(tmp_path)
    # A copy of the theme, so a failure here cannot write into the real one.
    shutil.copytree(PACKAGE_THEMES / "default", root / "themes" / "default")
    (root / "themes" / "linked").symlink_to(root / "themes" / "default")
    for out in ("themes/default/templates", "themes/linked/static", "content/x", "."):
        result = run_cli("--out", out, cwd=root)
        assert result.returncode == 1 and "refusing to write the site into" in result.stderr, out


@pytest.mark.parametrize(("command", "has", "lacks"), [
    ("serve", ["--port", "--open", "preview"], ["--strict", "--jobs", "--version"]),
    ("build", ["--strict", "--jobs", "--no-cache", "--out"], ["--port", "--open"]),
    ("check", ["--strict", "--drafts", "write nothing"], ["--port", "--out", "--jobs"]),
    ("new", ["FILE", "starter"], ["--port", "--strict", "--out"]),
    ("init", ["[DIR]", "config.yaml"], ["--port", "--strict", "--out"]),
])
def test_each_command_has_its_own_help(tmp_path, command, has, lacks):
    """`gloss serve --help` tells about serve, not the whole command line again."""
    result = run_cli(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: build.py {command}")
    for word in has:
        assert word in result.stdout, word
    for word in lacks:
        assert word not in result.stdout, word
    assert run_cli("--config", "c.yaml", command, "-h", cwd=tmp_path).stdout == result.stdout
    assert not any(tmp_path.iterdir()), "help writes nothing"

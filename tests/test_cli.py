"""The command line as a newcomer meets it."""

from __future__ import annotations

from .conftest import ROOT, run_cli, write_files


def project(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "default").symlink_to(ROOT / "themes" / "default")
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
    assert again[:2] == ["wrote index.html", "removed b/index.html"]


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

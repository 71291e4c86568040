"""What the README shows is what gloss prints: each documented example is
produced here by running it, and compared with the README's text."""

from __future__ import annotations

import re

from .conftest import ROOT, run_cli, write_files

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    """The first fenced block after `marker` in the README, without its fences."""
    at = README.index(marker)
    m = re.compile(r"```[a-z]*\n(.*?)```", re.S).search(README, at)
    assert m, f"no code block after {marker!r}"
    return m.group(1)


def test_the_documented_error_report_is_what_a_build_prints(tmp_path):
    write_files(tmp_path, {
        "content/talk.txt": "**Margaret Duthie** (0:01)\nHello and welcome.\n**Ben Ross** (4:01)\nThanks.\n",
        "content/people.yaml": "margaret-duthie: {name: Margaret Duthie}\nben: {name: Ben Ross}\n",
        "content/talk.yaml": ("date: 2025-11-28\n"
                              "titel: My talk\n"
                              "speakers:\n"
                              "  Ben Ross: ben\n"
                              "  Margaret Duthie: margaret-duthy\n"
                              "chapters:\n"
                              "  - at: 0:01\n"
                              "    title: Welcome\n"
                              "  - at: 9:24\n"
                              "    title: Questions\n"),
    })
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == block_after("so one `check` lists\neverything to fix:")


def test_the_documented_option_error_is_what_the_command_line_prints(tmp_path):
    documented = re.search(r"\(`(build\.py: error: argument --port: [^`]*)`\)", README)
    assert documented, "the README's example of a refused option"
    result = run_cli("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert documented.group(1) in result.stderr.splitlines()[-1]

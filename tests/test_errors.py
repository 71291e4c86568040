"""Every bad input gives `path:line:col: error: message`, exit 1, no traceback.

Each case is a tiny site written here, built through the real command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli, write_files

GOOD = "**Ann** (0:01)\nHello.\n"

CASES = {
    "unknown key in a sidecar, with the closest key as hint": (
        {"content/a.txt": GOOD, "content/a.yaml": "title: A\ntitel: B\n"},
        ["content/a.yaml:2:1: error: unknown key `titel` in the annotation file",
         "  hint: did you mean `title`?"],
    ),
    "YAML syntax error": (
        {"content/a.txt": GOOD, "content/a.yaml": "title: [unclosed\n"},
        ["content/a.yaml:1:8: error: this `[` is never closed"],
    ),
    "a bracket never closed, with more keys after it": (
        {"content/a.txt": GOOD, "content/a.yaml": "media: {youtube: abc\ntitle: A\n"},
        ["content/a.yaml:1:8: error: this `{` is never closed", "  hint: end it with `}`"],
    ),
    "a bracket closed with the other kind": (
        {"content/a.txt": GOOD, "content/a.yaml": "topics: [{id: ai, at: [x, y}]\n"},
        ["content/a.yaml:1:23: error: this `[` is closed with `}`", "  hint: close it with `]`"],
    ),
    "a date that is not a date": (
        {"content/a.txt": GOOD, "content/a.yaml": "date: last tuesday\n"},
        ["content/a.yaml:1:7: error: `date` must be a date like 2025-11-28"],
    ),
    "speaker mapped to a person not in people.yaml": (
        {"content/a.txt": GOOD, "content/people.yaml": "ann: {name: Ann}\n",
         "content/a.yaml": "speakers:\n  Ann: ann\n  '>>': [ann, bob]\n"},
        ["content/a.yaml:3:15: error: unknown person `bob`", "  hint: add `bob` to people.yaml"],
    ),
    "person id that cannot be a page address": (
        {"content/a.txt": GOOD, "content/people.yaml": "Ann Lee: {name: Ann}\n"},
        ["content/people.yaml:1:1: error: person id `Ann Lee` must be lowercase letters, digits, "
         "`-` or `_`", "  hint: it becomes the page address people/<id>/"],
    ),
    "key given twice": (
        {"content/a.txt": GOOD, "content/a.yaml": "title: A\ntitle: B\n"},
        ["content/a.yaml:2:1: error: `title` is given twice in the annotation file"],
    ),
    "sidecar that is a list": (
        {"content/a.txt": GOOD, "content/a.yaml": "- title\n"},
        ["content/a.yaml:1:1: error: the annotation file must be a mapping of `key: value` lines"],
    ),
    "person without a name": (
        {"content/a.txt": GOOD, "content/people.yaml": "ann:\n  role: Host\n"},
        ["content/people.yaml:2:3: error: person `ann` needs a `name`"],
    ),
    "unknown key in config.yaml": (
        {"content/a.txt": GOOD, "config.yaml": "title: T\nthem: dark\n"},
        ["config.yaml:2:1: error: unknown key `them` in config.yaml", "  hint: did you mean `theme`?"],
    ),
    "base_url without scheme": (
        {"content/a.txt": GOOD, "config.yaml": "base_url: example.com\n"},
        ["config.yaml:1:11: error: `base_url` must start with http:// or https://"],
    ),
    "theme that does not exist": (
        {"content/a.txt": GOOD, "config.yaml": "theme: nope\n"},
        ["config.yaml: error: theme not found: themes/nope"],
    ),
    "empty transcript": (
        {"content/a.txt": "\n  \n"},
        ["content/a.txt: error: transcript is empty"],
    ),
    "transcript that is not UTF-8": (
        {"content/a.txt": None},
        ["content/a.txt:2:2: error: file is not UTF-8 text"],
    ),
    "not UTF-8 after other non-ASCII letters: the column counts characters": (
        {"content/a.txt": "Zoë: Ça va? ".encode() + b"\xff\n"},
        ["content/a.txt:1:13: error: file is not UTF-8 text"],
    ),
    "unknown transcript format": (
        {"content/a.txt": "just words\n"},
        ["content/a.txt:1:1: error: cannot tell the transcript format"],
    ),
    "transcript named like a page the site uses": (
        {"content/topics.txt": GOOD},
        ["content/topics.txt: error: `topics` is a name the site uses itself"],
    ),
    "two transcripts for one page": (
        {"content/a.txt": GOOD, "content/a.md": GOOD},
        ["content/a.txt: error: page `a/` would also be built from content/a.md"],
    ),
    "no content folder": (
        {"config.yaml": "content: missing\n"},
        ["config.yaml: error: content folder not found: missing"],
    ),
}


def make_project(tmp_path: Path, files: dict[str, str | bytes | None]) -> Path:
    for rel, text in files.items():
        if isinstance(text, bytes):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_bytes(text)
        elif text is None:
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_bytes(b"**Ann** (0:01)\nH\xe9llo in Latin-1.\n")
        else:
            write_files(tmp_path, {rel: text})
    if "content/a.txt" not in files and "config.yaml" not in files and not any(
        k.startswith("content/") for k in files
    ):
        (tmp_path / "content").mkdir()
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_input_gives_a_located_message(tmp_path, case, command):
    files, expected = CASES[case]
    project = make_project(tmp_path, files)
    result = run_cli(command, cwd=project)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == expected[0] or lines[0].startswith(expected[0]), result.stderr
    for line in expected[1:]:
        assert line in lines, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists(), "a failed build writes nothing"


def test_all_errors_are_reported_at_once_sorted_by_file(tmp_path):
    project = make_project(tmp_path, {
        "content/b.txt": "prose\n",
        "content/a.txt": GOOD,
        "content/a.yaml": "topcis: []\n",
        "content/c.txt": "",
    })
    result = run_cli(cwd=project)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(":")[0] for e in errors] == ["content/a.yaml", "content/b.txt", "content/c.txt"]
    assert result.stderr.splitlines()[-1] == "build failed: 3 error(s); the site was not changed"


def test_an_annotation_file_without_transcript_is_a_warning(tmp_path):
    project = make_project(tmp_path, {"content/a.txt": GOOD, "content/orphan.yaml": "title: x\n"})
    result = run_cli(cwd=project)
    assert result.returncode == 0
    assert "content/orphan.yaml: warning: annotation file has no transcript beside it" in result.stderr
    assert "1 warning(s)" in result.stdout


def test_a_broken_template_points_at_its_line(tmp_path):
    project = make_project(tmp_path, {"content/a.txt": GOOD})
    theme = project / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    for name in ("index.html", "404.html"):
        (theme / "templates" / name).write_text("ok\n")
    (theme / "templates" / "transcript.html").write_text("<h1>{{ page.title }}</h1>\n{{ page.nope }}\n")
    (project / "config.yaml").write_text("theme: mine\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("themes/mine/templates/transcript.html:2: error: template: ")
    assert "nope" in first
    assert "Traceback" not in result.stderr


def test_a_template_syntax_error_points_at_its_line(tmp_path):
    project = make_project(tmp_path, {"content/a.txt": GOOD})
    theme = project / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "index.html").write_text("fine\n{% for x in %}\n")
    (project / "config.yaml").write_text("theme: mine\n")
    result = run_cli(cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("themes/mine/templates/index.html:2: error: template syntax:")


def test_yml_files_count_and_two_annotation_files_for_one_transcript_are_an_error(tmp_path):
    project = make_project(tmp_path, {"content/a.txt": GOOD, "content/a.yaml": "title: A\n",
                                      "content/a.yml": "title: B\n", "content/people.yml": "ann: Ann\n"})
    result = run_cli("check", cwd=project)
    assert result.stderr.splitlines()[0] == (
        "content/a.yml: error: content/a.yaml is already the annotation file for `a`")
    assert "people.yml" not in result.stderr.split("check failed")[0].replace(
        "content/a.yml", ""), "people.yml is read as people.yaml, not an orphan"


def test_only_the_alternation_takes_a_list_of_people(tmp_path):
    project = make_project(tmp_path, {"content/a.txt": GOOD, "content/people.yaml": "ann: Ann\nbo: Bo\n",
                                      "content/a.yaml": "speakers:\n  Ann: [ann, bo]\n"})
    result = run_cli("check", cwd=project)
    assert result.stderr.startswith(
        "content/a.yaml:2:8: error: `Ann` is one person; only `>>` turns alternate between several")


def test_every_mistake_in_config_yaml_comes_at_once(tmp_path):
    """As for sidecars: an editor fixes config.yaml in one pass, not one error a run."""
    project = make_project(tmp_path, {"content/a.txt": GOOD, "config.yaml": (
        "titel: x\n"
        "language: en\n"
        "clean:\n"
        "  paragraph_words: 0\n"
        "  paragraph_pause: -1\n"
        "  fillers: maybe\n"
        "theme: ../up\n")})
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    located = [line.split(": error:")[0] for line in result.stderr.splitlines() if ": error:" in line]
    assert located == ["config.yaml:1:1", "config.yaml:4:20", "config.yaml:5:20", "config.yaml:6:12",
                       "config.yaml:7:8"], result.stderr
    assert "Traceback" not in result.stderr


def test_search_false_in_config_leaves_search_out(tmp_path):
    """The README's `search: false`: no search page, index or box."""
    from html.parser import HTMLParser

    project = make_project(tmp_path, {"content/a.txt": GOOD, "config.yaml": "search: false\n"})
    assert run_cli("build", cwd=project).returncode == 0
    site = project / "site"
    assert (site / "a" / "index.html").exists()
    assert not (site / "search").exists()

    class Forms(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.roles: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("form", "input") or dict(attrs).get("role") == "search":
                self.roles.append(tag)

    page = Forms()
    page.feed((site / "a" / "index.html").read_text())
    assert page.roles == []
    bad = make_project(tmp_path / "b", {"content/a.txt": GOOD, "config.yaml": "search: maybe\n"})
    result = run_cli("build", cwd=bad)
    assert result.returncode == 1 and "config.yaml:1:9: error:" in result.stderr

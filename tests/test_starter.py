"""`build.py new`: a starter annotation file an editor can fill in."""

from __future__ import annotations

import json

from .conftest import write_files
from .test_errors import make_project, run_cli


def test_new_writes_a_commented_starter_that_builds(tmp_path):
    project = make_project(tmp_path, {"content/talk.txt": "**Ann** (0:01)\nHi.\n**SPEAKER_2** (0:03)\nYo.\n"
                                                          "**Ann** (0:05)\nBye.\n"})
    result = run_cli("new", "content/talk.txt", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote content/talk.yaml")
    schema_line, text = (project / "content" / "talk.yaml").read_text().split("\n", 1)
    assert schema_line.startswith("# yaml-language-server: $schema=")
    assert text.startswith("# Annotations for talk.txt")
    assert "3 turns (speaker-md format)" in text
    assert 'title: "Talk"\n' in text
    assert "  # Ann: person-id          # 2 turn(s)\n" in text
    assert "  # SPEAKER_2: person-id          # 1 turn(s)\n" in text
    check = run_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr


def test_new_points_yaml_editors_at_the_site_schema(tmp_path):
    made = run_cli("init", "mysite", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    write_files(tmp_path / "mysite", {"content/season-1/ep1.vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi.\n"})
    assert run_cli("new", "content/season-1/ep1.vtt", cwd=tmp_path / "mysite").returncode == 0
    text = (tmp_path / "mysite" / "content" / "season-1" / "ep1.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/annotations.schema.json\n")
    assert "(webvtt format)" in text


def test_new_quotes_a_title_yaml_would_misread(tmp_path):
    project = make_project(tmp_path, {"content/ep 1: the start.txt": "Ann: hi\n",
                                      "content/#2 talk.txt": "Ann: hi\n"})
    for name in ("ep 1: the start", "#2 talk"):
        assert run_cli("new", f"content/{name}.txt", cwd=project).returncode == 0
    check = run_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr


def test_new_for_captions_explains_the_alternation(tmp_path):
    project = make_project(tmp_path, {"content/c.txt": "teaser\n>> a\n>> b\n"})
    assert run_cli("new", "content/c.txt", cwd=project).returncode == 0
    text = (project / "content" / "c.yaml").read_text()
    assert '# ">>" marks 2 speaker changes' in text
    assert "before the first turn mark" in text


def test_new_never_overwrites_and_names_bad_input(tmp_path):
    project = make_project(tmp_path, {"content/talk.txt": "Ann: hi\n", "content/talk.yaml": "title: Mine\n"})
    result = run_cli("new", "content/talk.txt", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("content/talk.yaml: error: annotation file already exists")
    assert (project / "content" / "talk.yaml").read_text() == "title: Mine\n"
    write_files(project, {"content/notes.txt": "just prose\n"})
    bad = run_cli("new", "content/notes.txt", cwd=project)
    assert bad.returncode == 1
    assert bad.stderr.startswith("content/notes.txt:1:1: error: cannot tell the transcript format")
    missing = run_cli("new", cwd=project)
    assert missing.returncode == 2 and "new needs the transcript file" in missing.stderr


def test_new_in_a_site_made_by_hand_writes_the_schema_it_names(tmp_path):
    """A site with no copy of the schema (not made by `gloss init`) still gets
    the first line that gives YAML editors completion, and the file it names."""
    project = make_project(tmp_path, {"content/talk.txt": "Ann: hi\nBen: hello\n"})
    assert not (project / "schema").exists()
    made = run_cli("new", "content/talk.txt", cwd=project)
    assert made.returncode == 0, made.stderr
    first = (project / "content" / "talk.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/annotations.schema.json"
    schema = json.loads((project / "schema" / "annotations.schema.json").read_text())
    assert "speakers" in schema["properties"]
    assert "schema/annotations.schema.json" in made.stdout
    again = run_cli("new", "content/other.txt", cwd=project)
    assert again.returncode == 1  # no such transcript: nothing written, the schema kept
    assert run_cli("check", cwd=project).returncode == 0

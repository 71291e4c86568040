"""Hostile and huge input: every case is a located `path:line:col: error:` and exit 1
(argparse's own form and exit 2 for bad options), never a traceback or a hang;
error messages quote one line at most, cut short, with control characters escaped;
and no control character from content reaches a page."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from gloss import cli, fsutil
from gloss.errors import FormatError, SiteError, SourcePos, quote_line

from .conftest import copy_default_theme, run_cli

GOOD = "Ann: Hello there.\n"
DEEP_BLOCK = "".join("  " * i + "k:\n" for i in range(500))
"""A mapping nested 500 deep: level 51 starts on line 51, column 101."""
DEEP_FLOW = "[" * 500 + "]" * 500 + "\n"


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    copy_default_theme(tmp_path)
    (tmp_path / "content").mkdir()
    for rel, data in {"content/a.txt": GOOD, **files}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return tmp_path


def run(tmp_path: Path, monkeypatch, capsys, *args: str) -> tuple[int, list[str]]:
    """build.py ARGS in `tmp_path`, in this process (fast): exit code, stderr lines."""
    monkeypatch.chdir(tmp_path)
    code = cli.main(list(args))
    return code, capsys.readouterr().err.splitlines()


CASES = {
    "config nested 500 deep": (
        {"config.yaml": "clean:\n" + DEEP_BLOCK.replace("\n", "\n  ")},
        "config.yaml:52:103: error: YAML nested deeper than 50 levels"),
    "sidecar nested 500 deep in flow style": (
        {"content/a.yaml": "title: " + DEEP_FLOW},
        "content/a.yaml:1:57: error: YAML nested deeper than 50 levels"),
    "people.yaml nested 500 deep": (
        {"content/people.yaml": DEEP_BLOCK}, "content/people.yaml:51:101: error: YAML nested deeper than 50 levels"),
    "topics.yaml nested 500 deep": (
        {"content/topics.yaml": DEEP_FLOW}, "content/topics.yaml:1:51: error: YAML nested deeper than 50 levels"),
    "glossary.yaml nested 500 deep": (
        {"content/glossary.yaml": "- " * 500 + "x\n"},
        "content/glossary.yaml:1:101: error: YAML nested deeper than 50 levels"),
    "paragraph_words with 5,000 digits": (
        {"config.yaml": "clean:\n  paragraph_words: " + "9" * 5000 + "\n"},
        "config.yaml:2:20: error: `clean.paragraph_words` must be at most 1,000,000"),
    "a NUL written as an escape in theme": (
        {"config.yaml": 'theme: "def\\0ault"\n'},
        "config.yaml:1:8: error: `theme` contains the control character \\x00"),
    "a NUL written as an escape in output": (
        {"config.yaml": 'title: T\noutput: "si\\x00te"\n'},
        "config.yaml:2:9: error: `output` contains the control character \\x00"),
    "a NUL written as an escape in content": (
        {"config.yaml": 'content: "\\0"\n'},
        "config.yaml:1:10: error: `content` contains the control character \\x00"),
    "an escape character in a speaker label": (
        {"content/a.yaml": 'speakers:\n  "A\\e[2Jnn": ann\n'},
        "content/a.yaml:2:3: error: a key in `speakers` contains the control character \\x1b"),
    "a NUL byte in config.yaml": (
        {"config.yaml": b"title: T\nthe\0me: x\n"},
        "config.yaml:2:4: error: file contains a NUL character: is it binary, or text saved as UTF-16?"),
    "a NUL byte in a sidecar": (
        {"content/a.yaml": b"title: A\0\n"},
        "content/a.yaml:1:9: error: file contains a NUL character: is it binary, or text saved as UTF-16?"),
    "a transcript saved as UTF-16 without a byte-order mark": (
        {"content/a.txt": GOOD.encode("utf-16-le")},
        "content/a.txt:1:2: error: file contains a NUL character: is it binary, or text saved as UTF-16?"),
    "front matter with a number of 5,000 digits": (
        {"content/a.txt": "---\ntitle: " + "9" * 5000 + "\n---\n" + GOOD},
        "content/a.txt:1:1: error: front matter has a value YAML cannot read"),
    "front matter with a title of 5,000 hex digits, which Python cannot print": (
        {"content/a.txt": "---\ntitle: 0x" + "f" * 5000 + "\n---\n" + GOOD},
        "content/a.txt:1:1: error: front matter has a value YAML cannot read"),
    "front matter with a 13th month": (
        {"content/a.txt": "---\ndate: 2024-13-45\n---\n" + GOOD},
        "content/a.txt:1:1: error: front matter has a value YAML cannot read"),
    "front matter with a typed value PyYAML cannot make (`!!int` of nothing)": (
        {"content/a.txt": "---\ntitle: !!int\n---\n" + GOOD},
        "content/a.txt:1:1: error: front matter has a value YAML cannot read"),
    "front matter with a `!!bool` that is not one": (
        {"content/a.txt": "---\ndate: !!bool maybe\n---\n" + GOOD},
        "content/a.txt:1:1: error: front matter has a value YAML cannot read"),
    "a transcript line over a million characters": (
        {"content/a.txt": GOOD + "Bob: " + "la " * 400_000 + "\n"},
        "content/a.txt:2:1000001: error: line is 1,200,005 characters long; the limit is 1,000,000"),
    "a sidecar line over a million characters": (
        {"content/a.yaml": "title: " + "x" * 1_000_000 + "\n"},
        "content/a.yaml:1:1000001: error: line is 1,000,007 characters long; the limit is 1,000,000"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_gives_a_located_error(tmp_path, monkeypatch, capsys, case):
    files, expected = CASES[case]
    code, err = run(project(tmp_path, files), monkeypatch, capsys, "check")
    assert code == 1
    assert err[0] == expected, "\n".join(err)
    assert not (tmp_path / "site").exists()


def test_deep_yaml_through_the_real_command_line(tmp_path):
    result = run_cli("build", cwd=project(tmp_path, {"content/a.yaml": "title: " + DEEP_FLOW}))
    assert result.returncode == 1
    assert result.stderr.startswith("content/a.yaml:1:57: error: YAML nested deeper than 50 levels\n")
    assert "Traceback" not in result.stderr


def test_nesting_up_to_the_limit_is_fine_for_yaml(tmp_path, monkeypatch, capsys):
    deep = "[" * 49 + "]" * 49
    code, err = run(project(tmp_path, {"content/a.yaml": f"title: A\nhighlights: {deep}\n"}),
                    monkeypatch, capsys, "check")
    assert code == 1
    assert err[0].startswith("content/a.yaml:2:14: error: "), "an ordinary type error, not a depth error"
    assert "deeper" not in err[0]


def test_an_unrecognised_huge_file_is_quoted_in_one_short_line(tmp_path, monkeypatch, capsys):
    big = ("x" * 500_000 + "\n") * 20  # 10 MB, no line over the limit
    code, err = run(project(tmp_path, {"content/a.txt": big}), monkeypatch, capsys, "check")
    assert code == 1
    assert err[0] == "content/a.txt:1:1: error: cannot tell the transcript format"
    assert err[1] == "    " + "x" * 200 + "…"
    assert sum(map(len, err)) < 1000


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil, "MAX_FILE_BYTES", 1000)
    (tmp_path / "a.txt").write_text("Ann: hi\n" * 200)
    with pytest.raises(FormatError) as caught:
        fsutil.read_text(tmp_path / "a.txt", FormatError, "content/a.txt")
    assert str(caught.value).splitlines()[0] == "content/a.txt: error: file is larger than 0 MB"


def test_json_lines_are_not_limited(tmp_path):
    (tmp_path / "a.json").write_text('{"segments": "' + "x" * 1_100_000 + '"}')
    assert len(fsutil.read_text(tmp_path / "a.json", FormatError)) == 1_100_016


def test_control_characters_never_reach_a_page(tmp_path, monkeypatch, capsys):
    transcript = "Ann: Hello\x01 there\x1b[2J, friend\x7f\x85.\x0cBob: Hi\x0b you\u2028 too.\n"
    sidecar = "title: Controls\n"
    code, err = run(project(tmp_path, {"content/a.txt": transcript, "content/a.yaml": sidecar}),
                    monkeypatch, capsys, "build")
    assert code == 0, err
    page = (tmp_path / "site" / "a" / "index.html").read_text("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)
    assert "Hello there [2J, friend . Bob: Hi you" in " ".join(page.split()), "each became a space"


@pytest.mark.parametrize(("name", "text"), [
    ("b.json", '{"segments": [{"speaker": "Ann\\u001b[2J", "start": 0, "text": "Hello\\u0000 there\\b."}]}'),
    ("b.json", '{"version": "1.0.0", "segments": [{"speaker": "Ann\\u001b[2J", "body": "Hello\\u0000 there\\b."}]}'),
    ("b.md", '---\ntitle: "Controls\\e[2J\\0"\n---\nAnn: Hello there.\n'),
])
def test_control_characters_written_as_escapes_never_reach_a_page(tmp_path, monkeypatch, capsys, name, text):
    """JSON and YAML decode escapes after the file was read: found by fuzzing."""
    code, err = run(project(tmp_path, {f"content/{name}": text}), monkeypatch, capsys, "build")
    assert code == 0, err
    for output in (tmp_path / "site" / "b").iterdir():
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", output.read_text("utf-8")), output.name


@pytest.mark.parametrize("bad", ["70000", "-1", "0", "http", "9" * 5000])
def test_port_must_be_a_port_number(tmp_path, monkeypatch, capsys, bad):
    with pytest.raises(SystemExit) as exited:
        run(tmp_path, monkeypatch, capsys, "serve", "--port", bad)
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"gloss: error: argument --port: must be a port number from 1 to 65535, not {bad[:20]!r}")


def test_a_port_that_needs_privileges_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from gloss import serve

    def refused(self):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(serve.PreviewServer, "server_bind", refused)
    monkeypatch.setattr("signal.signal", lambda *args: None)
    code, err = run(project(tmp_path, {}), monkeypatch, capsys, "serve", "--port", "80")
    assert code == 1
    assert err == ["--port: error: cannot listen on port 80: Permission denied",
                   "  hint: ports below 1024 need administrator rights: pick another with --port N"]


def test_new_in_a_folder_that_cannot_be_written_names_the_file(tmp_path, monkeypatch, capsys):
    project(tmp_path, {})
    if os.geteuid() == 0:  # root writes anywhere: make the folder refuse as it would
        def refused(path, mode="r", *args, **kwargs):
            if "x" not in mode:
                return open(path, mode, *args, **kwargs)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        monkeypatch.setattr(fsutil, "open", refused, raising=False)
    else:
        (tmp_path / "content").chmod(0o555)
    try:
        code, err = run(tmp_path, monkeypatch, capsys, "new", "content/a.txt")
    finally:
        (tmp_path / "content").chmod(0o755)
    assert code == 1
    assert err == ["content/a.yaml: error: cannot write file: Permission denied"]
    assert not (tmp_path / "content" / "a.yaml").exists()


# How errors quote what they point at.

def test_a_long_line_is_cut_around_the_column_and_the_caret_still_points_at_it():
    line = "a" * 5000 + "HERE" + "b" * 5000
    shown, at = quote_line(line, 5001)
    assert len(shown) <= 202 and shown.startswith("…") and shown.endswith("…")
    assert shown[at:at + 4] == "HERE"
    text = str(SiteError(SourcePos("t.txt", 1, 5001), "here", "", line)).splitlines()
    assert text[2].index("^") - 4 == at


def test_control_characters_in_messages_are_shown_escaped():
    err = SiteError(SourcePos("x\x1b[2J.txt", 1, 5), "bad \x00 value\nsecond line", "a\thint",
                    "ab\x07c\x1bd\tef\nnext line")
    assert str(err).splitlines() == [
        "x\\x1b[2J.txt:1:5: error: bad \\x00 value\\nsecond line",
        "    ab\\x07c\\x1bd ef",
        "           ^",
        "  hint: a\\thint",
    ]


def test_a_message_quoting_a_huge_value_is_cut():
    err = SiteError(SourcePos("a.yaml", 1, 1), "unknown key `" + "k" * 100_000 + "`")
    assert len(str(err)) < 500 and str(err).endswith("…")



def test_yaml_text_with_a_character_yaml_refuses_is_located():
    from gloss import yamlfile
    from gloss.errors import AnnotationError

    with pytest.raises(AnnotationError) as caught:
        yamlfile.parse("a.yaml", "title: A\nnote: x\x00y\n", AnnotationError)
    assert str(caught.value).splitlines()[:2] == [
        "a.yaml:2:8: error: YAML syntax: the character \\x00 (U+0000) is not allowed", "    note: x\\x00y"]

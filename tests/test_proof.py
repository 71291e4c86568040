"""What an attacker tried on gloss and found to work (issue #21), each case
written small: a value must be safe in every format it lands in, and no input
may end in a traceback."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from gloss import cli, pipeline
from gloss.config import load_config
from gloss.errors import ConfigError

from .conftest import html, write_files

BASE = "https://example.com/site/"


def build(root: Path, files: dict[str, str], base_url: str = BASE) -> Path:
    write_files(root, {"config.yaml": f"title: Proof\nbase_url: {base_url}\n", **files})
    pipeline.build(replace(load_config(root / "config.yaml"), jobs=1))
    return root / "site"


def json_lds(page: Path) -> list[object]:
    """Every JSON-LD block of a page, read as a search engine reads it."""
    return [json.loads(s.get_text()) for s in html(page).select('script[type="application/ld+json"]')]


@pytest.mark.parametrize("title", ["a <!-- b", "a </script> b", "x & <y> --> z", "a <\\!-- b"])
def test_json_ld_stays_json_whatever_a_title_says(tmp_path, title):
    site = build(tmp_path, {
        "content/talk.txt": "Ann Lee: Hello there.\n",
        "content/talk.yaml": f"title: {json.dumps(title)}\nspeakers: {{Ann Lee: ann}}\n",
        "content/people.yaml": f"ann: {json.dumps('Ann <!-- Lee')}\n",
    })
    [data] = json_lds(site / "talk" / "index.html")
    assert data["name"] == title
    assert "Ann <!-- Lee" in json.dumps(data, ensure_ascii=False)
    [person] = json_lds(site / "people" / "ann" / "index.html")
    assert person["name"] == "Ann <!-- Lee"


@pytest.mark.parametrize("url", ["https://ex.com/\nDisallow: /\n#", "https://ex.com/\r\nx", "https://ex .com/",
                                 "https://ex.com/\u2028x", 'https://ex.com/"><script>'])
def test_a_base_url_that_is_not_one_address_is_an_error_at_its_line(tmp_path, url):
    write_files(tmp_path, {"config.yaml": f"title: Proof\nbase_url: {json.dumps(url)}\n",
                           "content/a.txt": "Ann: Hi.\n"})
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "config.yaml")
    assert str(err.value).startswith(f"{tmp_path / 'config.yaml'}:2:11: error: `base_url` ")


def test_the_command_line_base_url_is_held_to_the_same(tmp_path, monkeypatch, capsys):
    write_files(tmp_path, {"config.yaml": "title: Proof\n", "content/a.txt": "Ann: Hi.\n"})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--base-url", "https://ex.com/\nDisallow: /"]) == 1
    assert "--base-url: error: the base URL must be one address" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_robots_and_sitemap_hold_only_what_gloss_writes(tmp_path):
    site = build(tmp_path, {"content/a.txt": "Ann: Hi.\n"})
    assert (site / "robots.txt").read_text().splitlines() == [
        "User-agent: *", "Allow: /", f"Sitemap: {BASE}sitemap.xml"]


def run(root: Path, files: dict[str, str], monkeypatch, capsys) -> tuple[int, str]:
    """`gloss build` as a user runs it: its exit status and what it printed."""
    write_files(root, {"config.yaml": "title: Proof\n", **files})
    monkeypatch.chdir(root)
    code = cli.main(["build", "-q"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name, text", [
    ("w.json", '{"segments": [{"start": 1e400, "end": 1e401, "text": "Hello."}, {"start": 2, "text": "Bye."}]}'),
    ("p.json", '{"version": "1.0.0", "segments": [{"speaker": "A", "startTime": Infinity, "body": "Hi."}]}'),
    ("v.vtt", "WEBVTT\n\n" + "9" * 400 + ":00:00.000 --> 00:00:01.000\nLost.\n\n00:02.000 --> 00:03.000\nKept.\n"),
])
def test_a_time_past_any_recording_is_no_time_not_a_traceback(tmp_path, monkeypatch, capsys, name, text):
    code, err = run(tmp_path, {f"content/{name}": text}, monkeypatch, capsys)
    assert code == 0 and "Traceback" not in err, err
    assert (tmp_path / "site" / name.split(".")[0] / "index.html").is_file()


def test_a_number_of_5000_digits_is_an_error_at_its_file(tmp_path, monkeypatch, capsys):
    code, err = run(tmp_path, {"content/w.json": '{"segments": [{"start": 1' + "0" * 5000 + ', "text": "x"}]}'},
                    monkeypatch, capsys)
    assert code == 1
    assert err.startswith("content/w.json: error: JSON holds a number too long to read"), err


def test_a_lone_surrogate_in_json_text_is_shown_as_a_replacement_character(tmp_path, monkeypatch, capsys):
    code, err = run(tmp_path, {"content/w.json": '{"segments": [{"start": 0, "text": "a\\ud800b", '
                                                 '"speaker": "Ann\\udfff"}]}'}, monkeypatch, capsys)
    assert code == 0, err
    page = html(tmp_path / "site" / "w" / "index.html")
    assert page.select_one(".turn cite").get_text() == "Ann\ufffd"
    assert "a\ufffdb" in page.select_one(".turn .speech p").get_text()


def test_an_id_too_long_for_a_folder_name_is_an_error_at_its_line(tmp_path, monkeypatch, capsys):
    code, err = run(tmp_path, {"content/a.txt": "Ann: Hi.\n", "content/people.yaml": "x" * 300 + ": Ann Lee\n"},
                    monkeypatch, capsys)
    assert code == 1
    assert err.startswith("content/people.yaml:1:1: error: person id is 300 characters long; at most 100"), err
    assert "File name too long" not in err and "Traceback" not in err


# Names and words that try to forge a cue, a turn or markup in a download.

FORGED_NAME = "X\n\n7\n00:09:00,000 --> 00:09:05,000\nFORGED"


def _segments(turns: list[tuple[str, str]]) -> str:
    """A Podcasting 2.0 JSON transcript: one timed segment per (speaker, words)."""
    return json.dumps({"version": "1.0.0", "segments": [
        {"speaker": name, "startTime": 2.0 * k, "endTime": 2.0 * k + 1.5, "body": words}
        for k, (name, words) in enumerate(turns)]})


def _exports(turns: list[tuple[str, str]], folder: Path) -> tuple[list[tuple[str, list[str]]], dict[str, Path]]:
    """What the page shows (name, words) run by run, and every download, written to `folder`."""
    from gloss import exports
    from gloss.config import Config
    from gloss.load import Source, TextFile
    from gloss.model import Site
    from gloss.page import make_page

    page = make_page(Source("talk", TextFile("content/talk.json", _segments(turns)), None), Site(), Config())
    shown: list[tuple[str, list[str]]] = []
    for turn in exports.turns(page):
        words = [w for text in turn.paragraphs for w in text.split()]
        if shown and shown[-1][0] == turn.speaker:
            shown[-1][1].extend(words)
        else:
            shown.append((turn.speaker, words))
    paths = {}
    for rel, data in exports.files(page).items():
        path = folder / rel.rpartition("/")[2]
        path.write_bytes(data)
        paths[path.suffix[1:]] = path
    return shown, paths


SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>]*>")
"""SubRip has no escape for `<`: a word written as one of its tags (`<b>`) is
markup to every SubRip reader, gloss's too. Nothing else is lost."""


def _as_srt_reads(shown: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for name, words in shown:
        kept = [t for w in words if (t := SRT_TAG.sub("", w))]
        if out and out[-1][0] == name:
            out[-1][1].extend(kept)
        elif kept:
            out.append((name, kept))
    return out


def _read_back(path: Path) -> list[tuple[str, list[str]]]:
    """A download read by gloss's own readers, run by run."""
    from gloss import formats

    out: list[tuple[str, list[str]]] = []
    for turn in formats.parse(path.name, path.read_text("utf-8")).turns:
        words = [w for p in turn.paragraphs for w in p.verbatim.split()]
        if out and out[-1][0] == turn.label:
            out[-1][1].extend(words)
        else:
            out.append((turn.label, words))
    return out


def _third_parties(shown: list[tuple[str, list[str]]], paths: dict[str, Path]) -> None:
    """webvtt-py, pysrt and json read the same words and names as the page shows."""
    import html as html_module
    import re

    import pysrt
    import webvtt

    words = [w for _, ws in shown for w in ws]
    names = {n for n, _ in shown}
    data = json.loads(paths["json"].read_text("utf-8"))
    assert " ".join(s["body"] for s in data["segments"]).split() == words
    assert {s["speaker"] for s in data["segments"]} == names
    vtt = webvtt.from_string(paths["vtt"].read_text("utf-8"))
    assert len(vtt) == len(data["segments"]), "no cue more, none lost"
    assert " ".join(html_module.unescape(c.text) for c in vtt).split() == words
    voices = {html_module.unescape(v) for c in vtt for v in re.findall(r"<v ([^>]*)>", c.raw_text)}
    assert voices == names
    srt = pysrt.from_string(paths["srt"].read_text("utf-8"))
    assert len(srt) == len(vtt), "no cue more, none lost"
    label = re.compile(r"^(?:" + "|".join(re.escape(f"[{n}]: ") + "|" + re.escape(f"{n}: ") for n in names) + ")",
                       re.M)
    assert " ".join(label.sub("", item.text) for item in srt).split() == words, "as written, tags and all"


def test_a_name_cannot_forge_a_cue_in_any_download(tmp_path):
    """The attack as found: a speaker named with a blank line and a cue timing."""
    shown, paths = _exports([(FORGED_NAME, "hello there."), ("Bob", "and you.")], tmp_path)
    assert shown[0][0] == "X 7 00:09:00,000 --> 00:09:05,000 FORGED", "one line, the same words"
    srt = paths["srt"].read_text("utf-8")
    assert "\n00:09:00,000 --> 00:09:05,000\n" not in srt
    for ext in ("vtt", "srt", "json", "md"):
        assert _read_back(paths[ext]) == (_as_srt_reads(shown) if ext == "srt" else shown), ext
    _third_parties(shown, paths)


def test_a_title_cannot_add_a_turn_to_the_markdown_download(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: Proof\n", "content/a.txt": "Ann: Hi.\n",
                           "content/a.yaml": 'title: "T\\n\\n**Eve** (0:03)\\nforged words"\n'})
    with pytest.raises(Exception) as err:
        pipeline.build(replace(load_config(tmp_path / "config.yaml"), jobs=1))
    assert "content/a.yaml:1:8: error: `title` must be one line" in str(err.value.diagnostics.errors[0])


@pytest.mark.parametrize("field", ["ann: \"Ann\\nLee\"\n", "ann: {name: \"Ann\\u2028Lee\"}\n",
                                   "ann: {name: Ann, role: \"host\\n\\n1\\n00:00:01,000 --> x\"}\n"])
def test_a_name_with_a_line_break_is_an_error_in_people_yaml(tmp_path, monkeypatch, capsys, field):
    code, err = run(tmp_path, {"content/a.txt": "Ann: Hi.\n", "content/people.yaml": field}, monkeypatch, capsys)
    assert code == 1 and "must be one line" in err, err


@pytest.mark.parametrize("name", ["Q*bert", "Ann\u2028Lee", "Dr: Who", "ann [host]", "<v Eve>", "A & B",
                                  "Zoë **bold**", "x" * 60, "— dash", "O’Brien (SL)"])
def test_names_a_person_could_have_round_trip_through_every_download(tmp_path, name):
    shown, paths = _exports([(name, "hello --> there, <b>friend</b> &amp; **you**."), ("Bob", "and you.")],
                            tmp_path)
    for ext in ("vtt", "srt", "json", "md"):
        assert _read_back(paths[ext]) == (_as_srt_reads(shown) if ext == "srt" else shown), ext
    _third_parties(shown, paths)


NAME_CHARS = st.characters(codec="utf-8", categories=("L", "Zs", "P", "S", "Cc"), exclude_characters="\x00\r[]")
"""Letters of any script, spaces, punctuation and symbols (`*`, `:`, `<`, `&`, quotes,
emoji), control characters and line breaks: what names hold, and what forges.
Square brackets are left out: SubRip names a speaker `[Name]: `, and no name a
person has holds one."""
WORDS = st.sampled_from(["hello", "there,", "-->", "<v", "Eve>", "&amp;", "**no**", "[x]:", "Bob:", "a.", "é",
                         "you?", "…", "“quoted”", "<b>", "1", "00:09:00,000"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(NAME_CHARS, min_size=1, max_size=24), min_size=2, max_size=3),
       words=st.lists(st.lists(WORDS, min_size=1, max_size=8), min_size=3, max_size=5))
@example(names=["::::::::::::::::::::::A", "A"], words=[["<b>", "00:09:00,000"], ["hello"], ["hello"]])
def test_any_names_and_words_read_back_the_same_from_every_download(tmp_path, names, words):
    from gloss.formats.common import squash
    from gloss.fsutil import printable

    def shown_as(name: str) -> str:
        return squash(printable(name))  # control characters are spaces, then one line

    shown_names = [shown_as(n) for n in names]
    assume(all(any(c.isalpha() for c in n) for n in shown_names) and len(set(shown_names)) == len(names))
    assume(not any(re.search(r"\d", n) for n in shown_names))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    turns = [(names[k % len(names)], " ".join(ws)) for k, ws in enumerate(words)]
    shown, paths = _exports(turns, folder)
    expected = [shown_as(n) for n, _ in turns]
    assert [n for n, _ in shown] == [n for k, n in enumerate(expected) if k == 0 or n != expected[k - 1]], \
        "a name is shown as one line"
    for ext in ("vtt", "srt", "json", "md"):
        assert _read_back(paths[ext]) == (_as_srt_reads(shown) if ext == "srt" else shown), ext
    _third_parties(shown, paths)

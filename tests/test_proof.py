"""What an attacker tried on gloss and found to work (issue #21), each case
written small: a value must be safe in every format it lands in, and no input
may end in a traceback."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

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

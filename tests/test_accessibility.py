"""Every kind of page passes axe-core, the accessibility engine nobody here wrote,
in light and dark, with JavaScript on: no violation of WCAG 2.0 and 2.1 A and
AA, nor of axe's best practices.

axe comes from npm (`make test` installs it into .venv/node once) and runs
inside the system Chromium, driven by Playwright, on the example site as built
by `tests/conftest.py` (one transcript has a recording, so the player is
checked too). Pages are checked in the states a reader puts them in: the
verbatim switch on, a paragraph marked as being played.

Without Chromium or axe-core this skips with the reason; under CI it fails
(conftest.need).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import EXAMPLE_MEDIA, ROOT, need
from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)

AXE = Path(os.environ.get("GLOSS_AXE") or ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCHEMES = ["light", "dark"]


def show_verbatim(page) -> None:
    page.check("#show-verbatim")


def play_a_paragraph(page) -> None:
    """A time clicked: player.js seeks the recording and marks what is spoken."""
    page.locator(".turn .who a.ts").nth(2).click()
    page.wait_for_selector(".turns p[aria-current=true]")


def select_words(page) -> None:
    """Words selected in a transcript: share.js offers a link to the quote."""
    page.evaluate("() => getSelection().selectAllChildren(document.querySelectorAll('.speech p[id]')[5])")
    page.wait_for_selector(".share-quote:not([hidden])")


PAGES = {
    # page kind: (path in the site, what the reader does first)
    "home": ("index.html", None),
    "transcript": ("kaiser-mad-podcast/index.html", None),
    "transcript, verbatim shown": ("kaiser-mad-podcast/index.html", show_verbatim),
    "transcript, a quote selected": ("kaiser-mad-podcast/index.html", select_words),
    "transcript with a player": (f"{EXAMPLE_MEDIA}/index.html", None),
    "transcript with a player, playing": (f"{EXAMPLE_MEDIA}/index.html", play_a_paragraph),
    "topic index": ("topics/index.html", None),
    "topic": ("topics/transformer/index.html", None),
    "people index": ("people/index.html", None),
    "person": ("people/lukasz-kaiser/index.html", None),
    "quote": ("quotes/kaiser-mad-podcast/1/index.html", None),
    "page not found": ("404.html", None),
}

BAD_PAGE = """<!doctype html><html><head><title>Bad on purpose</title></head>
<body><img src="x.png"><p style="color:#bbb;background:#fff">Pale grey on white.</p></body></html>"""
"""Three violations axe must find (no `lang`, an image without `alt`, text below
4.5:1 contrast): proof that axe ran and its findings were read."""


@pytest.fixture(scope="module")
def axe_source() -> str:
    need(AXE.is_file(), f"no axe-core at {AXE}: `make test` installs it with npm")
    return AXE.read_text(encoding="utf-8")


def axe(browser, url: str, scheme: str, axe_source: str, act=None) -> list[dict]:  # noqa: F811
    """axe's violations on the page at `url`, after `act`, in the `scheme` colours."""
    page = browser.new_page(color_scheme=scheme)
    crashes: list[str] = []
    page.on("pageerror", lambda err: crashes.append(str(err)))
    try:
        page.goto(url)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        if page.locator("[data-player]").count():
            page.wait_for_selector("label.follow:not([hidden])")  # player.js has run
        if act:
            act(page)
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            TAGS)
        assert not crashes, f"JavaScript errors on the page: {crashes}"
        return result["violations"]
    finally:
        page.close()


def listed(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    at {' '.join(n['target'])}: {' '.join(n['failureSummary'].split())}"
                    for n in v["nodes"][:5])
        for v in violations)


def test_axe_finds_what_it_should(browser, axe_source, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    found = {v["id"] for v in axe(browser, bad.as_uri(), "light", axe_source)}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_page_has_no_accessibility_violations(browser, axe_source, example_sites,  # noqa: F811
                                                            kind, scheme):
    path, act = PAGES[kind]
    violations = axe(browser, (example_sites["no-base-url"] / path).as_uri(), scheme, axe_source, act)
    assert not violations, f"axe-core on {path} ({kind}, {scheme}):\n{listed(violations)}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_search_page_with_results_has_no_accessibility_violations(browser, axe_source, example_sites,  # noqa: F811
                                                                      scheme):
    """Search needs a web server (the search page fetches its index): the site is served."""
    import http.server
    import threading
    from functools import partial

    site = example_sites["no-base-url"]
    assert (site / "search" / "data" / "meta.json").is_file(), "the example site has its search index"
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        def search(page) -> None:
            page.fill("#search-q", "transformer")
            page.press("#search-q", "Enter")
            page.wait_for_selector(".search-results li")

        url = f"http://127.0.0.1:{server.server_address[1]}/search/"
        violations = axe(browser, url, scheme, axe_source, search)
        assert not violations, f"axe-core on the search page ({scheme}):\n{listed(violations)}"
    finally:
        server.shutdown()

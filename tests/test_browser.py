"""The built pages in a real browser (headless Chromium via Playwright).

Skips with a reason when no Chromium (or Playwright) is installed, except
under CI, where a missing browser is a failure (conftest.need).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import copy_example, need, need_module, run_cli

CHROMIUM = os.environ.get("GLOSS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    sync_api = need_module("playwright.sync_api", "pip install playwright (the test extra)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("browser"))
    assert run_cli("--quiet", cwd=project).returncode == 0
    out = project / "site"
    return out


def open_page(browser, path: Path, **options):
    page = browser.new_page(java_script_enabled=False, **options)
    page.goto(path.as_uri())
    return page


def test_speaker_names_are_coloured_and_readable_in_light_and_dark(browser, site):
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(browser, site / "kaiser-unsupervised-learning" / "index.html",
                         color_scheme=scheme)
        colours[scheme] = page.eval_on_selector_all(
            ".turn cite", "els => els.map(e => [e.textContent, getComputedStyle(e).color])")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(251, 250, 247)" if scheme == "light" else "rgb(22, 24, 28)")
        page.close()
    for scheme, pairs in colours.items():
        by_name = {}
        for name, colour in pairs:
            assert by_name.setdefault(name, colour) == colour, scheme
        assert len(set(by_name.values())) == len(by_name), scheme
    assert colours["light"] != colours["dark"]


def test_narrow_screens_stack_the_speaker_above_the_speech(browser, site):
    page = open_page(browser, site / "kaiser-mad-podcast" / "index.html",
                     viewport={"width": 390, "height": 800})
    who = page.locator(".turn .who").first.bounding_box()
    speech = page.locator(".turn .speech").first.bounding_box()
    assert who["y"] + who["height"] <= speech["y"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"


def test_a_paragraph_permalink_scrolls_to_and_marks_the_paragraph(browser, site):
    page = open_page(browser, site / "kaiser-mad-podcast" / "index.html")
    pid = page.eval_on_selector("p:has(> #t20-1)", "p => p.id")
    # The stable id made from the paragraph's words, and the positional alias
    # earlier links used, both land on the paragraph and mark it.
    for fragment in (pid, "t20-1"):
        page.goto("about:blank")
        page.goto((site / "kaiser-mad-podcast" / "index.html").as_uri() + "#" + fragment)
        box = page.locator(f"p[id='{pid}']").bounding_box()
        assert 0 <= box["y"] < 100, fragment
        assert page.evaluate(f"getComputedStyle(document.getElementById('{pid}')).backgroundColor") \
            != "rgba(0, 0, 0, 0)", fragment


def test_print_hides_navigation(browser, site):
    page = open_page(browser, site / "kaiser-mad-podcast" / "index.html")
    page.emulate_media(media="print")
    assert not page.locator(".site-head").is_visible()
    assert not page.locator(".crumbs").is_visible()
    assert page.locator(".turn").first.is_visible()


def test_an_open_page_reloads_by_itself_after_an_edit(browser, tmp_path):
    from .conftest import write_files
    from .serving import Server, free_port

    write_files(tmp_path, {"content/talk.txt": "Ann: Hello.\n", "content/talk.yaml": "title: Before\n",
                           "content/other.txt": "Bob: Elsewhere.\n"})
    server = Server(tmp_path, free_port())
    try:
        server.started()
        page, other, home = browser.new_page(), browser.new_page(), browser.new_page()
        # Every load of `other` counted where a reload does not reset it.
        other.add_init_script("sessionStorage.loads = String(Number(sessionStorage.loads || 0) + 1)")
        page.goto(server.url + "talk/")
        other.goto(server.url + "other/")
        home.goto(server.url)
        assert page.locator("h1").inner_text() == "Before"
        for p in (page, other, home):
            p.evaluate("window.__marker = 1")  # gone if and only if the page reloads
        (tmp_path / "content" / "talk.yaml").write_text("title: After\n")
        page.wait_for_function("document.querySelector('h1').textContent === 'After'", timeout=15000)
        assert page.evaluate("window.__marker") is None
        home.wait_for_function("document.body.textContent.includes('After')", timeout=15000)
        # Then an edit of `other` itself, which reloads it: the server tells each
        # open page about each build in turn, so once this one shows, the first
        # edit's build has long been weighed for `other` too. Two loads in all
        # (the first, and this edit's) mean the first edit left it as it was.
        (tmp_path / "content" / "other.txt").write_text("Bob: Elsewhere, edited.\n")
        other.wait_for_function("document.body.textContent.includes('Elsewhere, edited')", timeout=15000)
        assert other.evaluate("sessionStorage.loads") == "2", "a page the edit did not change stays as it is"
        other.close()
        home.close()
        (tmp_path / "content" / "talk.yaml").write_text("title: After\nbad key: 1\n")
        page.wait_for_selector("#gloss-error", timeout=15000)
        assert "unknown key `bad key`" in page.locator("#gloss-error").inner_text()
        (tmp_path / "content" / "talk.yaml").write_text("title: Fixed\n")
        page.wait_for_function("document.querySelector('h1').textContent === 'Fixed'", timeout=15000)
        assert page.locator("#gloss-error").count() == 0
        page.close()
    finally:
        server.stop()


def test_the_verbatim_switch_works_from_the_keyboard_without_javascript(browser, site):
    page = open_page(browser, site / "kaiser-mad-podcast" / "index.html")
    removed = page.locator("del.rm").first
    heard = page.locator(".fix .v").first
    assert not removed.is_visible() and not heard.is_visible()
    for _ in range(40):  # Tab through the page to the switch, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "show-verbatim":
            break
    else:
        raise AssertionError("the verbatim switch cannot be reached with Tab")
    page.keyboard.press("Space")
    assert removed.is_visible() and heard.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('del.rm')).textDecorationLine") \
        == "line-through"
    assert not page.locator(".fix .c").first.is_visible()
    page.keyboard.press("Space")
    assert not removed.is_visible()


def test_margin_notes_sit_beside_their_paragraph_on_wide_screens(browser, site):
    page = open_page(browser, site / "kaiser-mad-podcast" / "index.html",
                     viewport={"width": 1400, "height": 900})
    note = page.locator("aside.note").first
    para = page.locator(".with-notes > p").first
    n, p = note.bounding_box(), para.bounding_box()
    assert n["x"] >= p["x"] + p["width"], "the note is in the margin, right of the text"
    assert abs(n["y"] - p["y"]) < 40, "and level with its paragraph"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    narrow = open_page(browser, site / "kaiser-mad-podcast" / "index.html",
                       viewport={"width": 420, "height": 900})
    n2 = narrow.locator("aside.note").first.bounding_box()
    p2 = narrow.locator(".with-notes > p").first.bounding_box()
    assert n2["y"] > p2["y"] + p2["height"] - 1, "on a phone the note follows its paragraph"

"""Find in this transcript (static/find.js), read in Chromium as a reader uses
it: "/" opens the find field, typing counts the hits ("1 of 5"), Enter and
Shift+Enter step through them, each brought into view (under no sticky bar),
the verbatim switch changes what is found, a hit in a folded cut opens it.

A small walk written here (a filler, a repeated word, a correction, a cut, a
word five times on a page taller than the screen), and the example site for a
long page's tools and for axe with the find bar open."""

from __future__ import annotations

from pathlib import Path

import pytest

from gloss import pipeline
from gloss.config import load_config

from .conftest import write_files
from .test_accessibility import axe, axe_source, listed  # noqa: F401  (axe_source: a fixture)
from .test_browser import browser, site  # noqa: F401  (the fixtures)


def said(k: int) -> str:
    """A long turn, so that the page is several screens tall."""
    return " ".join(f"Sentence {k}.{j} is about the river and the map of it." for j in range(8))


LINES = ["Ann: So uh we crossed the river at dawn. I saw Lush on the far bank.",
         "Bob: Did you see the the heron there?"]
LINES += [("Ann: " if k % 2 else "Bob: ") + said(k) + (" A heron stood still." if k in (3, 7, 11) else "")
          for k in range(12)]
LINES += ["Ann: Buy our product today with a discount code.",
          "Bob: Goodbye, and thanks for the Heron story."]
SIDECAR = """title: A walk
corrections: {Lush: Lukasz}
cut:
  - {from: "Buy our product", to: "discount code.", reason: an ad}
"""
HERONS = 5  # "heron there", three "A heron stood still", "Heron story"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 700}


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("find")
    write_files(project, {"config.yaml": "title: Test site\n", "content/walk.txt": "\n".join(LINES) + "\n",
                          "content/walk.yaml": SIDECAR})
    pipeline.build(load_config(project / "config.yaml"))
    return project / "site" / "walk" / "index.html"


def opened(browser, path: Path, viewport=DESKTOP, **options):  # noqa: F811
    """The page, with find.js run, and a list that collects its JavaScript errors."""
    options.setdefault("reduced_motion", "reduce")  # jumps: no waiting for a smooth scroll
    page = browser.new_page(viewport=viewport, **options)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    page.wait_for_selector(".find-open")  # the script has run
    return page, errors


def count(page) -> str:
    return page.locator("#find-count").text_content() or ""


def find(page, words: str, expect: str) -> None:
    """Type `words` into the (open) find field and wait for the count to say `expect`."""
    page.fill("#find-q", words)
    page.wait_for_function("want => document.getElementById('find-count').textContent === want", arg=expect)


CURRENT = """() => {
  const ranges = [...(CSS.highlights.get("gloss-find-current") || [])];
  if (ranges.length !== 1) return null;
  const hit = ranges[0], box = hit.getClientRects()[0];
  const node = hit.startContainer, el = node.nodeType === 1 ? node : node.parentElement;
  const at = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  // The words the range shows: not those of hidden elements it spans.
  const walker = document.createTreeWalker(hit.commonAncestorContainer.nodeType === 1
    ? hit.commonAncestorContainer : hit.commonAncestorContainer.parentElement, NodeFilter.SHOW_TEXT);
  let text = "";
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!hit.intersectsNode(t) || !t.parentElement.getClientRects().length) continue;
    text += t.data.slice(t === hit.startContainer ? hit.startOffset : 0,
                         t === hit.endContainer ? hit.endOffset : undefined);
  }
  return {text, top: box.top, bottom: box.bottom, height: innerHeight,
          uncovered: !!at && el.closest("p").contains(at), para: el.closest("p").id,
          all: [...CSS.highlights.get("gloss-find")].length};
}"""


def current(page) -> dict:
    """The current hit: its words, where it is on the screen, and whether what is
    at its middle is its own paragraph (not a sticky bar or the find bar)."""
    hit = page.evaluate(CURRENT)
    assert hit, "one current hit is highlighted"
    return hit


def test_find_counts_the_hits_and_steps_through_them_in_view(browser, walk):  # noqa: F811
    page, errors = opened(browser, walk)
    try:
        assert page.locator("#find").is_hidden()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "find-q"
        find(page, "heron", f"1 of {HERONS}")
        seen = []
        for n in range(2, HERONS + 1):
            page.keyboard.press("Enter")
            assert count(page) == f"{n} of {HERONS}"
            hit = current(page)
            assert hit["text"].lower() == "heron" and hit["all"] == HERONS
            assert hit["top"] >= 0 and hit["bottom"] <= hit["height"] and hit["uncovered"], hit
            seen.append((hit["para"], hit["top"]))
        assert len(set(seen)) == HERONS - 1, "each Enter moved to another hit"
        page.keyboard.press("Enter")
        assert count(page) == f"1 of {HERONS}", "after the last hit, the first"
        page.keyboard.press("Shift+Enter")
        assert count(page) == f"{HERONS} of {HERONS}", "Shift+Enter goes back"
        assert current(page)["text"] == "Heron", "case does not matter"
        page.click(".find-prev")
        assert count(page) == f"{HERONS - 1} of {HERONS}"
        page.click(".find-next")
        assert count(page) == f"{HERONS} of {HERONS}"
        page.locator("#find-q").press("Escape")
        assert page.locator("#find").is_hidden()
        assert page.evaluate("CSS.highlights.has('gloss-find')") is False, "closing clears the highlights"
        assert not errors
    finally:
        page.close()


def test_a_word_only_in_the_verbatim_text_is_found_once_the_switch_is_on(browser, walk):  # noqa: F811
    page, errors = opened(browser, walk)
    try:
        page.keyboard.press("/")
        # What the clean text reads, across the correction's markup.
        find(page, "saw  LUKASZ on", "1 of 1")
        find(page, "so we crossed", "1 of 1")
        # A removed filler, a repeated word, what was heard: none in the clean text.
        find(page, "uh", "No matches · 1 in the verbatim text")
        assert page.locator(".find-next").is_disabled()
        page.check("#show-verbatim")  # the switch, with the find bar open
        page.wait_for_function("document.getElementById('find-count').textContent === '1 of 1'")
        assert current(page)["text"] == "uh"
        page.locator("#find-q").focus()
        find(page, "the the heron", "1 of 1")
        find(page, "Lush", "1 of 1")
        find(page, "saw lukasz", "No matches")
        page.uncheck("#show-verbatim")
        page.wait_for_function("document.getElementById('find-count').textContent === '1 of 1'")
        assert current(page)["text"] == "saw Lukasz"
        assert not errors
    finally:
        page.close()


def test_a_hit_in_a_folded_cut_opens_it(browser, walk):  # noqa: F811
    page, errors = opened(browser, walk)
    try:
        assert page.locator("details.cut").get_attribute("open") is None
        page.keyboard.press("/")
        find(page, "discount code", "1 of 1")
        assert page.locator("details.cut").get_attribute("open") is not None
        hit = current(page)
        assert hit["text"] == "discount code" and hit["uncovered"] and hit["bottom"] <= hit["height"]
        assert not errors
    finally:
        page.close()


def test_the_slash_opens_find_only_when_no_text_field_has_the_focus(browser, site):  # noqa: F811
    page, errors = opened(browser, site / "kaiser-mad-podcast" / "index.html")
    try:
        page.click("#site-q")
        page.keyboard.type("a/b")
        assert page.input_value("#site-q") == "a/b", "a text field keeps its slash"
        assert page.locator("#find").is_hidden()
        # Ctrl-F (and Cmd-F) stay the browser's.
        for modifier in ("ctrlKey", "metaKey"):
            taken = page.evaluate("""m => { const e = new KeyboardEvent("keydown",
                {key: "f", [m]: true, bubbles: true, cancelable: true});
                document.body.dispatchEvent(e); return e.defaultPrevented; }""", modifier)
            assert taken is False
        assert page.locator("#find").is_hidden()
        page.locator("#show-verbatim").focus()  # a checkbox is not a text field
        page.keyboard.press("/")
        assert page.locator("#find").is_visible()
        assert page.evaluate("document.activeElement.id") == "find-q"
        page.keyboard.press("Escape")
        assert page.locator("#find").is_hidden()
        assert page.evaluate("document.activeElement.id") == "show-verbatim", "the focus goes back"
        assert not errors
    finally:
        page.close()


def test_the_find_bar_is_usable_from_the_keyboard_and_by_touch(browser, site):  # noqa: F811
    """Opened by the page tools' "Find" on a long page, above those tools; every
    control at least 24 px, with a visible focus; the count is a live region."""
    for viewport in (DESKTOP, PHONE):
        page, errors = opened(browser, site / "kaiser-mad-podcast" / "index.html", viewport)
        try:
            tool = page.locator(".page-tools .tool-find")
            assert tool.get_attribute("aria-expanded") == "false"
            tool.click()
            assert tool.get_attribute("aria-expanded") == "true"
            assert page.evaluate("document.activeElement.id") == "find-q"
            bar, tools = page.locator("#find").bounding_box(), page.locator(".page-tools").bounding_box()
            assert bar and tools and bar["y"] + bar["height"] <= tools["y"], "the bar leaves the tools visible"
            assert bar["x"] >= 0 and bar["x"] + bar["width"] <= viewport["width"]
            page.fill("#find-q", "transformer")
            page.wait_for_function("/^1 of \\d+$/.test(document.getElementById('find-count').textContent)")
            assert page.locator("#find-count").get_attribute("role") == "status"
            for control in ("#find-q", ".find-prev", ".find-next", ".find-close"):
                box = page.locator(f"#find {control}").bounding_box()
                assert box and box["width"] >= 24 and box["height"] >= 24, control
            page.keyboard.press("Tab")  # from the field to "Previous match"
            assert page.evaluate("document.activeElement.className") == "find-prev"
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")  # "Next match"
            assert count(page).startswith("2 of ")
            hit = current(page)
            assert hit["uncovered"] and hit["top"] >= 0 and hit["bottom"] <= hit["height"], hit
            page.keyboard.press("Escape")
            assert page.locator("#find").is_hidden()
            assert not errors
        finally:
            page.close()


def test_a_hit_is_not_left_under_the_sticky_player(browser, example_sites):  # noqa: F811
    from .conftest import EXAMPLE_MEDIA

    page, errors = opened(browser, example_sites["no-base-url"] / EXAMPLE_MEDIA / "index.html",
                          {"width": 1280, "height": 600})
    try:
        page.keyboard.press("/")
        page.fill("#find-q", "the")
        page.wait_for_function("/^1 of \\d+$/.test(document.getElementById('find-count').textContent)")
        total = int(count(page).split(" of ")[1])
        assert total > 10
        for _ in range(total - 1):  # every hit, downwards, then upwards
            page.keyboard.press("Enter")
            hit = current(page)
            assert hit["uncovered"] and hit["bottom"] <= hit["height"], (count(page), hit)
        for _ in range(total - 1):
            page.keyboard.press("Shift+Enter")
            hit = current(page)
            assert hit["uncovered"] and hit["top"] >= 0, (count(page), hit)
        assert count(page) == f"1 of {total}"
        assert not errors
    finally:
        page.close()


def test_smooth_scrolling_only_without_reduced_motion(browser, walk):  # noqa: F811
    jumps = {}
    for motion in ("reduce", "no-preference"):
        page, errors = opened(browser, walk, reduced_motion=motion)
        try:
            page.keyboard.press("/")
            find(page, "heron", f"1 of {HERONS}")
            # Where the window is straight after "Next": a jump is there at once.
            before, after = page.evaluate("""() => { const y = scrollY;
                document.querySelector('.find-next').click(); return [y, scrollY]; }""")
            jumps[motion] = after != before
            page.wait_for_function(f"({CURRENT})().uncovered")
            assert not errors
        finally:
            page.close()
    assert jumps == {"reduce": True, "no-preference": False}


def test_without_the_highlight_api_find_still_counts_and_scrolls(browser, walk):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP, reduced_motion="reduce")
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.add_init_script("Object.defineProperty(CSS, 'highlights', {value: undefined})")
        page.goto(walk.as_uri())
        page.wait_for_selector(".find-open")
        page.keyboard.press("/")
        find(page, "heron", f"1 of {HERONS}")
        before = page.evaluate("scrollY")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        assert count(page) == f"3 of {HERONS}" and page.evaluate("scrollY") > before
        assert not errors
    finally:
        page.close()


def test_without_javascript_no_find_control_shows(browser, site):  # noqa: F811
    page = browser.new_page(java_script_enabled=False)
    try:
        page.goto((site / "kaiser-mad-podcast" / "index.html").as_uri())
        assert page.locator("#find, .find-open, .tool-find").count() == 0, "the script makes them"
    finally:
        page.close()


def test_the_first_screen_of_a_short_page_offers_find(browser, walk):  # noqa: F811
    page, errors = opened(browser, walk, PHONE, is_mobile=True, has_touch=True)
    try:
        button = page.locator(".find-open")
        assert button.is_visible() and button.bounding_box()["y"] < PHONE["height"] / 2
        button.tap()
        assert page.locator("#find").is_visible()
        find(page, "heron", f"1 of {HERONS}")
        page.locator(".find-next").tap()
        hit = current(page)
        assert hit["uncovered"] and hit["bottom"] <= hit["height"], hit
        page.locator(".find-close").tap()
        assert page.locator("#find").is_hidden()
        assert not errors
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_find_bar_open_with_hits_has_no_accessibility_violations(browser, axe_source, example_sites,  # noqa: F811
                                                                     scheme):
    def finding(page) -> None:
        page.keyboard.press("/")
        page.fill("#find-q", "model")
        page.wait_for_function("/^1 of \\d+$/.test(document.getElementById('find-count').textContent)")
        page.keyboard.press("Enter")
        page.check("#show-verbatim")

    path = example_sites["no-base-url"] / "kaiser-mad-podcast" / "index.html"
    violations = axe(browser, path.as_uri(), scheme, axe_source, finding)
    assert not violations, f"axe-core with the find bar open ({scheme}):\n{listed(violations)}"

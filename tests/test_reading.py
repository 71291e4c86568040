"""Reading a transcript page in Chromium as a phone reader does: what a tap
shows. (The rest of the page in a browser: tests/test_browser.py.)"""

from __future__ import annotations

from .test_browser import browser, site  # noqa: F401  (the fixtures)


def test_a_tap_on_a_corrected_word_tells_what_was_heard(browser, site):  # noqa: F811
    """A phone has no hover: the heard form was only in a `title` tooltip."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto((site / "kaiser-mad-podcast" / "index.html").as_uri())
        fix = page.locator(".chg.fix").first
        heard = fix.locator(".v").text_content()
        meant = fix.locator(".c").text_content()
        assert heard and meant and heard != meant
        fix.locator(".c").scroll_into_view_if_needed()
        tip = page.locator(".heard-tip")
        assert not tip.is_visible()
        fix.locator(".c").tap()
        tip.wait_for(state="visible")
        assert tip.text_content() == f"Heard: “{heard}”"
        assert tip.get_attribute("role") == "status"
        tip_box, word_box = tip.bounding_box(), fix.bounding_box()
        assert tip_box and word_box and 0 <= tip_box["y"] - (word_box["y"] + word_box["height"]) < 20
        assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= 390
        page.keyboard.press("Escape")
        tip.wait_for(state="hidden")
        page.locator("#show-verbatim").check()
        fix.locator(".v").tap()
        assert not tip.is_visible(), "the verbatim view shows the heard form in place"
    finally:
        context.close()


def test_the_whole_card_on_the_home_page_opens_its_transcript(browser, site):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "index.html").as_uri())
        card = page.locator(".card").nth(1)
        href = card.locator("h2 a").get_attribute("href")
        box = card.bounding_box()
        assert box
        page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)  # far from the title
        page.wait_for_url(f"**/{href}")
    finally:
        page.close()


def test_the_site_title_stays_in_one_place_on_every_page_kind(browser, site):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        places = {}
        for rel in ("index.html", "kaiser-mad-podcast/index.html", "topics/index.html",
                    "people/index.html", "search/index.html"):
            page.goto((site / rel).as_uri())
            box = page.locator(".site-title").bounding_box()
            h1 = page.locator("h1").first.bounding_box()
            assert box and h1
            places[rel] = (round(box["x"]), round(box["y"]), round(h1["x"]))
        assert len(set(places.values())) == 1, places
    finally:
        page.close()


SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def test_the_first_spoken_words_are_on_the_first_screen(browser, example_sites):  # noqa: F811
    """Title, description, topics and chapters came first: on a phone the first
    words were two screens down. Now what the page is about and its chapters
    fold to a line each, and the words start on the first screen (at least
    two lines of them), on a page with the player too."""
    built = example_sites["no-base-url"]
    for name, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        try:
            page = context.new_page()
            for slug in ("kaiser-mad-podcast", "kaiser-unsupervised-learning"):
                page.goto((built / slug / "index.html").as_uri())
                top = page.evaluate("document.querySelector('.turns .speech p').getBoundingClientRect().top")
                assert top + 50 < viewport["height"], f"{name}: {slug} speech starts at {top}px"
                if name == "phone":  # folded, and one tap away
                    about = page.locator(".about .description")
                    assert not about.is_visible()
                    page.locator(".about > summary").tap()
                    assert about.is_visible()
                toc = page.locator(".toc ol")
                if toc.count():
                    assert not toc.is_visible()
                    page.locator(".toc summary").click()
                    assert toc.is_visible()
        finally:
            context.close()


def test_a_long_page_has_a_way_back_from_anywhere(browser, site):  # noqa: F811
    """Deep in a 27,000 px page: the chapters, the verbatim switch and the top
    are one tap away, from the keyboard too."""
    context = browser.new_context(viewport=SCREENS["phone"], is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto((site / "kaiser-mad-podcast" / "index.html").as_uri())
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        tools = page.locator(".page-tools")
        assert tools.is_visible()
        box = tools.bounding_box()
        assert box and box["y"] + box["height"] <= SCREENS["phone"]["height"]
        page.locator(".tool-chapters > summary").tap()
        chapters = page.locator(".page-tools .chapter-pop")
        chapters.wait_for(state="visible")
        fifth = chapters.locator("a").nth(4)
        target = fifth.get_attribute("href")
        fifth.tap()
        chapters.wait_for(state="hidden")
        page.wait_for_function(f"location.hash === {target!r}")
        heading = page.locator(target).bounding_box()
        assert heading and 0 <= heading["y"] < SCREENS["phone"]["height"]
        switch = page.locator(".tool-verbatim")
        switch.focus()
        page.keyboard.press("Enter")
        assert page.locator("#show-verbatim").is_checked()
        assert switch.get_attribute("aria-pressed") == "true"
        page.locator(".page-tools a", has_text="Top").tap()
        page.wait_for_function("window.scrollY === 0")
        page.goto((site / "kaiser-unsupervised-learning" / "index.html").as_uri())
        assert page.locator(".page-tools").count() == 0, "a short page needs none"
    finally:
        context.close()


def assert_one_tab_stop_a_turn(page) -> None:
    """Each turn's own Tab stops (not its topic chips, notes or corrections) are
    its `#n` link; a turn that goes on after a chapter heading is the same turn."""
    own = page.evaluate("""() => [...document.querySelectorAll('main .turn[id]')].map(t =>
        [...t.querySelectorAll('a[href], button, input, summary, [tabindex]')]
          .filter(e => e.tabIndex >= 0 && !e.closest('.chips, aside, .chg'))
          .map(e => e.className))""")
    assert len(own) > 50
    assert all(stops == ["ts"] for stops in own), [s for s in own if s != ["ts"]][:3]


def test_tab_goes_turn_by_turn_and_skips_what_is_hidden(browser, site):  # noqa: F811
    """A keyboard reader tabs once per turn (its link), not once per paragraph,
    and never lands on something that cannot be seen."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "kaiser-mad-podcast" / "index.html").as_uri())
        assert_one_tab_stop_a_turn(page)
        hidden = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input')]
            .filter(e => e.tabIndex >= 0 && e.getClientRects().length && e.closest('.visually-hidden, button.visually-hidden')
                    || e.tabIndex >= 0 && e.classList.contains('visually-hidden'))
            .map(e => e.outerHTML.slice(0, 80))""")
        assert hidden == []
    finally:
        page.close()

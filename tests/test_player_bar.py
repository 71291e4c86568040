"""The player bar (player.html, player.js, player.css): back 15 s, play, forward
30 s, speed (remembered), the time and the chapter being played, chapter marks
on the scrubber, a chapter list that plays; and landing on a linked paragraph
below the sticky bar with its speaker's name in view and the words of the
search that led there marked. In headless Chromium, on a site built here with
a two-minute tone as its recording, served with byte ranges (test_player.py)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gloss import pipeline
from gloss.config import load_config

from .conftest import html, write_files
from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)
from .test_player import YOUTUBE_STUB, RangeHandler, said, tone

SECONDS = 120


def cue(start: float, end: float, text: str, voice: str = "") -> str:
    def stamp(s: float) -> str:
        return f"00:{int(s) // 60:02d}:{int(s) % 60:02d}.{round(s % 1 * 1000):03d}"
    return f"{stamp(start)} --> {stamp(end)}\n{f'<v {voice}>' if voice else ''}{text}\n"

# Ann opens; Bob answers; Ann's long turn is four paragraphs (a pause before
# each), the last one with a word said nowhere else; then Bob and Ann again.
TALK = "WEBVTT\n\n" + "\n".join([
    cue(0.0, 8.0, said(1, 3), "Ann Lee"),
    cue(10.0, 18.0, said(2, 3), "Bob Stone"),
    cue(20.0, 23.5, said(3, 7), "Ann Lee"),
    cue(26.0, 29.5, said(4, 7)),
    cue(32.0, 35.5, said(5, 7)),
    cue(38.0, 41.5, said(6, 4) + " A grey heron stands in the river. " + said(7, 2)),
    cue(45.0, 70.0, said(8), "Bob Stone"),
    cue(80.0, 100.0, said(9), "Ann Lee"),
    cue(101.0, 118.0, said(10), "Bob Stone"),
])
CHAPTERS = [("Opening", 0.0), ("Rivers and maps", 45.0), ("Closing", 80.0)]
SIDECAR = "title: Rivers\nmedia: {audio: static/tone.wav}\nchapters:\n" + "".join(
    f"  - {{at: '{int(s) // 60}:{int(s) % 60:02d}', title: {t}}}\n" for t, s in CHAPTERS)


def project(root: Path) -> Path:
    write_files(root, {
        "config.yaml": "title: Listening\n",
        "content/talk.vtt": TALK, "content/talk.yaml": SIDECAR,
        "content/film.vtt": TALK,
        "content/film.yaml": "media: {video: https://example.com/film.mp4}\nchapters:\n  - {at: '0:45', title: Middle}\n",
        "content/clip.vtt": TALK,
        "content/clip.yaml": "media: {youtube: dQw4w9WgXcQ}\nchapters:\n  - {at: '0:45', title: Middle}\n",
        "content/plain.vtt": TALK, "content/plain.yaml": "chapters:\n  - {at: '0:45', title: Middle}\n",
    })
    tone(root / "themes" / "default" / "static" / "tone.wav", SECONDS)
    pipeline.build(load_config(root / "config.yaml"), search=True)
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return project(tmp_path_factory.mktemp("player-bar"))


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def opened(context, url: str):
    """A page of `context` at `url`, once the recording's length is known."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("document.querySelector('audio').readyState >= 1", timeout=10000)
    page.wait_for_function("!document.querySelector('.player .seek').disabled", timeout=5000)
    return page


@pytest.fixture
def context(browser):  # noqa: F811
    """A browser context of its own: nothing kept in localStorage from another test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    yield ctx
    ctx.close()


AUDIO = "document.querySelector('audio')"


def at(page, seconds: float) -> None:
    """The recording paused at `seconds`, as its own controls would leave it."""
    page.evaluate(f"t => {{ const a = {AUDIO}; a.pause(); a.currentTime = t; }}", seconds)
    page.wait_for_function(f"t => Math.abs({AUDIO}.currentTime - t) < 0.01", arg=seconds)
    page.evaluate(f"{AUDIO}.dispatchEvent(new Event('timeupdate'))")


def tab_to(page, selector: str, limit: int = 40) -> int:
    """Press Tab from the top of the page until `selector` has focus: the presses it took."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return n
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


# Markup, without JavaScript.


def test_the_bar_is_in_the_page_hidden_until_the_script_runs(site):
    page = html(site / "talk" / "index.html")
    bar = page.select_one("section.player .bar")
    assert bar.has_attr("hidden") and page.select_one("section.player audio").has_attr("controls")
    assert [b["aria-label"] for b in bar.select("button[aria-label]")] == [
        "Back 15 seconds", "Play", "Forward 30 seconds"]
    assert bar.select_one("button.speed").get_text(" ", strip=True) == "Speed 1×"
    assert bar.select_one("input.seek[type=range]")["aria-label"]
    assert page.select_one("section.player [role=status]")
    assert [(a["href"], a["data-start"]) for a in page.select("nav.toc a")] == [
        ("#ch-opening", "0.0"), ("#ch-rivers-and-maps", "45.0"), ("#ch-closing", "80.0")]
    video = html(site / "film" / "index.html").select_one("section.player")
    assert not video.select(".bar .play, .bar .seek"), "a video keeps its own play and scrubber"
    assert video.select(".bar .skip-back, .bar .skip-ahead, .bar .speed")
    plain = html(site / "plain" / "index.html")
    assert not plain.select("nav.toc a[data-start]"), "chapter links play only where there is a recording"


# In a browser.


def test_with_javascript_the_bar_takes_the_place_of_the_browsers_controls(browser, context, served):  # noqa: F811
    page = opened(context, served + "talk/")
    assert page.locator(".player .bar").is_visible()
    assert not page.locator("audio").is_visible() and not page.evaluate(f"{AUDIO}.controls")
    assert page.locator(".player .total").inner_text() == "2:00"
    for target in page.locator(".player .bar button, .player .seek, .player .follow").all():
        box = target.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, target.evaluate("e => e.outerHTML.slice(0, 80)")
    bare = browser.new_page(java_script_enabled=False)
    bare.goto(served + "talk/")
    assert bare.locator("audio[controls]").is_visible() and not bare.locator(".player .bar").is_visible()
    bare.close()
    assert page.errors == []


def test_back_15_and_forward_30_from_the_keyboard_and_said(context, served):
    page = opened(context, served + "talk/")
    at(page, 40)
    tab_to(page, ".player button.skip-back")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid", "focus is visible"
    page.keyboard.press("Enter")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 25) < 0.01", timeout=5000)
    assert page.locator(".player [role=status]").inner_text() == "Back 15 seconds, at 0:25"
    page.keyboard.press("Tab")  # play
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Forward 30 seconds"
    page.keyboard.press("Enter")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 55) < 0.01", timeout=5000)
    assert page.evaluate(f"{AUDIO}.paused"), "skipping does not start playing"
    at(page, 5)
    page.locator(".player button.skip-back").press("Enter")
    page.wait_for_function(f"{AUDIO}.currentTime === 0", timeout=5000)
    at(page, 110)
    page.locator(".player button.skip-ahead").press("Space")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - {SECONDS}) < 0.1", timeout=5000)
    assert page.errors == []


def test_the_play_button_plays_and_pauses_and_says_which(context, served):
    page = opened(context, served + "talk/")
    play = page.locator(".player button.play")
    assert play.get_attribute("aria-label") == "Play"
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"!{AUDIO}.paused", timeout=5000)
    page.wait_for_function("document.querySelector('.player .play').getAttribute('aria-label') === 'Pause'")
    page.keyboard.press("Space")
    page.wait_for_function(f"{AUDIO}.paused", timeout=5000)
    page.wait_for_function("document.querySelector('.player .play').getAttribute('aria-label') === 'Play'")
    assert page.locator(".player [role=status]").inner_text() == "Paused"
    assert page.errors == []


def test_speed_goes_from_0_8x_to_2x_and_is_remembered_on_the_next_page(context, served):
    page = opened(context, served + "talk/")
    speed = page.locator(".player button.speed .rate")
    tab_to(page, ".player button.speed")
    seen = []
    for _ in range(6):
        page.keyboard.press("Enter")
        seen.append((page.evaluate(f"{AUDIO}.playbackRate"), speed.inner_text()))
    assert seen == [(1.25, "1.25×"), (1.5, "1.5×"), (1.75, "1.75×"), (2, "2×"), (0.8, "0.8×"), (1, "1×")]
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert page.locator(".player [role=status]").inner_text().strip() == "Speed 1.5×"
    page.reload()
    page.wait_for_function(f"{AUDIO}.readyState >= 1", timeout=10000)
    assert page.evaluate(f"[{AUDIO}.playbackRate, {AUDIO}.defaultPlaybackRate]") == [1.5, 1.5]
    assert speed.inner_text() == "1.5×"
    other = context.new_page()  # another page of the site, with a video (not fetched: no network)
    other.route("https://example.com/**", lambda route: route.abort())
    other.goto(served + "film/")
    assert other.evaluate("document.querySelector('video').playbackRate") == 1.5
    assert other.locator(".player .speed .rate").inner_text() == "1.5×"
    assert page.errors == []


def test_the_chapter_being_played_is_named_and_told_with_the_position(context, served):
    page = opened(context, served + "talk/")
    now = page.locator(".player .chapter-now")
    seek = page.locator(".player .seek")
    for seconds, title, href in [(10, "Opening", "#ch-opening"), (50, "Rivers and maps", "#ch-rivers-and-maps"),
                                 (44, "Opening", "#ch-opening"), (119, "Closing", "#ch-closing")]:
        at(page, seconds)
        assert now.is_visible() and now.locator(".title").inner_text() == title, seconds
        assert now.get_attribute("href") == href
        assert seek.get_attribute("aria-valuetext") == f"{seconds // 60}:{seconds % 60:02d} of 2:00, {title}"
        assert page.locator(".player .elapsed").inner_text() == f"{seconds // 60}:{seconds % 60:02d}"
    seek.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 124) < 0.01 || {AUDIO}.currentTime === {SECONDS}")
    at(page, 60)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 55) < 0.01", timeout=5000)
    page.keyboard.press("Home")
    page.wait_for_function(f"{AUDIO}.currentTime === 0", timeout=5000)
    assert page.errors == []


def test_chapters_are_marked_on_the_scrubber_where_they_start(context, served):
    page = opened(context, served + "talk/")
    track = page.locator(".player .seek").bounding_box()
    thumb = 14  # the thumb's width (player.css): its middle runs from 7 px to width - 7 px
    marks = page.locator(".player .chapter-mark")
    assert marks.count() == 2, "none at 0:00, where the scrubber starts"
    for mark, (title, start) in zip(marks.all(), CHAPTERS[1:], strict=True):
        box = mark.bounding_box()
        middle = box["x"] + box["width"] / 2
        fraction = (middle - track["x"] - thumb / 2) / (track["width"] - thumb)
        assert fraction == pytest.approx(start / SECONDS, abs=0.005), title
        assert mark.get_attribute("title") == f"{title} · {int(start) // 60}:{int(start) % 60:02d}"
    # Dragged to where a chapter starts, the thumb sits on its mark.
    at(page, 45)
    assert page.evaluate("document.querySelector('.player .seek').value") == "45"
    marks.first.click()
    assert page.evaluate(f"{AUDIO}.currentTime") == 45
    assert page.errors == []


def test_a_chapter_in_the_list_plays_from_its_start_and_shows_its_heading(context, served):
    page = opened(context, served + "talk/")
    page.evaluate(f"{AUDIO}.defaultPlaybackRate = {AUDIO}.playbackRate = 0.0625")
    page.locator("nav.toc summary").click()
    page.locator("nav.toc a", has_text="Rivers and maps").click()
    page.wait_for_function(f"!{AUDIO}.paused && Math.abs({AUDIO}.currentTime - 45) < 0.5", timeout=5000)
    assert page.evaluate("location.hash") == "#ch-rivers-and-maps"
    heading = page.locator("#ch-rivers-and-maps").bounding_box()
    bar = page.locator("section.player").bounding_box()
    assert bar["y"] + bar["height"] <= heading["y"] < 900, "the heading below the bar, in view"
    assert page.locator(".player .chapter-now .title").inner_text() == "Rivers and maps"
    marked = page.eval_on_selector_all("[aria-current]", "els => els.map(e => e.querySelector('span[id]').id)")
    assert marked == ["t4-1"]
    assert page.errors == []


# Landing on a moment.

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

LANDED = """() => {
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const p = target.closest('p'), turn = p.closest('.turn');
  const again = document.querySelector('.said-again cite');
  const name = again || turn.querySelector('.who cite');
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  return {bar: document.querySelector('section.player').getBoundingClientRect().bottom, height: innerHeight,
          name: box(name), said: name.textContent, who: turn.querySelector('.who cite').textContent,
          again: !!again, p: box(p), y: scrollY};
}"""


def landed(page) -> dict:
    """Where the linked paragraph and the speaker's name it shows are, once the page has loaded."""
    page.wait_for_load_state("load")
    # Two frames after load: what the browser and the page do on load, they have done.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate(LANDED)


def name_and_paragraph_in_view(where: dict) -> None:
    assert where["said"] == where["who"], "the name shown is the paragraph's speaker's"
    assert where["bar"] <= where["name"]["top"] and where["name"]["bottom"] <= where["height"], where
    assert where["bar"] <= where["p"]["top"] < where["height"] - 50, where
    if where["p"]["bottom"] - where["name"]["top"] <= where["height"] - where["bar"]:
        assert where["p"]["bottom"] <= where["height"], "the whole paragraph, where it fits"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("fragment", [
    "t3-1", "sentence-40-is-about-the", "t3-3", "t3-4", "sentence-80-is-about-the", "t5-1"])
def test_a_linked_paragraph_lands_with_its_speakers_name_below_the_player(browser, served,  # noqa: F811
                                                                        viewport, fragment):
    page = browser.new_page(viewport=viewport)
    page.goto(served + "talk/#" + fragment)
    name_and_paragraph_in_view(landed(page))
    page.close()


def test_far_below_its_speakers_name_a_paragraph_is_given_the_name_again(browser, served):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.goto(served + "talk/#t3-4")  # the fourth paragraph of a long turn, on a phone
    where = landed(page)
    assert where["again"] and where["name"]["top"] < where["p"]["top"]
    again = page.locator(".said-again")
    assert again.get_attribute("aria-hidden") == "true" and again.inner_text() == "Ann Lee cont."
    # Another paragraph linked from within the page: the name moves there.
    page.evaluate("location.hash = '#t3-1'")
    page.wait_for_function("!document.querySelector('.said-again')")
    assert page.locator(".said-again").count() == 0
    name_and_paragraph_in_view(page.evaluate(LANDED))
    page.evaluate("location.hash = '#t3-3'")
    page.wait_for_function("document.querySelector('.said-again')")
    where = page.evaluate(LANDED)
    assert where["again"]
    name_and_paragraph_in_view(where)
    page.close()


def test_a_search_result_opens_its_paragraph_with_the_words_found_marked(browser, served):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(served + "search/?q=grey+heron")
    hit = page.locator("a.hit-passage[href*='/talk/']")  # film/ and plain/ say it too
    hit.wait_for()
    assert hit.locator("mark").all_inner_texts() == ["grey heron"]
    hit.click()
    page.wait_for_url("**/talk/#*")
    assert page.evaluate("location.hash") == "#sentence-60-is-about-the", "the paragraph's own address"
    where = landed(page)
    name_and_paragraph_in_view(where)
    found = page.locator("mark.found")
    assert found.all_inner_texts() == ["grey", "heron"]
    assert page.evaluate("[...document.querySelectorAll('mark.found')].every(m => m.closest('p').id"
                         " === 'sentence-60-is-about-the')"), "marked in the paragraph opened, nowhere else"
    # The same link, shared and opened elsewhere, marks nothing: no search led there.
    shared = browser.new_page(viewport=PHONE)
    shared.goto(page.url)
    name_and_paragraph_in_view(landed(shared))
    assert shared.locator("mark.found").count() == 0
    shared.close()
    context.close()


# YouTube: what its IFrame API allows (here a stub of it: no network).

YOUTUBE_RATES = YOUTUBE_STUB.replace("this.getCurrentTime", """
  this.setPlaybackRate = function (r) { log.calls.push(['setPlaybackRate', r]); log.rate = r; };
  this.getPlaybackRate = function () { return log.rate || 1; };
  this.getAvailablePlaybackRates = function () { return [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]; };
  this.getDuration = function () { return 120; };
  this.getCurrentTime""")


def test_a_youtube_video_gets_skips_speed_and_the_chapter_through_its_api(browser, served):  # noqa: F811
    page = browser.new_page()

    def route(r) -> None:
        if r.request.url.startswith(served):
            r.continue_()
        elif r.request.url == "https://www.youtube.com/iframe_api":
            r.fulfill(content_type="text/javascript", body=YOUTUBE_RATES)
        else:  # the embedded player itself: nothing leaves this machine
            r.fulfill(content_type="text/html", body="<!doctype html><title>player</title>")

    page.route("**/*", route)
    page.goto(served + "clip/")
    page.wait_for_function("window.__yt && window.__yt.ready", timeout=5000)
    page.wait_for_selector(".player .bar:not([hidden])")
    page.evaluate("window.__yt.time = 50")
    page.locator(".player .skip-back").press("Enter")
    page.locator(".player .speed").press("Enter")
    assert page.evaluate("window.__yt.calls") == [["seekTo", 35, True], ["setPlaybackRate", 1.25]]
    assert page.locator(".player .speed .rate").inner_text() == "1.25×"
    page.evaluate("window.__yt.time = 50; window.__yt.options.events.onStateChange({data: 2})")
    assert page.locator(".player .chapter-now .title").inner_text() == "Middle"
    page.close()

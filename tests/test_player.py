"""The recording in the page: `media:` in a sidecar gives an audio, video or
YouTube player; with player.js, times seek it, the paragraph being spoken is
marked and followed. Markup is checked as parsed HTML; behaviour in headless
Chromium against a site served over HTTP (seeking needs range requests), with a
short tone written by the test and YouTube's API replaced by a stub (no network)."""

from __future__ import annotations

import functools
import http.server
import math
import os
import re
import socket
import struct
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from gloss import pipeline
from gloss.config import load_config
from gloss.errors import SiteError
from gloss.model import Site
from gloss.sidecar import parse_sidecar

from .conftest import html, write_files
from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)

TONE_SECONDS = 9


def tone(path: Path, seconds: int = TONE_SECONDS) -> None:
    """A quiet 440 Hz tone: a recording to play, seek and follow, made here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = 8000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(2000 * math.sin(2 * math.pi * 440 * i / rate)))
                               for i in range(rate * seconds)))


def said(k: int, sentences: int = 8) -> str:
    """Speech long enough that the page is taller than the screen."""
    return " ".join(f"Sentence {k}.{j} is about the river and the map of it." for j in range(sentences))


def cue(start: float, end: float, text: str, voice: str = "") -> str:
    def stamp(s: float) -> str:
        return f"00:{int(s):02d}.{round(s % 1 * 1000):03d}"
    return f"{stamp(start)} --> {stamp(end)}\n{f'<v {voice}>' if voice else ''}{text}\n"


# Ann and Bob alternate; Bob's turn at 3.0 goes on after a pause, as a second
# paragraph with its own time (5.6).
TALK = "WEBVTT\n\n" + "\n".join([
    cue(0.0, 0.9, said(1, 14), "Ann Lee"),  # one cue, long enough for two paragraphs
    cue(1.0, 1.9, said(2), "Bob Stone"),
    cue(2.0, 2.9, said(3), "Ann Lee"),
    cue(3.0, 3.5, said(4), "Bob Stone"),
    cue(5.6, 6.3, said(5)),
    cue(6.5, 7.0, said(6), "Ann Lee"),
    cue(7.2, 8.5, said(7), "Bob Stone"),
])
STARTS = {"t1-1": 0.0, "t1-2": 0.0, "t2-1": 1.0, "t3-1": 2.0, "t4-1": 3.0, "t4-2": 5.6, "t5-1": 6.5, "t6-1": 7.2}
NOTES = "**Ann Lee** (0:01)\nFirst thought.\nSecond thought, with no time of its own.\n**Bob Stone** (0:04)\nA reply.\n"
AUDIO = "media: {audio: static/tone.wav}\n"


def project(root: Path) -> Path:
    write_files(root, {
        "config.yaml": "title: Listening\n",
        "content/talk.vtt": TALK,
        "content/talk.yaml": "title: Rivers\n" + AUDIO + "chapters:\n  - {at: Sentence 5.0 is about, title: Maps}\n",
        "content/notes.txt": NOTES, "content/notes.yaml": AUDIO,
        "content/deep/er/nested.vtt": TALK, "content/deep/er/nested.yaml": AUDIO,
        "content/chat.txt": "Ann Lee: Hello.\nBob Stone: Hi, Ann.\n", "content/chat.yaml": AUDIO,
        "content/film.vtt": TALK, "content/film.yaml": "media: {video: https://example.com/film.mp4}\n",
        "content/clip.vtt": TALK,
        "content/clip.yaml": "media: {youtube: 'https://youtu.be/dQw4w9WgXcQ?t=5'}\n",
        "content/plain.vtt": TALK,
    })
    tone(root / "themes" / "default" / "static" / "tone.wav")
    pipeline.build(load_config(root / "config.yaml"))
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built with no way to reach the network."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use at build time: {args}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        return project(tmp_path_factory.mktemp("player"))


# The markup, without JavaScript.


def test_audio_gets_a_player_and_the_script_only_where_there_is_media(site):
    page = html(site / "talk" / "index.html")
    player = page.select_one("section.player[data-player=audio]")
    assert player["aria-label"] == "Recording"
    audio = player.find("audio")
    assert audio.has_attr("controls") and audio["src"] == "../static/tone.wav"
    assert audio.find("a")["href"] == "../static/tone.wav", "a link where audio cannot play"
    assert page.select_one("script[src='../static/player.js']").has_attr("defer")
    assert page.select_one("link[href='../static/player.css']")
    assert page.select_one("label.follow").has_attr("hidden"), "no switch until the script runs"
    assert not page.select("[onclick], [onkeydown], [onplay], [ontimeupdate]"), "no inline handlers"
    bare = html(site / "plain" / "index.html")
    assert not bare.select(".player, script[src$='player.js'], link[href$='player.css']")
    assert bare.select_one("a.ts[data-start]"), "times are marked with or without media"


def test_every_timed_paragraph_carries_its_start_in_seconds(site):
    page = html(site / "talk" / "index.html")
    assert {p.span["id"]: float(p["data-start"]) for p in page.select("p[data-start]")} == STARTS
    notes = html(site / "notes" / "index.html")
    assert [(p.get_text(" ", strip=True)[:12], p.get("data-start")) for p in notes.select(".speech p[id]")] == [
        ("First though", "1.0"), ("Second thoug", None), ("A reply. ¶", "4.0")]
    assert not html(site / "chat" / "index.html").select("[data-start]"), "no invented times"


def test_a_path_in_the_site_resolves_from_a_page_at_any_depth(site):
    for slug in ("talk", "deep/er/nested"):
        page = html(site / slug / "index.html")
        here = f"https://example.com/project/{slug}/index.html"
        assert urljoin(here, page.find("audio")["src"]) == "https://example.com/project/static/tone.wav"
        play = page.select_one(".turn#t3 a.play")
        assert urljoin(here, play["href"]) == "https://example.com/project/static/tone.wav#t=2"
        assert play["data-start"] == "2.0"


def test_video_gets_a_video_player_with_the_captions_as_a_track(site):
    page = html(site / "film" / "index.html")
    video = page.select_one("section.player[data-player=video] video")
    assert video["src"] == "https://example.com/film.mp4" and video.has_attr("controls")
    track = video.find("track")
    assert (track["kind"], track["src"], track["srclang"]) == ("captions", "film.vtt", "en")
    assert (site / "film" / "film.vtt").is_file()
    assert page.select_one(".turn#t2 a.play")["href"] == "https://example.com/film.mp4#t=1"


def test_youtube_addresses_give_the_embedded_player_without_network_at_build_time(site):
    page = html(site / "clip" / "index.html")
    player = page.select_one("section.player[data-player=youtube]")
    assert player["data-youtube"] == "dQw4w9WgXcQ"
    frame = player.find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0"
    assert frame["title"].startswith("YouTube video")
    assert page.select_one(".turn#t3 a.play")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=2s"


@pytest.mark.parametrize("value", [
    "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ",
    "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s", "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?start=3", "www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
])
def test_every_usual_youtube_address_gives_the_video_id(value):
    meta = parse_sidecar("talk.yaml", f"media:\n  youtube: '{value}'\n", Site())
    assert meta.media.youtube == "dQw4w9WgXcQ"


@pytest.mark.parametrize(("text", "where", "message"), [
    ("media:\n  youtube: https://vimeo.com/76979871\n", "talk.yaml:2:12", "must be a video id"),
    ("title: T\nmedia: {audio: /static/tone.wav}\n", "talk.yaml:2:16", "without the leading `/`"),
    ("media: {video: 'javascript:alert(1)'}\n", "talk.yaml:1:16", "must be a web address"),
])
def test_a_bad_media_value_is_an_error_at_its_line_and_column(text, where, message):
    with pytest.raises(SiteError) as caught:
        parse_sidecar("talk.yaml", text, Site())
    assert str(caught.value).startswith(f"{where}: error: ")
    assert message in caught.value.message


# In a browser.


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with byte ranges, as real hosts serve them: media elements
    seek by asking for a range."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if not m or not os.path.isfile(path):
            self.left = None
            return super().send_head()
        size = os.path.getsize(path)
        start, end = int(m[1]), min(int(m[2] or size - 1), size - 1)
        f = open(path, "rb")  # noqa: SIM115 (closed by the base class after copyfile)
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.left = end - start + 1
        return f

    def copyfile(self, source, outputfile):  # type: ignore[no-untyped-def]
        if self.left is None:
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(self.left))
        return None


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def open_served(browser, url: str, **options):  # noqa: F811
    page = browser.new_page(**options)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("document.querySelector('audio, video').readyState >= 1", timeout=10000)
    page.errors = errors
    return page


def current(page) -> list[str]:
    """The paragraphs marked as being said, by their turn-and-paragraph alias."""
    return page.eval_on_selector_all("[aria-current]", "els => els.map(e => e.querySelector(':scope > span[id]').id)")


def seek(page, seconds: float) -> None:
    """Move the recording as its own controls would, and wait for the page to follow."""
    page.evaluate("t => { const a = document.querySelector('audio'); a.pause(); a.currentTime = t; }", seconds)
    page.wait_for_function("t => Math.abs(document.querySelector('audio').currentTime - t) < 0.01",
                           arg=seconds)
    page.evaluate("document.querySelector('audio').dispatchEvent(new Event('timeupdate'))")


def test_clicking_a_time_seeks_the_recording_and_marks_what_is_said(browser, served):  # noqa: F811
    page = open_served(browser, served + "talk/")
    audio = "document.querySelector('audio')"
    # Where each seek lands, as the recording reports it; and playing at 1/16
    # speed, so no paragraph is left behind while the test looks (the slowest
    # Chromium allows: a second of the recording takes 16).
    page.evaluate(f"""() => {{ const a = {audio}; window.__seeks = [];
        a.addEventListener('seeking', () => window.__seeks.push(a.currentTime));
        a.defaultPlaybackRate = a.playbackRate = 0.0625; }}""")
    page.click(".turn#t3 a.ts")
    page.wait_for_function(f"window.__seeks.length && !{audio}.paused", timeout=5000)
    assert page.evaluate("window.__seeks") == [2.0], "played from 2.0, the time clicked"
    assert current(page) == ["t3-1"]
    assert page.evaluate("location.hash") == "#t3" and page.url.startswith(served + "talk/")
    page.evaluate(f"{audio}.pause()")
    page.click("a.pt:has(+ p > #t4-2)")  # the time of a paragraph that does not start its turn
    page.wait_for_function(f"Math.abs({audio}.currentTime - 5.6) < 0.6", timeout=5000)
    assert current(page) == ["t4-2"]
    assert page.locator("a.pt:has(+ p > #t3-1)").count() == 0, "a turn's first time is beside the name"
    # t4-2 opens the block after the chapter heading, beside the name again: its
    # time goes before its text rather than over the name.
    own, name = page.locator("a.pt:has(+ p > #t4-2)").bounding_box(), page.locator("h3.chapter + .turn cite").bounding_box()
    assert own["x"] >= name["x"] + name["width"] or own["y"] >= name["y"] + name["height"]
    page.evaluate(f"{audio}.pause()")
    page.click(".turn#t5 a.play")  # ▶ seeks too, instead of leaving the page
    page.wait_for_function(f"Math.abs({audio}.currentTime - 6.5) < 0.6", timeout=5000)
    assert current(page) == ["t5-1"] and page.url.startswith(served + "talk/")
    assert page.errors == []


def test_playing_marks_the_paragraph_being_spoken_not_by_colour_alone(browser, served):  # noqa: F811
    page = open_served(browser, served + "talk/")
    # One cue made into two paragraphs: its time is shared out by their length.
    seek(page, 0.2)
    assert current(page) == ["t1-1"]
    seek(page, 0.8)
    assert current(page) == ["t1-2"], "the second paragraph of the cue, by estimate"
    seek(page, 0.5)
    page.evaluate("document.querySelector('audio').play()")
    page.wait_for_function("document.querySelector('p:has(> #t2-1)').getAttribute('aria-current') === 'true'",
                           timeout=5000)
    assert current(page) == ["t2-1"], "playing on from 0.5 s reaches Bob at 1.0 s"
    page.evaluate("document.querySelector('audio').pause()")
    seek(page, 4.2)
    assert current(page) == ["t4-1"], "a pause belongs to what was said before it"
    marked = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('p:has(> #t4-1)'));"
                           " return [s.outlineStyle, s.outlineWidth]; })()")
    assert marked[0] == "solid" and marked[1] != "0px"
    seek(page, 8.9)
    assert current(page) == ["t6-1"]


def test_a_paragraph_without_a_time_gets_one_estimated_from_its_length(browser, served):  # noqa: F811
    """Ann's turn starts at 0:01 and Bob's at 0:04: her two paragraphs share
    the three seconds by their length, one marked at a time."""
    page = open_served(browser, served + "notes/")
    seek(page, 1.5)
    assert current(page) == ["t1-1"]
    seek(page, 2.5)
    assert current(page) == ["t1-2"]
    seek(page, 0.5)
    assert current(page) == [], "nothing is said before the first time"
    assert page.locator("a.pt").count() == 0, "no paragraph here has a time of its own"


def test_follow_along_keeps_the_spoken_paragraph_in_view_and_can_be_switched_off(browser, served):  # noqa: F811
    page = open_served(browser, served + "talk/", viewport={"width": 900, "height": 700},
                       reduced_motion="reduce")
    follow = page.locator("label.follow")
    assert follow.is_visible() and page.locator("label.follow input").is_checked()
    seek(page, 7.3)
    box = page.locator("p:has(> #t6-1)").bounding_box()
    assert page.evaluate("scrollY") > 0 and 0 <= box["y"] < 700, "scrolled to the last paragraph"
    follow.click()
    assert not page.locator("label.follow input").is_checked()
    page.evaluate("scrollTo(0, 0)")
    seek(page, 0.2)
    seek(page, 7.3)
    assert page.evaluate("scrollY") == 0, "switched off, the page stays where the reader is"
    assert current(page) == ["t6-1"], "and still marks what is said"


def test_reduced_motion_jumps_instead_of_scrolling_smoothly(browser, served):  # noqa: F811
    def first_frame_and_final(page) -> list[float]:
        return page.evaluate("""() => new Promise(done => {
            const a = document.querySelector('audio');
            a.addEventListener('seeked', () => requestAnimationFrame(() => {
                const first = scrollY;
                setTimeout(() => done([first, scrollY]), 1500);
            }), {once: true});
            a.currentTime = 7.3;
        })""")

    calm = open_served(browser, served + "talk/", viewport={"width": 900, "height": 700},
                       reduced_motion="reduce")
    first, final = first_frame_and_final(calm)
    assert final > 0 and first == final
    smooth = open_served(browser, served + "talk/", viewport={"width": 900, "height": 700},
                         reduced_motion="no-preference")
    first, final = first_frame_and_final(smooth)
    assert final > 0 and first < final, "without the preference, the scroll is smooth"


def test_every_control_is_reachable_by_tab_and_space_plays(browser, served):  # noqa: F811
    page = open_served(browser, served + "talk/")
    seen = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("""(() => { const e = document.activeElement;
            return e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : '')
                + (e.type === 'checkbox' ? ':checkbox' : ''); })()"""))
    # The player bar's own controls take the place of the browser's (test_player_bar.py).
    assert {"button.skip-back", "button.play", "button.skip-ahead", "input.seek", "button.speed",
            "input:checkbox", "a.ts", "a.play", "a.pt"} <= seen
    assert "audio" not in seen
    page.focus(".player button.play")
    page.keyboard.press("Space")
    page.wait_for_function("!document.querySelector('audio').paused", timeout=5000)
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('audio').paused", timeout=5000)


def test_a_nested_page_plays_the_file_kept_in_the_site(browser, served):  # noqa: F811
    page = open_served(browser, served + "deep/er/nested/")
    assert page.evaluate("document.querySelector('audio').currentSrc") == served + "static/tone.wav"
    assert page.evaluate("document.querySelector('audio').duration") == pytest.approx(TONE_SECONDS, abs=0.1)


def test_without_times_the_player_only_plays(browser, served):  # noqa: F811
    page = open_served(browser, served + "chat/")
    assert not page.locator("label.follow").is_visible()
    assert page.locator("a.pt, [data-start]").count() == 0
    seek(page, 1.0)
    assert current(page) == []
    assert page.errors == []


def test_without_javascript_the_recording_still_plays_from_each_time(browser, served):  # noqa: F811
    page = browser.new_page(java_script_enabled=False)
    page.goto(served + "talk/")
    assert page.locator("audio[controls]").is_visible()
    assert not page.locator("label.follow").is_visible()
    assert page.locator(".turn#t3 a.play").get_attribute("href") == "../static/tone.wav#t=2"


YOUTUBE_STUB = """
window.YT = {PlayerState: {PLAYING: 1, PAUSED: 2}, Player: function (el, options) {
  var self = this, log = window.__yt = {el: el, options: options, calls: [], time: 0};
  this.seekTo = function (t, ahead) { log.calls.push(['seekTo', t, ahead]); log.time = t; };
  this.playVideo = function () { log.calls.push(['playVideo']); };
  this.getCurrentTime = function () { return log.time; };
  setTimeout(function () { options.events.onReady({target: self}); log.ready = true; }, 0);
}};
if (window.onYouTubeIframeAPIReady) window.onYouTubeIframeAPIReady();
"""


def test_youtube_times_seek_through_the_iframe_api(browser, served):  # noqa: F811
    page = browser.new_page()
    outside: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(served):
            r.continue_()
        elif url == "https://www.youtube.com/iframe_api":
            r.fulfill(content_type="text/javascript", body=YOUTUBE_STUB)
        else:  # the embedded player itself: nothing leaves this machine
            outside.append(url)
            r.fulfill(content_type="text/html", body="<!doctype html><title>player</title>")

    page.route("**/*", route)
    page.goto(served + "clip/")
    page.wait_for_function("window.__yt && window.__yt.calls !== undefined", timeout=5000)
    assert page.evaluate("window.__yt.el === document.querySelector('iframe')")
    page.wait_for_function("window.__yt.ready", timeout=5000)  # player.js has had onReady
    page.click(".turn#t4 a.ts")
    assert page.evaluate("window.__yt.calls") == [["seekTo", 3, True], ["playVideo"]]
    assert current(page) == ["t4-1"]
    page.evaluate("window.__yt.time = 6.7; window.__yt.options.events.onStateChange({data: 1})")
    assert current(page) == ["t5-1"]
    page.evaluate("window.__yt.options.events.onStateChange({data: 2})")
    assert all(u.startswith("https://www.youtube.com/embed/dQw4w9WgXcQ") for u in outside)

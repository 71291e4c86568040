"""The Atom feed as a feed reader and a browser see it (issue #24).

Each entry links its page, its recording as the one enclosure (the type from
the file's name, the length when the file is in the site; none for YouTube,
whose video is a page), and every download its page offers, each with the
MIME type Podcasting 2.0 gives it. The feed names a stylesheet,
`static/feed.xsl`, relative to itself so it is found under any path the site
is published at: a browser opening feed.xml shows a page with the site's
title, what a feed is for, and each transcript linked, with its date, summary
and downloads. Chromium is removing XSLT (it applies it with a warning banner
today), so the feed names `static/feed.css` too, which a browser without XSLT
styles the feed's own elements with; both are opened in Chromium here.
"""

from __future__ import annotations

import http.server
import math
import re
import struct
import threading
import wave
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from gloss import pipeline
from gloss.config import load_config
from gloss.publish import media_type

from .conftest import html, need, write_files
from .test_browser import ARGS, CHROMIUM, browser  # noqa: F401  (the fixture)

BASE = "https://example.github.io/demo/"
ATOM = "{http://www.w3.org/2005/Atom}"
XSL = "{http://www.w3.org/1999/XSL/Transform}"

TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip", "json": "application/json",
         "html": "text/html", "md": "text/markdown", "txt": "text/plain"}
"""What the Podcasting 2.0 `podcast:transcript` tag calls each download
(podcast-namespace docs/tags/transcript.md), Markdown aside (RFC 7763)."""


def cue(start: int, text: str, voice: str) -> str:
    return f"00:00:{start:02d}.000 --> 00:00:{start + 2:02d}.000\n<v {voice}>{text}\n"


TALK = "WEBVTT\n\n" + "\n".join(cue(2 * k, f"Sentence {k} is about the river and the map of it.",
                                    ("Ann Lee", "Bob Stone")[k % 2]) for k in range(8))
TITLES = {"rivers": "Rivers and their maps", "chat": "A short chat", "film": "The film", "clip": "The clip"}


def tone(path: Path) -> None:
    """A second of a 440 Hz tone: a recording in the site, with a size to give."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(2000 * math.sin(2 * math.pi * 440 * i / 8000)))
                               for i in range(8000)))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four transcripts: timed with a recording in the site, untimed with none,
    timed with a video elsewhere, timed with a YouTube video."""
    root = tmp_path_factory.mktemp("feed")
    write_files(root, {
        "config.yaml": f"title: Listening\ndescription: Talks about rivers.\nbase_url: {BASE}\n",
        "content/rivers.vtt": TALK,
        "content/rivers.yaml": f"title: {TITLES['rivers']}\ndate: 2025-11-28\n"
                               "description: Ann and Bob on **maps** of rivers.\n"
                               "media: {audio: static/tone.wav}\nspeakers: {Ann Lee: ann, Bob Stone: bob}\n",
        "content/people.yaml": "ann: {name: Ann Lee}\nbob: {name: Bob Stone}\n",
        "content/chat.txt": "Ann Lee: Hello.\nBob Stone: Hi, Ann.\n",
        "content/chat.yaml": f"title: {TITLES['chat']}\ndate: 2025-10-01\n",
        "content/film.vtt": TALK,
        "content/film.yaml": f"title: {TITLES['film']}\ndate: 2025-09-01\n"
                             "media: {video: 'https://cdn.example.com/film.webm?dl=1'}\n",
        "content/clip.vtt": TALK,
        "content/clip.yaml": f"title: {TITLES['clip']}\ndate: 2025-08-01\nmedia: {{youtube: dQw4w9WgXcQ}}\n",
    })
    tone(root / "themes" / "default" / "static" / "tone.wav")
    pipeline.build(load_config(root / "config.yaml"))
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return project / "site"


def entries(site: Path) -> dict[str, ET.Element]:
    """The feed's entries by their page's slug."""
    feed = ET.parse(site / "feed.xml").getroot()
    return {e.find(f"{ATOM}link[@rel='alternate']").get("href")[len(BASE):].strip("/"): e
            for e in feed.findall(f"{ATOM}entry")}


def links(entry: ET.Element, rel: str) -> list[dict[str, str]]:
    return [dict(link.attrib) for link in entry.findall(f"{ATOM}link[@rel='{rel}']")]


def test_a_recording_is_the_entrys_one_enclosure(site):
    found = entries(site)
    assert set(found) == set(TITLES)
    [rivers] = links(found["rivers"], "enclosure")
    assert rivers["href"] == BASE + "static/tone.wav"
    assert rivers["type"] == "audio/x-wav"
    assert rivers["length"] == str((site / "static" / "tone.wav").stat().st_size), "a file in the site: its size"
    [film] = links(found["film"], "enclosure")
    assert film == {"rel": "enclosure", "href": "https://cdn.example.com/film.webm?dl=1", "type": "video/webm",
                    "title": "Recording"}, "elsewhere: no length, which Atom lets an enclosure leave out"
    assert links(found["chat"], "enclosure") == [], "no recording, no enclosure"
    assert links(found["clip"], "enclosure") == [], "a YouTube video is a page, not a file to fetch"


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("static/ep12.mp3", "audio", "audio/mpeg"),
    ("https://cdn.example.com/ep12.MP3?dl=1#t=4", "audio", "audio/mpeg"),
    ("ep12.m4a", "audio", "audio/mp4"),
    ("ep12.mp4", "audio", "audio/mp4"),
    ("ep12.mp4", "video", "video/mp4"),
    ("ep12.webm", "audio", "audio/webm"),
    ("ep12.ogg", "audio", "audio/ogg"),
    ("ep12.ogg", "video", "video/ogg"),
    ("ep12.flac", "audio", "audio/flac"),
    ("ep12.mov", "video", "video/quicktime"),
    ("ep12", "audio", ""),
    ("ep12.nosuch", "audio", ""),
])
def test_a_recordings_type_comes_from_its_file_name(name, kind, expected):
    """The same on every machine: Python's own table and gloss's, never the
    machine's /etc/mime.types (a `.m4a` is unknown to one and not the other)."""
    assert media_type(name, kind) == expected


def test_every_download_the_page_offers_is_linked_with_its_type(site):
    for slug, entry in entries(site).items():
        page_url = BASE + slug + "/"
        offered = {(urljoin(page_url, a["href"]), a["type"])
                   for a in html(site / slug / "index.html").select("#downloads a[href]")}
        linked = {(link["href"], link["type"]) for link in links(entry, "related")}
        assert linked == offered, slug
        for href, kind in linked:
            assert (site / href[len(BASE):]).is_file(), f"{href} is written"
            assert kind == TYPES[href.rpartition(".")[2]], href
        assert {link["title"] for link in links(entry, "related")} >= {"Plain text", "Markdown"}
    timed = {link["href"].rpartition(".")[2] for link in links(entries(site)["rivers"], "related")}
    untimed = {link["href"].rpartition(".")[2] for link in links(entries(site)["chat"], "related")}
    assert timed == {"vtt", "srt", "json", "md", "txt"}
    assert untimed == {"html", "json", "md", "txt"}, "no captions without times: the HTML transcript instead"


def test_a_build_that_keeps_the_pages_links_the_same_downloads(project, site):
    """The feed is made from the pages as the site keeps them, without their
    text; a build that takes them from the cache still knows what each wrote."""
    before = (site / "feed.xml").read_bytes()
    result = pipeline.build(load_config(project / "config.yaml"))
    assert "rivers/index.html" not in result.rendered, "the page was kept, not made again"
    assert (site / "feed.xml").read_bytes() == before


def test_the_feed_names_its_stylesheets_relative_to_itself(site):
    head = (site / "feed.xml").read_text("utf-8").split("<feed", 1)[0]
    sheets = dict((kind, href) for kind, href in
                  re.findall(r'<\?xml-stylesheet type="([^"]+)" href="([^"]+)"\?>', head))
    assert sheets == {"text/xsl": "static/feed.xsl", "text/css": "static/feed.css"}
    feed_url = BASE + "feed.xml"
    for href in sheets.values():
        assert urljoin(feed_url, href) == BASE + href, "found under the site's own path"
        assert (site / href).is_file()
    xsl = ET.parse(site / "static" / "feed.xsl").getroot()  # well-formed
    assert xsl.tag == f"{XSL}stylesheet" and xsl.get("version") == "1.0"
    assert xsl.find(f"{XSL}output").get("method") == "html"
    assert ET.parse(site / "feed.xml").getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


class Pages(http.server.SimpleHTTPRequestHandler):
    """The site under /demo/, with the types GitHub Pages gives these files
    (a feed served as application/atom+xml is downloaded by Chromium, not shown)."""

    site: Path
    extensions_map: ClassVar[dict[str, str]] = {".xml": "application/xml", ".xsl": "application/xml", ".css": "text/css",
                                             ".html": "text/html", ".wav": "audio/wav"}

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        return str(self.site / path[len("/demo/"):]) if path.startswith("/demo/") else "/nowhere"


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (Pages,), {"site": site}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/demo/"
    server.shutdown()


def test_a_browser_shows_the_feed_as_a_page_of_linked_transcripts(browser, served, site):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served + "feed.xml")
    need(page.evaluate("typeof XSLTProcessor") == "function",
         "this Chromium has no XSLT (being removed from Chromium): the feed shows through static/feed.css")
    assert page.evaluate("document.documentElement.localName") == "html", "the XSLT made it a page"
    assert page.locator("h1").inner_text() == "Listening"
    assert page.locator("h1 a").get_attribute("href") == BASE
    about = page.locator(".about").inner_text()
    assert "feed reader" in about and BASE + "feed.xml" in about
    feed = entries(site)
    shown = page.eval_on_selector_all("article h2 a", "as => as.map(a => [a.textContent, a.getAttribute('href')])")
    assert shown == [[e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link[@rel='alternate']").get("href")]
                     for e in feed.values()], "every entry's title, linked to its page, newest first"
    rivers = page.locator("article", has=page.get_by_role("link", name=TITLES["rivers"]))
    assert rivers.locator(".meta").inner_text() == "28 November 2025 · Ann Lee, Bob Stone"
    assert rivers.locator(".meta time").get_attribute("datetime") == "2025-11-28"
    assert rivers.locator(".summary").inner_text() == "Ann and Bob on maps of rivers."
    files = rivers.locator(".files a").evaluate_all(
        "as => as.map(a => [a.textContent.trim(), a.getAttribute('href'), a.type])")
    assert files == [["Recording", BASE + "static/tone.wav", "audio/x-wav"]] + [
        [link["title"], link["href"], link["type"]] for link in links(feed["rivers"], "related")]
    assert rivers.locator(".files").inner_text().count(".vtt") == 1, "each file's extension beside it"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    page.close()


def test_a_browser_without_xslt_styles_the_feed_with_css(browser, served):  # noqa: F811
    """What Chromium shows once it has no XSLT (`--disable-blink-features=XSLT`
    turns it off today): the feed's own elements, styled by static/feed.css."""
    without = browser.browser_type.launch(executable_path=CHROMIUM, args=[*ARGS, "--disable-blink-features=XSLT"])
    try:
        page = without.new_page()
        page.goto(served + "feed.xml")
        assert page.evaluate("document.documentElement.localName") == "feed", "the XML, untransformed"
        shown = page.evaluate("""() => {
            const style = (e) => getComputedStyle(e);
            const all = (name) => [...document.getElementsByTagName(name)];
            return {
              titles: all('title').filter(t => style(t).display === 'block').map(t => t.textContent),
              summaries: all('summary').filter(t => style(t).display === 'block').length,
              hidden: ['id', 'link', 'updated', 'published', 'author', 'generator']
                .every(n => all(n).every(e => style(e).display === 'none')),
              note: getComputedStyle(document.documentElement, '::after').content,
            };
        }""")
        assert shown["titles"] == ["Listening", *(TITLES[s] for s in ("rivers", "chat", "film", "clip"))]
        assert shown["summaries"] == 4
        assert shown["hidden"], "the addresses and dates of the XML are not shown raw"
        assert "feed reader" in shown["note"]
    finally:
        without.close()

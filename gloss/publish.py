"""What search engines, feed readers and social sites read: the Atom feed,
sitemap.xml, robots.txt, Open Graph and Twitter card tags, and schema.org
JSON-LD. Absolute URLs come only from `base_url` (pages link to each other
relatively, so the site works at any path); without it, what needs them is left
out and the build says so once.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import mimetypes
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt
from markupsafe import Markup

from . import __version__
from .config import Config
from .model import Page, Passage, Person, SiteModel

_MD = MarkdownIt("commonmark", {"html": False})
DESCRIPTION_CHARS = 200


@functools.lru_cache(maxsize=8192)
def plain(markdown: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Markdown as the plain text a `<meta name="description">` wants: no `**`,
    no link syntax, whitespace collapsed, cut at a word near `limit`."""
    words: list[str] = []
    for token in _MD.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type in ("paragraph_close", "heading_close", "list_item_close"):
            words.append(" ")
    text = " ".join("".join(words).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True, slots=True)
class Social:
    """The tags that describe one page to social sites and search engines."""

    title: str
    description: str
    kind: str = "website"
    """og:type: `website`, or `article` for a transcript or a quote."""
    url: str = ""
    image: str = ""


def social(config: Config, relpath: str, title: str, description: str, kind: str = "website") -> Social:
    url = relpath.removesuffix("index.html")
    return Social(title, plain(description) if description else plain(config.description),
                  kind, config.base_url + url if config.base_url else "",
                  absolute(config, config.image) if config.image else "")


def absolute(config: Config, url: str) -> str:
    """A site path (`static/card.png`) or an address as an absolute URL."""
    if url.startswith(("http://", "https://")) or not config.base_url:
        return url if url.startswith(("http://", "https://")) else ""
    return config.base_url + url.lstrip("/")


def json_ld(data: dict[str, object]) -> Markup:
    """JSON-LD for a `<script>`: `<`, `>` and `&` are written as JSON's `\\u003c`
    escapes, so nothing a title says (`</script>`, `<!--`) can end the script or
    change how the HTML parser reads it, and the text stays JSON (`<\\!--` is not)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _iso_duration(minutes: int) -> str:
    return f"PT{minutes // 60}H{minutes % 60}M" if minutes >= 60 else f"PT{minutes}M"


def transcript_ld(config: Config, page: Page, topics: dict[str, str]) -> Markup:
    """`PodcastEpisode` when the page has a recording, else `CreativeWork`:
    speakers as `Person`s, topics as what it is `about`."""
    url = config.base_url + page.url if config.base_url else ""
    people = [{"@type": "Person", "name": s.name, **({"jobTitle": s.role} if s.role else {}),
               **({"url": config.base_url + f"people/{s.person}/"} if s.person and config.base_url else {})}
              for s in page.speakers if s.key != "unattributed"]
    media = page.meta.media
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode" if media else "CreativeWork",
        "name": page.title,
        "inLanguage": config.language,
        "timeRequired" if not media else "duration": _iso_duration(page.minutes),
        "wordCount": page.words,
        "transcript": (url + page.slug.rpartition("/")[2] + ".txt") if url else page.slug + ".txt",
    }
    data["actor" if media else "contributor"] = people
    if url:
        data["url"] = url
    if page.meta.date:
        data["datePublished"] = page.meta.date.isoformat()
    if page.meta.description:
        data["description"] = plain(page.meta.description)
    if page.topics:
        data["about"] = [{"@type": "Thing", "name": topics[tid]} for tid in page.topics if tid in topics]
    if media:
        address = (media.youtube and f"https://www.youtube.com/watch?v={media.youtube}") or \
            absolute(config, media.audio or media.video) or media.audio or media.video
        kind = "VideoObject" if media.youtube or media.video else "AudioObject"
        data["associatedMedia"] = {"@type": kind, "contentUrl": address}
    return json_ld(data)


def person_ld(config: Config, person: Person) -> Markup:
    return _person_ld(config.base_url, person)


@functools.lru_cache(maxsize=8192)
def _person_ld(base_url: str, person: Person) -> Markup:
    """Made once per person while serving: every rebuild renders every person's page."""
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "Person", "name": person.name}
    if person.role:
        data["jobTitle"] = person.role
    if person.bio:
        data["description"] = plain(person.bio)
    if person.links:
        data["sameAs"] = [url for _, url in person.links]
    if base_url:
        data["url"] = base_url + f"people/{person.id}/"
    return json_ld(data)


def quote_title(q: Passage) -> str:
    """A quote as a social card's title: the words and who said them."""
    text = " … ".join(part.text for part in q.parts)
    names = " and ".join(s.name for s in q.speakers)
    return f"“{plain(text, 150)}” ({names})"


# Files: sitemap, robots.txt, feed.


def lastmod(page: Page) -> dt.date:
    """When a page last changed, as far as gloss can tell: its date, or its file's."""
    return page.meta.date or dt.datetime.fromtimestamp(page.modified or 0, dt.timezone.utc).date()


def sitemap(config: Config, entries: Iterable[tuple[str, dt.date | None]]) -> bytes:
    rows = "".join(f"  <url><loc>{escape(config.base_url + url)}</loc>"
                   + (f"<lastmod>{day.isoformat()}</lastmod>" if day else "") + "</url>\n"
                   for url, day in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>\n").encode()


def robots(config: Config) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {config.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode()


FEED_ENTRIES = 50
FEED_STYLES = ("static/feed.xsl", "static/feed.css")
"""The theme's files a browser shows the feed with, relative to the feed (at the
site root, so under any path the site is published at, and from the feed's own
origin, as a browser requires of an XSLT): the XSLT makes it a page; browsers
without XSLT (Chromium is removing it) style the XML with the CSS instead."""
MEDIA_TYPES = {".m4a": "audio/mp4", ".m4b": "audio/mp4", ".oga": "audio/ogg", ".ogg": "audio/ogg",
               ".flac": "audio/flac", ".m4v": "video/mp4", ".mkv": "video/x-matroska"}
"""Recordings missing from Python's own table of types. Only that table is read
(`MimeTypes()`), not the machine's /etc/mime.types as `mimetypes.guess_type`
does, so a site gets the same feed on every machine."""


def media_type(target: str, kind: str) -> str:
    """The MIME type of a recording from its file name (`ep12.mp3` -> `audio/mpeg`),
    with `kind` (`audio` or `video`) for a container of either (`.webm`, `.mp4`,
    `.ogg`); empty when unknown."""
    suffix = PurePosixPath(urlsplit(target).path).suffix.lower()
    found = MEDIA_TYPES.get(suffix) or _types().guess_type("x" + suffix)[0] or ""
    major, _, minor = found.partition("/")
    return f"{kind}/{minor}" if major in ("audio", "video") and minor in ("mp4", "webm", "ogg") else found


@functools.cache
def _types() -> mimetypes.MimeTypes:
    return mimetypes.MimeTypes()


def enclosure(config: Config, page: Page, static: Mapping[str, Path]) -> str:
    """The recording as an Atom enclosure: its type, and its length when it is a
    file in the site (Atom lets it be left out); none for YouTube, whose video
    is a page, not a file an app can fetch."""
    media = page.meta.media
    target = media.audio or media.video
    if not target:
        return ""
    kind = media_type(target, "audio" if media.audio else "video")
    local = None if target.startswith(("http://", "https://")) else static.get(unquote(urlsplit(target).path))
    size = local.stat().st_size if local is not None and local.is_file() else None
    return (f'    <link rel="enclosure" href={quoteattr(media.url(config.base_url))}'
            + (f' type="{kind}"' if kind else "") + (f' length="{size}"' if size is not None else "")
            + ' title="Recording"/>')


def feed(config: Config, model: SiteModel, exported: Mapping[str, Collection[str]] | None = None,
         static: Mapping[str, Path] | None = None) -> bytes:
    """An Atom feed of the newest transcripts: title, link, date, summary, the
    recording as its enclosure, and a link to each of its downloads with its
    type (those Podcasting 2.0 gives `podcast:transcript`). `exported`: each
    page's files (slug -> paths), which tell its downloads where the page, kept
    without its text, cannot; `static`: the theme's files, which give a
    recording in the site its length."""
    from .exports import downloads, written

    base = config.base_url
    pages = [p for p in model.pages][:FEED_ENTRIES]
    updated = max((lastmod(p) for p in pages), default=dt.date(2000, 1, 1))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           *(f'<?xml-stylesheet type="{"text/xsl" if href.endswith(".xsl") else "text/css"}" href="{href}"?>'
             for href in FEED_STYLES),
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
           f"  <title>{escape(config.title)}</title>",
           # Atom wants an author for every entry: the site, where no one is named.
           f"  <author><name>{escape(config.title)}</name></author>",
           f"  <id>{escape(base)}</id>",
           f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
           f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
           f"  <updated>{updated.isoformat()}T00:00:00Z</updated>",
           f'  <generator version="{__version__}">gloss</generator>']
    if config.description:
        out.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    for p in pages:
        url = base + p.url
        names = ", ".join(s.name for s in p.speakers if s.key != "unattributed")
        summary = plain(p.meta.description, 500) if p.meta.description else \
            f"A transcript of {p.minutes} minutes" + (f" with {names}" if names else "") + "."
        day = lastmod(p).isoformat()
        files = written(p, exported[p.slug]) if exported is not None and p.slug in exported else downloads(p)
        recording = enclosure(config, p, static or {})
        out += ["  <entry>",
                f"    <title>{escape(p.title)}</title>",
                f"    <id>{escape(url)}</id>",
                f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                *([recording] if recording else []),
                # `related`, not `enclosure`: an app takes an entry's enclosure for
                # the episode to play, which the captions are not.
                *(f'    <link rel="related" type="{d.type}" href={quoteattr(url + d.href)} '
                  f"title={quoteattr(d.label)}/>" for d in files),
                f"    <updated>{day}T00:00:00Z</updated>",
                *([f"    <published>{p.meta.date.isoformat()}T00:00:00Z</published>"] if p.meta.date else []),
                *(f"    <author><name>{escape(s.name)}</name></author>" for s in p.speakers
                  if s.person),
                f"    <summary>{escape(summary)}</summary>",
                "  </entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode()

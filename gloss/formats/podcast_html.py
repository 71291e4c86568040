"""Podcasting 2.0 HTML transcripts (`.html`), the namespace's format for
transcripts with few or no times:

    <cite>Travis:</cite>
    <time>0:00</time>
    <p>When you first get started in podcasting, ...</p>

A `<cite>` names who speaks from there on, a `<time>` (or a `<p>` holding
only a time, as some exporters write it) gives the start of the paragraph
after it, and each `<p>` is a paragraph (its inline markup dropped,
character references decoded). Text outside any `<p>` that is not the page's
title, a script or a style is kept as a paragraph too, so no word is lost; a
`<title>` or first `<h1>` becomes the page's title.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..errors import SiteError, SourcePos, warning
from ..fsutil import printable
from ..model import Transcript
from .common import TIME, SourceCue, assemble, generic, seconds

STAMP = re.compile(rf"\s*(?P<time>{TIME})\s*")
HIDDEN = frozenset({"script", "style", "head", "template", "noscript"})
TITLES = frozenset({"title", "h1"})


PARAGRAPH_TIME = re.compile(rf"<p[^>]*>\s*(?:<time[^>]*>)?\s*{TIME}\s*(?:</time>)?\s*</p>", re.I)


def sniff(text: str) -> bool:
    """Paragraphs with speakers (`<cite>`) or times (`<time>`, or a paragraph
    holding only a time, as some exporters write them)."""
    head = text[:100_000].lower()
    return "<p" in head and ("<cite" in head or "<time" in head or bool(PARAGRAPH_TIME.search(head)))


class _Reader(HTMLParser):
    """Collects (kind, text, line, col) events: `cite`, `time`, `p`, `title`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, int, int]] = []
        self.text: list[str] = []
        self.kind = ""
        self.at = (1, 1)

    def _open(self, kind: str) -> None:
        self._close()
        line, col = self.getpos()
        self.kind, self.at, self.text = kind, (line, col + 1), []

    def _close(self) -> None:
        words = " ".join("".join(self.text).split())
        if words:
            self.events.append((self.kind or "p", words, *self.at))
        self.kind, self.text = "", []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN or tag in TITLES or tag in ("cite", "time", "p"):
            self._open(tag)
        elif tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN or tag in TITLES or tag in ("cite", "time", "p"):
            self._close()

    def handle_data(self, data: str) -> None:
        if not self.kind and data.strip() and not self.text:
            line, col = self.getpos()
            self.at = (line, col + 1)
        self.text.append(data)


def parse(path: str, text: str) -> Transcript:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._close()
    cues: list[SourceCue] = []
    problems: list[SiteError] = []
    label, start, title = "", None, ""
    cited: tuple[int, int] | None = None
    """Where the last `<cite>` was, until a paragraph is under it."""
    named = any(kind == "cite" for kind, *_ in reader.events)
    """Without any `<cite>`, paragraphs are timed stretches of one voice that
    break mid-sentence: they run on, and the clean stage makes the paragraphs."""
    for kind, words, line, col in reader.events:
        if kind == "cite":
            label, cited = printable(words).strip().rstrip(":").strip(), (line, col)
        elif kind in ("time", "p") and (m := STAMP.fullmatch(words)):
            start = seconds(m["time"])  # a `<p>` holding only a time is one too
        elif kind == "time":
            problems.append(warning(SourcePos(path, line, col), f"skipped a time that cannot be read: "
                                    f"`{words[:40]}`", "write it as m:ss or h:mm:ss"))
        elif kind in TITLES:
            title = title or printable(words)
        elif kind not in HIDDEN:
            cues.append(SourceCue(label, [(printable(words), line, col)], start, continues=not label,
                                  new_paragraph=named, label_at=cited,
                                  new_turn=cited is not None and generic(label)))
            start, cited = None, None
    return Transcript(path, "podcast-html", assemble(path, cues), title=title, problems=problems)

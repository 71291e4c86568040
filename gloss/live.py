"""What the preview shows, shared by the rebuild loop (`serve.py`) and the
requests (`preview.py`): the last good site's folder (or, while the first build
runs, its staging copy, whose pages show as they are made while the home page
says how far it has got), the current errors, and the epoch. Each build, good
or bad, bumps the epoch, and each page keeps the epoch it last changed at: an
open page reloads only when it changed (every page after new errors). The
reload script and the error overlay are added to responses only, never to
files.
"""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

EVENTS = "/__gloss/events"


@dataclass
class LiveSite:
    """What the server shows: the last good site's folder (or, while the first
    build runs, its staging copy), the current errors, the epoch."""

    folder: Path | None = None
    """The published site, once a build has succeeded (or one was there already)."""
    building: Path | None = None
    """The first build's staging copy, whose pages can be shown as they are made."""
    output: Path | None = None
    """Where the first build publishes: once it swaps its copy in, pages are there
    (a moment before the build says it is done)."""
    done: tuple[int, int] = (0, 0)
    """Transcripts the first build has made, of how many."""
    errors: str = ""
    epoch: int = 0
    everything: int = 0
    """The epoch since which every open page must reload (new errors, a first build,
    a changed style sheet)."""
    pages: dict[str, int] = field(default_factory=dict)
    """Page (`/path/`) -> the epoch it last changed: only open pages that changed reload."""
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    overrides: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    """Output path -> (its bytes, the save they were made for): a page made the
    moment its file was saved (quickpage.py), shown until a build that read that
    save publishes its files (`settle`)."""

    def publish(self, folder: Path | None, errors: str, reload: bool = True,
                pages: Iterable[str] | None = None) -> None:
        """Record a build's outcome; a failed build (folder None) keeps the old site.
        `pages`: the pages that changed (`page_of`), None for all of them; without
        `reload`, open pages are not told (only the search index changed)."""
        with self.changed:
            if folder is not None:
                self.folder = folder
                self.building = None
            if not reload and errors == self.errors:
                return
            self.epoch += 1
            if pages is None or errors != self.errors:
                self.everything = self.epoch
            else:
                self.pages.update(dict.fromkeys(pages, self.epoch))
            self.errors = errors
            self.changed.notify_all()

    def override(self, files: dict[str, bytes], save: int, page: str = "") -> None:
        """Show these files (one page's) in place of the site's until `settle(save)`,
        and tell the open copies of `page`, if given, to reload."""
        with self.changed:
            self.overrides.update((rel, (data, save)) for rel, data in files.items())
        if page:
            self.publish(None, self.errors, pages=[page])

    def settle(self, upto: int) -> None:
        """A build that read every save up to `upto` published its files: the pages
        made for those saves give way to them."""
        with self.changed:
            self.overrides = {rel: held for rel, held in self.overrides.items() if held[1] > upto}

    def written(self, rel: str, data: bytes, upto: int) -> bool:
        """A build that read every save up to `upto` wrote `rel`: whether open copies
        of it must reload. Not when they show these very bytes (the page made at a
        save, which the build then writes as it was), nor a later save's page; a
        page made for an earlier save gives way to the file at once (served in its
        place, it hid the build's newer page from the reload)."""
        with self.changed:
            held = self.overrides.get(rel)
            if held is None:
                return True
            if held[0] == data or held[1] > upto:
                return False
            del self.overrides[rel]
            return True

    def stale(self, page: str, seen: int) -> bool:
        """Whether a page shown at epoch `seen` has changed since."""
        with self.changed:
            return max(self.everything, self.pages.get(page_of(page), 0)) > seen

    def read(self, rel: str) -> bytes | None:
        """A file of the site, never one outside it (the writer carries a user's links
        over into site/, and they may point anywhere)."""
        held = self.overrides.get(rel)
        if held is not None:
            return held[0]
        for folder in (self.folder, None if self.folder else self.output, self.building):
            if folder is None:
                continue
            root = os.path.realpath(folder)
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(root + os.sep):
                continue
            try:
                with open(path, "rb") as f:
                    return f.read()
            except OSError:
                continue
        return None

    def wait_past(self, epoch: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch > epoch or self.stopping, timeout)
            return self.epoch

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def building_page(live: LiveSite) -> bytes:
    """What a page not made yet shows while the first build runs (it reloads itself
    when the build is done)."""
    done, total = live.done
    return (f"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Building the site</title>"
            f"<body style=\"font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
            f"padding:0 1rem\">"
            f"<h1>Building the site</h1><p role=\"status\">{done:,} of {total:,} transcripts made so far. "
            f"This page appears when they are all done, and reloads by itself.</p></body></html>").encode()


def page_of(path: str) -> str:
    """A page's key: its URL path, `/talk/` for `talk/index.html` or `/talk/index.html`."""
    path = "/" + unquote(path).lstrip("/")
    return path.removesuffix("index.html")


def reload_script(epoch: int) -> str:
    """Reload when told: the server says so only when this very page changed (or
    every page must reload), so editing one transcript does not reload the others."""
    return (
        f"<script>(()=>{{const es=new EventSource('{EVENTS}?seen={epoch}&page='"
        "+encodeURIComponent(location.pathname));"
        "es.onmessage=()=>{es.close();location.reload();};})();</script>"
    )


def error_overlay(errors: str) -> str:
    return (
        '<div id="gloss-error" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:99999;'
        "max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;"
        'color:#ffd9d9;border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,monospace">'
        '<strong style="color:#fff">Build failed: showing the last good version of the site.'
        "</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">"
        f"{html.escape(errors)}</pre></div>"
    )


def inject(page: bytes, epoch: int, errors: str, more: str = "") -> bytes:
    """Add the reload script (and the error overlay, and `more`: the annotation
    toolbar on a transcript page) before `</body>`."""
    extra = ((error_overlay(errors) if errors else "") + reload_script(epoch) + more).encode("utf-8")
    # On the bytes, from the end: a page is served on every reload and poll, and
    # decoding a long transcript to text and back cost more than sending it.
    at = page.rfind(b"</body>")
    if at < 0:
        at = page.lower().rfind(b"</body>")
    return page[:at] + extra + page[at:] if at >= 0 else page + extra

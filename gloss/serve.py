"""Live preview: build, serve on 127.0.0.1, rebuild on change, reload open pages.

One build loop owns every build; watchdog only records what changed, and the
loop waits until events stop (editors save several files, or write a temp file
and rename it) before rebuilding. Pages are read from the output folder, which
the writer only ever replaces whole, so requests never see a half-written site;
a path that leads outside it is refused. While the first build runs, pages are
served from its staging copy as they are made, and the home page says how far
it has got. Each build, good or bad, bumps an epoch; open pages listen on
server-sent events and reload when it moves. A failed build keeps the last good
site and shows its errors in the terminal and over every page until fixed. The
reload script and the overlay are added to responses only, never to files.

The server holds under load, against slow clients and against other sites:
connections wait for their whole request without a thread and within a
deadline, a bounded number of threads answer them (see connections.py), and a
request whose `Host` is not this server (a DNS rebinding page in the browser) is
refused with 403.
"""

from __future__ import annotations

import errno
import functools
import html
import mimetypes
import os
import posixpath
import signal
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.observers.api import BaseObserver

from . import pipeline, watch, write
from . import search as site_search
from .config import Config, load_config
from .connections import OneRequestHandler, PreviewServer
from .errors import BuildFailed, SiteError, SourcePos

EVENTS = "/__gloss/events"
PING = 10.0
"""Seconds between keep-alive comments on an event stream; a gone client shows then."""
DEBOUNCE = 0.1
"""Seconds without file events before a rebuild starts, unless every change is a
save that is over (see watch.Changes.saved): then at once."""
SETTLE = 0.5
"""After a folder appears, build once more this much later (see watch.Changes)."""
SEARCH_READY = Path("<search index ready>")
"""Not a file: the change the search indexer reports when a new index is ready."""


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

    def stale(self, page: str, seen: int) -> bool:
        """Whether a page shown at epoch `seen` has changed since."""
        with self.changed:
            return max(self.everything, self.pages.get(page_of(page), 0)) > seen

    def read(self, rel: str) -> bytes | None:
        """A file of the site, never one outside it (the writer carries a user's links
        over into site/, and they may point anywhere)."""
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


def inject(page: bytes, epoch: int, errors: str) -> bytes:
    """Add the reload script (and the error overlay) before `</body>`."""
    extra = (error_overlay(errors) if errors else "") + reload_script(epoch)
    text = page.decode("utf-8", "replace")
    at = text.lower().rfind("</body>")
    text = text[:at] + extra + text[at:] if at >= 0 else text + extra
    return text.encode("utf-8")


def resolve(live: LiveSite, url_path: str) -> tuple[HTTPStatus, str, bytes | str]:
    """Map a request path to (status, file path or redirect target, body)."""
    path = unquote(urlsplit(url_path).path)
    if "\\" in path or "\0" in path or any(p == ".." for p in path.split("/")):
        return HTTPStatus.BAD_REQUEST, "", b"bad path"
    rel = posixpath.normpath(path).lstrip("/")
    rel = "" if rel == "." else rel
    candidate = posixpath.join(rel, "index.html") if not rel or path.endswith("/") else rel
    if live.folder is None and live.building is not None and candidate == "index.html":
        # The home page lists every transcript: it shows once they are all made.
        return HTTPStatus.SERVICE_UNAVAILABLE, "building.html", building_page(live)
    data = live.read(candidate)
    if data is not None:
        return HTTPStatus.OK, candidate, data
    if live.read(posixpath.join(rel, "index.html")) is not None:
        return HTTPStatus.MOVED_PERMANENTLY, "/" + rel + "/", ""  # never `//host/`
    if live.folder is None and live.building is not None:
        return HTTPStatus.SERVICE_UNAVAILABLE, "building.html", building_page(live)
    return HTTPStatus.NOT_FOUND, "404.html", live.read("404.html") or b"<h1>Not found</h1>"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range of `Range: bytes=a-b` (a player seeking in a recording), or
    None for the whole file or a range this server does not serve."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:
            start, end = max(0, size - int(last)), size - 1
    except ValueError:
        return None
    return (start, min(end, size - 1)) if 0 <= start <= end and start < size else None


def host_allowed(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server. Browsers always send one;
    a page on another site that rebinds its name to 127.0.0.1 sends its own name."""
    if host is None:
        return True  # not a browser: it cannot be a rebinding page
    names = ("127.0.0.1", "localhost")
    allowed = {f"{n}:{port}" for n in names} | (set(names) if port == 80 else set())
    return host.strip().lower() in allowed


def make_handler(live: LiveSite) -> type[BaseHTTPRequestHandler]:
    class Handler(OneRequestHandler):
        server_version = "gloss"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal is for build output

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
            if not host_allowed(self.headers.get("Host"), self.server.server_address[1]):
                self._plain(HTTPStatus.FORBIDDEN, "gloss serves only 127.0.0.1 and localhost\n", head)
                return
            if urlsplit(self.path).path == EVENTS and not head:
                self._events()
                return
            status, name, body = resolve(live, self.path)
            if status == HTTPStatus.MOVED_PERMANENTLY:
                self.send_response(status)
                self.send_header("Location", str(name))
                self.end_headers()
                return
            data = body if isinstance(body, bytes) else body.encode()
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            nothing_yet = live.folder is None and live.building is None
            if ctype == "text/html" or nothing_yet:
                ctype = "text/html"
                if nothing_yet:  # no good build yet: show only the errors
                    status = HTTPStatus.INTERNAL_SERVER_ERROR
                    data = b"<!doctype html><title>Build failed</title><body></body>"
                data = inject(data, live.epoch, live.errors)
            span = byte_range(self.headers.get("Range"), len(data)) \
                if status == HTTPStatus.OK and ctype != "text/html" else None
            self.send_response(HTTPStatus.PARTIAL_CONTENT if span else status)
            charset = "; charset=utf-8" if ctype.startswith("text/") else ""
            self.send_header("Content-Type", ctype + charset)
            if span:
                self.send_header("Content-Range", f"bytes {span[0]}-{span[1]}/{len(data)}")
                data = data[span[0] : span[1] + 1]
            if status == HTTPStatus.OK and ctype != "text/html":
                self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _plain(self, status: HTTPStatus, text: str, head: bool = False) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _events(self) -> None:
            if not self.server.stream():
                self._plain(HTTPStatus.SERVICE_UNAVAILABLE, "too many open pages\n")
                return
            try:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                query = parse_qs(urlsplit(self.path).query)
                page = query.get("page", ["/"])[0]
                try:
                    seen = int(query.get("seen", ["-1"])[0])
                except ValueError:
                    seen = -1
                epoch = -1
                while not live.stopping:
                    current = live.wait_past(epoch, timeout=PING)
                    # A comment line now and then keeps proxies and the browser patient,
                    # and shows when the page has gone (the write fails).
                    if current == epoch:
                        message = ": ping\n\n"
                    elif live.stale(page, seen):
                        message = f"data: {current}\n\n"
                    else:
                        epoch = current
                        continue  # another page changed
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    epoch = current
            except (ConnectionError, TimeoutError):
                pass
            finally:
                self.server.end_stream()

    return Handler


def bind(
    port: int, explicit: bool, handler: type[BaseHTTPRequestHandler], out: TextIO
) -> PreviewServer:
    """Listen on 127.0.0.1 only; if the default port is taken, try the next ones."""
    tries = 1 if explicit else 20
    for candidate in range(port, min(port + tries, 65536)):
        try:
            server = PreviewServer(("127.0.0.1", candidate), handler)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, 10048):  # 10048: Windows
                continue
            hint = ("ports below 1024 need administrator rights: pick another with --port N"
                    if isinstance(exc, PermissionError) else "pick another with --port N")
            raise SiteError(SourcePos("--port"), f"cannot listen on port {candidate}: "
                            f"{exc.strerror or exc}", hint) from None
        if candidate != port:
            print(f"port {port} is in use; using {candidate}", file=out)
        return server
    raise SiteError(
        SourcePos("--port"),
        f"port {port} is in use" + ("" if explicit else f" (and the next {tries - 1})"),
        "stop the other server, or pick another with --port N",
    )


class Builder:
    """Runs builds for serve, keeping caches between them."""

    def __init__(self, config_path: Path, config: Config, live: LiveSite, out: TextIO) -> None:
        self.config_path = config_path
        self.config = config
        self.live = live
        self.out = out
        self.caches = pipeline.Caches(keep_staging=True)

    def failed(self, text: str) -> None:
        """Show a build's errors; the last good site (if any) stays up."""
        print(text, file=self.out)
        self.live.building = None  # a failed first build's pages are not a site
        self.live.publish(None, text)

    def progress(self, done: int, total: int, name: str) -> None:
        self.live.done = (done, total)

    def _wrote(self, early: set[str], rel: str) -> None:
        """A page written in place mid-build: open copies of it reload now, not when
        the rest of the site (the home page, downloads, search) is done."""
        if rel.endswith(".html"):
            page = page_of(rel)
            early.add(page)
            self.live.publish(None, self.live.errors, pages=[page])

    @staticmethod
    def _pages(paths: list[str]) -> set[str] | None:
        """The pages to reload for these changed output paths; None (all of them)
        when a style sheet, script or other file of the theme changed."""
        if any(p.startswith("static/") for p in paths):
            return None
        return {page_of(p) for p in paths if p.endswith(".html")}

    @staticmethod
    def _content_changed(changed: dict[Path, watch.Change]) -> frozenset[Path] | None:
        """The content paths the watcher named, or None when this build was not
        started by the watcher (the first, or a look again): then content/ is walked."""
        if not changed:
            return None
        return frozenset(p for p, kind in changed.items()
                         if kind is watch.Change.CONTENT and p != SEARCH_READY)

    def build(self, changed: dict[Path, watch.Change], verb: str = "rebuilt") -> None:
        started = time.perf_counter()
        for path in changed:  # do not trust mtimes alone on coarse file systems
            self.caches.files.pop(path, None)
        try:
            if watch.Change.CONFIG in changed.values():
                fresh = load_config(self.config_path, required=False)
                self.config = replace(fresh, output_dir=self.config.output_dir,
                                      drafts=self.config.drafts)
                self.caches.clear()
            if self.live.folder is None:  # the first build: show its pages as they come
                self.live.output = self.config.output_path
                self.live.building = write.sibling(Path(os.path.realpath(self.config.output_path)),
                                                   "staging")
            first = self.live.folder is None
            early: set[str] = set()
            result = pipeline.build(self.config, self.progress, caches=self.caches, search=True,
                                    changed=self._content_changed(changed),
                                    wrote=None if first else functools.partial(self._wrote, early))
            if write.InPlaceWriter.usable(self.config.output_path, self.caches.written):
                write.retire_staging(self.config.output_path)  # the next builds write in place
        except BuildFailed as failed:
            self.failed("\n".join(str(e) for e in failed.diagnostics.sorted()))
            return
        except SiteError as err:
            self.failed(str(err))
            return
        except Exception:  # a bug in gloss must not kill the preview either
            self.failed("internal error (please report it):\n" + traceback.format_exc())
            return
        # A new search index alone (made in the background) needs no page reloaded.
        index_only = bool(result.written) and all(w.startswith(f"{site_search.BUNDLE}/")
                                                  for w in result.written)
        pages = self._pages(result.written + result.deleted)
        self.live.publish(self.config.output_path, "", reload=not index_only,
                          pages=None if first or pages is None else pages - early)
        for warning in result.diagnostics.warnings:
            print(warning, file=self.out)
        for note in result.notes:
            print(note, file=self.out)
        if index_only:
            print(f"search index updated: {len(result.written)} file(s) written, "
                  f"{len(result.deleted)} removed", file=self.out, flush=True)
            return
        ms = (time.perf_counter() - started) * 1000
        rendered = ", ".join(result.rendered[:4]) + (" ..." if len(result.rendered) > 4 else "")
        print(f"{verb} in {ms:.0f} ms: {len(result.rendered)} page(s) rendered"
              f"{' (' + rendered + ')' if rendered else ''}, {len(result.written)} file(s) "
              f"written, {len(result.deleted)} removed", file=self.out, flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(config_path: Path, config: Config, port: int, explicit_port: bool, open_browser: bool,
          out: TextIO = sys.stderr) -> int:
    """Build, then serve and rebuild until Ctrl-C (or SIGTERM). Content errors never
    end it; only a port that cannot be had does."""
    live = LiveSite()
    builder = Builder(config_path, config, live, out)
    server: PreviewServer | None = None
    observer: BaseObserver | None = None
    thread: threading.Thread | None = None
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = bind(port, explicit_port, make_handler(live), out)
        # Watch before the first build and before serving: an edit made the
        # moment the page is up (or during the build) must not go unseen.
        changes = watch.Changes()
        # The search index is made on a thread; when it is ready, build once more to publish it.
        builder.caches.search.on_ready = lambda: changes.add(SEARCH_READY, watch.Change.CONTENT,
                                                             time.monotonic(), saved=True)
        content_there = config.content_path.is_dir()
        observer = watch.start(config, changes)
        if (config.output_path / "index.html").is_file():
            # A site built before is whole (the writer replaces it in one step):
            # show it at once; the build below brings it up to date and reloads it.
            live.folder = config.output_path
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"serving {url} (Ctrl-C to stop); watching {config.content_dir}/, themes/, "
              f"{config_path.name}", file=out, flush=True)
        if open_browser:
            webbrowser.open(url)
        builder.build({}, verb="built")
        while True:
            if not changes.wait(timeout=1.0):
                continue
            # A save that is over is built at once; anything else once events pause.
            while (quiet := DEBOUNCE - (time.monotonic() - changes.last_event)) > 0 \
                    and not changes.saved(timeout=quiet):
                pass
            changed = changes.take()
            builder.build(changed)
            watched = (config.content_path.resolve(), content_there)
            if (builder.config.content_path.resolve(), builder.config.content_path.is_dir()) != watched:
                # config.yaml moved the content folder, or it has just been made:
                # watch the folder that is there now.
                observer.stop()
                config = builder.config
                content_there = config.content_path.is_dir()
                observer = watch.start(config, changes)
                # Edits made before the new watch began raised no events: look again.
                builder.build({})
            if changes.take_new_folder():
                time.sleep(SETTLE)
                builder.build({**changed, **changes.take()})
    except KeyboardInterrupt:
        print("\nstopped", file=out)
    finally:
        live.stop()
        if observer is not None:
            observer.stop()
        if server is not None:
            if thread is not None:
                server.shutdown()  # only returns once serve_forever has been running
            server.server_close()
        write.drop_staging(builder.config.output_path)
    return 0

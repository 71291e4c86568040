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

The server holds under load and against other sites: a listen backlog of
`BACKLOG`, a thread only for a connection that has sent its request, at most
`MAX_HANDLERS` of them (more wait their turn; open pages' event streams have
their own `MAX_STREAMS`), every connection closed after `IDLE_TIMEOUT` seconds
of silence, a client that goes away is not an error, and a request whose `Host` is not this server (a DNS
rebinding page in the browser) is refused with 403.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import html
import mimetypes
import os
import posixpath
import selectors
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.observers.api import BaseObserver

from . import pipeline, watch, write
from . import search as site_search
from .config import Config, load_config
from .errors import BuildFailed, SiteError, SourcePos

EVENTS = "/__gloss/events"
BACKLOG = 256
"""Connections the system queues while every handler is busy."""
MAX_HANDLERS = 32
"""Requests served at once; the rest wait in the backlog."""
MAX_STREAMS = 64
"""Open pages listening for reloads at once; one more gets 503 (and no live reload)."""
MAX_WAITING = 256
"""Connections waiting for their request at once; past that the longest silent is closed."""
IDLE_TIMEOUT = 10.0
"""Seconds a connection may stay silent (a request not sent, a reply not read)."""
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


class PreviewServer(ThreadingHTTPServer):
    """A thread per request, but a bounded number of them, and none for silence.

    An accepted connection first waits in a "waiting room" (one thread watching
    every such socket with a selector) until its request arrives; only then does
    it get a handler thread, one of `MAX_HANDLERS`. Connections that stay silent
    for `IDLE_TIMEOUT` (idle browser preconnects, half-open sockets) are closed
    there, costing a file descriptor meanwhile and never a thread."""

    daemon_threads = True
    block_on_close = False  # Ctrl-C stops at once, even with a request half-sent
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.slots = threading.BoundedSemaphore(MAX_HANDLERS)
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self.local = threading.local()
        self.arrivals: list[tuple[Any, Any]] = []
        self.waiting: dict[Any, tuple[float, Any]] = {}
        self.selector = selectors.DefaultSelector()
        self.wake_r, self.wake_w = socket.socketpair()
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        self.room_lock = threading.Lock()
        self.closing = False
        self.room = threading.Thread(target=self._waiting_room, name="gloss-waiting-room", daemon=True)
        super().__init__(address, handler)  # binds; closes the server if it cannot
        self.room.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Park a new connection in the waiting room (the accept loop never blocks)."""
        with self.room_lock:
            self.arrivals.append((request, client_address))
        with contextlib.suppress(OSError):
            self.wake_w.send(b"x")

    def _waiting_room(self) -> None:
        while not self.closing:
            try:
                self._wait_once()
            except Exception:
                if self.closing:
                    return
                traceback.print_exc()  # a bug in gloss: say so, and keep serving

    def _wait_once(self) -> None:
        """Hand the connections whose request has arrived to handler threads; close
        those silent for too long."""
        for key, _ in self.selector.select(timeout=1.0):
            if key.fileobj is self.wake_r:
                with contextlib.suppress(OSError):
                    self.wake_r.recv(4096)
                self._admit()
                continue
            sock: Any = key.fileobj
            if sock not in self.waiting:
                continue  # dropped to make room meanwhile
            self.selector.unregister(sock)
            _, client_address = self.waiting.pop(sock)
            while not self.slots.acquire(timeout=0.5):  # all handlers busy: wait
                if self.closing:
                    self.shutdown_request(sock)
                    return
            try:
                socketserver.ThreadingMixIn.process_request(self, sock, client_address)
            except Exception:
                self.slots.release()
                self.shutdown_request(sock)
                raise
        now = time.monotonic()
        for sock, (deadline, _) in list(self.waiting.items()):
            if deadline < now:
                self._drop(sock)

    def _admit(self) -> None:
        with self.room_lock:
            arrivals, self.arrivals = self.arrivals, []
        for request, client_address in arrivals:
            if len(self.waiting) >= MAX_WAITING:  # make room: the longest silent goes
                self._drop(min(self.waiting, key=lambda s: self.waiting[s][0]))
            self.waiting[request] = (time.monotonic() + IDLE_TIMEOUT, client_address)
            self.selector.register(request, selectors.EVENT_READ)

    def _drop(self, sock: Any) -> None:
        self.selector.unregister(sock)
        del self.waiting[sock]
        self.shutdown_request(sock)

    def server_close(self) -> None:
        self.closing = True
        with contextlib.suppress(OSError):
            self.wake_w.send(b"x")
        if self.room.is_alive():
            self.room.join(timeout=5)
        for sock in list(self.waiting):
            self._drop(sock)
        self.selector.close()
        self.wake_r.close()
        self.wake_w.close()
        super().server_close()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        self.local.streaming = False
        try:
            super().process_request_thread(request, client_address)
        finally:
            if not self.local.streaming:
                self.slots.release()

    def stream(self) -> bool:
        """Move this request from the handler slots to the event-stream ones (it stays
        open as long as the page does); False when those are all taken."""
        if not self.streams.acquire(blocking=False):
            return False
        self.local.streaming = True
        self.slots.release()
        return True

    def end_stream(self) -> None:
        self.streams.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or fell silent is no error; anything else is a bug
        and keeps its traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)) or \
                (isinstance(exc, OSError) and exc.errno in (errno.ENOTCONN, errno.ESHUTDOWN)):
            return  # ENOTCONN: a socket reset before its reply was read
        super().handle_error(request, client_address)


def host_allowed(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server. Browsers always send one;
    a page on another site that rebinds its name to 127.0.0.1 sends its own name."""
    if host is None:
        return True  # not a browser: it cannot be a rebinding page
    names = ("127.0.0.1", "localhost")
    allowed = {f"{n}:{port}" for n in names} | (set(names) if port == 80 else set())
    return host.strip().lower() in allowed


def make_handler(live: LiveSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "gloss"
        timeout = IDLE_TIMEOUT
        server: PreviewServer

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

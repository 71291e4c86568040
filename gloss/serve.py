"""Live preview: build, serve on 127.0.0.1, rebuild on change, reload open pages.

One build loop owns every build; watchdog only records what changed, and the
loop waits until events stop (editors save several files, or write a temp file
and rename it) before rebuilding. Pages are served from the last good build in
memory, so requests never see a half-written site and cannot reach any file
outside it. Each build, good or bad, bumps an epoch; open pages listen on
server-sent events and reload when it moves. A failed build keeps the last good
site and shows its errors in the terminal and over every page until fixed. The
reload script and the overlay are added to responses only, never to files.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import signal
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from watchdog.observers.api import BaseObserver

from . import pipeline, watch
from .config import Config, load_config
from .errors import BuildFailed, SiteError, SourcePos

EVENTS = "/__gloss/events"
DEBOUNCE = 0.1
"""Seconds without file events before a rebuild starts."""
SETTLE = 0.5
"""After a folder appears, build once more this much later (see watch.Changes)."""
SEARCH_READY = Path("<search index ready>")
"""Not a file: the change the search indexer reports when a new index is ready."""


@dataclass
class LiveSite:
    """What the server shows: the last good files, the current errors, the epoch."""

    files: dict[str, bytes] = field(default_factory=dict)
    errors: str = ""
    epoch: int = 0
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, files: dict[str, bytes] | None, errors: str, reload: bool = True) -> None:
        """Record a build's outcome; a failed build (files None) keeps the old files.
        Without `reload`, open pages are not told (only the search index changed)."""
        with self.changed:
            if files is not None:
                self.files = files
            if not reload and errors == self.errors:
                return
            self.errors = errors
            self.epoch += 1
            self.changed.notify_all()

    def wait_past(self, epoch: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch > epoch or self.stopping, timeout)
            return self.epoch

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def reload_script(epoch: int) -> str:
    return (
        f"<script>(()=>{{const seen={epoch};const es=new EventSource('{EVENTS}');"
        "es.onmessage=e=>{if(+e.data>seen){es.close();location.reload();}};})();</script>"
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
    files = live.files
    candidate = posixpath.join(rel, "index.html") if not rel or path.endswith("/") else rel
    if candidate in files:
        return HTTPStatus.OK, candidate, files[candidate]
    if posixpath.join(rel, "index.html") in files:
        return HTTPStatus.MOVED_PERMANENTLY, "/" + rel + "/", ""  # never `//host/`
    return HTTPStatus.NOT_FOUND, "404.html", files.get("404.html", b"<h1>Not found</h1>")


def make_handler(live: LiveSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "gloss"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal is for build output

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
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
            if ctype == "text/html" or not live.files:
                ctype = "text/html"
                if not live.files:  # no good build yet: show only the errors
                    status = HTTPStatus.INTERNAL_SERVER_ERROR
                    data = b"<!doctype html><title>Build failed</title><body></body>"
                data = inject(data, live.epoch, live.errors)
            self.send_response(status)
            charset = "; charset=utf-8" if ctype.startswith("text/") else ""
            self.send_header("Content-Type", ctype + charset)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            epoch = -1
            try:
                while not live.stopping:
                    current = live.wait_past(epoch, timeout=15)
                    # A comment line every 15 s keeps proxies and the browser patient.
                    message = f"data: {current}\n\n" if current != epoch else ": ping\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    epoch = current
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def bind(
    port: int, explicit: bool, handler: type[BaseHTTPRequestHandler], out: TextIO
) -> ThreadingHTTPServer:
    """Listen on 127.0.0.1 only; if the default port is taken, try the next ones."""
    tries = 1 if explicit else 20
    for candidate in range(port, port + tries):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError as exc:
            if exc.errno not in (98, 48, 10048):  # address in use (Linux, macOS, Windows)
                raise
            continue
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
        self.caches = pipeline.Caches()

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
            result = pipeline.build(self.config, caches=self.caches, search=True)
        except BuildFailed as failed:
            text = "\n".join(str(e) for e in failed.diagnostics.sorted())
            print(text, file=self.out)
            self.live.publish(None, text)
            return
        except SiteError as err:
            print(err, file=self.out)
            self.live.publish(None, str(err))
            return
        except Exception:  # a bug in gloss must not kill the preview either
            text = traceback.format_exc()
            print(text, file=self.out)
            self.live.publish(None, "internal error (please report it):\n" + text)
            return
        for warning in result.diagnostics.warnings:
            print(warning, file=self.out)
        for note in result.notes:
            print(note, file=self.out)
        # A new search index alone (made in the background) needs no page reloaded.
        index_only = bool(result.written) and all(w.startswith("pagefind/") for w in result.written)
        self.live.publish(dict(self.caches.written), "", reload=not index_only)
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
    server: ThreadingHTTPServer | None = None
    observer: BaseObserver | None = None
    thread: threading.Thread | None = None
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = bind(port, explicit_port, make_handler(live), out)
        server.daemon_threads = True
        # Watch before the first build and before serving: an edit made the
        # moment the page is up (or during the build) must not go unseen.
        changes = watch.Changes()
        # The search index is made on a thread; when it is ready, build once more to publish it.
        builder.caches.search.on_ready = lambda: changes.add(SEARCH_READY, watch.Change.CONTENT,
                                                             time.monotonic())
        content_there = config.content_path.is_dir()
        observer = watch.start(config, changes)
        builder.build({}, verb="built")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"serving {url} (Ctrl-C to stop); watching {config.content_dir}/, themes/, "
              f"{config_path.name}", file=out, flush=True)
        if open_browser:
            webbrowser.open(url)
        while True:
            if not changes.wait(timeout=1.0):
                continue
            while time.monotonic() - changes.last_event < DEBOUNCE:
                time.sleep(DEBOUNCE / 2)
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
    return 0

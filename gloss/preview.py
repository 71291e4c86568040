"""The preview's HTTP side: which file a request gets (never one outside the
site; while the first build runs, a page not made yet says how far it has
got), a byte range of it (a player seeking in a recording), the server-sent
events that tell an open page to reload (`live.LiveSite`), and the port it
listens on, on 127.0.0.1 only.

The server holds under load, against slow clients and against other sites:
connections wait for their whole request without a thread and within a
deadline, a bounded number of threads answer them (see connections.py), and a
request whose `Host` is not this server (a DNS rebinding page in the browser) is
refused with 403.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import posixpath
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from .annotating import ASSETS, ENDPOINT, MAX_BODY, TOOLBAR, Annotator, Reply, refuse
from .connections import OneRequestHandler, PreviewServer
from .errors import SiteError, SourcePos
from .live import EVENTS, LiveSite, building_page, inject

PING = 10.0
"""Seconds between keep-alive comments on an event stream; a gone client shows then."""


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


BODY_TIMEOUT = 2.0
"""Seconds a POST's body may take to arrive after its head (it is a few hundred bytes)."""


def make_handler(live: LiveSite, annotator: Annotator | None = None) -> type[BaseHTTPRequestHandler]:
    """The request handler; with `annotator`, transcript pages get the annotation
    toolbar and `POST /__gloss/annotate` writes what it sends."""

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
            if annotator is not None and urlsplit(self.path).path in ASSETS:
                self._asset(urlsplit(self.path).path, head)
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
                toolbar = annotator.inject(urlsplit(self.path).path) \
                    if annotator is not None and status == HTTPStatus.OK else ""
                data = inject(data, live.epoch, live.errors, toolbar)
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

        def do_POST(self) -> None:
            port = self.server.server_address[1]
            if not host_allowed(self.headers.get("Host"), port):
                self._json(refuse(HTTPStatus.FORBIDDEN, "gloss serves only 127.0.0.1 and localhost"))
            elif annotator is None or urlsplit(self.path).path != ENDPOINT:
                self._json(refuse(HTTPStatus.NOT_FOUND, "nothing to post to here"))
            else:
                body = self._body()
                self._json(refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the request is too large")
                           if body is None else annotator.handle(self.headers.get("Origin", ""),
                                                           self.headers.get("X-Gloss-Token", ""), body, port))

        def _body(self) -> bytes | None:
            """The request's body (part of it may have come with the head); None when
            it is larger than `MAX_BODY` or does not arrive within `BODY_TIMEOUT`."""
            try:
                size = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return None
            if not 0 <= size <= MAX_BODY:
                return None
            data = self.rfile.read(size)
            deadline = time.monotonic() + BODY_TIMEOUT
            while len(data) < size and (left := deadline - time.monotonic()) > 0:
                self.connection.settimeout(left)
                try:
                    chunk = self.connection.recv(size - len(data))
                except OSError:
                    return None
                if not chunk:
                    return None
                data += chunk
            return data if len(data) == size else None

        def _json(self, reply: Reply) -> None:
            data = json.dumps(reply.body, ensure_ascii=False).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _asset(self, path: str, head: bool) -> None:
            """The toolbar's script and style, from the package (never from the site)."""
            name, ctype = ASSETS[path]
            data = (TOOLBAR / name).read_bytes()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype + "; charset=utf-8")
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

"""The preview server's connections: which of them get a thread, and for how long.

A thread per connection lets slow clients take every thread (issue #21: 32
connections that sent half a request and then a byte every 5 s held all 32
handlers, and a page waited 30 s). So no thread here ever waits for a client
to speak. One thread, the lobby, watches every new connection with a selector
and reads what arrives, without blocking, until the request's head (its
request line and headers) is whole. The whole head must arrive within
`HEAD_TIMEOUT` of the connect: a total, not a limit per read, which a client
sending a byte at a time would never reach. A connection that is silent, slow
or sends too much is closed there, having cost a file descriptor and never a
thread. Only a whole request is given one of `MAX_HANDLERS` handler threads,
which reads its head from memory, answers, and closes the connection: replies
are HTTP/1.0, one request per connection, so no idle keep-alive connection
ever sits on a handler. An event stream (an open page waiting to be told to
reload, which waits by design) moves off the handler slots onto its own
`MAX_STREAMS`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import queue
import re
import selectors
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, cast

BACKLOG = 1024
"""Connections the system holds before they are accepted: more than a burst of
300 connects (Linux caps it at net.core.somaxconn, 4096 by default)."""
MAX_WAITING = 512
"""Connections whose request has not all arrived, at once; one more closes the
oldest of them (every other client sends its head within milliseconds)."""
HEAD_TIMEOUT = 5.0
"""Seconds from the connect for the request's whole head to arrive, however it
trickles in; a connection that takes longer is closed."""
MAX_HEAD = 64 * 1024
"""Bytes a request's head may take (a browser's is a few KB; http.server reads
lines of at most 64 KiB); a longer one is refused with 431."""
MAX_HANDLERS = 32
"""Requests answered at once; whole requests past that wait their turn, in order."""
MAX_STREAMS = 64
"""Open pages listening for reloads at once; one more gets 503 (and no live reload)."""
SEND_TIMEOUT = 10.0
"""Seconds a client may take to accept one write of its reply (the headers, the
body, an event) before it is dropped."""

HEAD_END = re.compile(rb"\r?\n\r?\n")
"""The blank line that ends a request's head (http.server accepts bare `\\n` too)."""
TOO_LARGE = (b"HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\n"
             b"Content-Length: 27\r\nConnection: close\r\n\r\nrequest headers too large\r\n")

WholeRequest = Callable[[socket.socket, Any, bytes], None]


@dataclass
class Arriving:
    """A connection whose request head is still on its way."""

    address: Any
    deadline: float
    head: bytearray = field(default_factory=bytearray)


class Lobby:
    """Where connections wait, costing no thread, until their request head is whole.

    One thread reads every waiting socket as data comes (non-blocking, through a
    selector) and calls `whole(sock, address, head)` once a head is complete; it
    closes connections that miss `HEAD_TIMEOUT`, hang up, or overflow `MAX_HEAD`.
    Connections are kept in the order they came, which is also the order of their
    deadlines, so the expired and the oldest are always at the front."""

    def __init__(self, whole: WholeRequest) -> None:
        self.whole = whole
        self.arrivals: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self.waiting: dict[socket.socket, Arriving] = {}
        self.selector = selectors.DefaultSelector()
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_w.setblocking(False)  # the accept loop must never block on a wake-up
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        self.closing = False
        self.thread = threading.Thread(target=self._run, name="gloss-lobby", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def enter(self, sock: socket.socket, address: Any) -> None:
        """Take a new connection (called from the accept loop; returns at once)."""
        self.arrivals.put((sock, address))
        self._wake()

    def close(self) -> None:
        """Stop the lobby thread and close every connection still waiting."""
        self.closing = True
        self._wake()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        self._admit()  # so that arrivals not yet seen are closed too
        for sock in list(self.waiting):
            self._drop(sock)
        self.selector.close()
        self.wake_r.close()
        self.wake_w.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # a full pipe is a wake-up already pending
            self.wake_w.send(b"x")

    def _run(self) -> None:
        while not self.closing:
            try:
                self._step()
            except Exception:
                if self.closing:
                    return
                traceback.print_exc()  # a bug in gloss: say so, and keep serving

    def _step(self) -> None:
        """Wait for data (or the next deadline), read it, close what has expired."""
        for key, _ in self.selector.select(timeout=self._until_next_deadline()):
            if key.fileobj is self.wake_r:
                with contextlib.suppress(OSError):
                    self.wake_r.recv(4096)
                self._admit()
            else:
                self._read(cast(socket.socket, key.fileobj))
        self._expire()

    def _until_next_deadline(self) -> float | None:
        if not self.waiting:
            return None
        first = next(iter(self.waiting.values()))
        return max(0.0, first.deadline - time.monotonic())

    def _admit(self) -> None:
        while True:
            try:
                sock, address = self.arrivals.get_nowait()
            except queue.Empty:
                return
            if self.closing:
                shut(sock)
                continue
            if len(self.waiting) >= MAX_WAITING:
                self._drop(next(iter(self.waiting)))  # the oldest: the slowest to send
            try:
                sock.setblocking(False)
                self.selector.register(sock, selectors.EVENT_READ)
            except (OSError, ValueError):  # closed by the client already
                shut(sock)
                continue
            self.waiting[sock] = Arriving(address, time.monotonic() + HEAD_TIMEOUT)

    def _read(self, sock: socket.socket) -> None:
        """Take what has arrived; hand the connection on once its head is whole."""
        arriving = self.waiting.get(sock)
        if arriving is None:
            return
        try:
            chunk = sock.recv(MAX_HEAD)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up (or reset)
            self._drop(sock)
            return
        start = max(0, len(arriving.head) - 3)  # the blank line may straddle two reads
        arriving.head += chunk
        if HEAD_END.search(arriving.head, start):
            self.selector.unregister(sock)
            del self.waiting[sock]
            self.whole(sock, arriving.address, bytes(arriving.head))
        elif len(arriving.head) > MAX_HEAD:
            with contextlib.suppress(OSError):
                sock.send(TOO_LARGE)
            self._drop(sock)

    def _expire(self) -> None:
        """Close the connections whose head has not all come within `HEAD_TIMEOUT`."""
        now = time.monotonic()
        while self.waiting:
            sock, arriving = next(iter(self.waiting.items()))
            if arriving.deadline > now:
                return
            self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(sock)
        self.waiting.pop(sock, None)
        shut(sock)


def shut(sock: socket.socket) -> None:
    """Close a connection, telling the client (FIN) if it is still there."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
    sock.close()


class PreviewServer(HTTPServer):
    """Accepts connections into the `Lobby`, then answers each whole request on a
    handler thread, at most `MAX_HANDLERS` at once (open pages' event streams
    have their own `MAX_STREAMS`)."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.slots = threading.BoundedSemaphore(MAX_HANDLERS)
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self.local = threading.local()
        self.ready: queue.SimpleQueue[tuple[socket.socket, Any, bytes] | None] = queue.SimpleQueue()
        self.lobby = Lobby(self._whole)
        self.dispatcher = threading.Thread(target=self._dispatch, name="gloss-dispatch", daemon=True)
        self.closing = False
        super().__init__(address, handler)  # binds; closes the server if it cannot
        self.lobby.start()
        self.dispatcher.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Send a new connection to the lobby (the accept loop never blocks)."""
        self.lobby.enter(request, client_address)

    def _whole(self, sock: socket.socket, address: Any, head: bytes) -> None:
        self.ready.put((sock, address, head))

    def _dispatch(self) -> None:
        """Give each whole request a handler thread as soon as one is free, in the
        order the requests were completed. Only this thread waits for a slot, so
        the lobby keeps reading (and cutting off) connections meanwhile."""
        while (item := self.ready.get()) is not None:
            if self._free_slot():
                threading.Thread(target=self._answer, args=item, daemon=True).start()
            else:
                shut(item[0])

    def _free_slot(self) -> bool:
        """Wait until a handler slot is free and take it; False if the server closes."""
        while not self.slots.acquire(timeout=0.5):
            if self.closing:
                return False
        return True

    def _answer(self, sock: socket.socket, address: Any, head: bytes) -> None:
        """Run the handler on one whole request, then close the connection."""
        self.local.streaming = False
        self.local.head = head
        try:
            self.finish_request(sock, address)
        except Exception:
            self.handle_error(sock, address)
        finally:
            shut(sock)
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

    def server_close(self) -> None:
        self.closing = True
        self.lobby.close()
        self.ready.put(None)
        if self.dispatcher.is_alive():
            self.dispatcher.join(timeout=5)
        while (item := self._next_ready()) is not None:
            shut(item[0])
        super().server_close()

    def _next_ready(self) -> tuple[socket.socket, Any, bytes] | None:
        try:
            return self.ready.get_nowait()
        except queue.Empty:
            return None


class OneRequestHandler(BaseHTTPRequestHandler):
    """Answers the one request whose head the lobby has read: it never waits for the
    client to send, only (up to `SEND_TIMEOUT` a write) for it to take the reply."""

    server: PreviewServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(SEND_TIMEOUT)
        self.rfile.close()  # an open file of the socket would keep it from closing
        self.rfile = io.BytesIO(self.server.local.head)

    def handle(self) -> None:
        """One request per connection: the reply says HTTP/1.0 and the connection
        closes after it, so no connection idles on a handler between requests."""
        self.handle_one_request()

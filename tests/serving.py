"""Run `build.py serve` in a subprocess and talk to it over HTTP, with bounded waits;
and clients that misbehave: silent, half-sent, slow."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(predicate, timeout=30.0, context=None):
    """predicate()'s value once it is true, polled; on time out, fail with what
    `context()` says (the server's output, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout:.0f} s" + (f":\n{context()}" if context else ""))


class Server:
    """`build.py serve` in `root`; what it prints is read as it comes (`output`)."""

    def __init__(self, root: Path, port: int, *args: str) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), *args],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.append(line)

    def output(self) -> str:
        """What the server has printed so far."""
        return "".join(self._lines)

    def started(self) -> None:
        def up():
            if self.proc.poll() is not None:
                self._reader.join(timeout=10)
                raise AssertionError("server exited:\n" + self.output())
            try:
                status, body = fetch(self.url)
            except OSError:
                return False
            # 503 is the page shown while the first build runs: not started yet.
            return status in (200, 500) and "Building the site" not in body
        wait_for(up)

    def stop(self) -> str:
        """Stop the server as Ctrl-C does; all it printed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)
        return self.output()


def fetch_raw(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body bytes of a GET with the given headers."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def seconds_to_answer(url: str, give_up: float = 10.0) -> float:
    """How long a GET of `url` takes to be answered in full; inf if it is not within
    `give_up` seconds (or fails)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=give_up) as r:
            r.read()
    except OSError:
        return float("inf")
    return time.monotonic() - started


def connect(url: str) -> socket.socket:
    host, port = url[7:].rstrip("/").split(":")
    return socket.create_connection((host, int(port)), timeout=20)


def half_sent(url: str) -> socket.socket:
    """A connection that begins a request and never finishes it."""
    s = connect(url)
    s.sendall(b"GET / HTTP/1.1\r\nHost: " + url[7:].rstrip("/").encode() + b"\r\n")
    return s


def closed_by_server(s: socket.socket) -> bool:
    s.settimeout(0.05)
    try:
        return s.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


class Slowloris:
    """`count` connections that each begin a request, then send one more byte of
    a header every `every` seconds, for as long as the server lets them."""

    def __init__(self, url: str, count: int, every: float = 0.5) -> None:
        self.socks = [half_sent(url) for _ in range(count)]
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self) -> None:
        line = b"X-a: b\r\n"
        i = 0
        while not self.stopped.wait(self.every):
            for s in self.socks:
                with contextlib.suppress(OSError):  # closed by the server: it may
                    s.send(bytes([line[i % len(line)]]))
            i += 1

    def cut_off(self) -> int:
        """How many of them the server has closed."""
        return sum(closed_by_server(s) for s in self.socks)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        for s in self.socks:
            s.close()

"""Run `build.py serve` in a subprocess and talk to it over HTTP, with bounded waits."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
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


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout:.0f} s")


class Server:
    def __init__(self, root: Path, port: int, *args: str) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), *args],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    def started(self) -> None:
        def up():
            if self.proc.poll() is not None:
                raise AssertionError("server exited:\n" + self.proc.stdout.read())
            try:
                status, body = fetch(self.url)
            except OSError:
                return False
            # 503 is the page shown while the first build runs: not started yet.
            return status in (200, 500) and "Building the site" not in body
        wait_for(up)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out


def fetch_raw(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body bytes of a GET with the given headers."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()

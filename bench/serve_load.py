#!/usr/bin/env python3
"""How `build.py serve` holds under load and against slow clients (issue #21).

It starts the real server on a generated project, then, for several rounds,
opens `--clients` connections at the same moment (threads released by a
barrier), each asking for a transcript page, and reports p50, p95 and worst
latency and how many requests failed (dropped connections among them). Then
the attacks of issue #21, each with how long a normal GET of the page took
meanwhile:

- `--slow` half-sent requests: connections that begin a request and go silent;
- the siege: `--slow` slowloris clients (each begins a request, then sends one
  byte every `--drip` seconds, and is replaced at once when the server closes
  it) and, meanwhile, rounds of `--clients` GETs at once; a normal GET is
  timed every quarter second throughout, and the slowloris clients' lives are
  counted (how long the server let each one go on).

Last, what used to go wrong before: clients that hang up mid-reply (no
traceback may reach the terminal), idle connections (they must time out and
not pile up), and a foreign `Host` header (refused). Figures go to stdout;
nothing here is a test.

    .venv/bin/python bench/serve_load.py [--clients 300] [--rounds 7] [--slow 100] [--drip 5] [--idle 300]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import selectors
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_latency import free_port, make_corpus

ROOT = Path(__file__).resolve().parent.parent


def get(port: int, path: str, host: str | None = None, timeout: float = 30) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        reply = conn.getresponse()
        return reply.status, len(reply.read())
    finally:
        conn.close()


def burst(port: int, clients: int, path: str) -> tuple[list[float], list[str]]:
    """`clients` requests released at the same moment; their latencies and errors."""
    barrier = threading.Barrier(clients)
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            status, size = get(port, path)
            problem = "" if status == 200 and size > 0 else f"status {status}"
        except OSError as exc:
            problem = type(exc).__name__
        with lock:
            (errors.append(problem) if problem else times.append(time.perf_counter() - started))

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def hang_ups(port: int, count: int, path: str) -> None:
    """Clients that send a request and reset the connection before reading the reply."""
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        s.close()


def half_sent(port: int) -> socket.socket:
    """A connection that begins a request and does not finish it (yet)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET /t0000/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
    return s


def timed_get(port: int, path: str, timeout: float) -> float:
    """Seconds a GET of `path` took to be answered in full; inf if not in `timeout`."""
    started = time.perf_counter()
    try:
        status, _ = get(port, path, timeout=timeout)
    except OSError:
        return float("inf")
    return time.perf_counter() - started if status == 200 else float("inf")


def ms(value: float) -> str:
    return "never" if value == float("inf") else f"{value * 1000:.0f} ms"


def seconds(values: list[float]) -> str:
    """p50 and max of latencies; a request never answered counts as inf."""
    if not values:
        return "none"
    return (f"p50 {ms(statistics.median(values))}, max {ms(max(values))} "
            f"({sum(v == float('inf') for v in values)} of {len(values)} not answered)")


class Slowloris:
    """`count` clients that each begin a request, then send one more byte of a header
    every `drip` seconds; one the server closes is replaced at once, so there are
    always `count`. `lives`: how long the server let each closed one go on."""

    def __init__(self, port: int, count: int, drip: float) -> None:
        self.port, self.drip = port, drip
        self.born: dict[socket.socket, float] = {}
        self.lives: list[float] = []
        self.selector = selectors.DefaultSelector()
        for _ in range(count):
            self._open()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _open(self) -> None:
        s = half_sent(self.port)
        s.setblocking(False)
        self.born[s] = time.monotonic()
        self.selector.register(s, selectors.EVENT_READ)

    def _closed(self, s: socket.socket) -> None:
        self.lives.append(time.monotonic() - self.born.pop(s))
        self.selector.unregister(s)
        s.close()
        with contextlib.suppress(OSError):
            self._open()

    def _run(self) -> None:
        next_drip = time.monotonic() + self.drip
        while not self.stopped.is_set():
            for key, _ in self.selector.select(timeout=max(0.0, min(0.2, next_drip - time.monotonic()))):
                s = cast(socket.socket, key.fileobj)
                try:
                    gone = s.recv(4096) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    self._closed(s)
            if time.monotonic() >= next_drip:
                next_drip += self.drip
                for s in list(self.born):
                    with contextlib.suppress(OSError):
                        s.send(b"X")

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        for s in self.born:
            s.close()
        self.selector.close()


class Prober:
    """A normal reader: one GET of `path` every `every` seconds, each timed."""

    def __init__(self, port: int, path: str, every: float = 0.25, timeout: float = 30) -> None:
        self.times: list[float] = []
        self.stopped = threading.Event()

        def run() -> None:
            while not self.stopped.wait(every):
                self.times.append(timed_get(port, path, timeout))

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def stop(self) -> list[float]:
        self.stopped.set()
        self.thread.join()
        return self.times


def half_sent_phase(port: int, count: int, page: str) -> None:
    """Issue #21: 100 half-sent requests delayed a page 29.6 s."""
    held = [half_sent(port) for _ in range(count)]
    time.sleep(0.5)
    took = timed_get(port, page, timeout=60)
    for s in held:
        s.close()
    print(f"  {count} half-sent requests: a normal GET meanwhile took "
          f"{'over 60 s' if took == float('inf') else ms(took)}")


def siege(port: int, slow: int, drip: float, clients: int, rounds: int, page: str) -> None:
    """Issue #21's worst case: slowloris clients and bursts of GETs at once, with a
    normal GET timed throughout."""
    attackers = Slowloris(port, slow, drip)
    time.sleep(1)
    started = time.monotonic()
    prober = Prober(port, page)
    every: list[float] = []
    failed: list[str] = []
    try:
        for _ in range(rounds):
            times, errors = burst(port, clients, page)
            every += times
            failed += errors
            time.sleep(1.5)  # the siege lasts past the server's head deadline
        time.sleep(2 * drip)  # and the slowloris clients go on alone a while
    finally:
        probes = prober.stop()
        attackers.stop()
    print(f"  siege: {slow} slowloris clients (a byte every {drip:g} s) and {rounds} rounds of "
          f"{clients} GETs at once, over {time.monotonic() - started:.0f} s")
    print(f"    a normal GET every 0.25 s: {seconds(probes)}")
    answered = f"p50 {ms(statistics.median(every))}, max {ms(max(every))}" if every else "none answered"
    print(f"    the {clients} at once: {answered}; dropped or failed {len(failed)} of "
          f"{clients * rounds}{' ' + str(sorted(set(failed))) if failed else ''}")
    lives = attackers.lives
    print(f"    slowloris clients closed by the server: {len(lives)}"
          + (f", after {statistics.median(lives):.1f} s (median), {max(lives):.1f} s (max)" if lives else ""))


def threads_of(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--slow", type=int, default=100, help="slow clients in the attacks")
    parser.add_argument("--drip", type=float, default=5.0, help="seconds between a slowloris client's bytes")
    parser.add_argument("--idle", type=int, default=300, help="idle connections to open")
    parser.add_argument("--pages", type=int, default=20, help="transcripts in the project")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(root, args.pages)
        port = free_port()
        log = open(root / "serve.log", "w+")  # noqa: SIM115
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
                                  cwd=root, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120
            while "built in " not in (root / "serve.log").read_text():  # the first build is done
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start:\n" + (root / "serve.log").read_text())
                time.sleep(0.1)
            page = "/t0000/"
            size = get(port, page)[1]
            print(f"serve_load: {args.clients} concurrent GET {page} ({size:,} bytes), "
                  f"{args.rounds} rounds")
            every: list[float] = []
            failed: list[str] = []
            for i in range(args.rounds):
                times, errors = burst(port, args.clients, page)
                every += times
                failed += errors
                q = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
                print(f"  round {i + 1}: p50 {statistics.median(times) * 1000:6.0f} ms   "
                      f"p95 {q[18] * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms   "
                      f"errors {len(errors)}{' ' + str(sorted(set(errors))) if errors else ''}")
            q = statistics.quantiles(every, n=20)
            print(f"  all:     p50 {statistics.median(every) * 1000:6.0f} ms   p95 {q[18] * 1000:6.0f} ms"
                  f"   max {max(every) * 1000:6.0f} ms   errors {len(failed)} of "
                  f"{args.clients * args.rounds}")

            half_sent_phase(port, args.slow, page)
            siege(port, args.slow, args.drip, args.clients, max(1, args.rounds // 2), page)
            hang_ups(port, 200, page)
            idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.idle)]
            time.sleep(1)
            during = threads_of(server.pid)
            ok_while_idle = get(port, page)[0] == 200
            time.sleep(12)  # past the server's idle timeout
            after = threads_of(server.pid)
            closed = 0
            for s in idle:
                s.settimeout(0.5)
                try:
                    closed += s.recv(1) == b""
                except TimeoutError:
                    pass  # still open
                except OSError:
                    closed += 1
                s.close()
            print(f"  {args.idle} idle connections: server threads {during} while open, {after} after "
                  f"the idle timeout; {closed} closed by the server; a page meanwhile: "
                  f"{'served' if ok_while_idle else 'NOT served'}")
            status = get(port, page, host=f"evil.example:{port}")[0]
            print(f"  Host: evil.example -> {status}")
        finally:
            server.terminate()
            server.wait(timeout=30)
        output = (root / "serve.log").read_text()
        print(f"  tracebacks in the terminal: {output.count('Traceback')}")


if __name__ == "__main__":
    main()

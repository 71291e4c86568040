#!/usr/bin/env python3
"""How `build.py serve` holds under load: 200 requests for one page at once.

It starts the real server on a generated project, then, for several rounds,
opens `--clients` connections at the same moment (threads released by a
barrier), each asking for a transcript page, and reports p50, p95 and worst
latency and how many requests failed. Then it checks what used to go wrong:
clients that hang up mid-reply (no traceback may reach the terminal), idle
connections (they must time out and not pile up), and a foreign `Host` header
(refused). Figures go to stdout; nothing here is a test.

    .venv/bin/python bench/serve_load.py [--clients 200] [--rounds 5] [--idle 300]
"""

from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def threads_of(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
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
            while "serving " not in (root / "serve.log").read_text():
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

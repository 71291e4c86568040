#!/usr/bin/env python3
"""Save-to-updated-page latency of `build.py serve`, at several site sizes.

For each size it generates a corpus of transcripts with sidecars in a temporary
project, starts the real server, then edits one sidecar's title several times
and polls the served page over HTTP until the new title shows. It prints the
median and worst latency (this includes the 100 ms debounce that lets a burst
of saves become one build) and the server's own rebuild time.

    .venv/bin/python bench/serve_latency.py [--sizes 10 100 1000] [--edits 7]
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["model", "reasoning", "data", "training", "transformer", "scaling", "research", "paper",
         "attention", "language", "think", "people", "really", "progress", "compute", "question",
         "answer", "learn"]


def transcript(rng: random.Random, turns: int = 30) -> str:
    lines = []
    for i in range(turns):
        name = ("Host", "Guest")[i % 2]
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize() + "."
                     for _ in range(rng.randint(2, 6))]
        lines.append(f"{name}: {' '.join(sentences)}")
    return "\n".join(lines) + "\n"


def make_corpus(root: Path, size: int) -> None:
    rng = random.Random(size)
    content = root / "content"
    content.mkdir()
    (root / "config.yaml").write_text("title: Bench\n")
    for i in range(size):
        (content / f"t{i:04d}.txt").write_text(transcript(rng))
        (content / f"t{i:04d}.yaml").write_text(f"title: Transcript {i}\ndate: 2025-01-01\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return str(r.read().decode())


def measure(size: int, edits: int) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(root, size)
        port = free_port()
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("serving "):
                break
        first_build = time.perf_counter() - started
        target = root / "content" / f"t{size // 2:04d}.yaml"
        url = f"http://127.0.0.1:{port}/t{size // 2:04d}/"
        latencies = []
        for n in range(edits):
            title = f"Edited {n}"
            time.sleep(0.3)  # let the watcher settle between edits
            t0 = time.perf_counter()
            target.write_text(f"title: {title}\ndate: 2025-01-01\n")
            deadline = t0 + 30
            while f"<h1>{title}</h1>" not in fetch(url):
                if time.perf_counter() > deadline:
                    raise SystemExit(f"page never updated at size {size}")
                time.sleep(0.002)
            latencies.append(time.perf_counter() - t0)
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
        rebuilds = [float(m) for m in re.findall(r"^rebuilt in (\d+) ms", out, re.M)]
        return (first_build, statistics.median(latencies), max(latencies),
                statistics.median(rebuilds) / 1000 if rebuilds else float("nan"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--edits", type=int, default=7)
    args = ap.parse_args()
    print(f"{'transcripts':>11}  {'first build':>11}  {'edit→page median':>16}  {'worst':>7}  "
          f"{'server rebuild':>14}")
    for size in args.sizes:
        first, median, worst, rebuild = measure(size, args.edits)
        print(f"{size:>11}  {first:>10.2f}s  {median * 1000:>14.0f}ms  {worst * 1000:>5.0f}ms  "
              f"{rebuild * 1000:>12.0f}ms", flush=True)


if __name__ == "__main__":
    main()

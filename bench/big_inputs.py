#!/usr/bin/env python3
"""Cost of big and pathological inputs through `build.py build`: time, peak memory,
and the outcome (built, or the first line of the error).

Cases: a 10 MB transcript in ordinary lines; the same 10 MB on one line (refused
at once by the line limit); 1 MB of "I I I ..." on one line and in lines (the
stutter rule's worst case); a 5 MB sidecar of long notes and a 5 MB sidecar of
many highlights. Each runs in a fresh project and process, with a time limit.
Figures go to stdout; nothing here is a test.

    .venv/bin/python bench/big_inputs.py [--only NAME ...] [--timeout 300]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["so", "the", "model", "really", "learns", "to", "think", "about", "data", "and", "we",
         "saw", "that", "it", "works", "when", "you", "scale", "up", "because", "attention"]


def sentences(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        s = " ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "."
        out.append(s)
        size += len(s) + 1
    return " ".join(out)


def transcript_lines(total: int, line: int, rng: random.Random) -> str:
    turns: list[str] = []
    size = 0
    while size < total:
        turn = f"{('Host', 'Guest')[len(turns) % 2]}: {sentences(rng, line)}"
        turns.append(turn)
        size += len(turn) + 1
    return "\n".join(turns) + "\n"


def ten_mb_in_lines(content: Path, rng: random.Random) -> None:
    (content / "big.txt").write_text(transcript_lines(10 * 2**20, 600, rng))


def ten_mb_one_line(content: Path, rng: random.Random) -> None:
    (content / "big.txt").write_text("Host: " + sentences(rng, 10 * 2**20) + "\n")


def stutter_one_line(content: Path, rng: random.Random) -> None:
    (content / "big.txt").write_text("Host: " + "I " * 499_990 + "think.\n")


def stutter_in_lines(content: Path, rng: random.Random) -> None:
    (content / "big.txt").write_text("".join("Host: " + "I " * 5_000 + "think.\n" for _ in range(100)))


def sidecar_of_notes(content: Path, rng: random.Random) -> None:
    turns = [f"{('Host', 'Guest')[i % 2]}: Point number {i} is {sentences(rng, 600)}" for i in range(500)]
    (content / "big.txt").write_text("\n".join(turns) + "\n")
    notes = [f'  - at: "Point number {i} is"\n    text: {sentences(rng, 10_400)!r}\n' for i in range(500)]
    (content / "big.yaml").write_text("title: Big\nnotes:\n" + "".join(notes))


def sidecar_of_highlights(content: Path, rng: random.Random) -> None:
    turns = [f"{('Host', 'Guest')[i % 2]}: Point number {i} is {sentences(rng, 80)}" for i in range(20_000)]
    (content / "big.txt").write_text("\n".join(turns) + "\n")
    lines = [f'  - "Point number {i} is"\n' for i in range(20_000)]
    body = "".join(lines)
    pad = "# " + "x" * 200 + "\n"
    (content / "big.yaml").write_text("title: Big\nhighlights:\n" + body +
                                      pad * max(0, (5 * 2**20 - len(body)) // len(pad)))


CASES: dict[str, Callable[[Path, random.Random], None]] = {
    "10 MB transcript, lines of 600 characters": ten_mb_in_lines,
    "10 MB transcript on one line": ten_mb_one_line,
    "1 MB of 'I I I' on one line": stutter_one_line,
    "1 MB of 'I I I' in 100 lines": stutter_in_lines,
    "5 MB sidecar of long notes": sidecar_of_notes,
    "5 MB sidecar: 20,000 highlights": sidecar_of_highlights,
}


def run(make: Callable[[Path, random.Random], None], timeout: float) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, outcome) of one build in a fresh project."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "themes").mkdir()
        (root / "themes" / "default").symlink_to(ROOT / "themes" / "default")
        (root / "content").mkdir()
        make(root / "content", random.Random(1))
        size = sum(p.stat().st_size for p in (root / "content").iterdir())
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "-q"], cwd=root,
                                stdout=subprocess.DEVNULL, stderr=open(root / "err", "w"))  # noqa: SIM115
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return timeout, usage.ru_maxrss / 1024, f"gave up after {timeout:.0f} s"
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        err = (root / "err").read_text().strip().splitlines()
        code = os.waitstatus_to_exitcode(status)
        outcome = (f"built ({size / 2**20:.1f} MB of input)" if code == 0 else
                   f"exit {code}: {err[0][:110] if err else ''}")
        return seconds, usage.ru_maxrss / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="run the cases whose name contains one of these")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    print(f"{'case':44} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, make in CASES.items():
        if args.only and not any(word in name for word in args.only):
            continue
        seconds, rss, outcome = run(make, args.timeout)
        print(f"{name:44} {seconds:8.2f} {rss:8.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()

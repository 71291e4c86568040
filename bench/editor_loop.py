#!/usr/bin/env python3
"""The editor's loop: how long a save takes to show on the page `gloss serve`
serves, measured as an editor works (issue #29).

For each size N it makes an archive of N ten-thousand-word transcripts with a
sidecar each (another seed than bench/run.py's), builds it with `gloss build`
as a user would have, starts `gloss serve` in it and, from the moment serve
says it is serving, saves one file at a time and waits as the open page in the
editor's browser does: told over the page's event stream that it changed, it
loads the page again, until the page shows the save. The first save is made at once, while
serve's start-up work may still be going; later saves come in turn right
after the previous one showed, while the search index it set off is being
made, or after a pause. The saves cycle through what an editor does:

- transcript: a sentence appended at the end; a word changed in the middle;
- sidecar: a note added, a topic span added, a correction added, the title changed.

It prints p50, p95 and max per size and kind, and the first save alone. The
time includes the debounce, the event and the page's load over HTTP, not the
browser's parsing and painting of the page. Corpora are kept in
$GLOSS_BENCH_DIR (default /tmp/gloss-bench) and reused.

    .venv/bin/python bench/editor_loop.py [--sizes 10,100,1000,5000] [--saves 24]
        [--generator PATH]

The corpus comes from --generator (default ../shared/bench/gen_corpus.py, the
generator the peers' figures were measured on) when it exists, else from
bench/corpus.py.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("GLOSS_BENCH_DIR", "/tmp/gloss-bench"))
GLOSS = [sys.executable, "-m", "gloss"]
SEED = "editor-loop"
POLL = 0.005
TIMEOUT = 60.0
RUN = "".join(random.SystemRandom().choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
"""In every marker: a save shows words no earlier run left in the corpus."""


def make_site(n: int, generator: Path) -> Path:
    """An archive of N transcripts with sidecars (made once, kept with the edits of
    earlier runs), just built by `gloss build` as a user's would be."""
    site = WORK / f"editor-{n}"
    content = site / "content"
    if not content.is_dir():
        if generator.exists():
            subprocess.run([sys.executable, str(generator), "--n", str(n), "--out", str(content),
                            "--format", "transcript", "--sidecars", "--seed", SEED],
                           check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--n", str(n),
                            "--out", str(content), "--sidecars"], check=True, stdout=subprocess.DEVNULL)
        (site / "config.yaml").write_text("title: Editor loop\n")
    subprocess.run([*GLOSS, "build", "-q"], cwd=site, check=True)
    return site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return str(r.read().decode("utf-8", "replace"))
    except OSError:
        return ""


def shows(port: int, slug: str, body: str, marker: str, deadline: float) -> bool:
    """Wait as the open page does: told by serve that this page changed (its
    event stream, with the epoch the page was served at), it loads the page
    again; until the page shows `marker`. Polling instead (every 5 ms, a 150 KB
    page each time) put on serve a load no browser does."""
    while marker not in body:
        found = re.search(r"seen=(\d+)", body)
        seen = found.group(1) if found else "-1"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=max(0.1, deadline - time.perf_counter()))
        try:
            conn.request("GET", f"/__gloss/events?seen={seen}&page=" + urllib.parse.quote(f"/{slug}/"))
            for line in conn.getresponse():  # a ping now and then, until told
                if line.startswith(b"data:"):
                    break
                if time.perf_counter() > deadline:
                    return False
            else:
                return False
        except OSError:
            if time.perf_counter() > deadline:
                return False
            time.sleep(POLL)
        finally:
            conn.close()
        body = page(f"http://127.0.0.1:{port}/{slug}/")
    return True


@dataclass
class Episode:
    slug: str
    transcript: Path
    sidecar: Path


def episodes(site: Path) -> list[Episode]:
    found = []
    for side in sorted((site / "content").glob("*.yaml")):
        if side.stem in ("people", "topics", "glossary"):
            continue
        text = next((p for p in side.parent.glob(side.stem + ".*") if p.suffix != ".yaml"), None)
        if text is not None:
            found.append(Episode(side.stem, text, side))
    return found


def topic_ids(site: Path) -> list[str]:
    text = (site / "content" / "topics.yaml").read_text()
    return re.findall(r"^([a-z0-9][a-z0-9-]*):", text, re.M)


def quote_in(text: str, rng: random.Random) -> str:
    """Eight words of a transcript's paragraph, as an editor would copy them."""
    lines = [line for line in text.splitlines() if line and not line.startswith(("**", "#", "["))]
    words = rng.choice(lines[len(lines) // 4 : 3 * len(lines) // 4]).split()
    start = rng.randrange(max(1, len(words) - 8))
    return " ".join(words[start : start + 8])


Edit = Callable[[Episode, int, random.Random, list[str]], str]
"""Makes one save; returns the text the served page shows once it is built."""


def append_sentence(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    marker = f"Appended{RUN}{n}"
    with ep.transcript.open("a") as f:
        f.write(f"\nAnd one more thing, {marker} said at the end.\n")
    return marker


def change_word(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    text = ep.transcript.read_text()
    at = text.find(" the ", len(text) // 2 + rng.randrange(len(text) // 4))
    marker = f"changed{RUN}{n}"
    ep.transcript.write_text(text[:at] + f" {marker} " + text[at + 5 :])
    return marker


def _append_yaml(ep: Episode, key: str, entry: str) -> None:
    """Add an entry at the end of a top-level list or mapping, adding the key if missing."""
    text = ep.sidecar.read_text()
    lines = text.splitlines()
    if f"{key}:" in lines:
        at = lines.index(f"{key}:") + 1
        while at < len(lines) and (lines[at].startswith(" ") or not lines[at].strip()):
            at += 1
        lines[at:at] = entry.splitlines()
    else:
        lines += [f"{key}:", *entry.splitlines()]
    ep.sidecar.write_text("\n".join(lines) + "\n")


def add_note(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    marker = f"Note{RUN}{n}"
    quote = quote_in(ep.transcript.read_text(), rng).replace('"', "")
    _append_yaml(ep, "notes", f'  - at: "{quote}"\n    text: "{marker} says more."')
    return marker


def add_topic(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    have = set(re.findall(r"topic: ([a-z0-9-]+)", ep.sidecar.read_text()))
    new = next((t for t in topics if t not in have), None)
    if new is None:
        return change_title(ep, n, rng, topics)
    quote = quote_in(ep.transcript.read_text(), rng).replace('"', "")
    _append_yaml(ep, "topics", f'  - topic: {new}\n    from: "{quote}"')
    return f"topics/{new}/\""


def add_correction(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    taken = set(re.findall(r"^  (\w+):", ep.sidecar.read_text(), re.M))
    words = sorted(set(re.findall(r"\b[a-z]{9,}\b", ep.transcript.read_text())) - taken)
    heard = rng.choice(words)
    marker = f"Corrected{RUN}{n}"
    _append_yaml(ep, "corrections", f"  {heard}: {marker}")
    return marker


def change_title(ep: Episode, n: int, rng: random.Random, topics: list[str]) -> str:
    text = ep.sidecar.read_text()
    title = f"Retitled {RUN} {n}"
    ep.sidecar.write_text(re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M))
    return f"<h1>{title}</h1>"


KINDS: list[tuple[str, str, Edit]] = [
    ("transcript", "append a sentence", append_sentence),
    ("sidecar", "add a note", add_note),
    ("transcript", "change a word", change_word),
    ("sidecar", "add a topic span", add_topic),
    ("sidecar", "add a correction", add_correction),
    ("sidecar", "change the title", change_title),
]


@dataclass
class Run:
    n: int
    first: float = 0.0
    first_kind: str = ""
    times: dict[str, list[float]] = field(default_factory=dict)
    busy: list[float] = field(default_factory=list)
    """Saves made while the search index the one before set off is being made."""
    start: float = 0.0
    server_lines: list[str] = field(default_factory=list)


def measure(site: Path, saves: int, seed: int) -> Run:
    run = Run(len(episodes(site)))
    rng = random.Random(seed)
    eps = episodes(site)
    topics = topic_ids(site)
    # An editor works on a few episodes in a session, not on a new one each save.
    chosen = rng.sample(eps, min(4, len(eps)))
    # Put back afterwards: the next run starts from the same archive.
    originals = {p: p.read_bytes() for ep in chosen for p in (ep.transcript, ep.sidecar)}
    port = free_port()
    t0 = time.perf_counter()
    server = subprocess.Popen([*GLOSS, "serve", "--port", str(port)], cwd=site, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        run.server_lines.append(line)
        if line.startswith("serving "):
            break
    run.start = time.perf_counter() - t0
    reader = threading.Thread(target=lambda: run.server_lines.extend(server.stdout or []), daemon=True)
    reader.start()
    try:
        for i in range(saves):
            group, kind, edit = KINDS[i % len(KINDS)]
            ep = chosen[(i // len(KINDS)) % len(chosen)]
            url = f"http://127.0.0.1:{port}/{ep.slug}/"
            # In turn: right after the save before showed (a burst of saves); while
            # the search index that save set off is being made (serve waits
            # search.QUIET = 1.5 s after the last save before making it, and
            # at 1,000 episodes it takes about 2 s); after a pause of reading.
            mode = (i + i // len(KINDS)) % 3  # each kind in each mode, round after round
            busy = mode == 1
            if i and busy:
                time.sleep(rng.uniform(1.7, 2.4))
            elif i and mode == 2:
                time.sleep(rng.uniform(0.3, 1.0))
            open_page = page(url)  # the editor's tab, open before the save
            started = time.perf_counter()
            marker = edit(ep, i, rng, topics)
            if not shows(port, ep.slug, open_page, marker, started + TIMEOUT):
                raise SystemExit(f"{kind} in {ep.slug} never showed at N={run.n}:\n"
                                 + "".join(run.server_lines[-20:]))
            took = time.perf_counter() - started
            run.server_lines.append(f"--- save {i} ({kind}, {'while indexing' if busy else ''}) "
                                    f"on screen in {took * 1000:.0f} ms\n")
            if i == 0:
                run.first, run.first_kind = took, kind
            run.times.setdefault(group, []).append(took)
            run.times.setdefault(kind, []).append(took)
            if busy:
                run.busy.append(took)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        for path, data in originals.items():
            path.write_bytes(data)
    return run


def profile(site: Path, rounds: int = 5) -> None:
    """Where one save's time goes at this size, in this process: the page shown at
    the save (quickpage.py), then the build that follows, stage by stage (CPU ms
    of serve's build thread, not the search index's own; median over `rounds`
    saves of each kind)."""
    import gc
    import io
    from dataclasses import replace

    from gloss import exports, indexing, load, make, pipeline, render, watch
    from gloss import search as site_search
    from gloss import site as site_model
    from gloss.config import load_config
    from gloss.live import LiveSite
    from gloss.serve import Builder
    from gloss.write import InPlaceWriter

    spent: dict[str, float] = {}

    def timed(label: str, fn: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.thread_time() - t0
        return wrapper

    patches = [(make, "make_page", "page model"), (exports, "files", "downloads"),
               (site_search, "transcript_records", "search records"),
               (site_search, "entry", "search records"),
               (load, "load_content", "build: load"), (make, "transcripts", "build: transcripts"),
               (site_model, "make_site", "build: site model"), (pipeline, "_site_pages", "build: site pages"),
               (indexing, "search_index", "build: search index"), (InPlaceWriter, "commit", "build: write")]
    for owner, name, label in patches:
        setattr(owner, name, timed(label, getattr(owner, name)))
    render.Renderer.transcript = timed("page + downloads", render.Renderer.transcript)  # type: ignore[method-assign]
    config = replace(load_config(site / "config.yaml"), drafts=True)
    live, changes = LiveSite(), watch.Changes()
    live.folder = config.output_path
    cwd = os.getcwd()
    os.chdir(site)
    try:
        builder = Builder(site / "config.yaml", config, live, io.StringIO(), changes)
        builder.caches.search.on_ready = lambda: None  # as in serve: the index is made on its thread
        builder.build({}, verb="built")
        gc.freeze()
        rng = random.Random(1)
        ep = rng.choice(episodes(site))
        originals = {p: p.read_bytes() for p in (ep.transcript, ep.sidecar)}
        rows: dict[str, dict[str, list[float]]] = {}
        for n in range(rounds * 2):
            kind, edit = (("transcript: append a sentence", append_sentence) if n % 2 == 0
                          else ("sidecar: add a note", add_note))
            path = ep.transcript if n % 2 == 0 else ep.sidecar
            edit(ep, n, rng, [])
            changes.add(path.resolve(), watch.Change.CONTENT, time.monotonic(), saved=True)
            spent.clear()
            t0 = time.thread_time()
            builder.checkpoint()
            shown = time.thread_time() - t0
            quick = dict(spent)
            spent.clear()
            t0 = time.thread_time()
            builder.build(changes.take())
            built = time.thread_time() - t0
            row = rows.setdefault(kind, {})
            parts = {"shown: page model": quick.get("page model", 0.0),
                     "shown: page HTML": quick.get("page + downloads", 0.0) - quick.get("downloads", 0.0),
                     "shown: downloads": quick.get("downloads", 0.0),
                     "shown: search records": quick.get("search records", 0.0),
                     "shown: in all": shown,
                     **{k: v for k, v in spent.items() if k.startswith("build: ")},
                     "build: in all": built}
            for k, v in parts.items():
                row.setdefault(k, []).append(v * 1000)
        for path, data in originals.items():
            path.write_bytes(data)
    finally:
        os.chdir(cwd)
    for kind, row in rows.items():
        print(f"  {kind} (CPU ms, median of {rounds})")
        for k, values in row.items():
            print(f"    {k:<24} {statistics.median(values):7.1f}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def row(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"  {label:<22} {len(ms):>4}  {statistics.median(ms):>7.0f}  {percentile(ms, 95):>7.0f}  "
            f"{max(ms):>7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--saves", type=int, default=24)
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--generator", type=Path,
                        default=ROOT.parent / "shared" / "bench" / "gen_corpus.py")
    parser.add_argument("--log", action="store_true", help="print serve's own lines too")
    parser.add_argument("--profile", action="store_true",
                        help="also where one save's time goes, stage by stage, in this process")
    args = parser.parse_args()
    medians: dict[int, dict[str, float]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        site = make_site(n, args.generator)
        run = measure(site, args.saves, args.seed)
        every = [t for g in ("transcript", "sidecar") for t in run.times.get(g, [])]
        print(f"N={n}: serving after {run.start:.2f} s; first save ({run.first_kind}) on screen in "
              f"{run.first * 1000:.0f} ms")
        print(f"  {'save':<22} {'n':>4}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}")
        for label in ["transcript", "sidecar", *(k for _, k, _ in KINDS)]:
            if run.times.get(label):
                print(row(label, run.times[label]))
        if run.busy:
            print(row("while indexing", run.busy))
        print(row("every save", every), flush=True)
        medians[n] = {g: statistics.median(run.times[g]) for g in ("transcript", "sidecar")}
        if args.log:
            print("".join(run.server_lines))
        if args.profile:
            profile(site)
    if len(medians) > 1:
        base = min(medians)
        for n, m in medians.items():
            ratios = ", ".join(f"{g} {m[g] / medians[base][g]:.2f}x" for g in m)
            print(f"N={n} against N={base}: {ratios}")


if __name__ == "__main__":
    main()

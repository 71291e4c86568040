#!/usr/bin/env python3
"""How big the search index is, and how many bytes a first search downloads.

Builds a project (by default this repository's example site) with the real
command line, serves the site on 127.0.0.1, and for each query opens the search
page in a fresh headless Chromium (nothing cached), types the query and waits
for the results, recording every response's bytes. Prints the index size and,
per query, the bytes of the page and of the search, file by file with --verbose.

"Over the wire" is what a plain server sends (this one: no compression);
"gzip" is what a host that compresses text (GitHub Pages does, for .html, .css,
.js and .json) would send.

    .venv/bin/python bench/search_size.py                       # the example site
    python3 ../shared/bench/gen_corpus.py --n 1000 --out /tmp/c1000/content \\
        --format transcript --sidecars
    .venv/bin/python bench/search_size.py /tmp/c1000 --query "ocean carbon" --query the
"""

from __future__ import annotations

import argparse
import functools
import gzip
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
EXAMPLE_QUERIES = ["GPD 5.1", "Machine learning is beautifully forgiving", "generalization"]
COMPRESSED_BY_HOST = (".html", ".css", ".js", ".json", "/")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(project: Path, out: Path) -> float:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--out", str(out)],
                         cwd=project, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"build failed:\n{run.stderr}")
    return time.perf_counter() - started


def index_size(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "search" / "data").rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def first_search(browser: object, base: str, query: str) -> list[tuple[str, int]]:
    """(path, bytes) of every response while loading the search page and running `query`."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    def record(response: object) -> None:
        # The server sends every file whole with its Content-Length (no compression).
        size = int(response.headers.get("content-length", "0"))  # type: ignore[attr-defined]
        seen.append((response.url[len(base):].split("?")[0], size))  # type: ignore[attr-defined]

    page.on("response", record)
    page.goto(base + "search/")
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function("document.querySelector('[data-status]').textContent.match(/result/)",
                           timeout=60000)
    page.wait_for_load_state("networkidle")
    context.close()
    return seen


def gzipped(site: Path, path: str, size: int) -> int:
    if not path.endswith(COMPRESSED_BY_HOST):
        return size
    file = site / path / "index.html" if path.endswith("/") or not path else site / path
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", nargs="?", type=Path, default=ROOT,
                        help="a folder with content/ (and config.yaml); default: the example site")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building")
    parser.add_argument("--query", action="append", help="a query to run (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="list every file downloaded")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            print(f"built {args.project} in {build(args.project.resolve(), site):.1f} s")
        if not (site / "search" / "data" / "meta.json").is_file():
            sys.exit(f"{site} has no search index (search: false in its config?)")
        total, count = index_size(site)
        print(f"index: {total / 1e6:.2f} MB in {count} files under {site}/search/data/")
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
                for query in args.query or EXAMPLE_QUERIES:
                    seen = first_search(browser, base, query)
                    raw = sum(n for _, n in seen)
                    wire = sum(gzipped(site, p, n) for p, n in seen)
                    index = sum(gzipped(site, p, n) for p, n in seen if p.startswith("search/data/"))
                    print(f"{query!r}: first search {raw / 1e3:.0f} KB over the wire "
                          f"({wire / 1e3:.0f} KB gzip), of which the index and results "
                          f"{index / 1e3:.0f} KB gzip, in {len(seen)} requests")
                    if args.verbose:
                        for path, n in seen:
                            print(f"    {n:9,d}  {path or '/'}")
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()

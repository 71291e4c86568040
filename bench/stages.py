#!/usr/bin/env python3
"""Where one transcript's CPU time goes: milliseconds per stage per episode.

Makes each transcript of a content folder the way a build does
(`make.transcript`: parse, fix, clean, attribute, annotate, the page model, the
page's HTML, its downloads, its search records), in this one process, and
times every stage with the CPU clock. Prints the median per episode of each
stage and of the whole, over every transcript and run; the first run only
warms up (templates compiled, regexes made) and is not counted.

    .venv/bin/python bench/stages.py CONTENT_DIR [--limit 50] [--runs 2] [--profile N]

CONTENT_DIR is any gloss content folder; `bench/run.py` leaves its corpora in
/tmp/gloss-bench/gloss-N/content (or make one with
`python bench/corpus.py --n 50 --out /tmp/c --sidecars`). `--profile N`
prints cProfile's N costliest functions as well.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import functools
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss import annotate, attribute, clean, disfluency, exports, formats, load, make, page, render, sidecar  # noqa: E402
from gloss import search as site_search  # noqa: E402
from gloss.config import load_config  # noqa: E402
from gloss.errors import Diagnostics  # noqa: E402
from gloss.shared import read_site_files  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)


def timed(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[stage] += time.process_time() - t0
    return wrapper


STAGES = [  # (module, attribute, stage), in pipeline order
    (sidecar, "read_sidecar", "sidecar"), (formats, "parse", "parse"),
    (attribute, "apply_fixes", "fix"), (clean, "clean", "clean"),
    (attribute, "attribute", "attribute"), (annotate, "annotate", "annotate"),
    (exports, "files", "downloads"),
    (site_search, "transcript_records", "search records"), (site_search, "fragments", "search records"),
]
INNER = {"sidecar", "parse", "fix", "clean", "attribute", "annotate"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("--limit", type=int, default=50, help="transcripts to make (default 50)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    for module, name, stage in STAGES:
        setattr(module, name, timed(stage, getattr(module, name)))
    page.make_page = timed("page", page.make_page)  # type: ignore[assignment]
    make.make_page = page.make_page  # type: ignore[attr-defined]

    site_dir = args.content.resolve().parent
    config_path = site_dir / "config.yaml"
    config = load_config(config_path, required=False)
    config = dataclasses.replace(config, content_dir=str(args.content.resolve()), search=True)
    diag = Diagnostics()
    content = load.load_content(config, diag)
    shared = read_site_files(content.site_files, diag)
    renderer = render.Renderer(config, shared)
    sources = content.sources[: args.limit]
    words = 0
    per: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile() if args.profile else None
    for run in range(args.runs + 1):
        for source in sources:
            SPENT.clear()
            disfluency.edits_of.cache_clear()  # a build cleans each paragraph once
            disfluency.edited_of.cache_clear()
            t0 = time.process_time()
            if profiler and run:
                profiler.enable()
            made = make.transcript(source, shared, config, renderer)
            if profiler and run:
                profiler.disable()
            total = time.process_time() - t0
            if made.errors:
                raise SystemExit(f"{source.slug}: {made.errors[0]}")
            if not run:
                continue
            if run == 1:
                words += sum(len(p.text.split()) for t in made.page.transcript.turns
                             for p in t.paragraphs) if made.page and made.page.transcript.turns else 0
            model = SPENT["page"] - sum(v for k, v in SPENT.items() if k in INNER)
            html = total - SPENT["page"] - SPENT["downloads"] - SPENT["search records"]
            for stage in ["sidecar", "parse", "fix", "clean", "attribute", "annotate"]:
                per[stage].append(SPENT[stage])
            per["page model"].append(model)
            per["page HTML"].append(html)
            per["downloads"].append(SPENT["downloads"])
            per["search records"].append(SPENT["search records"])
            per["total"].append(total)
    text = sum(len(load.filled(s).transcript.text.split()) for s in sources) / len(sources)
    print(f"{len(sources)} transcripts from {args.content}, ~{text:,.0f} words each, "
          f"{args.runs} run(s); CPU ms per episode (median, [min-max])")
    for stage, values in per.items():
        ms = [v * 1000 for v in values]
        print(f"  {stage:<15} {statistics.median(ms):7.1f}   [{min(ms):.1f}-{max(ms):.1f}]")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()

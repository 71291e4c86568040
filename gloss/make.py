"""The making of every transcript: its page, its files and its search records
(`transcript`, a pure function of its inputs), each found kept when nothing it
is made from changed (in serve's memory, or `.gloss-cache/` by `source_key`),
else made, in a process pool when there are enough (`POOL_MIN`). Results come
in order, each streamed to the sink as it arrives, so memory stays flat;
workers die with the build.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, load, render, write
from . import search as site_search
from .cache import PageStore
from .code import code_digest
from .config import Config
from .errors import Diagnostics, SiteError, SiteErrors, warning
from .formats import UnknownFormat
from .made import Made, PageCache, Progress, Sink
from .model import Page, Site
from .page import make_page

POOL_MIN = 6
"""Transcripts to make before a process pool pays for starting it."""


@dataclass
class Transcripts:
    """Every transcript's outcome, in the order of `content/`."""

    pages: list[Page] = field(default_factory=list)
    """The pages the site shows (a draft only when drafts are asked for)."""
    found: list[tuple[Page, Made, str, load.Source]] = field(default_factory=list)
    """Each page with its result, its key and its source: what the search index
    is made from."""
    drafts: int = 0
    """Transcripts marked `draft: true` that were left out."""


def transcripts(content: load.Content, shared: Site, config: Config, renderer: render.Renderer,
                sink: Sink, diag: Diagnostics, progress: Progress, memory: PageCache | None,
                store: PageStore | None, between: Callable[[], None] | None = None) -> Transcripts:
    """Every transcript made, or found kept: its files into `sink` as it comes
    (none after an error, as nothing will be published), its problems into
    `diag`, its page returned. `memory` (serve): results kept between builds."""
    common = salt(config, content.site_files, renderer)
    keys = [source_key(s, common) for s in content.sources]
    results: list[Made | None] = [None] * len(content.sources)
    failed = bool(diag.errors)
    for i, made in make_all(content.sources, shared, config, renderer, keys, memory, store,
                            progress, sink, between):
        failed = failed or bool(made.errors)
        if not failed and not _left_out(made, config):  # after an error nothing will be published
            for rel, dig in made.digests.items():
                data = made.files.get(rel)
                if data is None:
                    sink.keep(rel, dig)
                else:
                    sink.add(rel, data, dig)
        # Search records stay on disk when the store has them: read when the
        # index is made again, not held for every transcript meanwhile (serve
        # holds them in memory anyway).
        on_disk = store is not None and memory is None and not made.errors
        results[i] = made if not made.files and not on_disk else \
            replace(made, files={}, records=None if on_disk else made.records)
    out = Transcripts()
    for source, key, result in zip(content.sources, keys, results, strict=True):  # in order, always
        assert result is not None
        made = result
        for problem in made.errors:
            diag.error(problem)
        diag.warnings += made.warnings
        if made.page is None or made.errors:
            continue
        if _left_out(made, config):
            out.drafts += 1
            continue
        page = made.page
        if (page.modified, page.key) != (source.modified, key):
            page = replace(page, modified=source.modified, key=key)
            held = memory.get(source.slug) if memory is not None else None
            if memory is not None and held is not None and held[0] == key:
                memory[source.slug] = (key, replace(held[1], page=page))  # serve: once, not every edit
        out.pages.append(page)
        out.found.append((page, made, key, source))
    if memory is not None:
        for slug in set(memory) - {s.slug for s in content.sources}:
            del memory[slug]
    return out


def _left_out(made: Made, config: Config) -> bool:
    """A draft, built only when drafts are asked for."""
    return made.page is not None and made.page.meta.draft and not config.drafts


def make_all(sources: list[load.Source], shared: Site, config: Config, renderer: render.Renderer,
             keys: list[str], memory: PageCache | None, store: PageStore | None,
             progress: Progress, sink: Sink, between: Callable[[], None] | None = None,
             ) -> Iterator[tuple[int, Made]]:
    """Every transcript's result with its place: from `memory` (serve) or the disk
    `store` when its files are still as published, else made, in a process pool
    when there are enough to make (then in order). Made in this process, the
    fresh ones come first: an edit's page is written before a thousand others
    are looked at. A cached result comes with digests, a fresh one with its
    files' bytes."""
    found: list[Made | None] = []
    remembered: list[bool] = []
    for source, key in zip(sources, keys, strict=True):
        if between is not None:
            between()
        hit = memory.get(source.slug) if memory is not None else None
        made = hit[1] if hit and hit[0] == key else None
        remembered.append(made is not None)
        if made is not None and store is not None:
            store.touch(key)
        if made is None and store is not None:
            made = store.get(source.slug, key)
            if made is not None and memory is not None:
                memory[source.slug] = (key, made)  # serve: read from disk once
        found.append(made)
    # Whether a result's files are still as published is asked before the pool
    # starts, except of results serve remembers from its own builds when few
    # are to be made (an edit): of those only the first file is asked now (a
    # build that failed published none: they go to the pool), the rest in
    # turn, after the edit's page is written (at 5,000 episodes, 55,000 files
    # took 50 ms to ask about).
    later = memory is not None and sum(m is None for m in found) < POOL_MIN
    for i, made in enumerate(found):
        if made is None or made.files:  # made by serve when saved, not published yet
            continue
        if later and remembered[i]:
            first = next(iter(made.digests.items()), None)
            if first is not None and not sink.can_keep(*first):
                found[i] = None
        elif not _still_published(made, sink):
            found[i] = None
    todo = [s for s, m in zip(sources, found, strict=True) if m is None]
    jobs = min(config.jobs or os.cpu_count() or 1, len(todo))
    if jobs > 1 and len(todo) >= POOL_MIN:
        pool = ProcessPoolExecutor(jobs, initializer=_start_worker,
                                   initargs=(shared, config, os.getpid()))
        fresh: Iterator[Made] = _in_order(pool, todo, ahead=jobs * 3)
    else:
        pool = None
        fresh = (transcript(s, shared, config, renderer) for s in todo)
    order = list(range(len(sources)))
    if pool is None:
        order.sort(key=lambda i: found[i] is not None)
    try:
        for n, i in enumerate(order):
            source, key, made = sources[i], keys[i], found[i]
            progress(n, len(sources), source.slug)
            if between is not None:
                between()
            stale = made is not None and not made.files and later and remembered[i] \
                and not _still_published(made, sink)
            if made is None or stale:
                made = transcript(source, shared, config, renderer) if stale else next(fresh)
                if not made.errors and made.made_from == source.transcript.digest:
                    _remember(source.slug, key, made, memory, store)
            elif made.files:  # serve made it when it was saved: kept now it is published
                _remember(source.slug, key, made, memory, store)
            yield i, made
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    progress(len(sources), len(sources), "")


def _remember(slug: str, key: str, made: Made, memory: PageCache | None, store: PageStore | None,
              ) -> None:
    """Keep a result made in this build (or by serve when its file was saved) under
    its key, and drop from the disk cache what it replaces."""
    slim = made.slim()
    if store is not None:
        store.put(slug, key, slim)
        old = memory.get(slug) if memory is not None else None
        for gone in {old[0] if old else "", made.replaces} - {"", key}:
            store.drop(gone)  # serve: what this edit replaced
    if memory is not None:
        memory[slug] = (key, slim)


def _still_published(made: Made, sink: Sink) -> bool:
    """Whether a kept result's files are still as published: not if they changed
    behind our back, or the result is a draft's."""
    return all(sink.can_keep(rel, d) for rel, d in made.digests.items())


def _in_order(pool: ProcessPoolExecutor, todo: list[load.Source], ahead: int) -> Iterator[Made]:
    """Results in order with at most `ahead` in flight: memory stays flat (each
    result holds a page's files) however far the pool runs ahead of the writer,
    which `Executor.map`, submitting everything at once, does not promise."""
    waiting: deque[Future[Made]] = deque()
    sources = iter(todo)
    for source in sources:
        waiting.append(pool.submit(_work, source))
        if len(waiting) >= ahead:
            break
    while waiting:
        made = waiting.popleft().result()
        for source in sources:
            waiting.append(pool.submit(_work, source))
            break
        yield made


def _flat(err: SiteError) -> list[SiteError]:
    return list(err.errors) if isinstance(err, SiteErrors) else [err]


def _light(page: Page) -> Page:
    """The page as the pages that cite it need it: without the transcript's text."""
    return replace(page, transcript=replace(page.transcript, turns=[], problems=[]), blocks=[])


def transcript(source: load.Source, shared: Site, config: Config, renderer: render.Renderer,
               shown: Callable[[str, bytes], None] | None = None) -> Made:
    """One transcript's page and files, or its problems: never raises for bad input.
    `shown` (serve) is given the page's HTML as soon as it is made, before the
    downloads and search records (quickpage.py)."""
    try:
        source = load.filled(source)
        page = make_page(source, shared, config)
        files = renderer.transcript(page, shown)
        records = site_search.transcript_records(page, shared) if config.search else []
        files.update(site_search.fragments(records))
        entries = [site_search.entry(r) for r in records]
        records_digest = hashlib.blake2b(repr(entries).encode("utf-8", "surrogatepass"),
                                         digest_size=20).hexdigest()
    except UnknownFormat as err:
        name = source.transcript.shown.lower()
        if name.endswith((".md", ".markdown")):
            # Markdown that is not a transcript is most likely notes or a README.
            return Made(None, {}, warnings=[warning(
                err.pos, "not read: this Markdown file has no speaker turns",
                "if it is a transcript, start turns with `**Name:** text`, `**Name** (m:ss)` or "
                "`Name:` lines; to leave it out on purpose, list it under `ignore:` in config.yaml")])
        if name.endswith((".html", ".htm")):
            return Made(None, {}, warnings=[warning(
                err.pos, "not read: this HTML file is not a transcript",
                "a Podcasting 2.0 HTML transcript has `<cite>Name:</cite>` speakers and `<p>` "
                "paragraphs; to leave it out on purpose, list it under `ignore:` in config.yaml")])
        return Made(None, {}, errors=[err])
    except SiteError as err:
        return Made(None, {}, warnings=list(getattr(err, "warnings", [])), errors=_flat(err))
    digests = {rel: write.digest(data) for rel, data in files.items()}
    return Made(_light(page), files, page.warnings, digests=digests, records=entries,
                records_digest=records_digest, made_from=source.transcript.digest)


_worker: tuple[Site, Config, render.Renderer] | None = None


def _start_worker(shared: Site, config: Config, parent: int) -> None:
    global _worker
    _die_with(parent)
    _worker = (shared, config, render.Renderer(config, shared))


def _die_with(parent: int) -> None:
    """A worker ends when the build that started it does, even when the build is
    killed outright (SIGKILL gives it no chance to stop its pool): on Linux the
    kernel is asked to kill it then (prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _work(source: load.Source) -> Made:
    assert _worker is not None
    shared, config, renderer = _worker
    return transcript(source, shared, config, renderer)


def source_key(source: load.Source, salt: str) -> str:
    """A digest of everything a transcript's page and files are made from (the
    files' own digests are made once, when they are read)."""
    side = source.sidecar
    parts = (salt, source.slug, source.transcript.shown, source.transcript.digest,
             side.shown if side else "", side.digest if side else "")
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def salt(config: Config, files: dict[str, load.TextFile], renderer: render.Renderer) -> str:
    """What every transcript's result depends on: gloss itself, the settings, the
    site-wide files and the theme."""
    # Not where the project is, nor how its config file was named: `gloss build`
    # and a build given the config's full path share one cache.
    settings = replace(config, output_dir="", drafts=False, jobs=0, root=Path("."), path="")
    shared = sorted((name, f.digest) for name, f in files.items())
    # In short: it is hashed again into every transcript's key, and the theme's
    # templates alone are tens of KB.
    whole = repr((__version__, code_digest(), settings, shared, renderer.digest()))
    return hashlib.blake2b(whole.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


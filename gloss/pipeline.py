"""The whole build on one screen:

1. load: read `content/` and the site-wide files (`load`, `read_site_files`);
2. per transcript, in a process pool when there are many and from the cache
   when nothing it is made from changed: parse, fix, clean, attribute,
   annotate (`page.make_page`), then render its page and downloads
   (`render.Renderer.transcript`); each result streams to the output;
3. the site model over every page (`site.make_site`), and the pages that
   cross transcripts (`Renderer.site_pages`);
4. write (`write`): the output folder gets the whole new site or nothing.

Errors are collected across every file and reported together; nothing is
written unless the whole site rendered.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

from . import __version__, links, load, render, sidecar, site, uptodate, write
from . import search as site_search
from .cache import PageStore, code_digest
from .config import Config
from .errors import BuildFailed, Diagnostics, SiteError, SiteErrors, warning
from .formats import UnknownFormat
from .model import Page, Site, SiteModel
from .page import make_page

Progress = Callable[[int, int, str], None]
T = TypeVar("T")

POOL_MIN = 6
"""Transcripts to make before a process pool pays for starting it."""


@dataclass(frozen=True, slots=True)
class Made:
    """What one transcript gives the site: its page (without the transcript's
    text, which only its own files need), its files, and what went wrong. Kept
    in a cache, it holds its files' digests instead of their bytes: the writer
    publishes them again from the site as it is (see `write.SiteWriter.keep`).
    Fresh, it holds both, the digests made where the files were (a worker), so
    the build's own process hashes nothing of them."""

    page: Page | None
    files: dict[str, bytes]
    warnings: list[SiteError] = field(default_factory=list)
    errors: list[SiteError] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    records: list[site_search.Entry] | None = None
    """Its search records (when the site has search); None: kept on disk, read when
    the index must be made again (`PageStore.records`)."""
    records_digest: str = ""
    """The digest of its records: the search index is made again only when some
    page's records change, not on every edit (a note, a chapter, a date)."""
    made_from: str = ""
    """The digest of the transcript text it was made from: a file that changed
    between being hashed and being read again (`load.filled`) gives a result
    that is used but not kept under the old digest's key."""

    def slim(self) -> Made:
        return replace(self, files={})


class Sink(Protocol):
    """Where a build's files go: the writer, or memory (`check`, tests)."""

    def can_keep(self, relpath: str, digest: str) -> bool: ...
    def keep(self, relpath: str, digest: str) -> None: ...
    def add(self, relpath: str, data: bytes, known: str | None = None) -> None:
        """`known`: the digest of `data`, when the caller has it already."""


class Memory:
    """A sink that keeps every file in memory and nothing from before."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def can_keep(self, relpath: str, digest: str) -> bool:
        return False

    def keep(self, relpath: str, digest: str) -> None:
        raise AssertionError("nothing to keep in memory")

    def add(self, relpath: str, data: bytes, known: str | None = None) -> None:
        self.files[relpath] = data


PageCache = dict[str, tuple[str, Made]]
"""slug -> (the key of everything it was made from, what it made): `serve`
keeps this between builds, so an edit costs one transcript."""


@dataclass
class Caches:
    """What `serve` keeps between builds so an edit costs about one page."""

    files: load.FileCache = field(default_factory=dict)
    content: load.Remembered = field(default_factory=load.Remembered)
    pages: PageCache = field(default_factory=dict)
    render: render.RenderCache = field(default_factory=render.RenderCache)
    search: site_search.SearchCache = field(default_factory=site_search.SearchCache)
    remember: bool = True
    """Keep each transcript's result between builds (serve); a one-off build
    does not, so its memory stays flat."""
    keep_staging: bool = False
    """serve: keep the previous site beside the output folder for the next build to
    reuse, instead of making every page's folder again (see write.SiteWriter)."""
    written: write.Remembered = field(default_factory=write.Remembered)
    """serve: the manifest the last build wrote, not read again while unchanged."""
    built: bool = False
    """Whether a build with these caches has succeeded: serve's later builds do
    not sweep `.gloss-cache/` (each drops the entries its edits replace)."""

    def clear(self) -> None:
        self.files.clear()
        self.content.forget()
        self.built = False  # every key changes: sweep the cache after the next build
        self.pages.clear()
        self.render = render.RenderCache()


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    files: int
    written: list[str]
    """Output paths whose bytes changed."""
    deleted: list[str]
    """Stale output paths removed."""
    rendered: list[str]
    """Output paths whose templates ran (the rest were reused from a cache)."""
    diagnostics: Diagnostics
    drafts: int = 0
    """Transcripts marked `draft: true` that were left out."""
    notes: tuple[str, ...] = ()
    """Lines to print that are neither errors nor warnings (e.g. why there is no search)."""


def _no_progress(done: int, total: int, name: str) -> None:
    pass


def _flat(err: SiteError) -> list[SiteError]:
    return list(err.errors) if isinstance(err, SiteErrors) else [err]


def _light(page: Page) -> Page:
    """The page as the pages that cite it need it: without the transcript's text."""
    return replace(page, transcript=replace(page.transcript, turns=[], problems=[]), blocks=[])


def make(source: load.Source, shared: Site, config: Config, renderer: render.Renderer) -> Made:
    """One transcript's page and files, or its problems: never raises for bad input."""
    try:
        source = load.filled(source)
        page = make_page(source, shared, config)
        files = renderer.transcript(page)
        records = site_search.transcript_records(page, shared) if config.search else []
        files.update(site_search.fragments(records))
        entries = [site_search.entry(r) for r in records]
        records_digest = hashlib.blake2b(repr(entries).encode("utf-8", "surrogatepass"),
                                         digest_size=20).hexdigest()
    except UnknownFormat as err:
        shown = source.transcript.shown.lower()
        if shown.endswith((".md", ".markdown")):
            # Markdown that is not a transcript is most likely notes or a README.
            return Made(None, {}, warnings=[warning(
                err.pos, "not read: this Markdown file has no speaker turns",
                "if it is a transcript, start turns with `**Name:** text`, `**Name** (m:ss)` or "
                "`Name:` lines; to leave it out on purpose, list it under `ignore:` in config.yaml")])
        if shown.endswith((".html", ".htm")):
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
    return make(source, shared, config, renderer)


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


def make_all(sources: list[load.Source], shared: Site, config: Config, renderer: render.Renderer,
             keys: list[str], memory: PageCache | None, store: PageStore | None,
             progress: Progress, sink: Sink) -> Iterator[tuple[int, Made]]:
    """Every transcript's result with its place: from `memory` (serve) or the disk
    `store` when its files are still as published, else made, in a process pool
    when there are enough to make (then in order). Made in this process, the
    fresh ones come first: an edit's page is written before a thousand others
    are looked at. A cached result comes with digests, a fresh one with its
    files' bytes."""
    found: list[Made | None] = []
    remembered: list[bool] = []
    for source, key in zip(sources, keys, strict=True):
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
        if made is None:
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
        fresh = (make(s, shared, config, renderer) for s in todo)
    order = list(range(len(sources)))
    if pool is None:
        order.sort(key=lambda i: found[i] is not None)
    try:
        for n, i in enumerate(order):
            source, key, made = sources[i], keys[i], found[i]
            progress(n, len(sources), source.slug)
            stale = made is not None and later and remembered[i] and not _still_published(made, sink)
            if made is None or stale:
                made = make(source, shared, config, renderer) if stale else next(fresh)
                if not made.errors and made.made_from == source.transcript.digest:
                    slim = made.slim()
                    if store is not None:
                        store.put(source.slug, key, slim)
                        old = memory.get(source.slug) if memory is not None else None
                        if old is not None and old[0] != key:
                            store.drop(old[0])  # serve: what this edit replaced
                    if memory is not None:
                        memory[source.slug] = (key, slim)
            yield i, made
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    progress(len(sources), len(sources), "")


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


def _glossary(shown: str, text: str) -> tuple[tuple[tuple[str, str], ...], list[SiteError]]:
    return sidecar.parse_glossary(shown, text), []


@functools.lru_cache(maxsize=8)
def _parsed(parse: Callable[[str, str], tuple[T, list[SiteError]]], shown: str, text: str,
            ) -> tuple[T, list[SiteError]]:
    """A site-wide file parsed once while it is unchanged: serve reads people.yaml
    on every rebuild, and at 1,000 episodes it is long. (Nothing changes what a
    parse returns.)"""
    return parse(shown, text)


def read_site_files(files: dict[str, load.TextFile], diag: Diagnostics) -> Site:
    """people.yaml, topics.yaml and glossary.yaml, each problem reported; a file
    that cannot be read at all counts as empty and is marked unread, so sidecars
    are not blamed for ids it would have defined."""
    unread: set[str] = set()

    def read(name: str, parse: Callable[[str, str], tuple[T, list[SiteError]]], empty: T) -> T:
        f = files.get(name)
        if f is None:
            return empty
        try:
            parsed: tuple[T, list[SiteError]] = _parsed(parse, f.shown, f.text)
            value, errors = parsed
        except SiteError as err:
            diag.error(err)
            unread.add(name)
            return empty
        for problem in errors:
            diag.error(problem)
        return value

    return Site(read("people.yaml", sidecar.read_people, {}),
                read("topics.yaml", sidecar.read_topics, {}),
                read("glossary.yaml", _glossary, ()), frozenset(unread))


def _left_out(made: Made, config: Config) -> bool:
    """A draft, built only when drafts are asked for."""
    return made.page is not None and made.page.meta.draft and not config.drafts


def make_site(config: Config, diag: Diagnostics, sink: Sink, progress: Progress = _no_progress,
              caches: Caches | None = None, store: PageStore | None = None,
              changed: frozenset[Path] | None = None) -> SiteModel:
    """Every file of the site into `sink`, and the model it was made from.
    Raises BuildFailed with every problem found."""
    # A one-off build keeps no text between builds, nor, till each is made, in this one.
    if caches is not None and caches.remember:
        content = load.load_content(config, diag, caches.files, caches.content, changed)
    else:
        content = load.load_content(config, diag)
    shared = read_site_files(content.site_files, diag)
    try:
        renderer = render.Renderer(config, shared, caches.render if caches else None)
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None
    common = salt(config, content.site_files, renderer)
    keys = [source_key(s, common) for s in content.sources]
    memory = caches.pages if caches is not None and caches.remember else None
    results: list[Made | None] = [None] * len(content.sources)
    failed = bool(diag.errors)
    for i, made in make_all(content.sources, shared, config, renderer, keys, memory, store,
                            progress, sink):
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
    pages: list[Page] = []
    found: list[tuple[Page, Made, str, load.Source]] = []
    drafts = 0
    for source, key, result in zip(content.sources, keys, results, strict=True):  # in order, always
        assert result is not None
        made = result
        for problem in made.errors:
            diag.error(problem)
        diag.warnings += made.warnings
        if made.page is None or made.errors:
            continue
        if _left_out(made, config):
            drafts += 1
            continue
        page = made.page
        if (page.modified, page.key) != (source.modified, key):
            page = replace(page, modified=source.modified, key=key)
            held = memory.get(source.slug) if memory is not None else None
            if memory is not None and held is not None and held[0] == key:
                memory[source.slug] = (key, replace(held[1], page=page))  # serve: once, not every edit
        pages.append(page)
        found.append((page, made, key, source))
    if memory is not None:
        for slug in set(memory) - {s.slug for s in content.sources}:
            del memory[slug]
    if diag.errors:
        raise BuildFailed(diag)
    model = site.make_site(pages, shared)
    model.drafts = drafts
    # Pages across transcripts whose key is as the last build recorded, and whose
    # file is still what it made, are kept without rendering (a one-off build
    # after an edit, and serve's first build, rendered 2,000 of them at 1,000).
    renderer.keepable = sink.can_keep
    if store is not None and not renderer.cache.kept:
        renderer.cache.kept = store.get_render()
    try:
        for rel, data in renderer.site_pages(model).items():
            known = renderer.unchanged.get(rel)
            if data or known is None:
                _publish(sink, rel, data, known)
            elif sink.can_keep(rel, known):  # kept unrendered: there are no bytes to add
                sink.keep(rel, known)
            else:
                raise AssertionError(f"{rel} was kept unrendered but is no longer there")
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None
    search_cache = caches.search if caches else site_search.SearchCache()
    if renderer.search and pages:
        _search_index(config, found, sink, store, search_cache, shared, renderer, memory)
    return model


def _search_index(config: Config, found: list[tuple[Page, Made, str, load.Source]], sink: Sink,
                  store: PageStore | None, cache: site_search.SearchCache, shared: Site,
                  renderer: render.Renderer, memory: PageCache | None = None) -> None:
    """The search index into `sink`: published again as it is when no page's
    records changed (by their digests), else made from every page's records.
    Records read from the disk cache stay in `memory` (serve), so the next edit
    does not read them all again."""
    pages = sorted(found, key=lambda f: site.order(f[0]))
    # By what the index is made from: each page's records (its address and title
    # tell episodes apart), in site order.
    made_from = [(p.slug, p.title, m.records_digest or k) for p, m, k, _ in pages]
    key = hashlib.blake2b(repr((code_digest(), config.language, made_from)).encode("utf-8", "surrogatepass"),
                          digest_size=20).hexdigest()
    kept = store.get_index(key) if store is not None and cache.files is None else None
    if kept and _keep_all(sink, kept):
        cache.published = kept
        return
    records = []
    for page, made, page_key, source in pages:
        recs = made.records
        if recs is None and store is not None:
            recs = store.records(page_key)
        if recs is None:  # kept records damaged or gone: make them again
            recs = make(source, shared, config, renderer).records or []
        held = memory.get(page.slug) if memory is not None else None
        if memory is not None and held is not None and held[0] == page_key and held[1].records is None:
            memory[page.slug] = (page_key, replace(held[1], records=recs))
        records.append((page, recs))
    # A one-off build: word files the last one published are read back when the
    # words are the same (serve keeps its own in memory).
    one_off = store if memory is None else None
    last_words = one_off.get_words() if one_off is not None else None
    if last_words is not None:
        cache.kept = (last_words, functools.partial(_published, config.output_path))
    files = site_search.site_index(site_search.records(records), key, config.language, cache)
    if files == {} and cache.files is None and cache.published is not None \
            and _keep_all(sink, cache.published):
        # serve: the new index is being made; until then the one published last
        # time (found on disk, never loaded) keeps search working.
        return
    # Each file hashed once, for the writer and the cache alike (serve's were
    # hashed on the thread that made them).
    digests = cache.digests_of(files) if files else {}
    if files and not digests:
        digests = {rel: write.digest(data) for rel, data in files.items()}
    for rel, data in (files or {}).items():
        _publish(sink, rel, data, digests[rel])
    words = cache.words
    if one_off is not None and words is not None and (last_words is None or last_words.key != words.key):
        hashed = {rel: digests.get(rel) or write.digest(d) for rel, d in words.files.items()}
        one_off.put_words(site_search.KeptWords(words.key, words.shards, hashed))
    # Serve may be given the last index while the new one is made: that one is
    # not kept under the new key.
    if store is not None and files and cache.key == (key, config.language):
        store.put_index(key, digests)


def _published(out: Path, rel: str) -> bytes | None:
    """A file of the site as the last build left it, if it is there."""
    try:
        with open(out / rel, "rb") as f:
            return f.read()
    except OSError:
        return None


def _publish(sink: Sink, rel: str, data: bytes, known: str | None) -> None:
    """Keep the published file when `known`, the digest of `data`, is still that
    file's (nothing hashed or written); else add `data`."""
    if known is not None and sink.can_keep(rel, known):
        sink.keep(rel, known)
    else:
        sink.add(rel, data, known)


def _keep_all(sink: Sink, digests: dict[str, str]) -> bool:
    """Keep every one of these published files, if every one is still as recorded."""
    if not all(sink.can_keep(rel, d) for rel, d in digests.items()):
        return False
    for rel, d in digests.items():
        sink.keep(rel, d)
    return True


def render_site(config: Config) -> tuple[dict[str, bytes], SiteModel, Diagnostics]:
    """Everything the site will contain, in memory, and the model it was made
    from; nothing is written. Raises BuildFailed with every problem found."""
    diag = Diagnostics()
    memory = Memory()
    model = make_site(config, diag, memory)
    return memory.files, model, diag


def build(
    config: Config, progress: Progress = _no_progress, caches: Caches | None = None,
    strict: bool = False, search: bool = False, changed: frozenset[Path] | None = None,
    wrote: Callable[[str], None] | None = None,
) -> BuildResult:
    """Make the site straight into the output folder's staging copy, page by page
    (nothing is held in memory), and publish it whole; with `strict`, a warning
    fails the build too. A build that fails publishes nothing. With `search` (the
    command line's build and serve), the search index is made and published too.
    `changed` (serve): the content paths the watcher saw change since the last
    build with these caches, when it can say. `wrote` (serve): told each output
    path as soon as it is written in place, before the build is done."""
    caches = caches if caches is not None else Caches(remember=False)
    config = replace(config, search=(config.search or search) and config.searchable)
    # A one-off build notes what it was made from, so the next can tell that
    # nothing changed without reading anything (see uptodate.py).
    one_off = not caches.remember
    before = uptodate.inputs(config) if one_off and config.cache else None
    store = PageStore.open(config) if config.cache else None
    diag = Diagnostics()
    # With a cache, the staging copy is kept beside the site for the next build
    # to bring in line: only what changed is linked or written again.
    writer: write.SiteWriter | write.InPlaceWriter
    if caches.keep_staging and write.InPlaceWriter.usable(config.output_path, caches.written, first=True):
        writer = write.InPlaceWriter(config.output_path, caches.written, wrote=wrote)  # serve
    else:
        writer = write.SiteWriter(config.output_path, keep_staging=caches.keep_staging or config.cache,
                                  remembered=caches.written if caches.remember else None)
    with writer as out:
        model = make_site(config, diag, out, progress, caches, store, changed)
        if strict and diag.counted:
            raise BuildFailed(diag)
        written, deleted = out.commit()
        files = out.count
    if store is not None:
        if not caches.built:  # serve's later builds leave it: an edit costs no such write
            store.put_render(caches.render.persisted_outputs)
        store.save(sweep=not caches.built)
    caches.built = True
    notes = tuple(caches.search.take_notes())
    if one_off:
        uptodate.record(config, before, len(model.pages), files, model.drafts, diag.warnings, notes)
    return BuildResult(len(model.pages), files, written, deleted,
                       list(caches.render.rendered), diag, model.drafts, notes)


def check(config: Config) -> Diagnostics:
    """Validate content, annotations and theme by rendering in memory, and every
    link between the pages; write nothing."""
    try:
        files, _, diag = render_site(config)
    except BuildFailed as failed:
        return failed.diagnostics
    diag.warnings += links.check_links(files, config.base_url)
    return diag

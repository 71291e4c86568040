"""The whole build on one screen:

1. load: read `content/` (`load.load_content`) and the site-wide files
   (`shared.read_site_files`);
2. make every transcript (`make.transcripts`): parse, fix, clean, attribute,
   annotate (`page.make_page`), then render its page and downloads
   (`render.Renderer.transcript`) and its search records, in a process pool
   when there are many and from the cache when nothing it is made from
   changed; each result streams to the output as it comes;
3. the site model over every page (`site.make_site`), and the pages that
   cross transcripts (`Renderer.site_pages`);
4. search: the index over every page's records (`indexing.search_index`);
5. write (`write`): the output folder gets the whole new site or nothing.

Errors are collected across every file and reported together; nothing is
written unless the whole site rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import indexing, links, load, make, render, site, uptodate, write
from . import search as site_search
from .cache import PageStore
from .config import Config, with_search
from .errors import BuildFailed, Diagnostics, SiteError
from .made import Memory, PageCache, Progress, Sink, add_or_keep
from .model import Site, SiteModel
from .shared import read_site_files


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


def make_site(config: Config, diag: Diagnostics, sink: Sink, progress: Progress = _no_progress,
              caches: Caches | None = None, store: PageStore | None = None,
              changed: frozenset[Path] | None = None, between: Callable[[], None] | None = None,
              ) -> SiteModel:
    """Every file of the site into `sink`, and the model it was made from.
    Raises BuildFailed with every problem found."""
    content = _load(config, diag, caches, changed, between)
    shared = read_site_files(content.site_files, diag)
    renderer = _renderer(config, shared, caches, diag)
    memory = caches.pages if caches is not None and caches.remember else None
    made = make.transcripts(content, shared, config, renderer, sink, diag, progress, memory, store,
                            between)
    if diag.errors:
        raise BuildFailed(diag)
    if between is not None:
        between()
    model = site.make_site(made.pages, shared)
    model.drafts = made.drafts
    # Each page's files, as made or kept: the feed links the downloads among them.
    _site_pages(model, renderer, sink, store, diag, {p.slug: m.digests.keys() for p, m, _, _ in made.found},
                between)
    if between is not None:
        between()
    search_cache = caches.search if caches else site_search.SearchCache()
    if renderer.search and made.pages:
        indexing.search_index(config, made.found, sink, store, search_cache, shared, renderer, memory,
                              between)
    return model


def _load(config: Config, diag: Diagnostics, caches: Caches | None,
          changed: frozenset[Path] | None, between: Callable[[], None] | None) -> load.Content:
    # A one-off build keeps no text between builds, nor, till each is made, in this one.
    if caches is not None and caches.remember:
        return load.load_content(config, diag, caches.files, caches.content, changed, between)
    return load.load_content(config, diag)


def _renderer(config: Config, shared: Site, caches: Caches | None, diag: Diagnostics) -> render.Renderer:
    try:
        return render.Renderer(config, shared, caches.render if caches else None)
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None


def _site_pages(model: SiteModel, renderer: render.Renderer, sink: Sink, store: PageStore | None,
                diag: Diagnostics, exported: Mapping[str, Collection[str]],
                between: Callable[[], None] | None) -> None:
    """The pages across transcripts into `sink`. Those whose key is as the last
    build recorded, and whose file is still what it made, are kept without
    rendering (a one-off build after an edit, and serve's first build, rendered
    2,000 of them at 1,000)."""
    renderer.keepable = sink.can_keep
    if between is not None:
        renderer.between = between
    if store is not None and not renderer.cache.kept:
        renderer.cache.kept = store.get_render()
    try:
        for rel, data in renderer.site_pages(model, exported).items():
            known = renderer.unchanged.get(rel)
            if data or known is None:
                add_or_keep(sink, rel, data, known)
            elif sink.can_keep(rel, known):  # kept unrendered: there are no bytes to add
                sink.keep(rel, known)
            else:
                raise AssertionError(f"{rel} was kept unrendered but is no longer there")
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None


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
    wrote: Callable[[str, bytes], None] | None = None, between: Callable[[], None] | None = None,
) -> BuildResult:
    """Make the site straight into the output folder's staging copy, page by page
    (nothing is held in memory), and publish it whole; with `strict`, a warning
    fails the build too. A build that fails publishes nothing. With `search` (the
    command line's build and serve), the search index is made and published too.
    `changed` (serve): the content paths the watcher saw change since the last
    build with these caches, when it can say. `wrote` (serve): told each output
    path as soon as it is written in place, before the build is done. `between`
    (serve): called between the steps of the build, so a save is shown at once
    (quickpage.py) however long the build takes."""
    caches = caches if caches is not None else Caches(remember=False)
    config = with_search(config, search)
    # A one-off build notes what it was made from, so the next can tell that
    # nothing changed without reading anything (see uptodate.py).
    one_off = not caches.remember
    before = uptodate.inputs(config) if one_off and config.cache else None
    store = PageStore.open(config) if config.cache else None
    diag = Diagnostics()
    # With a cache, the staging copy is kept beside the site for the next build
    # to bring in line: only what changed is linked or written again.
    writer: write.SiteWriter | write.InPlaceWriter
    if between is not None:
        between()  # serve: the cache opened, and before the manifest is read (0.1 s at 5,000)
    if caches.keep_staging and write.InPlaceWriter.usable(config.output_path, caches.written, first=True):
        writer = write.InPlaceWriter(config.output_path, caches.written, wrote=wrote)  # serve
    else:
        writer = write.SiteWriter(config.output_path, keep_staging=caches.keep_staging or config.cache,
                                  remembered=caches.written if caches.remember else None)
    with writer as out:
        model = make_site(config, diag, out, progress, caches, store, changed, between)
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

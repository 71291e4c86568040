"""The whole build on one screen: load, then per transcript parse, clean and
attribute (inside `site.make_page`), then the site model, render and write.

Errors are collected across every file and reported together; nothing is
written unless the whole site rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from . import load, render, sidecar, site, write
from . import search as site_search
from .config import Config
from .errors import BuildFailed, Diagnostics, SiteError
from .formats import UnknownFormat
from .model import Page, Site, SiteModel

Progress = Callable[[int, int, str], None]
T = TypeVar("T")

PageCache = dict[str, tuple[tuple[object, ...], Page]]
"""slug -> (everything the page was made from, the page). `make_page` is a pure
function of those inputs, so an equal key means the cached page is still right."""


@dataclass
class Caches:
    """What `serve` keeps between builds so an edit costs about one page."""

    files: load.FileCache = field(default_factory=dict)
    pages: PageCache = field(default_factory=dict)
    render: render.RenderCache = field(default_factory=render.RenderCache)
    written: dict[str, bytes] = field(default_factory=dict)
    search: site_search.SearchCache = field(default_factory=site_search.SearchCache)

    def clear(self) -> None:
        self.files.clear()
        self.pages.clear()
        self.render = render.RenderCache()
        self.written.clear()


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    files: int
    written: list[str]
    """Output paths whose bytes changed."""
    deleted: list[str]
    """Stale output paths removed."""
    rendered: list[str]
    """Output paths whose templates ran (the rest were reused from the cache)."""
    diagnostics: Diagnostics
    drafts: int = 0
    """Transcripts marked `draft: true` that were left out."""
    notes: tuple[str, ...] = ()
    """Lines to print that are neither errors nor warnings (e.g. why there is no search)."""


def _no_progress(done: int, total: int, name: str) -> None:
    pass


def model_site(
    config: Config, diag: Diagnostics, progress: Progress = _no_progress,
    caches: Caches | None = None,
) -> SiteModel:
    """Load and process every transcript (reusing cached pages whose inputs did
    not change); raise BuildFailed if any had errors."""
    content = load.load_content(config, diag, caches.files if caches else None)
    cache = caches.pages if caches else None
    site_files = content.site_files
    shared = read_site_files(site_files, diag)
    pages: list[Page] = []
    drafts = 0
    for i, source in enumerate(content.sources):
        progress(i, len(content.sources), source.slug)
        key = (source, site_files, config)
        hit = cache.get(source.slug) if cache is not None else None
        if hit and hit[0] == key:
            page = hit[1]
        else:
            try:
                page = site.make_page(source, shared, config)
            except UnknownFormat as err:
                if not source.transcript.shown.lower().endswith((".md", ".markdown")):
                    diag.error(err)
                    continue
                # Markdown that is not a transcript is most likely notes or a README.
                diag.warn(err.pos, "not read: this Markdown file has no speaker turns",
                          "if it is a transcript, start turns with `**Name** (m:ss)` or `Name:` "
                          "lines; to leave it out on purpose, list it under `ignore:` in config.yaml")
                continue
            except SiteError as err:
                diag.error(err)
                continue
            if cache is not None:
                cache[source.slug] = (key, page)
        if page.meta.draft and not config.drafts:
            drafts += 1
            continue
        pages.append(page)
        diag.warnings += page.warnings
    if cache is not None:
        for slug in set(cache) - {s.slug for s in content.sources}:
            del cache[slug]
    progress(len(content.sources), len(content.sources), "")
    if diag.errors:
        raise BuildFailed(diag)
    model = site.make_site(pages, shared)
    model.drafts = drafts
    return model


def read_site_files(files: dict[str, load.TextFile], diag: Diagnostics) -> Site:
    """people.yaml, topics.yaml and glossary.yaml; a broken one counts as empty
    (its error is reported) so every transcript is still checked against the rest."""
    def read(name: str, parse: Callable[[str, str], T], empty: T) -> T:
        f = files.get(name)
        if f is None:
            return empty
        try:
            return parse(f.shown, f.text)
        except SiteError as err:
            diag.error(err)
            return empty

    return Site(read("people.yaml", sidecar.parse_people, {}),
                read("topics.yaml", sidecar.parse_topics, {}),
                read("glossary.yaml", sidecar.parse_glossary, ()))


def render_site(
    config: Config, progress: Progress = _no_progress, caches: Caches | None = None,
    search: bool = False,
) -> tuple[dict[str, bytes], SiteModel, Diagnostics]:
    """Everything the site will contain, in memory; nothing is written. With
    `search`, the search index too (`site/pagefind/`), when Pagefind can make it."""
    diag = Diagnostics()
    model = model_site(config, diag, progress, caches)
    index = (site_search.site_index(model, config.language, caches.search if caches
                                    else site_search.SearchCache()) if search else None)
    try:
        files = render.render_site(model, config, caches.render if caches else None,
                                   search=index is not None)
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None
    files.update(index or {})
    return files, model, diag


def build(
    config: Config, progress: Progress = _no_progress, caches: Caches | None = None,
    strict: bool = False, search: bool = False,
) -> BuildResult:
    """Render the site, then write it to the output folder; with `strict`, a
    warning fails the build too, before anything is written. With `search` (the
    command line's build and serve), the search index is made and written with it."""
    caches = caches if caches is not None else Caches()
    files, model, diag = render_site(config, progress, caches, search)
    if strict and diag.warnings:
        raise BuildFailed(diag)
    written, deleted = write.write_site(config.output_path, files, caches.written)
    return BuildResult(len(model.pages), len(files), written, deleted,
                       list(caches.render.rendered), diag, model.drafts,
                       tuple(caches.search.take_notes()))


def check(config: Config) -> Diagnostics:
    """Validate content, annotations and theme by rendering in memory; write nothing."""
    try:
        _, _, diag = render_site(config)
    except BuildFailed as failed:
        return failed.diagnostics
    return diag

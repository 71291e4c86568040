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
from .config import Config
from .errors import BuildFailed, Diagnostics, SiteError
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
    keep_staging: bool = False
    """serve: keep the previous site beside the output folder for the next build to
    reuse, instead of making every page's folder again (see write.SiteWriter)."""

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
    for i, source in enumerate(content.sources):
        progress(i, len(content.sources), source.slug)
        key = (source, site_files, config)
        hit = cache.get(source.slug) if cache is not None else None
        if hit and hit[0] == key:
            pages.append(hit[1])
            diag.warnings += hit[1].warnings
            continue
        try:
            page = site.make_page(source, shared, config)
        except SiteError as err:
            diag.error(err)
            continue
        pages.append(page)
        diag.warnings += page.warnings
        if cache is not None:
            cache[source.slug] = (key, page)
    if cache is not None:
        for slug in set(cache) - {s.slug for s in content.sources}:
            del cache[slug]
    progress(len(content.sources), len(content.sources), "")
    if diag.errors:
        raise BuildFailed(diag)
    return site.make_site(pages, shared)


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
) -> tuple[dict[str, bytes], SiteModel, Diagnostics]:
    """Everything the site will contain, in memory; nothing is written."""
    diag = Diagnostics()
    model = model_site(config, diag, progress, caches)
    try:
        files = render.render_site(model, config, caches.render if caches else None)
    except SiteError as err:
        diag.error(err)
        raise BuildFailed(diag) from None
    return files, model, diag


def build(
    config: Config, progress: Progress = _no_progress, caches: Caches | None = None,
    strict: bool = False, rendered: Callable[[dict[str, bytes]], None] | None = None,
) -> BuildResult:
    """Render the site, then write it to the output folder; with `strict`, a
    warning fails the build too, before anything is written. `rendered` (serve)
    gets the site before it is written, to show it without waiting for the disk."""
    caches = caches if caches is not None else Caches()
    files, model, diag = render_site(config, progress, caches)
    if strict and diag.warnings:
        raise BuildFailed(diag)
    if rendered is not None:
        rendered(files)
    written, deleted = write.write_site(config.output_path, files, caches.written,
                                        keep_staging=caches.keep_staging)
    return BuildResult(len(model.pages), len(files), written, deleted,
                       list(caches.render.rendered), diag)


def check(config: Config) -> Diagnostics:
    """Validate content, annotations and theme by rendering in memory; write nothing."""
    try:
        _, _, diag = render_site(config)
    except BuildFailed as failed:
        return failed.diagnostics
    return diag

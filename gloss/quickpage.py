"""serve: the page an editor is looking at, made again the moment its file is saved.

A transcript's page and downloads are made from its own two files, the
site-wide files and the theme, nothing else (`make.transcript`). So a save of a
transcript or its sidecar is shown at once, before the build that follows it
looks at the other thousand episodes, remakes the home, topic and person pages
and the feed, or waits for the search index: the files are made from the saved
text alone, served from memory (`LiveSite.override`) until a build that read
the save publishes them, and handed to that build (`Caches.pages`), which then
does not make them again. serve asks between the steps of every build,
start-up included, so a save never waits for one to end.

Anything in doubt (a file that came or went, a link, an ignored file, a
site-wide file, the theme, the settings, a page with errors) is left to the
build, which finds it as it always did.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import load, make, render
from .config import Config, with_search
from .errors import Diagnostics, FormatError, SiteError
from .formats import EXTENSIONS
from .fsutil import read_text
from .live import LiveSite, page_of
from .made import PageCache
from .model import Site
from .shared import read_site_files

Stamp = tuple[int, int]


@dataclass
class _Prepared:
    """What every page is made with, kept while the site-wide files are the same."""

    files: dict[str, load.TextFile]
    site: Site
    renderer: render.Renderer
    salt: str


@dataclass
class QuickPages:
    live: LiveSite
    pages: PageCache
    """The build's memory of each page (`Caches.pages`): a page made here goes in
    with its files, so the next build writes them instead of making them again."""
    saves: int = 0
    """How many pages were made here: the build that reads them settles them."""
    made: dict[Path, Stamp] = field(default_factory=dict)
    """Each saved path -> the (mtime, size) a page was last made from here."""
    prepared: _Prepared | None = None
    spent: float = 0.0
    """Seconds the last call took (printed by serve)."""
    told: Callable[[Alone, int], None] | None = None
    """Told what each page shown was made from, before it is shown (the
    annotation toolbar checks a page's files against it)."""

    def warm(self, config: Config) -> None:
        """Get ready for the first save (the site-wide files read, the templates
        compiled) before serve's first build, which may take seconds."""
        prepared = self._prepare(with_search(config))
        if prepared is not None:
            try:
                prepared.renderer.env.get_template("transcript.html")
            except Exception:  # the build reports a broken theme
                self.prepared = None

    def forget(self) -> None:
        """The theme or the settings changed: what pages are made with is made anew."""
        self.prepared = None

    def make(self, config: Config, paths: Iterable[Path]) -> list[str]:
        """Make the pages of these saved content files that can be made on their
        own, show them, and return their output paths."""
        started = time.perf_counter()
        shown: list[str] = []
        config = with_search(config)
        for path in paths:
            stamp = _stamp(path)
            if stamp is None or self.made.get(path) == stamp:
                continue
            self.made[path] = stamp
            alone = one_source(config, path)
            prepared = self._prepare(config) if alone is not None else None
            if alone is None or prepared is None:
                continue
            source = alone.source
            self.saves += 1
            saves = self.saves

            def show(url: str, html: bytes, alone: Alone = alone, saves: int = saves) -> None:
                """The page itself, before its downloads and search records are made."""
                if self.told is not None:
                    self.told(alone, saves)
                self.live.override({url: html}, saves, page_of(url))
                shown.append(url)

            try:
                made = make.transcript(source, prepared.site, config, prepared.renderer, show)
            except Exception:  # a bug shows when the build that follows reports it
                continue
            if made.errors or made.page is None or not made.files:
                continue  # the build shows the errors over the page
            key = make.source_key(source, prepared.salt)
            # The key the disk cache holds for this page: the next build drops it.
            held = self.pages.get(source.slug)
            old = "" if held is None else held[1].replaces if held[1].files else held[0]
            self.pages[source.slug] = (key, replace(made, replaces=old))
            self.live.override(made.files, saves)  # the downloads too, with no reload
        self.spent = time.perf_counter() - started
        return shown

    def _prepare(self, config: Config) -> _Prepared | None:
        files = _site_files(config)
        if files is None:
            return None
        if self.prepared is not None and self.prepared.files == files:
            return self.prepared
        diag = Diagnostics()
        site = read_site_files(files, diag)
        if diag.errors:
            return None
        try:
            renderer = render.Renderer(config, site)
        except SiteError:
            return None
        self.prepared = _Prepared(files, site, renderer, make.salt(config, files, renderer))
        return self.prepared


@dataclass(frozen=True, slots=True)
class Alone:
    """A transcript read on its own (`one_source`), with where its files are."""

    source: load.Source
    transcript: Path
    sidecar: Path | None


def one_source(config: Config, path: Path) -> Alone | None:
    """serve: the transcript a saved file belongs to, read on its own, when that is
    surely what a walk of content/ would pair (`load.load_content`): a plain file under it, not
    hidden, ignored or reached through a link, whose page has one transcript and
    at most one sidecar. None when in any doubt (a site-wide file too): the build
    then finds it."""
    root = config.content_path.resolve()
    try:
        rel_path = path.relative_to(root)
    except ValueError:
        return None
    parts = rel_path.parts
    if not parts or any(p.startswith(".") for p in parts):
        return None
    if any(os.path.islink(root.joinpath(*parts[: i + 1])) for i in range(len(parts))):
        return None
    rel = "/".join(parts)
    folder, name = rel.rpartition("/")[0], parts[-1]
    stem, suffix = load.split_name(name)
    if suffix not in (*EXTENSIONS, *load.YAML) or (not folder and name in load.SITE_FILES):
        return None
    where = path.parent
    # The names it could pair with, looked up one by one: listing the folder
    # would cost more the more episodes it holds.
    candidates = {name} | {stem + ext for ext in (*EXTENSIONS, *load.YAML)}
    siblings = {n for n in candidates if os.path.lexists(where / n)}
    texts = [n for n in siblings if load.split_name(n)[1] in EXTENSIONS]
    sides = [n for n in siblings if load.split_name(n)[1] in load.YAML]
    if len(texts) != 1 or len(sides) > 1:
        return None
    ignored = [load.glob_regex(p) for p in config.ignore]
    named = [f"{folder}/{n}" if folder else n for n in texts + sides]
    if any(r.fullmatch(n) for r in ignored for n in named):
        return None
    slug_parts = [load.slugify(p) for p in parts[:-1]] + [load.slugify(stem)]
    if slug_parts[0] in load.RESERVED_SLUGS or (not folder and stem + ".yaml" in load.SITE_FILES):
        return None
    shown_root = load.shown_path(config.content_path)
    files: list[load.TextFile] = []
    stamps: list[int] = []
    for n, rel_name in zip(texts + sides, named, strict=True):
        target = where / n
        try:
            st = target.stat()
            if not stat.S_ISREG(st.st_mode) or target.is_symlink():
                return None
            shown = os.path.join(shown_root, rel_name)
            files.append(load.TextFile(shown, read_text(target, FormatError, shown)))
        except (OSError, SiteError):
            return None
        stamps.append(st.st_mtime_ns)
    source = load.Source("/".join(slug_parts), files[0], files[1] if len(files) > 1 else None,
                         max(stamps) / 1e9)
    return Alone(source, where / texts[0], where / sides[0] if sides else None)


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _site_files(config: Config) -> dict[str, load.TextFile] | None:
    """people.yaml, topics.yaml and glossary.yaml as a build's load reads them, or
    None when one is anything but a plain file it would read."""
    files: dict[str, load.TextFile] = {}
    ignored = [load.glob_regex(p) for p in config.ignore]
    shown_root = load.shown_path(config.content_path)
    for name in load.SITE_FILES:
        path = config.content_path / name
        if not os.path.lexists(path) or any(r.fullmatch(name) for r in ignored):
            continue
        if path.is_symlink() or not path.is_file():
            return None
        shown = os.path.join(shown_root, name)
        try:
            files[name] = load.TextFile(shown, read_text(path, FormatError, shown))
        except SiteError:
            return None
    return files

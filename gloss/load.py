"""Find the site's content: transcripts, their sidecar YAML, and site-wide files.

This is the only stage that reads `content/`. It returns bytes-as-text and
paths, nothing parsed, so every later stage is a pure function of what it is
given (and can be cached by content hash).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ConfigError, Diagnostics, FormatError, SiteError, SourcePos
from .formats import EXTENSIONS
from .fsutil import read_text

SITE_FILES = ("people.yaml", "topics.yaml", "glossary.yaml")
"""Site-wide YAML files in content/; they are not sidecars of a transcript."""

RESERVED_SLUGS = {"static", "topics", "people", "404", "index", "search"}
"""Output paths the site itself uses; a transcript cannot take them."""


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file's text and the path to show for it in messages."""

    shown: str
    text: str


@dataclass(frozen=True, slots=True)
class Source:
    """One transcript with its optional sidecar, as read from disk."""

    slug: str
    transcript: TextFile
    sidecar: TextFile | None


@dataclass(frozen=True, slots=True)
class Content:
    sources: list[Source]
    site_files: dict[str, TextFile]
    """`people.yaml`, `topics.yaml`, `glossary.yaml` -> their text, when present."""


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def slugify(stem: str) -> str:
    """A page name that is safe in a URL: letters (of any script), digits, `-`, `_`."""
    return re.sub(r"[^\w-]+", "-", stem.lower()).strip("-_") or "transcript"


FileCache = dict[Path, tuple[tuple[int, int], str]]
"""path -> ((mtime_ns, size), text): files unchanged on disk are not read again."""


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    shown: str
    stem: str
    suffix: str
    stamp: tuple[int, int]


def _list(folder: Path) -> list[_Entry]:
    """The visible files of `folder`, sorted, with one stat each (os.scandir)."""
    shown_dir = shown_path(folder)
    out: list[_Entry] = []
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith(".") or not e.is_file():
                continue
            st = e.stat()
            stem, dot, ext = e.name.rpartition(".")
            suffix = "." + ext if dot and stem else ""
            out.append(_Entry(Path(e.path), os.path.join(shown_dir, e.name), stem if suffix else e.name,
                              suffix, (st.st_mtime_ns, st.st_size)))
    return sorted(out, key=lambda f: f.path.name)


def _read(entry: _Entry, cache: FileCache | None) -> str:
    hit = cache.get(entry.path) if cache is not None else None
    if hit and hit[0] == entry.stamp:
        return hit[1]
    text = read_text(entry.path, FormatError, entry.shown)
    if cache is not None:
        cache[entry.path] = (entry.stamp, text)
    return text


def load_content(config: Config, diag: Diagnostics, cache: FileCache | None = None) -> Content:
    """Pair every transcript in content/ with its sidecar; report clashes and orphans."""
    folder = config.content_path.resolve()
    if not folder.is_dir():
        raise ConfigError(SourcePos(config.path), f"content folder not found: {shown_path(folder)}")
    files = _list(folder)
    yamls: dict[str, _Entry] = {}
    for f in files:
        if f.suffix in (".yaml", ".yml"):
            if f.stem in yamls:
                diag.error(FormatError(SourcePos(f.shown), f"{yamls[f.stem].shown} is already the "
                                       f"annotation file for `{f.stem}`", "keep one of the two"))
                continue
            yamls[f.stem] = f
    sources: list[Source] = []
    slugs: dict[str, _Entry] = {}
    for entry in files:
        if entry.suffix not in EXTENSIONS:
            continue
        slug = slugify(entry.stem)
        if slug in RESERVED_SLUGS or entry.stem + ".yaml" in SITE_FILES:
            diag.error(FormatError(SourcePos(entry.shown), f"`{slug}` is a name the site uses itself",
                                   "rename the transcript file"))
            continue
        if slug in slugs:
            diag.error(FormatError(SourcePos(entry.shown), f"page `{slug}/` would also be built from "
                                   f"{slugs[slug].shown}", "rename one of the two files"))
            continue
        slugs[slug] = entry
        try:
            text = _read(entry, cache)
            side = yamls.get(entry.stem)
            sidecar = TextFile(side.shown, _read(side, cache)) if side else None
        except SiteError as err:
            diag.error(err)
            continue
        sources.append(Source(slug, TextFile(entry.shown, text), sidecar))
    stems = {f.stem for f in files if f.suffix in EXTENSIONS}
    site_files: dict[str, TextFile] = {}
    for stem, entry in yamls.items():
        if stem + ".yaml" in SITE_FILES:
            try:
                site_files[stem + ".yaml"] = TextFile(entry.shown, _read(entry, cache))
            except SiteError as err:
                diag.error(err)
        elif stem not in stems:
            diag.warn(SourcePos(entry.shown), "annotation file has no transcript beside it",
                      f"expected a transcript named {stem}.txt or {stem}.md")
    return Content(sources, site_files)

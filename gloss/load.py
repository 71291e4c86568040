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
    people: TextFile | None


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def slugify(stem: str) -> str:
    """A URL-safe page name: lowercase letters, digits, `-` and `_`."""
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "transcript"


FileCache = dict[Path, tuple[tuple[int, int], str]]
"""path -> ((mtime_ns, size), text): files unchanged on disk are not read again."""


def _read(path: Path, cache: FileCache | None) -> str:
    if cache is None:
        return read_text(path, FormatError, shown_path(path))
    try:
        st = path.stat()
    except OSError as exc:
        raise FormatError(SourcePos(shown_path(path)), f"cannot read file: {exc.strerror}") from None
    stamp = (st.st_mtime_ns, st.st_size)
    hit = cache.get(path)
    if hit and hit[0] == stamp:
        return hit[1]
    text = read_text(path, FormatError, shown_path(path))
    cache[path] = (stamp, text)
    return text


def load_content(config: Config, diag: Diagnostics, cache: FileCache | None = None) -> Content:
    """Pair every transcript in content/ with its sidecar; report clashes and orphans."""
    folder = config.content_path.resolve()
    if not folder.is_dir():
        raise ConfigError(SourcePos(config.path), f"content folder not found: {shown_path(folder)}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    yamls = {p.stem: p for p in files if p.suffix in (".yaml", ".yml")}
    sources: list[Source] = []
    slugs: dict[str, Path] = {}
    for path in files:
        if path.suffix not in EXTENSIONS:
            continue
        shown = shown_path(path)
        slug = slugify(path.stem)
        if slug in RESERVED_SLUGS or path.stem + ".yaml" in SITE_FILES:
            diag.error(FormatError(SourcePos(shown), f"`{slug}` is a name the site uses itself",
                                   "rename the transcript file"))
            continue
        if slug in slugs:
            diag.error(FormatError(SourcePos(shown), f"page `{slug}/` would also be built from "
                                   f"{shown_path(slugs[slug])}", "rename one of the two files"))
            continue
        slugs[slug] = path
        try:
            text = _read(path, cache)
            side = yamls.get(path.stem)
            sidecar = TextFile(shown_path(side), _read(side, cache)) if side else None
        except SiteError as err:
            diag.error(err)
            continue
        sources.append(Source(slug, TextFile(shown, text), sidecar))
    stems = {p.stem for p in files if p.suffix in EXTENSIONS}
    for stem, path in yamls.items():
        if stem not in stems and path.name not in SITE_FILES:
            diag.warn(SourcePos(shown_path(path)), "annotation file has no transcript beside it",
                      f"expected a transcript named {stem}.txt or {stem}.md")
    people_path = folder / "people.yaml"
    people = None
    if people_path.exists():
        try:
            people = TextFile(shown_path(people_path), _read(people_path, cache))
        except SiteError as err:
            diag.error(err)
    return Content(sources, people)

"""Find the site's content: transcripts, their sidecar YAML, and site-wide files.

This is the only stage that reads `content/`. It returns bytes-as-text and
paths, nothing parsed, so every later stage is a pure function of what it is
given (and can be cached by content hash).

Every file under `content/` (subfolders included) either becomes a page, is
a sidecar or site-wide file, is left out on purpose by an `ignore:` pattern,
or is named in a warning: nothing is skipped silently. Links are followed
only within the content folder: a link that leads outside it is refused with
a warning (a content pull request must not publish a file of the machine that
builds it), a loop is an error at the link.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config
from .errors import ConfigError, Diagnostics, FormatError, SiteError, SourcePos
from .formats import EXTENSIONS
from .fsutil import read_text

SITE_FILES = ("people.yaml", "topics.yaml", "glossary.yaml")
"""Site-wide YAML files at the top of content/; they are not sidecars of a transcript."""

RESERVED_SLUGS = {"static", "topics", "people", "404", "index", "search", "feed",
                  "sitemap", "robots", "downloads", "quotes"}
"""Output paths the site itself uses; a transcript (or a folder of them) cannot take them."""

YAML = (".yaml", ".yml")
LISTED = 8
"""How many unread files the warning names before it counts the rest."""


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file's text and the path to show for it in messages."""

    shown: str
    text: str
    digest: str = ""
    """Of the text, made when the file is read, so a rebuild that reads nothing
    new hashes nothing (see `make.source_key`)."""
    path: str = ""
    """Where to read the text again when it was let go (`text` empty): a one-off
    build keeps only each transcript's digest until its turn comes (`filled`),
    so its memory does not grow with the words of the archive."""

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", text_digest(self.text))


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


@dataclass(frozen=True, slots=True)
class Source:
    """One transcript with its optional sidecar, as read from disk."""

    slug: str
    """The page's path: `talk`, or `season-2/ep13` for content/season-2/ep13.txt."""
    transcript: TextFile
    sidecar: TextFile | None
    modified: float = 0.0
    """When the transcript or its sidecar last changed (not part of what the page
    is made from: only sitemap.xml's lastmod uses it)."""


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


FileCache = dict[Path, tuple[tuple[int, int], "TextFile"]]
"""path -> ((mtime_ns, size), the file): files unchanged on disk are not read again."""


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    """Where to read it (a link's target)."""
    rel: str
    """Its path under content/, with `/`."""
    shown: str
    stem: str
    suffix: str
    stamp: tuple[int, int]

    @property
    def folder(self) -> str:
        return self.rel.rpartition("/")[0]


@dataclass
class _Walk:
    """What a walk of the content folder found."""

    files: list[_Entry] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    """Hidden files that look like content (`.draft.txt`): named in the warning."""
    outside: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    folders: dict[Path, frozenset[str]] = field(default_factory=dict)
    """Every folder visited -> the names in it: serve tells an editor's save (a
    file renamed over another) from a file that came or went (`Remembered`)."""


def glob_regex(pattern: str) -> re.Pattern[str]:
    """An `ignore:` pattern as a regex over paths under content/: `*` and `?`
    within a name, `**` across folders; a pattern without `/` matches a name in
    any folder (as .gitignore does); a folder's pattern covers what is in it."""
    pattern = pattern.strip().strip("/")
    anywhere = "/" not in pattern
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(("(?:.*/)?" if anywhere else "") + out + "(?:/.*)?")


def split_name(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, "." + ext.lower()) if dot and stem else (name, "")


def _walk(root: Path, shown_root: str, diag: Diagnostics, between: Callable[[], None] | None = None,
          ) -> _Walk:
    """Every file under `root`, sorted, with one stat each; links resolved and
    kept inside `root`, loops reported at the link. `between` (serve) is asked
    now and then: 10,000 files took 0.2 s, and a save goes first."""
    found = _Walk()
    seen_dirs: set[Path] = {root}

    def visit(folder: Path, rel_folder: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diag.error(FormatError(SourcePos(os.path.join(shown_root, rel_folder) or shown_root),
                                   f"cannot read the folder: {exc.strerror}"))
            return
        found.folders[folder] = frozenset(e.name for e in entries)
        for n, e in enumerate(entries):
            if between is not None and not n % 500:
                between()
            rel = f"{rel_folder}/{e.name}" if rel_folder else e.name
            shown = os.path.join(shown_root, rel)
            if e.name.startswith("."):
                if split_name(e.name.lstrip("."))[1] in (*EXTENSIONS, *YAML) and not e.is_dir():
                    found.hidden.append(rel)
                continue
            target = Path(e.path)
            if e.is_symlink():
                try:
                    target = Path(os.path.realpath(e.path, strict=True))
                except OSError as exc:
                    if exc.errno == 40:  # ELOOP
                        diag.error(FormatError(SourcePos(shown), "this link leads round in a loop",
                                               "remove the link or point it at a file"))
                    else:
                        found.broken.append(rel)
                    continue
                if target != root and root not in target.parents:
                    found.outside.append(rel)
                    continue
            try:
                if target.is_dir():
                    if target in seen_dirs:
                        diag.error(FormatError(SourcePos(shown), "this link leads round in a loop",
                                               "a folder under content/ links back to a folder "
                                               "that contains it"))
                        continue
                    seen_dirs.add(target)
                    visit(target, rel)
                    continue
                st = target.stat()
            except OSError as exc:
                diag.error(FormatError(SourcePos(shown), f"cannot read the file: {exc.strerror}"))
                continue
            if not target.is_file():
                found.broken.append(rel)
                continue
            stem, suffix = split_name(e.name)
            found.files.append(_Entry(target, rel, shown, stem, suffix, (st.st_mtime_ns, st.st_size)))

    visit(root, "")
    return found


def _read(entry: _Entry, cache: FileCache | None) -> TextFile:
    hit = cache.get(entry.path) if cache is not None else None
    if hit and hit[0] == entry.stamp and hit[1].shown == entry.shown:
        return hit[1]
    read = TextFile(entry.shown, read_text(entry.path, FormatError, entry.shown))
    if cache is not None:
        cache[entry.path] = (entry.stamp, read)
    return read


def filled(source: Source) -> Source:
    """`source` with its transcript's text, read again when it was let go (in the
    process that makes the page). The file may have changed since it was hashed:
    the new text comes with its own digest, and the caller can tell."""
    kept = source.transcript
    if kept.text or not kept.path:
        return source
    text = read_text(Path(kept.path), FormatError, kept.shown)
    return replace(source, transcript=TextFile(kept.shown, text, path=kept.path))


def _named(paths: list[str]) -> str:
    shown = ", ".join(paths[:LISTED])
    return shown + (f" and {len(paths) - LISTED} more" if len(paths) > LISTED else "")


@dataclass
class Remembered:
    """serve: the last load that found no error, brought up to date from the
    paths the watcher names instead of walking content/ and looking at every
    file again (0.1 s at 1,000 episodes, on every save). Only an edit of files
    it already read is taken this way; a file that came, went or is in any
    doubt, and the next load walks the folder as a build does."""

    under: tuple[object, ...] = ()
    """The settings the load was made with."""
    content: Content | None = None
    warnings: list[SiteError] = field(default_factory=list)
    """What the load warned about (files not read, sidecars without a transcript),
    said again on every build that reuses it."""
    entries: dict[Path, tuple[_Entry, str]] = field(default_factory=dict)
    """Each file read -> how it was found, and the page (slug) or site file it feeds."""
    folders: dict[Path, frozenset[str]] = field(default_factory=dict)
    pages: dict[str, tuple[Path | None, Path | None]] = field(default_factory=dict)
    """Each page (slug) -> its transcript's and its sidecar's paths."""

    def forget(self) -> None:
        self.content = None


def _under(config: Config) -> tuple[object, ...]:
    return (config.content_path.resolve(), tuple(config.ignore), os.getcwd())


def _brought_up_to_date(memory: Remembered, changed: frozenset[Path], config: Config,
                        cache: FileCache) -> Content | None:
    """The remembered content with the changed files read again, or None when a
    change is anything but a file it read being edited (or saved by renaming a
    new copy over it)."""
    if memory.content is None or memory.under != _under(config):
        return None
    entries = dict(memory.entries)
    for path in changed:
        if path in memory.folders:
            # A save by rename touches the folder too; a name that came or went does not pass.
            try:
                names = frozenset(e.name for e in os.scandir(path))
            except OSError:
                return None
            if names != memory.folders[path]:
                return None
            continue
        known = entries.get(path)
        if known is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        entries[path] = (replace(known[0], stamp=(st.st_mtime_ns, st.st_size)), known[1])
    fresh: dict[tuple[str, bool], TextFile] = {}
    for path in changed & entries.keys():
        entry, name = entries[path]
        cache.pop(path, None)
        try:
            fresh[(name, entry.suffix in YAML)] = _read(entry, cache)
        except SiteError:
            return None  # the walk reports it, where it belongs
    site_files = {name: fresh.get((name, True), f) for name, f in memory.content.site_files.items()}
    sources = []
    for source in memory.content.sources:
        transcript = fresh.get((source.slug, False), source.transcript)
        sidecar = fresh.get((source.slug, True), source.sidecar)
        if transcript is not source.transcript or sidecar is not source.sidecar:
            stamps = [entries[p][0].stamp[0] for p in memory.pages[source.slug] if p is not None]
            source = Source(source.slug, transcript, sidecar, max(stamps) / 1e9)
        sources.append(source)
    content = Content(sources, site_files)
    memory.content, memory.entries = content, entries
    return content


def load_content(config: Config, diag: Diagnostics, cache: FileCache | None = None,
                 memory: Remembered | None = None, changed: frozenset[Path] | None = None,
                 between: Callable[[], None] | None = None) -> Content:
    """Pair every transcript under content/ with its sidecar; report clashes,
    orphans and every file that is not read. With `memory` (serve), the last
    load is reused when `changed` (the paths the watcher saw) are only edits.
    `between` (serve) is called after each transcript read."""
    if memory is not None and cache is not None and changed is not None:
        content = _brought_up_to_date(memory, changed, config, cache)
        if content is not None:
            diag.warnings += memory.warnings
            return content
    errors, warned = len(diag.errors), len(diag.warnings)
    content, walk, read = _load(config, diag, cache, between)
    if memory is not None:
        memory.content = content if len(diag.errors) == errors and cache is not None else None
        memory.under = _under(config)
        memory.warnings = diag.warnings[warned:]
        memory.entries, memory.folders = read, walk.folders
        memory.pages = {}
        for path, (entry, name) in read.items():
            if name not in SITE_FILES:  # a page's slug has no dot
                transcript, sidecar = memory.pages.get(name, (None, None))
                memory.pages[name] = (transcript, path) if entry.suffix in YAML else (path, sidecar)
    return content


def _load(config: Config, diag: Diagnostics, cache: FileCache | None,
          between: Callable[[], None] | None = None,
          ) -> tuple[Content, _Walk, dict[Path, tuple[_Entry, str]]]:
    folder = config.content_path
    if not folder.is_dir():
        raise ConfigError(SourcePos(config.path), f"content folder not found: {shown_path(folder)}")
    shown_root = shown_path(folder)
    walk = _walk(folder.resolve(), shown_root, diag, between)
    ignored = [glob_regex(p) for p in config.ignore]
    files = [f for f in walk.files if not any(r.fullmatch(f.rel) for r in ignored)]
    yamls: dict[tuple[str, str], _Entry] = {}
    for f in files:
        if f.suffix in YAML:
            key = (f.folder, f.stem)
            if key in yamls:
                diag.error(FormatError(SourcePos(f.shown), f"{yamls[key].shown} is already the "
                                       f"annotation file for `{f.stem}`", "keep one of the two"))
                continue
            yamls[key] = f
    sources: list[Source] = []
    slugs: dict[str, _Entry] = {}
    read: dict[Path, tuple[_Entry, str]] = {}
    for entry in files:
        if entry.suffix not in EXTENSIONS:
            continue
        if between is not None:
            between()
        parts = [slugify(p) for p in entry.folder.split("/") if p] + [slugify(entry.stem)]
        slug = "/".join(parts)
        if parts[0] in RESERVED_SLUGS or (not entry.folder and entry.stem + ".yaml" in SITE_FILES):
            diag.error(FormatError(SourcePos(entry.shown), f"`{parts[0]}` is a name the site uses itself",
                                   "rename the transcript file" if len(parts) == 1 else "rename the folder"))
            continue
        if slug in slugs:
            diag.error(FormatError(SourcePos(entry.shown), f"page `{slug}/` would also be built from "
                                   f"{slugs[slug].shown}", "rename one of the two files"))
            continue
        slugs[slug] = entry
        try:
            transcript = _read(entry, cache)
            if cache is None:  # a one-off build: read again when made (`filled`), if at all
                transcript = TextFile(transcript.shown, "", transcript.digest, str(entry.path))
            side = yamls.get((entry.folder, entry.stem))
            sidecar = _read(side, cache) if side else None
        except SiteError as err:
            diag.error(err)
            continue
        read[entry.path] = (entry, slug)
        if side:
            read[side.path] = (side, slug)
        modified = max(entry.stamp[0], side.stamp[0] if side else 0) / 1e9
        sources.append(Source(slug, transcript, sidecar, modified))
    stems = {(f.folder, f.stem) for f in files if f.suffix in EXTENSIONS}
    site_files: dict[str, TextFile] = {}
    for (where, stem), entry in yamls.items():
        if not where and stem + ".yaml" in SITE_FILES:
            try:
                site_files[stem + ".yaml"] = _read(entry, cache)
                read[entry.path] = (entry, stem + ".yaml")
            except SiteError as err:
                diag.error(err)
        elif (where, stem) not in stems:
            diag.warn(SourcePos(entry.shown), "annotation file has no transcript beside it",
                      f"expected a transcript named {stem}.txt (or .md, .vtt, .srt, .json)")
    _report_unread(config, shown_root, walk, files, ignored, diag)
    return Content(sources, site_files), walk, read


def _report_unread(config: Config, shown_root: str, walk: _Walk, files: list[_Entry],
                   ignored: list[re.Pattern[str]], diag: Diagnostics) -> None:
    """One warning for each kind of file that is not read, naming them."""
    where = SourcePos(shown_root)
    unread = [f.rel for f in files if f.suffix not in (*EXTENSIONS, *YAML)]
    if unread:
        diag.warn(where, f"{len(unread)} file(s) not read, being neither transcripts nor "
                  f"annotations: {_named(unread)}",
                  "transcripts end in " + ", ".join(EXTENSIONS) + "; to leave files out on "
                  "purpose, list them under `ignore:` in " + Path(config.path).name)
    hidden = [rel for rel in walk.hidden if not any(r.fullmatch(rel) for r in ignored)]
    if hidden:
        diag.warn(where, f"{len(hidden)} hidden file(s) not read: {_named(hidden)}",
                  "names starting with `.` are left out; rename the file to build it")
    if walk.outside:
        diag.warn(where, f"{len(walk.outside)} link(s) leading outside the content folder not "
                  f"followed: {_named(walk.outside)}", "copy the file into content/ instead")
    if walk.broken:
        diag.warn(where, f"{len(walk.broken)} broken link(s) or special file(s) not read: "
                  f"{_named(walk.broken)}")


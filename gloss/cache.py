"""`.gloss-cache/`: what each transcript made last time, by the digest of
everything it was made from (its text, its annotations, the site-wide files,
the settings, the theme and the gloss version; see `pipeline.source_key`).

A build with nothing changed makes nothing again. The cache is safe to delete
and is never trusted: an entry is found only by the digest of the inputs it
was made from, it carries that digest and is checked against it, and an entry
that cannot be read is ignored (and made again). Entries a build did not use
are removed when it succeeds, so the folder does not grow without bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import Config
from .search import KeptWords

if TYPE_CHECKING:
    from .pipeline import Made

FOLDER = ".gloss-cache"
FORMAT = f"gloss {__version__} cache 3"
"""Written in the cache's own marker: another version of gloss starts afresh."""


LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "yaml")
"""Libraries whose version can change a page: each one's `__init__.py`, which
names its version, is part of the code digest."""


def code_digest() -> str:
    """A digest of gloss's own code and the libraries that shape its output: a
    cache entry made by other code (another version of gloss or of Jinja2, or
    gloss edited) is never used. Part of every entry's key."""
    global _CODE
    if _CODE is None:
        h = hashlib.blake2b(digest_size=16)
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        for name in LIBRARIES:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            h.update(name.encode() + b"\0" + (Path(origin).read_bytes() if origin else b"-"))
        _CODE = h.hexdigest()
    return _CODE


_CODE: str | None = None


def read_pickle(path: Path) -> Any:
    """What a cache file holds, or None when it is missing, truncated or from
    elsewhere: the caller checks what it got."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        return None


def write_pickle(path: Path, value: object) -> None:
    """Write a cache file whole or not at all (a killed build leaves the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class PageStore:
    """Transcript results on disk, one file each, named by their key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.writable = True

    @classmethod
    def open(cls, config: Config) -> PageStore:
        store = cls(config.root / FOLDER)
        marker = store.folder / "VERSION"
        try:
            if marker.read_text("utf-8") != FORMAT:
                store.clear()
        except OSError:
            store.clear()
        return store

    def clear(self) -> None:
        """Start afresh: another gloss version, or no cache yet."""
        try:
            for old in (self.folder / "pages").glob("*/*.pickle"):
                with contextlib.suppress(OSError):
                    old.unlink()
            (self.folder / "pages").mkdir(parents=True, exist_ok=True)
            (self.folder / "VERSION").write_text(FORMAT, "utf-8")
            (self.folder / ".gitignore").write_text("*\n", "utf-8")
        except OSError:
            self.writable = False  # a read-only checkout: build without a cache

    def _path(self, key: str, part: str = "") -> Path:
        name = key.removeprefix("index-")
        return self.folder / "pages" / name[:2] / f"{key}{'.' + part if part else ''}.pickle"

    def get(self, slug: str, key: str) -> Made | None:
        """What `slug` made from exactly these inputs, or None."""
        loaded = self._load(self._path(key))
        if not (isinstance(loaded, tuple) and len(loaded) == 3):
            return None
        stored_key, stored_slug, made = loaded
        from .pipeline import Made

        if stored_key != key or stored_slug != slug or not isinstance(made, Made) \
                or not isinstance(getattr(made, "digests", None), dict):
            return None
        self.used.add(key)
        return made

    def touch(self, key: str) -> None:
        """Keep the entry of `key` past `save`: serve found it in memory, but the
        next run will want it (and its records) from disk."""
        self.used.add(key)

    def put(self, slug: str, key: str, made: Made) -> None:
        """Keep a result; its search records go in a file of their own, read only
        when the search index must be made again."""
        from dataclasses import replace

        self.used.add(key)
        # The records first: a result on disk means its records are there too,
        # even when the build is killed between the two.
        self._dump(self._path(key, "records"), (key, made.records or []))
        self._dump(self._path(key), (key, slug, replace(made, records=None)))

    def records(self, key: str) -> list[Any] | None:
        """The search records kept with the result of `key`."""
        loaded = self._load(self._path(key, "records"))
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == key \
                and isinstance(loaded[1], list):
            return loaded[1]
        return None

    def get_index(self, key: str) -> dict[str, str] | None:
        """The search index's files (by digest) made from records of digest `key`."""
        loaded = self._load(self._path("index-" + key))
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == key \
                and isinstance(loaded[1], dict):
            self.used.add("index-" + key)
            return loaded[1]
        return None

    def put_index(self, key: str, digests: dict[str, str]) -> None:
        self.used.add("index-" + key)
        self._dump(self._path("index-" + key), (key, digests))

    def get_render(self) -> dict[str, tuple[str, str]]:
        """The pages across transcripts as the last build left them: path -> (key
        digest, output digest)."""
        loaded = self._load(self.folder / "render.pickle")
        if isinstance(loaded, dict) and all(isinstance(v, tuple) and len(v) == 2 for v in loaded.values()):
            return loaded
        return {}

    def put_render(self, kept: dict[str, tuple[str, str]]) -> None:
        self._dump(self.folder / "render.pickle", kept)

    def get_words(self) -> KeptWords | None:
        """The last one-off build's word files, if this gloss made them."""
        loaded = self._load(self.folder / "words.pickle")
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == code_digest() \
                and isinstance(loaded[1], KeptWords):
            return loaded[1]
        return None

    def put_words(self, kept: KeptWords) -> None:
        """By gloss's own code too: another version may lay the files out otherwise."""
        self._dump(self.folder / "words.pickle", (code_digest(), kept))

    def _load(self, path: Path) -> Any:
        return read_pickle(path)

    def _dump(self, path: Path, value: object) -> None:
        if not self.writable:
            return
        try:
            write_pickle(path, value)
        except OSError:
            self.writable = False

    def drop(self, key: str) -> None:
        """Forget an entry now: serve made its transcript again from new inputs."""
        for part in ("", "records"):
            with contextlib.suppress(OSError):
                self._path(key, part).unlink()

    def save(self, sweep: bool = True) -> None:
        """After a build that succeeded: forget entries it did not use. Without
        `sweep` (serve, after its first build, which drops what each edit
        replaces), the folder is not listed on every save."""
        if not self.writable or not sweep:
            return
        for path in (self.folder / "pages").glob("*/*"):
            if path.name.split(".", 1)[0] not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()

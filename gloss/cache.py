"""`.gloss-cache/`: what each transcript made last time, by the digest of
everything it was made from (its text, its annotations, the site-wide files,
the settings, the theme and the gloss version; see `make.source_key`).

A build with nothing changed makes nothing again. The cache is safe to delete
and is never trusted: an entry is found only by the digest of the inputs it
was made from, it carries that digest and is checked against it, and an entry
that cannot be read is ignored (and made again). Entries a build did not use
are removed when it succeeds, so the folder does not grow without bound.

The cache is data, never code. CI restores it from a shared store (the Pages
workflow's `actions/cache`), so anyone who can write an entry there must not be
able to run anything: every file is JSON, read by msgspec into the exact types
it should hold (`read_json`), with the cache's format, the entry's kind and its
key checked, and anything else is treated as absent. The worst a planted file
can do is cost a page's making, or (holding a right digest) name a published
file the writer then checks byte for byte before keeping it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import msgspec

from . import __version__
from .code import code_digest
from .config import Config
from .errors import SiteError, SiteErrors, SourcePos
from .made import Made
from .search import Entry, KeptWords

FOLDER = ".gloss-cache"
FORMAT = f"gloss {__version__} cache 4"
"""Written in the cache's own marker and in every file: another version of gloss
(or the pickles of gloss before 4) starts afresh."""


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Envelope(Generic[T]):
    """Every cache file: what wrote it, what it is, what it was made from."""

    format: str
    """`FORMAT`: a file of another gloss is not read further."""
    kind: str
    """`page`, `records`, `index`, `render`, `words` or `last-build`: a file
    moved or copied under another name is not taken for what it is not."""
    key: str
    """The digest the entry was made from, checked against the one asked for."""
    value: T


@dataclass(frozen=True, slots=True)
class _Problem:
    """A SiteError as a cache file holds it: what printing it needs."""

    pos: SourcePos
    message: str
    hint: str
    source_line: str
    kind: Literal["error", "warning", "note"]


def _encode(obj: Any) -> Any:
    if isinstance(obj, SiteError) and not isinstance(obj, SiteErrors):
        kind: Literal["error", "warning", "note"] = "warning" if obj.kind == "warning" else "error"
        return _Problem(obj.pos, obj.message, obj.hint, obj.source_line, kind)
    raise TypeError(f"a cache file cannot hold {type(obj).__name__}")


def _decode(tp: Any, obj: Any) -> Any:
    if tp is SiteError:
        problem = msgspec.convert(obj, _Problem)
        err = SiteError(problem.pos, problem.message, problem.hint, problem.source_line)
        err.kind = problem.kind
        return err
    raise NotImplementedError(f"no cache type {tp!r}")


_ENCODER = msgspec.json.Encoder(enc_hook=_encode)
_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def read_json(path: Path, kind: str, key: str, tp: type[T] | Any) -> Any:
    """The value of the cache file at `path` when it is of this gloss, of `kind`
    and made from `key`, and holds exactly a `tp`; None otherwise (missing,
    truncated, from elsewhere, planted). Nothing in the file is ever run: msgspec
    builds only the dataclasses, strings, numbers and lists `tp` names."""
    decoder = _DECODERS.get(tp)
    if decoder is None:
        decoder = _DECODERS[tp] = msgspec.json.Decoder(Envelope[tp], dec_hook=_decode)  # type: ignore[valid-type]
    try:
        with open(path, "rb") as f:
            envelope = decoder.decode(f.read())
    except (OSError, msgspec.MsgspecError, RecursionError):
        return None
    if envelope.format != FORMAT or envelope.kind != kind or envelope.key != key:
        return None
    return envelope.value


def write_json(path: Path, kind: str, key: str, value: object) -> None:
    """Write a cache file whole or not at all (a killed build leaves the old one)."""
    data = _ENCODER.encode(Envelope(FORMAT, kind, key, value))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
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
        """Start afresh: another gloss version, or no cache yet. The files of
        gloss before 4 (pickles) go too: nothing reads them, and nothing should."""
        try:
            for old in [*(self.folder / "pages").glob("*/*"), *self.folder.glob("*.pickle")]:
                with contextlib.suppress(OSError):
                    old.unlink()
            (self.folder / "pages").mkdir(parents=True, exist_ok=True)
            (self.folder / "VERSION").write_text(FORMAT, "utf-8")
            (self.folder / ".gitignore").write_text("*\n", "utf-8")
        except OSError:
            self.writable = False  # a read-only checkout: build without a cache

    def _path(self, key: str, part: str = "") -> Path:
        name = key.removeprefix("index-")
        return self.folder / "pages" / name[:2] / f"{key}{'.' + part if part else ''}.json"

    def get(self, slug: str, key: str) -> Made | None:
        """What `slug` made from exactly these inputs, or None."""
        loaded = read_json(self._path(key), "page", key, tuple[str, Made])
        if loaded is None or loaded[0] != slug:
            return None
        self.used.add(key)
        made: Made = loaded[1]
        return made

    def touch(self, key: str) -> None:
        """Keep the entry of `key` past `save`: serve found it in memory, but the
        next run will want it (and its records) from disk."""
        self.used.add(key)

    def put(self, slug: str, key: str, made: Made) -> None:
        """Keep a result; its search records go in a file of their own, read only
        when the search index must be made again."""
        self.used.add(key)
        # The records first: a result on disk means its records are there too,
        # even when the build is killed between the two.
        self._dump(self._path(key, "records"), "records", key, made.records or [])
        self._dump(self._path(key), "page", key, (slug, replace(made, records=None)))

    def records(self, key: str) -> list[Entry] | None:
        """The search records kept with the result of `key`."""
        loaded: list[Entry] | None = read_json(self._path(key, "records"), "records", key, list[Entry])
        return loaded

    def get_index(self, key: str) -> dict[str, str] | None:
        """The search index's files (by digest) made from records of digest `key`."""
        loaded: dict[str, str] | None = read_json(self._path("index-" + key), "index", key, dict[str, str])
        if loaded is not None:
            self.used.add("index-" + key)
        return loaded

    def put_index(self, key: str, digests: dict[str, str]) -> None:
        self.used.add("index-" + key)
        self._dump(self._path("index-" + key), "index", key, digests)
        self._dump(self.folder / "last-index.json", "index", "", digests)

    def get_last_index(self) -> dict[str, str] | None:
        """The files (by digest) of the search index the last build published,
        whatever it was made from: serve shows it while it makes the new one."""
        loaded: dict[str, str] | None = read_json(self.folder / "last-index.json", "index", "",
                                                  dict[str, str])
        return loaded

    def get_render(self) -> dict[str, tuple[str, str]]:
        """The pages across transcripts as the last build left them: path -> (key
        digest, output digest)."""
        loaded: dict[str, tuple[str, str]] | None = read_json(
            self.folder / "render.json", "render", "", dict[str, tuple[str, str]])
        return loaded or {}

    def put_render(self, kept: dict[str, tuple[str, str]]) -> None:
        self._dump(self.folder / "render.json", "render", "", kept)

    def get_words(self) -> KeptWords | None:
        """The last one-off build's word files, if this gloss made them."""
        loaded: KeptWords | None = read_json(self.folder / "words.json", "words", code_digest(), KeptWords)
        return loaded

    def put_words(self, kept: KeptWords) -> None:
        """By gloss's own code too: another version may lay the files out otherwise."""
        self._dump(self.folder / "words.json", "words", code_digest(), kept)

    def _dump(self, path: Path, kind: str, key: str, value: object) -> None:
        if not self.writable:
            return
        try:
            write_json(path, kind, key, value)
        except OSError:
            self.writable = False
        except (TypeError, ValueError, msgspec.MsgspecError):
            pass  # a value no cache file can hold (a lone surrogate): made again next time

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
        for path in [*(self.folder / "pages").glob("*/*"), *self.folder.glob("*.pickle")]:
            if path.name.split(".", 1)[0] not in self.used or not path.name.endswith(".json"):
                with contextlib.suppress(OSError):
                    path.unlink()

"""What the build's stages hand each other: one transcript's result (`Made`),
where the site's files go (`Sink`), and how far the build has got
(`Progress`). Here, not in the pipeline nor in the cache, so that the making of
transcripts (`make.py`), the cache that keeps their results (`cache.py`) and
the build that runs them (`pipeline.py`) need not import each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from . import search as site_search
from .errors import SiteError
from .model import Page

Progress = Callable[[int, int, str], None]
"""Told (done, total, name) as each transcript is made."""


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
    replaces: str = ""
    """serve: made the moment its file was saved (quickpage.py), not kept on disk
    yet: the key of the result it replaces there, for the build to drop."""

    def slim(self) -> Made:
        return replace(self, files={}, replaces="")


PageCache = dict[str, tuple[str, Made]]
"""slug -> (the key of everything it was made from, what it made): `serve`
keeps this between builds, so an edit costs one transcript."""


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


def add_or_keep(sink: Sink, rel: str, data: bytes, known: str | None) -> None:
    """Keep the published file when `known`, the digest of `data`, is still that
    file's (nothing hashed or written); else add `data`."""
    if known is not None and sink.can_keep(rel, known):
        sink.keep(rel, known)
    else:
        sink.add(rel, data, known)


def keep_all(sink: Sink, digests: dict[str, str]) -> bool:
    """Keep every one of these published files, if every one is still as recorded."""
    if not all(sink.can_keep(rel, d) for rel, d in digests.items()):
        return False
    for rel, d in digests.items():
        sink.keep(rel, d)
    return True


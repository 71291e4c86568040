"""serve: the search index made in a process of its own, at a lower priority.

Python runs one thread at a time. Made on a thread of serve's own process, the
index (2-5 s of work at 1,000 episodes, after every edit that changes words)
took the processor from the saves that came while it ran: a save's page took
up to 0.65 s to show, against 0.14 s with no index made. In a process of its
own, reniced, it runs beside serve instead of in turn with it.

What crosses between the two is kept small, and in small pieces, so that
serve's side never holds the processor for long: the process keeps every
page's records, and is sent only those of pages that changed (one, after an
edit); it sends back only the index files serve does not have already, one
message a file. A process that dies is started again, and sent everything.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Collection
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import msgspec

from .search_records import Entry, Group
from .write import digest

NICE = 10
"""How much lower than serve the process runs: the index waits for the editor."""


class PageRecords(msgspec.Struct, tag=True):
    """One page's records, in site order, as the index numbers them."""

    slug: str
    digest: str
    records: list[Entry]


class Request(msgspec.Struct, tag=True):
    """Make the index of these pages (each by the digest of its records, all sent
    before), leaving out the files whose digests serve has already."""

    order: list[tuple[str, str]]
    language: str
    known: list[str]


class File(msgspec.Struct, tag=True):
    rel: str
    data: bytes


class Done(msgspec.Struct, tag=True):
    digests: dict[str, str]
    """Every file of the index -> its digest (those not sent are among `known`)."""
    failed: str
    """Why there is no index: a bug in gloss, said plainly; or `MISSING`."""


MISSING = "records missing"
"""The process lacks a page's records (it was started again): send them all."""

Message = PageRecords | Request | File | Done
_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(Message)


class IndexProcess:
    """serve's end of the indexing process; used from one thread at a time."""

    def __init__(self, worker: Callable[[Connection], None]) -> None:
        self.worker = worker
        """What the process runs (search.py's, which calls `answer`): a function of
        a module, so that a spawned process finds it by name."""
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        self._held: dict[str, str] = {}
        """Each page's records the process has: slug -> digest."""

    def index(self, pages: list[Group], language: str, known: Collection[str],
              ) -> tuple[dict[str, bytes], dict[str, str], str]:
        """The index of these pages (slug, digest of its records, its records):
        the files whose digests are not in `known`, every file's digest, and why
        there is none (empty when there is)."""
        for _ in range(2):
            try:
                return self._index(pages, language, known)
            except (EOFError, OSError, _Missing):
                self.stop()  # it died, or was started again: once more, sending all
        return {}, {}, "search: the indexing process stopped; please report it"

    def _index(self, pages: list[Group], language: str, known: Collection[str],
               ) -> tuple[dict[str, bytes], dict[str, str], str]:
        conn = self._connection()
        for slug, key, records in pages:
            if self._held.get(slug) != key:
                conn.send_bytes(_ENCODER.encode(PageRecords(slug, key, records)))
                self._held[slug] = key
        order = [(slug, key) for slug, key, _ in pages]
        conn.send_bytes(_ENCODER.encode(Request(order, language, sorted(known))))
        self._held = dict(order)
        files: dict[str, bytes] = {}
        while True:
            message = _DECODER.decode(conn.recv_bytes())
            if isinstance(message, File):
                files[message.rel] = message.data
            elif isinstance(message, Done):
                if message.failed == MISSING:
                    raise _Missing
                return files, message.digests, message.failed

    def _connection(self) -> Connection:
        if self._proc is not None and self._conn is not None and self._proc.is_alive():
            return self._conn
        self.stop()
        # Spawned, not forked: serve's process runs threads (the server's, the
        # watcher's), and a fork copies whatever lock one of them holds.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        proc = context.Process(target=self.worker, args=(theirs,), name="gloss-search", daemon=True)
        proc.start()
        theirs.close()
        if proc.pid is not None and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):  # not allowed here: it runs at serve's priority
                os.setpriority(os.PRIO_PROCESS, proc.pid, os.getpriority(os.PRIO_PROCESS, 0) + NICE)
        self._proc, self._conn, self._held = proc, ours, {}
        return ours

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._proc, self._conn, self._held = None, None, {}


class _Missing(Exception):
    pass


def answer(conn: Connection, make: Callable[[list[Entry], str], tuple[dict[str, bytes] | None, str]],
           ) -> None:
    """The process: keep the pages' records, and make the index when asked (with
    `make`: `SearchCache.make`, which keeps the last word files for the next)."""
    held: dict[str, tuple[str, list[Entry]]] = {}
    while True:
        try:
            message = _DECODER.decode(conn.recv_bytes())
        except (EOFError, OSError):
            return  # serve has stopped
        if isinstance(message, PageRecords):
            held[message.slug] = (message.digest, message.records)
            continue
        if not isinstance(message, Request):
            continue
        if any(held.get(slug, ("",))[0] != key for slug, key in message.order):
            conn.send_bytes(_ENCODER.encode(Done({}, MISSING)))
            continue
        wanted = {slug for slug, _ in message.order}
        held = {slug: pair for slug, pair in held.items() if slug in wanted}
        records = [r for slug, _ in message.order for r in held[slug][1]]
        files, failed = make(records, message.language)
        digests = {rel: digest(data) for rel, data in (files or {}).items()}
        known = set(message.known)
        for rel, data in (files or {}).items():
            if digests[rel] not in known:
                conn.send_bytes(_ENCODER.encode(File(rel, data)))
        conn.send_bytes(_ENCODER.encode(Done(digests, failed)))

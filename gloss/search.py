"""Search across every transcript: the static index made from the records.

Static search, no server: the index is a folder of small JSON files that the
search page's JavaScript (static/search.js) reads in the browser, loading only
the pieces a query needs: one list of pages, the files holding the query's
words, and one small fragment per result shown. The records it is made from,
and how their words are weighed, are in search_records.py.

Why gloss makes the index itself rather than with Pagefind, which it used
before: on an archive of 1,000 hour-long episodes Pagefind took 23 s and 2.6 GB
for every change of words (it has no incremental mode), more than the rest of
the build. Made here, in one pass over words the build already has, it takes a
few seconds and no more memory than the words' counts.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from .search_process import IndexProcess, answer
from .search_records import Entry, Group, Passage, Record, entry, labelled, transcript_records, weigh, words
from .write import digest

__all__ = [  # the search's names, made here or in search_records.py
    "BUNDLE", "Entry", "Group", "KeptWords", "Passage", "Record", "SearchCache", "Words", "build_index",
    "entry", "fragments", "labelled", "read_back", "site_index", "transcript_records", "weigh", "word_files",
    "words",
]
BUNDLE = "search/data"
"""Where the index goes in the site: beside the search page, `site/search/data/`."""

INDEX_VERSION = 2
"""The index's format, read by static/search.js: both change together."""

SHARD_NUMBERS = 30_000
"""About how many numbers one word file holds (two a record a word: about 100 KB,
30 KB compressed): a word that is everywhere fills a file of its own."""

FRAGMENT_RECORDS = 4
"""Records to a fragment file: one file each would be twelve files an episode
(creating files is most of what writing a site costs), one file an episode
would make each result shown cost a whole transcript's download."""

QUIET = 1.5
"""serve: seconds without a new edit before the index is made again: an editor
saving again and again is waiting for pages, not for search."""


def _js_order(word: str) -> bytes:
    """Sort key matching JavaScript's string order (UTF-16 code units), which the
    search page uses to find the file holding a word."""
    return word.encode("utf-16-be", "surrogatepass")


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _name(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def _deltas(ids: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *ids], ids, strict=False)]


def fragments(records: list[Record]) -> dict[str, bytes]:
    """One page's records as the search page fetches them for the results it
    shows, `FRAGMENT_RECORDS` to a file (`r/<page>/<n>.json`, record k in file
    k // FRAGMENT_RECORDS): who, which episode, and each paragraph's id, time and
    words (as text: the search page never parses it as HTML). They belong to the
    page, made and written with it, so the index itself stays small."""
    out: dict[str, bytes] = {}
    for first in range(0, len(records), FRAGMENT_RECORDS):
        out[f"{BUNDLE}/r/{records[first].page}{first // FRAGMENT_RECORDS}.json"] = _json([{
            "page": rec.page, "episode": rec.episode, "speaker": rec.speaker, "color": rec.color,
            "passages": [[p.id, p.start, p.text] for p in rec.passages],
            **({"note": True} if rec.note else {})}
            for rec in records[first:first + FRAGMENT_RECORDS]])
    return out


@dataclass
class Words:
    """The word files of an index and what they were made from, so an index whose
    records changed only in their filter values (a new title, a speaker's name)
    reuses them: only the filters and meta.json are made again."""

    key: str
    shards: list[list[str]]
    """[first word, file name] of each word file, in order."""
    files: dict[str, bytes]


@dataclass(frozen=True)
class KeptWords:
    """The word files of a one-off build's index, as `.gloss-cache/` keeps them
    for the next: what they were made from, their list and each one's digest.
    Their bytes are the published files (`read_back`)."""

    key: str
    shards: list[list[str]]
    digests: dict[str, str]


def read_back(kept: KeptWords, read: Callable[[str], bytes | None]) -> Words | None:
    """The kept word files as published, when every one is still what was recorded."""
    files: dict[str, bytes] = {}
    for rel, known in kept.digests.items():
        data = read(rel)
        if data is None or digest(data) != known:
            return None
        files[rel] = data
    return Words(kept.key, kept.shards, files)


def _words_key(records: list[Entry]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for rec in records:
        digest.update(f"{rec.page}\0{rec.weights}\1".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def word_files(records: list[Entry], last: Words | None = None, key: str = "") -> Words:
    """Every word with the records it is in and its weight there, in files of
    about `SHARD_NUMBERS` numbers, in JavaScript's string order; `last` as it is
    when it was made from the same pages and weights (`key`, when the caller
    has it)."""
    key = key or _words_key(records)
    if last is not None and last.key == key:
        return last
    # Record numbers and weights as 32-bit integers: a quarter of the memory of a
    # list of Python ints (tens of millions of them at 5,000 episodes).
    postings: dict[str, array[int]] = {}
    for rid, rec in enumerate(records):
        weights = rec.weights.split(" ") if rec.weights else []
        for w, weight in zip(weights[0::2], map(int, weights[1::2]), strict=True):
            found = postings.get(w)
            if found is None:
                postings[w] = array("i", (rid, weight))
            else:
                found.append(rid)
                found.append(weight)
    shards: list[list[str]] = []
    files: dict[str, bytes] = {}
    shard: dict[str, list[int]] = {}

    def flush() -> None:
        data = _json(shard)
        shards.append([next(iter(shard)), _name(data)])
        files[f"{BUNDLE}/w/{shards[-1][1]}.json"] = data

    size = 0
    for w in sorted(postings, key=_js_order):
        encoded = postings.pop(w).tolist()
        if shard and size + len(encoded) > SHARD_NUMBERS:
            flush()
            shard, size = {}, 0
        encoded[0::2] = _deltas(encoded[0::2])
        shard[w] = encoded
        size += len(encoded)
    if shard:
        flush()
    return Words(key, shards, files)


def build_index(records: list[Entry], language: str, words: Words | None = None) -> dict[str, bytes]:
    """The search index of `records` (in site order), as `{"search/data/...": bytes}`.

    - `meta.json`: the pages (address, number of records) that turn a record's
      number into the address of its fragment (`fragments`, written with each
      page), the first word of each word file, and the filters' file. It is the
      one file every search loads.
    - `w/<hash>.json`: words in order, each with the records it is in and its weight
      there (record numbers as differences from the one before, each followed by
      its weight: `weigh`). A query loads only the files its words (as prefixes)
      fall in; names change with content, so a browser never mixes an old file
      with a new list: `words`, made by `word_files`, or made here.
    - `f/<hash>.json`: each filter value's records, loaded when filters are used.

    The words were weighed where each record was made: this only gathers them.
    The same records always give the same bytes, so a rebuild rewrites only what
    changed."""
    if words is None:
        words = word_files(records)
    urls: list[str] = []
    counts: list[int] = []
    filters: dict[str, dict[str, list[int]]] = {"speaker": {}, "topic": {}, "episode": {}}
    for rid, rec in enumerate(records):
        if urls and urls[-1] == rec.page:
            counts[-1] += 1
        else:
            urls.append(rec.page)
            counts.append(1)
        for kind, values in (("speaker", (rec.person,) if rec.person else ()), ("topic", rec.topics),
                             ("episode", (rec.episode,))):
            for value in values:
                filters[kind].setdefault(value, []).append(rid)
    files = dict(words.files)
    data = _json({kind: {v: _deltas(ids) for v, ids in sorted(values.items())}
                  for kind, values in filters.items()})
    files[f"{BUNDLE}/f/{_name(data)}.json"] = data
    files[f"{BUNDLE}/meta.json"] = _json({
        "version": INDEX_VERSION, "language": language, "records": len(records),
        "pages": [[u, n] for u, n in zip(urls, counts, strict=True)],
        "words": words.shards, "filters": _name(data)})
    return files


@dataclass
class SearchCache:
    """What serve keeps between builds, so an edit does not wait for the index.

    The index is kept by the digest of the records it was made from: a theme edit
    or a note reuses it as it is. With `on_ready` set (serve), a changed index is
    made in a process of its own (search_process.py) once the edits pause, while
    the build goes on with the last one; `on_ready` is called when the new one
    is there, so serve can publish it. Without it (a one-off build), the build makes it at once."""

    key: object = None
    """The records (and language) `files` was made from."""
    files: dict[str, bytes] | None = None
    said: str = ""
    """The last reason told, so each is told once."""
    notes: list[str] = field(default_factory=list)
    """Lines for the build to print: why there is no search, once."""
    on_ready: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    wanted: tuple[object, list[Group], str] | None = None
    """The newest records still to index in the background."""
    worker: threading.Thread | None = None
    asked: float = 0.0
    """When the newest records were asked for (time.monotonic)."""
    published: dict[str, str] | None = None
    """serve: the digests of an index published from `.gloss-cache/` and never
    loaded, kept in the site until the first index made here replaces it."""
    words: Words | None = None
    """The last index's word files, reused while the words stay the same."""
    digests: dict[str, str] = field(default_factory=dict)
    """serve: each file of `files` -> its digest, made on the thread that made the
    index, so publishing it does not hash hundreds of word files on the next edit."""
    free: threading.Event = field(default_factory=threading.Event)
    """Clear while serve builds or shows a save (`hold`): the thread making the
    index waits, so an edit has the processor to itself (Python runs one thread
    at a time)."""
    holds: int = 0
    process: IndexProcess | None = None
    """serve: where the index is made (search_process.py), started when first needed."""
    kept: tuple[KeptWords, Callable[[str], bytes | None]] | None = None
    """A one-off build: the last build's word files and how to read them from the
    site, used when the words are the same (an edit of a title, a note, a topic)."""

    def __post_init__(self) -> None:
        self.free.set()

    def hold(self) -> None:
        """Held by a build and, within it, by each save it shows: the index goes on
        only when the last hold is released."""
        with self.lock:
            self.holds += 1
            self.free.clear()

    def release(self) -> None:
        with self.lock:
            self.holds -= 1
            if not self.holds:
                self.free.set()

    def _wait_turn(self) -> None:
        """On the index's own thread, before it sends the records and after the files
        come back: wait while serve holds the processor."""
        if threading.current_thread() is self.worker:
            self.free.wait()

    def store(self, key: object, files: dict[str, bytes] | None, failed: str,
              digests: dict[str, str] | None = None) -> None:
        with self.lock:
            self.key, self.files, self.digests = key, files, digests or {}
            if failed and failed != self.said:
                self.notes.append(failed)
            self.said = failed

    def make(self, recs: list[Entry], language: str) -> tuple[dict[str, bytes] | None, str]:
        """The index, or why there is none: only a bug in gloss, said plainly, while
        the site is built (and served) without search rather than not at all."""
        try:
            key = _words_key(recs)
            if self.kept is not None and self.kept[0].key == key \
                    and (self.words is None or self.words.key != key):
                self.words = read_back(*self.kept) or self.words
            self.words = word_files(recs, self.words, key)
            return build_index(recs, language, self.words), ""
        except Exception as exc:  # a bug: say it, and keep building
            return None, f"search: indexing failed ({exc!r}); please report it"

    def digests_of(self, files: dict[str, bytes]) -> dict[str, str]:
        """The digests of `files` when they are the index this holds (the thread may
        have stored a newer one since they were handed out)."""
        with self.lock:
            return self.digests if files is self.files else {}

    def take_notes(self) -> list[str]:
        with self.lock:
            notes, self.notes = self.notes, []
            return notes

    def later(self, key: object, pages: list[Group], language: str) -> None:
        """Index in the background (caller holds the lock); a newer request replaces an
        older one still waiting, so a burst of edits indexes once more, not once each."""
        self.wanted = (key, pages, language)
        self.asked = time.monotonic()
        if self.worker is None:
            self.worker = threading.Thread(target=self._work, name="gloss-search", daemon=True)
            self.worker.start()

    def _work(self) -> None:
        while True:
            with self.lock:
                pause = self.asked + QUIET - time.monotonic()
            if pause > 0:  # still editing: the index waits, the rebuilds do not
                time.sleep(pause)
                continue
            with self.lock:
                job, self.wanted = self.wanted, None
                if job is None:
                    self.worker = None
                    return
            key, pages, language = job
            self._wait_turn()
            self.store(key, *self._made_apart(pages, language))
            with self.lock:
                newer = self.wanted is not None
            if not newer and self.on_ready is not None:
                self.on_ready()

    def _made_apart(self, pages: list[Group], language: str,
                    ) -> tuple[dict[str, bytes] | None, str, dict[str, str]]:
        """The index made in the indexing process (search_process.py), its files
        put together from those it sent and those this has already."""
        with self.lock:
            have = {d: self.files[rel] for rel, d in self.digests.items()} if self.files else {}
        if self.process is None:
            self.process = IndexProcess(_index_apart)
        fresh, digests, failed = self.process.index(pages, language, have)
        self._wait_turn()
        files = {rel: fresh[rel] if rel in fresh else have.get(d) for rel, d in digests.items()}
        if failed or any(data is None for data in files.values()):
            return None, failed or "search: the index came back incomplete; please report it", {}
        return {rel: data for rel, data in files.items() if data is not None}, "", digests

    def stop(self) -> None:
        """serve is stopping: so is the indexing process."""
        if self.process is not None:
            self.process.stop()


def _index_apart(conn: Connection) -> None:
    """serve's indexing process (search_process.py)."""
    answer(conn, SearchCache().make)


def site_index(pages: list[Group], key: str, language: str, cache: SearchCache,
               ) -> dict[str, bytes] | None:
    """The search index of the site, `{"search/data/...": bytes}`, for the records
    of `pages` (slug, digest of its records, its records; `labelled`) whose
    digest is `key`; None when the site has no search: no words to search (or a
    bug, whose reason is in `cache.notes`)."""
    if not any(recs for _, _, recs in pages):
        return None  # nothing to search yet: no search box, and nothing to say
    full_key = (key, language)
    with cache.lock:
        if cache.key == full_key:
            return cache.files
        if cache.on_ready is not None and (cache.files is not None or cache.published is not None):
            cache.later(full_key, pages, language)
            # Until the new index lands the last one serves (the one published
            # from the cache: see indexing.search_index).
            return cache.files if cache.files is not None else {}
    files, failed = cache.make([r for _, _, recs in pages for r in recs], language)
    digests = {rel: digest(data) for rel, data in (files or {}).items()} if cache.on_ready else {}
    cache.store(full_key, files, failed, digests)
    return files

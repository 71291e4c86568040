"""The build's search index: published again as it is when no page's records
changed (by their digests, `.gloss-cache/` keeping the index's file digests),
else made from every page's records (`search.site_index`); a one-off build
reads back the word files the last one published when the words are the same
(`.gloss-cache/words.json`)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import load, make, render, site, write
from . import search as site_search
from .cache import PageStore
from .code import code_digest
from .config import Config
from .made import Made, PageCache, Sink, add_or_keep, keep_all
from .model import Page, Site


def search_index(config: Config, found: list[tuple[Page, Made, str, load.Source]], sink: Sink,
                 store: PageStore | None, cache: site_search.SearchCache, shared: Site,
                 renderer: render.Renderer, memory: PageCache | None = None,
                 between: Callable[[], None] | None = None) -> None:
    """The search index into `sink`: published again as it is when no page's
    records changed (by their digests), else made from every page's records.
    Records read from the disk cache stay in `memory` (serve), so the next edit
    does not read them all again."""
    pages = sorted(found, key=lambda f: site.order(f[0]))
    # By what the index is made from: each page's records (its address and title
    # tell episodes apart), in site order.
    made_from = [(p.slug, p.title, m.records_digest or k) for p, m, k, _ in pages]
    key = hashlib.blake2b(repr((code_digest(), config.language, made_from)).encode("utf-8", "surrogatepass"),
                          digest_size=20).hexdigest()
    kept = store.get_index(key) if store is not None and cache.files is None else None
    if kept and keep_all(sink, kept):
        cache.published = kept
        return
    if kept is None and store is not None and cache.on_ready is not None and cache.files is None \
            and cache.published is None:
        # serve's first build, after edits made while it was stopped: the index the
        # last build published serves until the new one is made in the background.
        last = store.get_last_index()
        if last and all(sink.can_keep(rel, d) for rel, d in last.items()):
            cache.published = last
    records = []
    for page, made, page_key, source in pages:
        if between is not None and made.records is None:
            between()  # serve: records read from disk (the first edit's) let a save go first
        recs = made.records
        if recs is None and store is not None:
            recs = store.records(page_key)
        if recs is None:  # kept records damaged or gone: make them again
            recs = make.transcript(source, shared, config, renderer).records or []
        held = memory.get(page.slug) if memory is not None else None
        if memory is not None and held is not None and held[0] == page_key and held[1].records is None:
            memory[page.slug] = (page_key, replace(held[1], records=recs))
        records.append((page, made.records_digest or page_key, recs))
    # A one-off build: word files the last one published are read back when the
    # words are the same (serve keeps its own in memory).
    one_off = store if memory is None else None
    last_words = one_off.get_words() if one_off is not None else None
    if last_words is not None:
        cache.kept = (last_words, functools.partial(_published, config.output_path))
    files = site_search.site_index(site_search.labelled(records), key, config.language, cache)
    if files == {} and cache.files is None and cache.published is not None \
            and keep_all(sink, cache.published):
        # serve: the new index is being made; until then the one published last
        # time (found on disk, never loaded) keeps search working.
        return
    # Each file hashed once, for the writer and the cache alike (serve's were
    # hashed on the thread that made them).
    digests = cache.digests_of(files) if files else {}
    if files and not digests:
        digests = {rel: write.digest(data) for rel, data in files.items()}
    for rel, data in (files or {}).items():
        if between is not None:
            between()  # serve: a new index is hundreds of files to write; a save goes first
        add_or_keep(sink, rel, data, digests[rel])
    words = cache.words
    if one_off is not None and words is not None and (last_words is None or last_words.key != words.key):
        hashed = {rel: digests.get(rel) or write.digest(d) for rel, d in words.files.items()}
        one_off.put_words(site_search.KeptWords(words.key, words.shards, hashed))
    # Serve may be given the last index while the new one is made: that one is
    # not kept under the new key.
    if store is not None and files and cache.key == (key, config.language):
        store.put_index(key, digests)


def _published(out: Path, rel: str) -> bytes | None:
    """A file of the site as the last build left it, if it is there."""
    try:
        with open(out / rel, "rb") as f:
            return f.read()
    except OSError:
        return None

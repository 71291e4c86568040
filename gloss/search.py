"""Search across every transcript: records, and the static index made from them.

Static search, no server: the index is a folder of small JSON files that the
search page's JavaScript (static/search.js) reads in the browser, loading only
the pieces a query needs: one list of pages, the files holding the query's
words, and one small fragment per result shown.

A record is one speaker's paragraphs, in order, from one stretch of one episode
(up to about ten minutes of that speaker's words): never two speakers (a result
shows its words under one name), never a cut passage, and never across a change
of topic (so the topic filter is exact). Its fragment keeps each paragraph's id
and time, so a result links to the very paragraph that matched and says when it
was said. The words indexed are the ones readers see, each correction followed
by what was heard between tortoise-shell brackets (`GPT-5.1 \u3014 GPD 5.1 \u3015`):
a search for the misheard form finds the passage, and the search page shows it as
"(heard ...)".

Why gloss makes the index itself rather than with Pagefind, which it used
before: on an archive of 1,000 hour-long episodes Pagefind took 23 s and 2.6 GB
for every change of words (it has no incremental mode), more than the rest of
the build. Made here, in one pass over words the build already has, it takes a
few seconds and no more memory than the words' counts.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .model import Page, Paragraph, Site
from .publish import plain
from .write import digest

BUNDLE = "search/data"
"""Where the index goes in the site: beside the search page, `site/search/data/`."""

INDEX_VERSION = 2
"""The index's format, read by static/search.js: both change together."""

SHARD_NUMBERS = 30_000
"""About how many numbers one word file holds (two a record a word: about 100 KB,
30 KB compressed): a word that is everywhere fills a file of its own."""

K1, B = 1.2, 0.75
"""BM25's usual constants: how fast repeating a word stops adding to a record's
weight, and how much a record's length counts against it."""

TYPICAL_WORDS = 750
"""The record length BM25 measures others against: half of `RECORD_WORDS`."""

SHORTEST_WORDS = 200
"""A record shorter than this is weighed as if it were this long: a line or two
that says a word once is a passing mention, not a passage about it."""

NOTE_WEIGHT = 0.5
"""A note's words weigh half what speech weighs: a search finds what was said
first, and a note where only a note has the words."""

FIELDS = {"name": 30, "chapter": 40, "topic": 25}
"""What a word adds to a record's weight (`weigh`) when it is in the speaker's
name, the title of the chapter the record is in, or of a topic it is tagged
with: a chapter or topic named by the query is what a passage is about; one
mention in speech, in a record of typical length, weighs 100. The episode's
title is not among them: it would be in every record of the episode (telling
none apart), and a new title would make the word files again (`Words`)."""

FRAGMENT_RECORDS = 4
"""Records to a fragment file: one file each would be twelve files an episode
(creating files is most of what writing a site costs), one file an episode
would make each result shown cost a whole transcript's download."""

RECORD_WORDS = 1500
"""About how many words one record holds, about ten minutes of one speaker: fewer,
larger records make the index smaller, and smaller ones make each result cheaper
to fetch (README, Search)."""

HEARD_OPEN, HEARD_CLOSE = "\u3014", "\u3015"
"""Tortoise-shell brackets, each a word of its own, around a misheard form in the
indexed text; the search page shows it as "(heard ...)" (static/search.js)."""

_PUNCT_AFTER_HEARD = re.compile(
    rf" ({HEARD_OPEN} [^{HEARD_OPEN}{HEARD_CLOSE}]* {HEARD_CLOSE})([^\s{HEARD_OPEN}]+)")

QUIET = 1.5
"""serve: seconds without a new edit before the index is made again: an editor
saving again and again is waiting for pages, not for search."""


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph inside a record."""

    id: str
    """The paragraph's fragment id on its page (`Paragraph.id`)."""
    text: str
    """What readers see, each correction followed by its heard form (see `indexed_text`)."""
    start: float | None
    """Seconds into the recording, when known."""


@dataclass(frozen=True, slots=True)
class Record:
    """One speaker's paragraphs from a stretch of one episode: what a search result shows."""

    page: str
    """The page's URL relative to the site root, `slug/`."""
    episode: str
    """The page title: shown in the result, and the episode filter's value."""
    speaker: str
    """The name shown above the words."""
    color: int
    """The speaker's colour on the site, so a result looks like the page."""
    person: str
    """The speaker filter's value: a known person's name; empty for a bare label
    ("Speaker 1" on two pages is not one person)."""
    topics: tuple[str, ...]
    """Titles of the topics every paragraph here is tagged with (the topic filter)."""
    passages: tuple[Passage, ...]
    chapter: str = ""
    """The title of the chapter the record is in (a record never spans two)."""
    note: bool = False
    """A note, not speech: its one passage is the note's text, its id the paragraph
    it annotates; `speaker` is empty (a note is never shown under a name)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index needs of a record, made where the record is made (a worker
    process): where it is, its filter values and its words' weights, but not the
    words themselves, which go to the page's fragments."""

    page: str
    episode: str
    """The episode filter's value (`records` tells two episodes of one title apart)."""
    person: str
    topics: tuple[str, ...]
    weights: str
    """`word weight word weight ...` (`weigh`): one string, far smaller to keep
    and to pass between processes than a dictionary."""


def entry(record: Record) -> Entry:
    weights = weigh(record)
    return Entry(record.page, record.episode, record.person, record.topics,
                 " ".join(f"{w} {n}" for w, n in weights.items()))


def weigh(record: Record) -> dict[str, int]:
    """word -> a hundred times BM25's term-frequency part: a word said often counts
    more, with diminishing returns, and less in a long record than in a short one
    (but no more in a record shorter than `SHORTEST_WORDS`). Made here, against a
    fixed typical length rather than the archive's average, so a record's weights
    never depend on other transcripts and the search page needs no record lengths.

    The words of the speaker's name and of the titles of the chapter and the
    topics add `FIELDS` to a word's weight. A word found only in those has a
    negative weight: it adds to a result's rank, but cannot make one alone (a
    record is a result when its own words hold at least one word of the query).
    A note's words weigh `NOTE_WEIGHT` of what speech weighs."""
    counts = Counter(words(" ".join(p.text for p in record.passages)))
    length = max(SHORTEST_WORDS, sum(counts.values()))
    norm = K1 * (1 - B + B * length / TYPICAL_WORDS)
    scale = NOTE_WEIGHT if record.note else 1.0
    weights = {w: max(1, round(scale * 100 * n * (K1 + 1) / (n + norm))) for w, n in counts.items()}
    extra: Counter[str] = Counter()
    for kind, texts in (("name", () if record.note else (record.speaker,)),
                        ("chapter", (record.chapter,)), ("topic", record.topics)):
        for w in {w for text in texts for w in words(text)}:
            extra[w] += FIELDS[kind]
    for w, n in extra.items():
        weights[w] = weights[w] + n if w in weights else -n
    return weights


def indexed_text(para: Paragraph) -> str:
    """The words readers see, with each correction's heard form after it, so a search
    for either finds the paragraph: `GPT-5.1, \u3014 GPD 5.1 \u3015 and`. The brackets
    are taken out of the text itself, so they always mark a heard form."""
    out: list[str] = []
    for span in para.spans:
        out.append(span.text.replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")"))
        if span.kind != "fix":
            continue
        heard = " ".join(span.verbatim.split())
        if heard and heard.lower() != " ".join(span.text.split()).lower():
            heard = heard.replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")")
            out.append(f" {HEARD_OPEN} {heard} {HEARD_CLOSE}")
    text = " ".join("".join(out).split())
    # Punctuation after a corrected word stays with the word, before the heard form.
    return _PUNCT_AFTER_HEARD.sub(r"\2 \1", text)


@dataclass
class _Open:
    topics: tuple[str, ...]
    chapter: str
    passages: list[Passage] = field(default_factory=list)
    words: int = 0


def note_text(markdown: str) -> str:
    """A note as the search indexes and shows it: its words, without Markdown."""
    return plain(markdown, limit=1 << 30).replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")")


def page_records(page: Page, episode: str, topic_titles: dict[str, str], person_names: dict[str, str],
                 max_words: int = RECORD_WORDS) -> list[Record]:
    """A page's records: its speech, in order of where each record begins, then
    its notes. Each speaker's paragraphs gather into one record until it holds
    `max_words` or the topics or the chapter change; each note is a record of its
    own, linking to the paragraph it annotates. `episode`, `topic_titles` and
    `person_names` are the filter values."""
    records: list[tuple[int, Record]] = []
    notes: list[Record] = []
    current: dict[str, tuple[int, _Open]] = {}
    order = 0
    chapters: dict[tuple[int, int], str] = {}
    chapter = ""
    for block in page.blocks:
        if block.heading is not None:
            chapter = block.heading.title
        for pi, _ in block.paragraphs:
            chapters[block.index, pi] = chapter

    def close(key: str) -> None:
        begun, rec = current.pop(key)
        s = page.speaker(key)
        records.append((begun, Record(page.url, episode, s.name, s.color, person_names.get(s.person, ""),
                                      rec.topics, tuple(rec.passages), rec.chapter)))

    for ti, turn in enumerate(page.transcript.turns):
        for pi, para in enumerate(turn.paragraphs):
            if para.cut:
                continue
            topics = tuple(topic_titles[t] for t in para.topics if t in topic_titles)
            chapter = chapters.get((ti, pi), "")
            start = para.start if para.start is not None else (turn.start if pi == 0 else None)
            for note in para.notes:
                said = note_text(note.text)
                if said:
                    notes.append(Record(page.url, episode, "", 0, "", topics,
                                        (Passage(para.id, said, start),), chapter, note=True))
            text = indexed_text(para)
            if not text:
                continue
            key = turn.speaker
            if key in current and (current[key][1].topics, current[key][1].chapter) != (topics, chapter):
                close(key)
            if key not in current:
                current[key] = (order, _Open(topics, chapter))
                order += 1
            rec = current[key][1]
            rec.passages.append(Passage(para.id, text, start))
            rec.words += len(text.split())
            if rec.words >= max_words:
                close(key)
    for key in list(current):
        close(key)
    return [r for _, r in sorted(records, key=lambda x: x[0])] + notes


def _labels(titles: dict[str, str]) -> dict[str, str]:
    """id -> filter value: the title, or, where two ids share a title, the title
    and the id, so a filter never joins two episodes (topics, people) into one."""
    count: dict[str, int] = {}
    for title in titles.values():
        count[title] = count.get(title, 0) + 1
    return {k: t if count[t] == 1 else f"{t} ({k})" for k, t in titles.items()}


def transcript_records(page: Page, site: Site, max_words: int = RECORD_WORDS) -> list[Record]:
    """A transcript's records, made where the transcript is (the episode's filter
    value is its title here; `records` tells two episodes of one title apart)."""
    topic_titles = _labels({tid: t.title for tid, t in site.topics.items()})
    person_names = _labels({pid: p.name for pid, p in site.people.items()})
    return page_records(page, page.title, topic_titles, person_names, max_words)


def records(pages: list[tuple[Page, list[Entry]]]) -> list[Entry]:
    """Every record of the site, each page's in site order; filter values made
    unique: two episodes of one title are told apart by their address."""
    episodes = _labels({page.slug: page.title for page, _ in pages})
    out: list[Entry] = []
    for page, recs in pages:
        episode = episodes[page.slug]
        out += recs if episode == page.title else [replace(r, episode=episode) for r in recs]
    return out


def words(text: str) -> list[str]:
    """The words of `text` as the index holds them, exactly as static/search.js
    folds a query: lower case, accents taken off (NFKD, combining marks dropped),
    a curly apostrophe made straight, runs of letters and digits, with an
    apostrophe inside ("don't") or a point between digits ("5.1", "gpt5.1"): a
    version is one word. Words joined by hyphens are each a word, and so is the
    whole after them ("5-year-old": "5", "year", "old", "5-year-old"), so a
    query finds it written either way. Other punctuation and the heard-form
    brackets are not words."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
        text = text.replace("\u2019", "'")
    out: list[str] = []
    for chunk in _CHUNK.findall(text):
        parts = _HYPHEN.split(chunk)
        out += parts
        if len(parts) > 1:
            out.append("-".join(parts))
    return out


_PIECE = r"[^\W_]+(?:(?:'|(?<=\d)\.(?=\d))[^\W_]+)*"
_CHUNK = re.compile(rf"{_PIECE}(?:[-\u2010\u2011]{_PIECE})*")
_HYPHEN = re.compile("[-\u2010\u2011]")


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
    made on a thread once the edits pause, while the build goes on with the last
    one; `on_ready` is called when the new one is there, so serve can publish it.
    Without it (a one-off build), the build makes it at once."""

    key: object = None
    """The records (and language) `files` was made from."""
    files: dict[str, bytes] | None = None
    said: str = ""
    """The last reason told, so each is told once."""
    notes: list[str] = field(default_factory=list)
    """Lines for the build to print: why there is no search, once."""
    on_ready: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    wanted: tuple[object, list[Entry], str] | None = None
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
    kept: tuple[KeptWords, Callable[[str], bytes | None]] | None = None
    """A one-off build: the last build's word files and how to read them from the
    site, used when the words are the same (an edit of a title, a note, a topic)."""

    def store(self, key: object, files: dict[str, bytes] | None, failed: str) -> None:
        digests = {rel: digest(data) for rel, data in (files or {}).items()} \
            if self.on_ready is not None else {}
        with self.lock:
            self.key, self.files, self.digests = key, files, digests
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

    def later(self, key: object, recs: list[Entry], language: str) -> None:
        """Index in the background (caller holds the lock); a newer request replaces an
        older one still waiting, so a burst of edits indexes once more, not once each."""
        self.wanted = (key, recs, language)
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
            key, recs, language = job
            files, failed = self.make(recs, language)
            self.store(key, files, failed)
            with self.lock:
                newer = self.wanted is not None
            if not newer and self.on_ready is not None:
                self.on_ready()


def site_index(recs: list[Entry], key: str, language: str, cache: SearchCache,
               ) -> dict[str, bytes] | None:
    """The search index of the site, `{"search/data/...": bytes}`, for records whose
    digest is `key`; None when the site has no search: no words to search (or a
    bug, whose reason is in `cache.notes`)."""
    if not recs:
        return None  # nothing to search yet: no search box, and nothing to say
    full_key = (key, language)
    with cache.lock:
        if cache.key == full_key:
            return cache.files
        if cache.on_ready is not None and (cache.files is not None or cache.published is not None):
            cache.later(full_key, recs, language)
            # Until the new index lands the last one serves (the one published
            # from the cache: see pipeline._search_index).
            return cache.files if cache.files is not None else {}
    files, failed = cache.make(recs, language)
    cache.store(full_key, files, failed)
    return files

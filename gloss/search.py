"""Search across every transcript: records for Pagefind, and the index it builds.

Static search, no server: Pagefind (PyPI `pagefind[bin]`) turns records into
an index of small files that its own JavaScript reads in the browser, loading
only the pieces a query needs. gloss never lets Pagefind crawl `site/`: it
writes one small synthetic HTML file per record into a temporary folder, runs
the Pagefind binary over that folder into another, and reads the index back
into memory, so it goes through gloss's writer with the rest of the site
(atomically, never half-written).

A record is one speaker's paragraphs, in order, from one stretch of one episode
(up to about ten minutes of that speaker's words): never two speakers (a result
shows its words under one name), never a cut passage, and never across a change
of topic (so the topic filter is exact). Inside a record each paragraph starts
with an empty element carrying its id, which Pagefind reports as an anchor with
the word it starts at, so a result links to the very paragraph that matched. The words indexed are the
ones readers see, each correction followed by what was heard between
tortoise-shell brackets (`GPT-5.1 \u3014 GPD 5.1 \u3015`): a search for the misheard
form finds the passage, and the search page shows it as "(heard ...)".

Why not Pagefind's Python API (`add_custom_record`, `get_files`)? Its client
reads one reply per 0.1 s, so a record costs 0.1 s (1,000 transcripts make
thousands of records), and `get_files` passes the whole index through a 2 MiB
pipe buffer its own docs warn can deadlock. One run of the binary does the same
work in one step, with a timeout and its exit status to check.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import pagefind_stable
from .model import Page, Paragraph, Site

BUNDLE = "pagefind"
"""Where the index goes in the site: `site/pagefind/`."""

RECORD_WORDS = 1500
"""About how many words one record holds, about ten minutes of one speaker: at 1,000
transcripts fewer, larger records make the list of records every search loads
smaller, and smaller ones make each result cheaper to fetch (README, Search)."""

TIME_ANCHOR = "@"
"""Starts the id of the anchor that gives a paragraph's time in seconds."""

HEARD_OPEN, HEARD_CLOSE = "\u3014", "\u3015"
"""Tortoise-shell brackets, each a word of its own, around a misheard form in the
indexed text; the search page shows it as "(heard ...)" (static/search.js)."""

_PUNCT_AFTER_HEARD = re.compile(
    rf" ({HEARD_OPEN} [^{HEARD_OPEN}{HEARD_CLOSE}]* {HEARD_CLOSE})([^\s{HEARD_OPEN}]+)")

UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
"""Pagefind's own search interfaces: the search page uses its small JavaScript API instead."""

QUIET = 1.5
"""serve: seconds without a new edit before the index is made again. Making it
takes the processor for seconds to a minute, and an editor saving again and
again is waiting for pages, not for search."""

TIMEOUT = 600
"""Seconds Pagefind may take before the build gives up on search."""

NOT_INSTALLED = "search: Pagefind is not installed; pip install 'pagefind[bin]' to add search"


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


def indexed_text(para: Paragraph) -> str:
    """The words readers see, with each correction's heard form after it, so a search
    for either finds the paragraph: `GPT-5.1, \u3014 GPD 5.1 \u3015 and`. The brackets
    are taken out of the text itself, so they always mark a heard form."""
    out: list[str] = []
    for span in para.spans:
        out.append(span.text.replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")"))
        heard = " ".join(span.verbatim.split())
        if span.kind == "fix" and heard and heard.lower() != " ".join(span.text.split()).lower():
            heard = heard.replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")")
            out.append(f" {HEARD_OPEN} {heard} {HEARD_CLOSE}")
    text = " ".join("".join(out).split())
    # Punctuation after a corrected word stays with the word, before the heard form.
    text = _PUNCT_AFTER_HEARD.sub(r"\2 \1", text)
    # Pagefind reads words that start `___PAGEFIND_` as instructions; content gives none.
    return re.sub(r"_{3,}", "__", text)


@dataclass
class _Open:
    topics: tuple[str, ...]
    passages: list[Passage] = field(default_factory=list)
    words: int = 0


def page_records(page: Page, episode: str, topic_titles: dict[str, str], person_names: dict[str, str],
                 max_words: int = RECORD_WORDS) -> list[Record]:
    """A page's records, in order of where each begins. Each speaker's paragraphs
    gather into one record until it holds `max_words` or the topics change.
    `episode`, `topic_titles` and `person_names` are the filter values."""
    records: list[tuple[int, Record]] = []
    current: dict[str, tuple[int, _Open]] = {}
    order = 0

    def close(key: str) -> None:
        begun, rec = current.pop(key)
        s = page.speaker(key)
        records.append((begun, Record(page.url, episode, s.name, s.color,
                                      person_names.get(s.person, ""), rec.topics, tuple(rec.passages))))

    for turn in page.transcript.turns:
        for pi, para in enumerate(turn.paragraphs):
            if para.cut:
                continue
            text = indexed_text(para)
            if not text:
                continue
            topics = tuple(topic_titles[t] for t in para.topics if t in topic_titles)
            key = turn.speaker
            if key in current and current[key][1].topics != topics:
                close(key)
            if key not in current:
                current[key] = (order, _Open(topics))
                order += 1
            rec = current[key][1]
            start = para.start if para.start is not None else (turn.start if pi == 0 else None)
            rec.passages.append(Passage(para.id, text, start))
            rec.words += len(text.split())
            if rec.words >= max_words:
                close(key)
    for key in list(current):
        close(key)
    return [r for _, r in sorted(records, key=lambda x: x[0])]


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


def records(pages: list[tuple[Page, list[Record]]]) -> list[Record]:
    """Every record of the site, each page's in site order; filter values made
    unique: two episodes of one title are told apart by their address."""
    episodes = _labels({page.slug: page.title for page, _ in pages})
    out: list[Record] = []
    for page, recs in pages:
        episode = episodes[page.slug]
        out += recs if episode == page.title else [replace(r, episode=episode) for r in recs]
    return out


def record_html(record: Record, language: str) -> str:
    """The page Pagefind reads for one record.

    Each paragraph starts with an empty element carrying its id, which Pagefind
    reports as an anchor with the word position it starts at (an empty one, so the
    words are not stored twice), preceded, when its time is known, by one whose id
    is `@` and the seconds. What a result shows besides the words (the speaker, the
    episode, the colour) travels as filter values: Pagefind 1.5 searches metadata
    (a query matching an episode title would return every record of that episode),
    never filters. Every string is escaped: content never becomes markup."""
    e = html.escape
    filters = [("episode", record.episode), ("name", record.speaker), ("color", str(record.color))]
    filters += [("speaker", record.person)] if record.person else []
    filters += [("topic", t) for t in record.topics]
    aside = "".join(f'<span data-pagefind-filter="{k}">{e(v)}</span>' for k, v in filters)
    body = "".join(
        (f'<p><span id="{TIME_ANCHOR}{p.start:g}"></span>' if p.start is not None else "<p>")
        + f'<span id="{e(p.id)}"></span>{e(p.text)}</p>'
        for p in record.passages)
    return (f'<!doctype html><html lang="{e(language)}"><head><meta charset="utf-8"></head><body>'
            f"<aside data-pagefind-ignore>{aside}</aside><main data-pagefind-body>{body}</main>"
            "</body></html>\n")


def find_pagefind() -> Path | None:
    """The Pagefind binary: from `pagefind[bin]` (or `PAGEFIND_BINARY_PATH`, or one on
    PATH), as the Python package finds it; None when there is none."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def unavailable() -> str:
    """Why this machine cannot make a search index ("" when it can): checked before
    any page is rendered, since every page's header says whether there is search."""
    exe = find_pagefind()
    if exe is None:
        return NOT_INSTALLED
    return _runs(str(exe))


@functools.lru_cache(maxsize=4)
def _runs(exe: str) -> str:
    try:
        run = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"search: Pagefind cannot run here ({exc}); the site is built without search"
    if run.returncode != 0:
        said = " ".join((run.stderr or run.stdout).split())[:300] or f"exit status {run.returncode}"
        return f"search: Pagefind cannot run here ({said}); the site is built without search"
    return ""


class SearchUnavailable(Exception):
    """Pagefind is missing or cannot run here: the site is built without search.
    The message is the one line the build prints."""


def build_index(records: list[Record], language: str, binary: Path | None = None) -> dict[str, bytes]:
    """Run Pagefind over the records; return the index as `{"pagefind/...": bytes}`.

    Each record is written as `<page>/<n>.html` (so a result's URL names its page)
    into a temporary folder; Pagefind writes the index into another, which is read
    back and removed (and made the same bytes for the same records: see
    `pagefind_stable`). Raises SearchUnavailable when Pagefind cannot be run."""
    exe = binary or find_pagefind()
    if exe is None:
        raise SearchUnavailable(NOT_INSTALLED)
    try:
        return _run(exe, records, language)
    except OSError as exc:  # its temporary folder: a full disk, say
        raise SearchUnavailable(f"search: Pagefind's files could not be written or read ({exc}); "
                                "the site is built without search") from None


def _run(exe: Path, records: list[Record], language: str) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="gloss-search-") as tmp:
        src, out = Path(tmp) / "records", Path(tmp) / "index"
        for i, rec in enumerate(records):
            path = src / rec.page / f"{i}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(record_html(rec, language), "utf-8")
        src.mkdir(exist_ok=True)
        command = [str(exe), "--site", str(src), "--output-path", str(out), "--silent",
                   "--force-language", language]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SearchUnavailable(f"search: Pagefind cannot run here ({exc}); "
                                    "the site is built without search") from None
        if run.returncode != 0 or not (out / "pagefind.js").is_file():
            said = " ".join((run.stderr or run.stdout).split())[:300] or f"exit status {run.returncode}"
            raise SearchUnavailable(f"search: Pagefind failed ({said}); the site is built without search")
        files = {f"{BUNDLE}/{path.relative_to(out).as_posix()}": path.read_bytes()
                 for path in sorted(out.rglob("*"))
                 if path.is_file() and not path.relative_to(out).as_posix().startswith(UNUSED)}
    # The same records give the same bytes, so a rebuild rewrites nothing.
    return pagefind_stable.stabilise(files, BUNDLE)


@dataclass
class SearchCache:
    """What serve keeps between builds, so an edit does not wait for Pagefind.

    The index is kept by the digest of the records it was built from: a theme edit
    reuses the index as it is. With
    `on_ready` set (serve), a changed index is built on a thread while the build
    goes on with the last one; `on_ready` is called when the new one is there, so
    serve can publish it. Without it (a one-off build), the build waits."""

    key: object = None
    """The records (and language) `files` was built from."""
    files: dict[str, bytes] | None = None
    failed: str = ""
    """Why the last attempt gave no index (empty: it did, or none was made yet)."""
    said: str = ""
    """The last reason told, so each is told once."""
    notes: list[str] = field(default_factory=list)
    """Lines for the build to print: why there is no search, once."""
    on_ready: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    wanted: tuple[object, list[Record], str] | None = None
    """The newest records still to index in the background."""
    worker: threading.Thread | None = None
    asked: float = 0.0
    """When the newest records were asked for (time.monotonic)."""
    published: dict[str, str] | None = None
    """serve: the digests of an index published from `.gloss-cache/` and never
    loaded, kept in the site until the first index made here replaces it."""

    def store(self, key: object, files: dict[str, bytes] | None, failed: str) -> None:
        with self.lock:
            self.key, self.files, self.failed = key, files, failed
            if failed and failed != self.said:
                self.notes.append(failed)
            self.said = failed

    def take_notes(self) -> list[str]:
        with self.lock:
            notes, self.notes = self.notes, []
            return notes

    def later(self, key: object, recs: list[Record], language: str) -> None:
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
            try:
                files, failed = build_index(recs, language), ""
            except SearchUnavailable as why:
                files, failed = None, str(why)
            except Exception as exc:  # a bug: say it, and keep serving
                files, failed = None, f"search: indexing failed ({exc!r}); please report it"
            self.store(key, files, failed)
            with self.lock:
                newer = self.wanted is not None
            if not newer and self.on_ready is not None:
                self.on_ready()


def site_index(recs: list[Record], key: str, language: str, cache: SearchCache,
               ) -> dict[str, bytes] | None:
    """The search index of the site, `{"pagefind/...": bytes}`, for records whose
    digest is `key`; None when the site has no search: no words to search, or no
    Pagefind (the reason is in `cache.notes`)."""
    if not recs:
        return None  # nothing to search yet: no search box, and nothing to say
    full_key = (key, language)
    with cache.lock:
        if cache.key == full_key:
            return cache.files
        if cache.on_ready is not None and not cache.failed and find_pagefind() is not None:
            cache.later(full_key, recs, language)
            # Until the new index lands the last one serves; before the first, the
            # search page says the index is not there yet.
            return cache.files if cache.files is not None else {}
    try:
        files, failed = build_index(recs, language), ""
    except SearchUnavailable as why:
        files, failed = None, str(why)
    cache.store(full_key, files, failed)
    return files

"""A transcript's search records: what is said, by whom, where, weighed.

A record is one speaker's paragraphs, in order, from one stretch of one episode
(up to about ten minutes of that speaker's words): never two speakers (a result
shows its words under one name), never a cut passage, and never across a change
of topic or chapter (so the topic filter is exact). A note is a record of its
own, shown as a note, never under a name. Its fragment keeps each paragraph's
id and time, so a result links to the very paragraph that matched and says
when it was said. The words indexed are the ones readers see, each correction
followed by what was heard between tortoise-shell brackets (`GPT-5.1 \u3014 GPD
5.1 \u3015`): a search for the misheard form finds the passage, and the search
page shows it as "(heard ...)". Records are made where a transcript is made
(in a worker); search.py gathers them into the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from .model import Page, Paragraph, Site
from .publish import plain

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
none apart), and a new title would make the word files again (`Words`); the
search page matches titles itself, from the episode filter's values."""

RECORD_WORDS = 1500
"""About how many words one record holds, about ten minutes of one speaker: fewer,
larger records make the index smaller, and smaller ones make each result cheaper
to fetch (README, Search)."""

HEARD_OPEN, HEARD_CLOSE = "\u3014", "\u3015"
"""Tortoise-shell brackets, each a word of its own, around a misheard form in the
indexed text; the search page shows it as "(heard ...)" (static/search.js)."""

_PUNCT_AFTER_HEARD = re.compile(
    rf" ({HEARD_OPEN} [^{HEARD_OPEN}{HEARD_CLOSE}]* {HEARD_CLOSE})([^\s{HEARD_OPEN}]+)")

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
    """The episode filter's value (`labelled` tells two episodes of one title apart)."""
    person: str
    topics: tuple[str, ...]
    weights: str
    """`word weight word weight ...` (`weigh`): one string, far smaller to keep
    and to pass between processes than a dictionary."""


def entry(record: Record) -> Entry:
    weights = weigh(record)
    return Entry(record.page, record.episode, record.person, record.topics,
                 " ".join([f"{w} {n}" for w, n in weights.items()]))


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
    # Most words are said once or twice: each count's weight is worked out once.
    weight = {n: max(1, round(scale * 100 * n * (K1 + 1) / (n + norm))) for n in set(counts.values())}
    weights = {w: weight[n] for w, n in counts.items()}
    extra: Counter[str] = Counter()
    for kind, texts in (("name", () if record.note else (record.speaker,)),
                        ("chapter", (record.chapter,)), ("topic", record.topics)):
        for w in dict.fromkeys([w for text in texts for w in words(text)]):  # in order, each once
            extra[w] += FIELDS[kind]
    for w, n in extra.items():
        weights[w] = weights[w] + n if w in weights else -n
    return weights


def indexed_text(para: Paragraph) -> str:
    """The words readers see, with each correction's heard form after it, so a search
    for either finds the paragraph: `GPT-5.1, \u3014 GPD 5.1 \u3015 and`. The brackets
    are taken out of the text itself, so they always mark a heard form."""
    spans = para.spans
    if "fix" not in [span.kind for span in spans]:  # most paragraphs: no heard forms to add
        said = "".join([span.text for span in spans])
        if HEARD_OPEN in said or HEARD_CLOSE in said:
            said = said.replace(HEARD_OPEN, "(").replace(HEARD_CLOSE, ")")
        if said.isprintable() and "  " not in said and not said.startswith(" ") and not said.endswith(" "):
            return said  # one space between words already: the only whitespace that is printable
        return " ".join(said.split())
    out: list[str] = []
    for span in spans:
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
            rec.words += text.count(" ") + 1  # its words, one space apart (`indexed_text`)
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
    value is its title here; `labelled` tells two episodes of one title apart)."""
    topic_titles = _labels({tid: t.title for tid, t in site.topics.items()})
    person_names = _labels({pid: p.name for pid, p in site.people.items()})
    return page_records(page, page.title, topic_titles, person_names, max_words)


Group = tuple[str, str, list[Entry]]
"""One page's records as the index takes them: its slug, the digest of its
records (what serve's indexing process keeps them by), its records."""


def labelled(pages: list[tuple[Page, str, list[Entry]]]) -> list[Group]:
    """Every page's records (with the digest of its records), in site order;
    filter values made unique: two episodes of one title are told apart by
    their address."""
    episodes = _labels({page.slug: page.title for page, _, _ in pages})
    out: list[Group] = []
    for page, key, recs in pages:
        episode = episodes[page.slug]
        if episode == page.title:
            out.append((page.slug, key, recs))
        else:
            out.append((page.slug, f"{key} {episode}", [replace(r, episode=episode) for r in recs]))
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
    if text.isascii():
        return _ascii_words(text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    text = text.replace("\u2019", "'")
    chunks: list[str] = _CHUNK.findall(text)
    joined = [k for k, chunk in enumerate(chunks) if _HYPHEN.search(chunk)]
    out: list[str] = []
    done = 0
    for k in joined:
        parts = _HYPHEN.split(chunks[k])
        out += chunks[done:k]
        out += parts
        out.append("-".join(parts))
        done = k + 1
    out += chunks[done:]
    return out


def _ascii_words(text: str) -> list[str]:
    """`words` of lowercase ASCII text (most text), found faster: every character
    that no word holds made a space, the text is split there, and a piece that
    is letters and digits only, once points, apostrophes and hyphens at its ends
    are off, is a word as it is (a word begins and ends with one); only the
    rest, a few in a hundred ("it's", "5.1", "pre-training"), go through the
    pattern."""
    out: list[str] = []
    for piece in text.encode("ascii").translate(_NOT_IN_WORDS).decode("ascii").split():
        if not piece.isalnum():
            piece = piece.strip(".'-")
            if not piece.isalnum():
                for chunk in _ASCII_CHUNK.findall(piece):
                    if "-" in chunk:
                        out += chunk.split("-")
                    out.append(chunk)
                continue
        out.append(piece)
    return out


_PIECE = r"[^\W_]+(?:(?:'|(?<=\d)\.(?=\d))[^\W_]+)*"
_CHUNK = re.compile(rf"{_PIECE}(?:[-\u2010\u2011]{_PIECE})*")
_HYPHEN = re.compile("[-\u2010\u2011]")
_ASCII_PIECE = r"[a-z0-9]+(?:(?:'|(?<=[0-9])\.(?=[0-9]))[a-z0-9]+)*"
_ASCII_CHUNK = re.compile(rf"{_ASCII_PIECE}(?:-{_ASCII_PIECE})*")
r"""`_CHUNK` for lowercase ASCII text, where a letter or digit (`[^\W_]`) is
`[a-z0-9]`, a digit `[0-9]` and a hyphen `-`: a quarter faster than Unicode classes."""
_NOT_IN_WORDS = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789'.-" else 32 for c in range(256))
"""A `bytes.translate` table: what no word of lowercase ASCII text holds, a space."""

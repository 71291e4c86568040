"""The site model: one page per transcript, in the order the home page lists them.

`make_page` is a pure function of one transcript's inputs, so a later
incremental build can cache it by content hash; `make_site` combines pages.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from . import attribute, clean, formats, sidecar
from .config import Config
from .load import Source
from .model import Meta, Page, Person, SiteModel, Transcript

_versions = itertools.count(1)

WORDS_PER_MINUTE_READ = 230
WORDS_PER_MINUTE_SPOKEN = 150

PALETTE = 8
"""How many speaker colours the theme defines (`.c0` to `.c7`)."""


def title_from_slug(slug: str) -> str:
    """`kaiser-mad-podcast` -> `Kaiser mad podcast`: a readable default title."""
    words = slug.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or slug
    return text[:1].upper() + text[1:]


def measure(transcript: Transcript) -> tuple[int, int, int]:
    """(words, spoken minutes, reading minutes). Spoken length runs to the last
    timestamp plus the time the speech after it takes to say; with no timestamps
    it is estimated from the words."""
    counts = [t.words for t in transcript.turns]
    words = sum(counts)
    timed = [i for i, t in enumerate(transcript.turns) if t.start is not None]
    seconds = words * 60 / WORDS_PER_MINUTE_SPOKEN
    if timed:
        last = timed[-1]
        seconds = (transcript.turns[last].start or 0) + sum(counts[last:]) * 60 / WORDS_PER_MINUTE_SPOKEN
    return words, max(1, round(seconds / 60)), max(1, round(words / WORDS_PER_MINUTE_READ))


def make_page(source: Source, people: dict[str, Person], config: Config) -> Page:
    """Parse, clean and attribute one transcript. Raises SiteError on bad input."""
    meta = (sidecar.parse_sidecar(source.sidecar.shown, source.sidecar.text, people)
            if source.sidecar else Meta())
    transcript = formats.parse(source.transcript.shown, source.transcript.text)
    transcript = clean.clean(transcript, config.clean)
    transcript, speakers = attribute.attribute(transcript, meta, people)
    words, minutes, read_minutes = measure(transcript)
    return Page(
        slug=source.slug,
        title=meta.title or title_from_slug(source.slug),
        meta=meta,
        transcript=transcript,
        speakers=speakers,
        url=f"{source.slug}/",
        words=words,
        minutes=minutes,
        read_minutes=read_minutes,
        version=next(_versions),
    )


def _order(page: Page) -> tuple[int, int, str]:
    date = page.meta.date or dt.date.min
    return (0 if page.meta.date else 1, -date.toordinal(), page.title.lower())


def _colour(pages: list[Page]) -> list[Page]:
    """Give each person one colour across the whole site, in order of first
    appearance; bare labels take the first colour no one else uses on the page.
    Returns new pages: cached pages are shared between builds and never mutated."""
    by_person: dict[str, int] = {}
    for page in pages:
        for s in page.speakers:
            if s.person and s.person not in by_person:
                by_person[s.person] = len(by_person) % PALETTE
    out: list[Page] = []
    for page in pages:
        taken = {by_person[s.person] for s in page.speakers if s.person}
        free = (c for c in range(10 * PALETTE) if c % PALETTE not in taken)
        speakers = [
            replace(s, color=by_person[s.person] if s.person else next(free) % PALETTE)
            for s in page.speakers
        ]
        out.append(page if speakers == page.speakers else replace(page, speakers=speakers))
    return out


def make_site(pages: list[Page], people: dict[str, Person]) -> SiteModel:
    """Order pages for the home page (newest first) and colour speakers site-wide."""
    return SiteModel(_colour(sorted(pages, key=_order)), people)

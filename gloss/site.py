"""The site model: one page per transcript, plus the topic and people indexes
that cross transcripts.

`make_page` is a pure function of one transcript's inputs (its text, its
sidecar, the site-wide files and the config), so it can be cached by them;
`make_site` combines pages.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from . import anchor, annotate, attribute, clean, formats, sidecar
from .config import Config
from .errors import SiteError, SourcePos, warning
from .load import Source
from .model import Block, Heading, Meta, Page, Paragraph, Passage, Site, SiteModel, Transcript

_versions = itertools.count(1)

WORDS_PER_MINUTE_READ = 230
WORDS_PER_MINUTE_SPOKEN = 150
EXCERPT_WORDS = 45

PALETTE = 8
"""How many speaker colours the theme defines (`.c0` to `.c7`)."""


def title_from_slug(slug: str) -> str:
    """`kaiser-mad-podcast` -> `Kaiser mad podcast`: a readable default title."""
    words = slug.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or slug
    return text[:1].upper() + text[1:]


def paragraph_id(turn: int, para: int) -> str:
    """The fragment id of a paragraph (0-based indexes in, 1-based id out)."""
    return f"t{turn + 1}-{para + 1}"


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


def unused(meta: Meta, transcript: Transcript) -> list[SiteError]:
    """Sidecar entries that changed nothing: a `speakers` label the transcript does
    not have (a typo?), a correction whose heard form never occurs."""
    out: list[SiteError] = []
    labels = {t.label for t in transcript.turns}
    for label, pos in meta.speaker_pos.items():
        if label not in labels:
            known = ", ".join(sorted(f"`{x}`" for x in labels if x)) or "none"
            out.append(warning(pos, f"speaker label `{label}` does not occur in the transcript",
                               f"its labels are {known}"))
    if meta.clean.on("corrections"):
        fixed = {" ".join(s.verbatim.lower().split()) for t in transcript.turns
                 for p in t.paragraphs for s in p.spans if s.kind == "fix"}
        for heard, _ in meta.corrections:
            if " ".join(heard.lower().split()) not in fixed:
                out.append(warning(meta.correction_pos.get(heard, SourcePos(transcript.path)),
                                   f"correction `{heard}` never occurs in the transcript"))
    return out


def describe_changes(transcript: Transcript) -> str:
    """What cleaning changed on the page, in words."""
    dropped = fixed = 0
    for turn in transcript.turns:
        for para in turn.paragraphs:
            if para.cut:
                continue
            for span in para.spans:
                dropped += span.kind == "drop"
                fixed += span.kind == "fix"
    parts = []
    if dropped:
        parts.append(f"{dropped} filler{'s' if dropped != 1 else ''} and repeats removed")
    if fixed:
        parts.append(f"{fixed} correction{'s' if fixed != 1 else ''}")
    return ", ".join(parts)


def excerpt(text: str, limit: int = EXCERPT_WORDS) -> str:
    words = text.split()
    return " ".join(words) if len(words) <= limit else " ".join(words[:limit]) + " …"


def blocks(transcript: Transcript, chapters: dict[tuple[int, int], Heading]) -> list[Block]:
    """Lay the turns out, starting a new block wherever a chapter begins."""
    out: list[Block] = []
    for ti, turn in enumerate(transcript.turns):
        current: list[tuple[int, Paragraph]] = []
        heading = chapters.get((ti, 0))
        continued = False
        for pi, para in enumerate(turn.paragraphs):
            starts = chapters.get((ti, pi)) if pi else None
            if starts and current:
                out.append(Block(turn, ti, current, heading, continued))
                current, heading, continued = [], starts, True
            current.append((pi, para))
        if current:
            out.append(Block(turn, ti, current, heading, continued))
    return out


def make_page(source: Source, site: Site, config: Config) -> Page:
    """Parse, fix, clean, attribute and annotate one transcript. Raises SiteError."""
    meta = (sidecar.parse_sidecar(source.sidecar.shown, source.sidecar.text, site, config.clean)
            if source.sidecar else Meta(clean=config.clean))
    transcript = formats.parse(source.transcript.shown, source.transcript.text)
    transcript = attribute.apply_fixes(transcript, meta)
    transcript = clean.clean(transcript, clean.Options(meta.clean, site.glossary + meta.corrections,
                                                       config.language))
    transcript, speakers = attribute.attribute(transcript, meta, site.people)
    anchored = annotate.annotate(transcript, meta)
    title = meta.title or transcript.title or title_from_slug(source.slug.rpartition("/")[2])
    if meta.date is None and transcript.date is not None:
        meta = replace(meta, date=transcript.date)
    turns = transcript.turns

    def passage(where: tuple[int, int], text: str) -> Passage:
        ti, pi = where
        para = turns[ti].paragraphs[pi]
        start = para.start if para.start is not None else (turns[ti].start if pi == 0 else None)
        return Passage(source.slug, title, paragraph_id(ti, pi), turns[ti].speaker,
                       excerpt(text), start)

    topics: dict[str, list[Passage]] = {}
    for tid, first, last in anchored.topics:
        texts = [p.text for _, _, p in anchor.between(transcript, first, last) if not p.cut]
        topics.setdefault(tid, []).append(passage(first, " ".join(texts)))
    words, minutes, read_minutes = measure(transcript)
    return Page(
        warnings=unused(meta, transcript),
        changes=describe_changes(transcript),
        slug=source.slug,
        title=title,
        meta=meta,
        transcript=transcript,
        speakers=speakers,
        url=f"{source.slug}/",
        blocks=blocks(transcript, anchored.chapters),
        chapters=[anchored.chapters[k] for k in sorted(anchored.chapters)],
        topics=topics,
        highlights=[passage(where, text) for where, text in anchored.highlights],
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


def make_site(pages: list[Page], site: Site) -> SiteModel:
    """Order pages (newest first), colour speakers site-wide, and index topics
    and people across transcripts."""
    ordered = _colour(sorted(pages, key=_order))
    model = SiteModel(ordered, site.people, site.topics)
    model.topic_passages = {tid: [] for tid in site.topics}
    for page in ordered:
        for tid, passages in page.topics.items():
            model.topic_passages[tid].extend(passages)
        for s in page.speakers:
            if s.person:
                model.person_pages.setdefault(s.person, []).append(page)
        for quote in page.highlights:
            person = page.speaker(quote.speaker).person
            if person:
                model.person_quotes.setdefault(person, []).append(quote)
    return model

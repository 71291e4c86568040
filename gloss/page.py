"""One transcript, from its text and annotations to a page: parse, fix the
structure, clean, attribute, annotate, then measure and cite.

`make_page` is a pure function of one transcript's inputs (its text, its
sidecar, the site-wide files and the config), so it is cached by them and can
run in any process; `site.make_site` combines the pages it makes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from itertools import pairwise

from . import anchor, annotate, attribute, clean, formats, sidecar
from .config import Config
from .disfluency import FILLERS
from .errors import SiteError, SiteErrors, SourcePos, raise_all, warning
from .formats.common import SECONDS_PER_WORD
from .load import Source
from .model import Block, Heading, Meta, Page, Paragraph, Part, Passage, Site, Transcript, Turn

WORDS_PER_MINUTE_READ = 230
EXCERPT_WORDS = 110
"""About how many words a topic's passage shows where it is cited: whole
sentences up to this, so the exchange reads as it happened."""
QUOTE_WORDS = 250
"""The same for a highlight: the editor chose its words, so more of them show."""


def excerpt(texts: list[str], budget: int) -> tuple[list[str], int]:
    """What a passage shows of each of its paragraphs, in whole sentences up to
    `budget` words (the first sentence is cut only when it alone is longer),
    and how many words it leaves out. It stops at the first sentence that does
    not fit, so what shows is one stretch of speech, never a collage; a
    paragraph left unfinished ends with "…"."""
    shown: list[str] = []
    left = budget
    stopped = False
    for text in texts:
        if stopped:
            shown.append("")
            continue
        taken: list[str] = []
        for sentence in clean.sentences(text):
            n = len(sentence.split())
            if n <= left:
                taken.append(sentence)
                left -= n
                continue
            if left == budget:  # nothing shown yet: cut the first sentence itself
                taken.append(" ".join(sentence.split()[:budget]))
                left = 0
            stopped = True
            break
        words = " ".join(taken)
        shown.append(words + (" …" if stopped and words else ""))
    said = sum(len(t.split()) for t in texts)
    return shown, said - (budget - left)


def title_from_slug(slug: str) -> str:
    """`kaiser-mad-podcast` -> `Kaiser mad podcast`: a readable default title."""
    words = slug.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or slug
    return text[:1].upper() + text[1:]


def paragraph_id(turn: int, para: int) -> str:
    """The positional fragment id of a paragraph (0-based indexes in, 1-based id
    out): the form earlier versions linked to, still given as an alias."""
    return f"t{turn + 1}-{para + 1}"


ID_WORDS = 5
"""Words of its opening a paragraph's id is made of (`so-what-is-happening-in`)."""
ID_CHARS = 48
LONG_ID_CHARS = 96
"""How long an id may grow, taking more of its paragraph's words, to tell the
paragraph from others that open with the same words."""
_NOT_WORD = re.compile(r"[^\w]+")
RESERVED_IDS = re.compile(r"t\d+(?:-\d+)?|ch(?:-.*)?|toc-title|content|show-verbatim|downloads?")
"""Ids the page uses itself: turns, chapters and the page's own parts (`ch`
too: numbered, it would read `ch-2`, a chapter's)."""


def _opening(text: str, words: int, chars: int) -> list[str]:
    """A paragraph's first words as its id spells them (lowercase, `'` and `.`
    left out), fillers skipped: `words` of them, or fewer where they run past
    `chars` characters. Only the words needed are read."""
    out: list[str] = []
    size = -1
    for m in anchor.WORD.finditer(text.lower()):
        word = m.group()
        if word not in FILLERS:
            if not word.isalnum():  # all alphanumeric: all \w, nothing to take out
                word = _NOT_WORD.sub("", word)
            out.append(word)
            size += len(word) + 1
            if len(out) == words or size > chars:
                break
    return out


def _slug(words: list[str], chars: int) -> str:
    slug = "-".join(words).strip("-_")
    slug = (slug or "p")[:chars].rstrip("-")
    return "p-" + slug if RESERVED_IDS.fullmatch(slug) else slug


def _set_apart(paragraphs: list[Paragraph]) -> list[str]:
    """Ids for paragraphs whose first words give one id: each takes as many more
    of its own words as tell it from every other (up to LONG_ID_CHARS), so the
    id depends on which paragraphs open the same way, never on where they are.
    Paragraphs with the same words up to there get the same id (numbered later).

    The most words a paragraph shares with any other it shares with one of its
    neighbours in sorted order: one sort, not a comparison of every pair."""
    words = [_opening(p.verbatim, LONG_ID_CHARS, LONG_ID_CHARS) for p in paragraphs]
    order = sorted(range(len(words)), key=words.__getitem__)
    shared = [0] * len(words)
    for a, b in pairwise(order):
        x, y = words[a], words[b]
        n = 0
        while n < len(x) and n < len(y) and x[n] == y[n]:
            n += 1
        shared[a], shared[b] = max(shared[a], n), max(shared[b], n)
    return [_slug(w[: max(ID_WORDS, n + 1)], LONG_ID_CHARS) for w, n in zip(words, shared, strict=True)]


def paragraph_ids(transcript: Transcript) -> None:
    """Give every paragraph a fragment id made from its first words (`so-what-is-
    happening-in`), fillers left out: a link to a paragraph keeps working when
    the transcript above it is edited or corrected. Paragraphs that open with
    the same words each take more of their own words, as many as tell them
    apart (`yes-go-on-tell-me-about-the-river`), so an id does not depend on
    position either; only paragraphs whose words are the same (`Yeah.` said
    500 times) are numbered, in order among themselves: `yeah`, `yeah-2`."""
    paragraphs = [para for turn in transcript.turns for para in turn.paragraphs]
    wanted = [_slug(_opening(p.verbatim, ID_WORDS, len(p.verbatim)), ID_CHARS) for p in paragraphs]
    alike: dict[str, list[int]] = {}
    for k, ident in enumerate(wanted):
        alike.setdefault(ident, []).append(k)
    for members in alike.values():
        if len(members) > 1:
            for k, ident in zip(members, _set_apart([paragraphs[k] for k in members]), strict=True):
                wanted[k] = ident
    taken: set[str] = set()
    following: dict[str, int] = {}
    """The next number to try for each id: a thousand "Yeah." paragraphs are
    numbered in one pass, not each from 2 upward."""
    for para, base in zip(paragraphs, wanted, strict=True):
        ident, n = base, following.get(base, 2)
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        following[base] = n
        taken.add(ident)
        para.id = ident


def _elided(turns: list[Turn], pieces: list[tuple[int, int, str]], shown: list[str]) -> list[str]:
    """The shown texts, with "…" where the quote starts or stops inside a
    sentence of its paragraph: a reader is told words are left out."""
    out = list(shown)
    ti, pi, text = pieces[0]
    said, quoted = turns[ti].paragraphs[pi].text, text.strip()
    before = said.partition(quoted)[0].rstrip() if quoted in said else ""
    if out[0] and before and not before.endswith(SENTENCE_MARKS):
        out[0] = "… " + out[0]
    ti, pi, text = pieces[-1]
    said, quoted = turns[ti].paragraphs[pi].text, text.strip()
    after = said.rpartition(quoted)[2].strip() if quoted in said else ""
    if out[-1] and after and not out[-1].endswith(SENTENCE_MARKS):
        out[-1] += " …"
    return out


SENTENCE_MARKS = (".", "?", "!", "…")


def _time_after(turns: list[Turn], ti: int, pi: int) -> float | None:
    """When the speech after paragraph (ti, pi) starts: the next paragraph or
    turn that carries a time (fifty paragraphs on at most: an untimed
    transcript has none to find)."""
    looked = 0
    for tj in range(ti, len(turns)):
        paras = turns[tj].paragraphs
        for pj in range(pi + 1 if tj == ti else 0, len(paras)):
            start = paras[pj].start if paras[pj].start is not None else (turns[tj].start if pj == 0 else None)
            if start is not None:
                return start
            looked += 1
            if looked > 50:
                return None
    return None


def measure(transcript: Transcript) -> tuple[int, int, int]:
    """(words, spoken minutes, reading minutes). Spoken length runs to the last
    timestamp plus the time the speech after it takes to say; with no timestamps
    it is estimated from the words."""
    words = sum(t.words for t in transcript.turns)
    timed = any(p.start is not None for t in transcript.turns for p in t.paragraphs)
    seconds = anchor.spoken_end(transcript) if timed else words * SECONDS_PER_WORD
    return words, max(1, round(seconds / 60)), max(1, round(words / WORDS_PER_MINUTE_READ))


def unused(meta: Meta, transcript: Transcript) -> list[SiteError]:
    """Sidecar entries that changed nothing: a `speakers` label the transcript does
    not have (a typo?), a correction whose heard form never occurs."""
    out: list[SiteError] = []
    labels = {t.label for t in transcript.turns}
    for label, pos in meta.speaker_pos.items():
        if label not in labels:
            named = sorted(x for x in labels if x)
            close = difflib.get_close_matches(label, named, n=1, cutoff=0.6)
            known = ", ".join(f"`{x}`" for x in named) or "none"
            out.append(warning(pos, f"speaker label `{label}` does not occur in the transcript",
                               f"did you mean `{close[0]}`?" if close else f"its labels are {known}"))
    if meta.corrections and meta.clean.on("corrections"):
        fixed = {" ".join(s.verbatim.lower().split()) for t in transcript.turns
                 for p in t.paragraphs for s in p.spans if s.kind == "fix"}
        for heard, _ in meta.corrections:
            if " ".join(heard.lower().split()) not in fixed:
                out.append(warning(meta.correction_pos.get(heard, SourcePos(transcript.path)),
                                   f"correction `{heard}` never occurs in the transcript"))
    return out


EDITED_NOTES = frozenset({"discourse marker", "restart"})
"""What only the `edited` level removes (clean.NOTES), so the count says so."""


def describe_changes(transcript: Transcript) -> str:
    """What cleaning changed on the page, in words."""
    dropped = fixed = edited = 0
    for turn in transcript.turns:
        for para in turn.paragraphs:
            if para.cut:
                continue
            for span in para.spans:
                kind = span.kind
                if kind == "drop":
                    dropped += 1
                    edited += span.note in EDITED_NOTES
                elif kind == "fix":
                    fixed += 1
    parts = []
    if dropped and edited:  # the `edited` level: markers and restarts too
        parts.append("1 filler, repeat or aside removed" if dropped == 1
                     else f"{dropped:,} fillers, repeats, asides and restarts removed")
    elif dropped:
        parts.append("1 filler or repeat removed" if dropped == 1
                     else f"{dropped:,} fillers and repeats removed")
    if fixed:
        parts.append("1 correction" if fixed == 1 else f"{fixed:,} corrections")
    return ", ".join(parts)


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
                out.append(Block(turn, ti, current, heading, continued, _own_times(turn, current, continued)))
                current, heading, continued = [], starts, True
            current.append((pi, para))
        if current:
            out.append(Block(turn, ti, current, heading, continued, _own_times(turn, current, continued)))
    return out


def _own_times(turn: Turn, paragraphs: list[tuple[int, Paragraph]],
               continued: bool) -> tuple[float | None, ...]:
    """`Block.times`: a paragraph's own time where a reader needs it (a cut
    passage shows none, and does not count as shown)."""
    shown = None if continued else turn.start
    out: list[float | None] = []
    for _, para in paragraphs:
        own = None
        if para.start is not None and not para.cut:
            own = para.start if para.start != shown else None
            shown = para.start
        out.append(own)
    return tuple(out)


class PageErrors(SiteErrors):
    """Everything wrong with one transcript and its annotations, and the warnings
    found on the way, so one run reports them all."""

    def __init__(self, errors: list[SiteError], warnings: list[SiteError]) -> None:
        super().__init__(errors)
        self.warnings = warnings


def make_page(source: Source, site: Site, config: Config) -> Page:
    """Parse, fix, clean, attribute and annotate one transcript. Raises every
    problem of its two files at once (SiteErrors): a mistake in the annotation
    file leaves that entry out and the rest is still checked against the text."""
    errors: list[SiteError] = []
    meta = Meta(clean=config.clean)
    if source.sidecar:
        meta, problems = sidecar.read_sidecar(source.sidecar.shown, source.sidecar.text, site,
                                              config.clean)
        errors += problems
    try:
        transcript = formats.parse(source.transcript.shown, source.transcript.text)
    except SiteError as err:
        raise_all([err, *errors])
        raise
    transcript, problems = attribute.apply_fixes(transcript, meta)
    errors += problems
    transcript = clean.clean(transcript, clean.Options(meta.clean, site.glossary + meta.corrections,
                                                       config.language))
    transcript, speakers = attribute.attribute(transcript, meta, site.people)
    anchored, problems = annotate.annotate(transcript, meta)
    errors += problems
    paragraph_ids(transcript)
    if errors:
        raise PageErrors(errors, transcript.problems + unused(meta, transcript))
    title = meta.title or transcript.title or title_from_slug(source.slug.rpartition("/")[2])
    if meta.date is None and transcript.date is not None:
        meta = replace(meta, date=transcript.date)
    turns = transcript.turns

    by_key = {s.key: s for s in speakers}

    def passage(pieces: list[tuple[int, int, str]], budget: int = EXCERPT_WORDS) -> Passage:
        """A passage from (turn, paragraph, words) pieces: one part per run of a
        speaker's words, in whole sentences up to about `budget` words in all."""
        parts: list[Part] = []
        shown_texts, left_out = excerpt([text for _, _, text in pieces], budget)
        shown_texts = _elided(turns, pieces, shown_texts)
        for (ti, pi, _), shown in zip(pieces, shown_texts, strict=True):
            if not shown:
                continue
            speaker = by_key[turns[ti].speaker]
            if parts and parts[-1].speaker.key == speaker.key:
                parts[-1] = replace(parts[-1], text=parts[-1].text + " " + shown)
                continue
            para = turns[ti].paragraphs[pi]
            start = para.start if para.start is not None else (turns[ti].start if pi == 0 else None)
            parts.append(Part(speaker, shown, para.id, start))
        ti, pi, _ = pieces[0]
        last_ti, last_pi, _ = pieces[-1]
        return Passage(source.slug, title, turns[ti].paragraphs[pi].id, tuple(parts),
                       parts[0].start if parts else None, (ti, pi),
                       words=sum(len(text.split()) for _, _, text in pieces), left_out=left_out,
                       end=_time_after(turns, last_ti, last_pi))

    topics: dict[str, list[Passage]] = {}
    for tid, first, last in anchored.topics:
        pieces = [(ti, pi, p.text) for ti, pi, p in anchor.between(transcript, first, last) if not p.cut]
        if pieces:
            topics.setdefault(tid, []).append(passage(pieces))
    words, minutes, read_minutes = measure(transcript)
    return Page(
        warnings=transcript.problems + unused(meta, transcript),
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
        highlights=[replace(passage(pieces, QUOTE_WORDS), share=f"quotes/{source.slug}/{k}/")
                    for k, pieces in enumerate((h for h in anchored.highlights if h), 1)],
        words=words,
        minutes=minutes,
        read_minutes=read_minutes,
    )



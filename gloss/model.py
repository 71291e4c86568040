"""The document model every format is parsed into, the annotations, and the site model.

Dataclasses only. Each parsed piece keeps its `SourcePos` so later stages can
point an editor at the line a problem comes from, and each paragraph keeps its
verbatim text beside the cleaned one: cleaning never destroys information.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .config import CleanConfig
from .errors import SiteError, SourcePos


@dataclass(slots=True)
class Span:
    """A piece of a paragraph: what the source says and what readers see.

    Joining every span's `verbatim` gives the paragraph's verbatim text
    exactly; joining every `text` gives the cleaned text."""

    verbatim: str
    text: str
    kind: str = ""
    """Empty for plain text; `fix` for a correction; `drop` for removed words."""
    note: str = ""
    """Why it changed, shown on hover (e.g. the rule that applied)."""
    mark: bool = False
    """Part of a highlight."""


@dataclass(frozen=True, slots=True)
class Cue:
    """A source cue's place in a paragraph and its times in seconds."""

    offset: int
    """Where its text begins in the paragraph's verbatim."""
    start: float | None
    end: float | None


@dataclass(slots=True)
class Paragraph:
    """A run of speech shown as one `<p>`."""

    verbatim: str
    """Exactly the source text of this paragraph (whitespace runs collapsed)."""
    pos: SourcePos
    """Where the paragraph starts in the transcript file."""
    spans: list[Span] = field(default_factory=list)
    """The paragraph as cleaning left it; one plain span until a step changes it."""
    start: float | None = None
    """Start time in seconds, when the source gives one."""
    cut: str = ""
    """Why the paragraph is cut from the reading view (empty: it is not)."""
    notes: list[Note] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    """Ids of the topics whose spans include this paragraph."""
    topic_starts: list[str] = field(default_factory=list)
    """Ids of the topics whose spans start here (where chips are shown)."""
    breaks: tuple[tuple[int, int, int], ...] = ()
    """(offset in verbatim, line, column) where a later source line begins, for
    paragraphs joined from several lines (captions, joined turns)."""
    id: str = ""
    """The paragraph's fragment id: made from its own first words (see
    `page.paragraph_ids`), so editing the transcript above it does not move it."""
    cues: tuple[Cue, ...] = ()
    """Where each source cue (a caption, a timed segment) begins, with its times:
    kept so paragraphs split later start at a time the source gave, and pauses
    between cues can start paragraphs. Empty for formats without cues."""

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = [Span(self.verbatim, self.verbatim)]

    def position(self, offset: int) -> SourcePos:
        """Where the verbatim character at `offset` is in the source file."""
        base, line, col = 0, self.pos.line, self.pos.col
        for o, ln, c in self.breaks:
            if o <= offset:
                base, line, col = o, ln, c
        return SourcePos(self.pos.path, line, col + offset - base)

    def breaks_in(self, start: int, end: int) -> tuple[tuple[int, int, int], ...]:
        """The breaks inside verbatim[start:end], counted from `start`: for a
        paragraph made of that piece of this one."""
        if not self.breaks:
            return ()
        return tuple((o - start, ln, c) for o, ln, c in self.breaks if start < o < end)

    def time_at(self, offset: int) -> float | None:
        """The start of the cue the character at `offset` belongs to; without
        cues, the paragraph's start for its first character only (never a guess)."""
        if not self.cues:
            return self.start if offset == 0 else None
        found = self.start
        for cue in self.cues:
            if cue.offset > offset:
                break
            found = cue.start
        return found

    def piece(self, start: int, end: int) -> Paragraph:
        """A new paragraph of verbatim[start:end] (trimmed), keeping where it is in
        the source, the line breaks and cues inside it, and its start time."""
        text = self.verbatim[start:end]
        lead = len(text) - len(text.lstrip())
        start, end = start + lead, start + len(text.rstrip())
        if not self.cues:
            return Paragraph(self.verbatim[start:end], self.position(start), start=self.time_at(start),
                             cut=self.cut, breaks=self.breaks_in(start, end))
        cues = tuple(Cue(c.offset - start, c.start, c.end) for c in self.cues if start <= c.offset < end)
        if not cues or cues[0].offset > 0:
            # The piece begins inside a cue: that cue's times carry over.
            inner = max((c for c in self.cues if c.offset <= start), key=lambda c: c.offset,
                        default=None)
            if inner is not None:
                cues = (Cue(0, inner.start, inner.end), *cues)
        return Paragraph(self.verbatim[start:end], self.position(start), start=self.time_at(start),
                         cut=self.cut, breaks=self.breaks_in(start, end), cues=cues)

    @staticmethod
    def joined(first: Paragraph, second: Paragraph) -> Paragraph:
        """Two paragraphs as one (a false turn change joined), keeping both sources."""
        joint = len(first.verbatim) + 1
        return Paragraph(
            f"{first.verbatim} {second.verbatim}", first.pos, start=first.start, cut=first.cut,
            breaks=(*first.breaks, (joint, second.pos.line, second.pos.col),
                    *((joint + o, ln, c) for o, ln, c in second.breaks)),
            cues=(*first.cues, *(Cue(joint + c.offset, c.start, c.end) for c in second.cues)),
        )

    @property
    def text(self) -> str:
        return "".join([s.text for s in self.spans])


def word_count(text: str) -> int:
    """`len(text.split())` without making the words: where the words are one
    space apart (text that is printable has no other whitespace), the spaces
    tell how many there are."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.count(" ") + 1 if text else 0
    return len(text.split())


@dataclass(slots=True)
class Turn:
    """One speaker's uninterrupted speech."""

    label: str
    """The speaker as the source names it: `Jacob Effron`, `SPEAKER_3`, `>>`,
    or empty for speech before the first turn mark."""
    pos: SourcePos
    paragraphs: list[Paragraph] = field(default_factory=list)
    start: float | None = None
    """Start time in seconds, when the source gives one."""
    speaker: str = ""
    """Key of the `Speaker` who says it; filled in by the attribute stage."""
    person: str = ""
    """A person id set by a turn fix (`speaker:`), which outranks the label."""

    @property
    def words(self) -> int:
        return sum([word_count(p.text) for p in self.paragraphs if not p.cut])


@dataclass(slots=True)
class Transcript:
    """One transcript file, parsed."""

    path: str
    """The file as the user named it (for messages)."""
    format: str
    """Which parser read it (see `formats.FORMATS`)."""
    turns: list[Turn]
    title: str = ""
    """A title the file itself gives (a Markdown `# heading` or front matter)."""
    date: dt.date | None = None
    """A date the file's front matter gives."""
    problems: list[SiteError] = field(default_factory=list)
    """Warnings and notes of reading it: a cue skipped because it cannot be read
    (the rest of the file still is), a time read though not written as its
    format says. They reach the build's report with the page's own warnings."""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who speaks, from `content/people.yaml`."""

    id: str
    name: str
    role: str = ""
    bio: str = ""
    """Markdown."""
    links: tuple[tuple[str, str], ...] = ()
    """(label, URL) pairs."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject that passages across transcripts are tagged with (`topics.yaml`)."""

    id: str
    title: str
    description: str = ""
    """Markdown."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """A voice on one page: a known person or a bare label shown as it is."""

    key: str
    """Stable key used for CSS colours and anchors on the page."""
    name: str
    role: str = ""
    color: int = 0
    """Index into the theme's palette, by order of first appearance."""
    person: str = ""
    """The person id, when the speaker is a known person."""


# Annotations: what a sidecar says, each piece with the position of its YAML node.


@dataclass(frozen=True, slots=True)
class Selector:
    """Where an annotation points: a quote (matched on normalised words) or a time."""

    pos: SourcePos
    quote: str = ""
    time: float | None = None
    occurrence: int = 0
    """Which match to take when the quote occurs more than once (1-based; 0: must be unique)."""
    source_line: str = ""
    """The YAML line it was written on, shown in error messages."""


@dataclass(frozen=True, slots=True)
class TurnFix:
    at: Selector
    speaker: str = ""
    """Person id: split the turn at the quote (or set the turn's speaker if it starts there)."""
    join: bool = False
    """Merge the turn that starts at the quote into the one before it."""


@dataclass(frozen=True, slots=True)
class Cut:
    start: Selector
    end: Selector | None
    """None: to the end of the transcript."""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Chapter:
    at: Selector
    title: str


@dataclass(frozen=True, slots=True)
class TopicSpan:
    topic: str
    start: Selector
    end: Selector | None
    """None: the paragraph of `start` only."""
    pos: SourcePos


@dataclass(slots=True)
class Note:
    at: Selector
    text: str
    """Markdown."""


@dataclass(frozen=True, slots=True)
class Media:
    """The recording timestamps link into."""

    youtube: str = ""
    audio: str = ""
    video: str = ""

    def url(self, root: str = "") -> str:
        """The audio or video file's address from a page `root` (`../../`) below
        the site root: a path in the site (`static/a.mp3`) is relative to it."""
        target = self.audio or self.video
        return target if target.startswith(("http://", "https://")) else root + target

    def at(self, seconds: float, root: str = "") -> str:
        """A URL that opens the recording at `seconds`."""
        s = int(seconds)
        if self.youtube:
            return f"https://www.youtube.com/watch?v={self.youtube}&t={s}s"
        return f"{self.url(root)}#t={s}"

    def __bool__(self) -> bool:
        return bool(self.youtube or self.audio or self.video)


@dataclass(frozen=True, slots=True)
class Meta:
    """What the sidecar YAML says about a transcript."""

    title: str = ""
    date: dt.date | None = None
    description: str = ""
    source: str = ""
    media: Media = Media()
    speakers: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    """Transcript label -> person id; `>>` -> the ids its turns alternate between."""
    speaker_pos: dict[str, SourcePos] = field(default_factory=dict)
    """Where each `speakers` label is written, for warnings."""
    correction_pos: dict[str, SourcePos] = field(default_factory=dict)
    """Where each of this transcript's corrections is written, for warnings."""
    turns: tuple[TurnFix, ...] = ()
    cuts: tuple[Cut, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    """(heard, meant) pairs, this transcript's own; the glossary adds site-wide ones."""
    chapters: tuple[Chapter, ...] = ()
    topics: tuple[TopicSpan, ...] = ()
    notes: tuple[Note, ...] = ()
    highlights: tuple[Selector, ...] = ()
    clean: CleanConfig = field(default_factory=CleanConfig)
    """The site's cleaning settings with this transcript's `clean:` over them."""
    draft: bool = False
    """Not ready: built while serving (and with --drafts), left out of a build."""


@dataclass(frozen=True, slots=True)
class Site:
    """The site-wide content files."""

    people: dict[str, Person] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    glossary: tuple[tuple[str, str], ...] = ()
    unread: frozenset[str] = frozenset()
    """Site-wide files that could not be read at all (their error is reported
    once; ids they would define are not reported again in every sidecar)."""


# The site model.


@dataclass(frozen=True, slots=True)
class Heading:
    """A chapter start, placed before the paragraph it anchors to."""

    id: str
    title: str
    start: float | None


@dataclass(frozen=True, slots=True)
class Block:
    """A run of one turn's paragraphs as the page shows it: a chapter heading
    that starts inside a turn splits the turn into two blocks."""

    turn: Turn
    index: int
    """The turn's index (its anchor is `t<index+1>`)."""
    paragraphs: list[tuple[int, Paragraph]]
    """(paragraph index, paragraph)."""
    heading: Heading | None = None
    """The chapter that starts with this block."""
    continued: bool = False
    """The turn began in an earlier block."""
    times: tuple[float | None, ...] = ()
    """The time shown beside each paragraph, or None: where the source gives one
    that is neither the turn's (beside the speaker's name) nor the paragraph
    before's (a long cue made into paragraphs gives them one start)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One speaker's words within a passage: never more than one speaker's."""

    speaker: Speaker
    text: str
    anchor: str
    """Fragment id of the paragraph it starts at."""
    start: float | None


@dataclass(frozen=True, slots=True)
class Passage:
    """A tagged or highlighted stretch of a transcript, as other pages cite it:
    a passage that crosses turns is an exchange, each part under its speaker."""

    page_slug: str
    page_title: str
    anchor: str
    """Fragment id of the paragraph it starts at."""
    parts: tuple[Part, ...]
    start: float | None
    order: tuple[int, int] = (0, 0)
    """(turn, paragraph) where it starts, to list passages in the order said."""
    share: str = ""
    """A highlight's own page (`quotes/<slug>/<n>/`), made to be shared."""
    words: int = 0
    """Words in the whole passage, shown or not..."""
    left_out: int = 0
    """...and how many of them the excerpt leaves out."""
    end: float | None = None
    """When the speech after the passage starts: with `start`, how long it lasts."""

    @property
    def seconds(self) -> float | None:
        """How long the passage lasts, when the transcript is timed."""
        if self.start is None or self.end is None or self.end <= self.start:
            return None
        return self.end - self.start

    @property
    def speakers(self) -> list[Speaker]:
        """Who speaks in it, each once, in order."""
        seen: dict[str, Speaker] = {}
        for part in self.parts:
            seen.setdefault(part.speaker.key, part.speaker)
        return list(seen.values())


@dataclass(slots=True)
class Page:
    """One transcript, ready to render."""

    slug: str
    title: str
    meta: Meta
    transcript: Transcript
    speakers: list[Speaker]
    """Every speaker in order of first appearance."""
    url: str
    """Path of the page relative to the site root, e.g. `slug/`."""
    blocks: list[Block] = field(default_factory=list)
    """The transcript as the page lays it out, chapter headings included."""
    chapters: list[Heading] = field(default_factory=list)
    topics: dict[str, list[Passage]] = field(default_factory=dict)
    """Topic id -> its passages on this page, in order."""
    highlights: list[Passage] = field(default_factory=list)
    words: int = 0
    """Words readers see."""
    minutes: int = 0
    """Spoken length in minutes: from the last timestamp when there is one."""
    read_minutes: int = 0
    changes: str = ""
    """What cleaning did, for readers: "212 fillers and repeats removed, 63 corrections"."""
    warnings: list[SiteError] = field(default_factory=list)
    """Things an editor may have got wrong that do not stop the build."""
    key: str = ""
    """A digest of everything the page was made from (see `make.source_key`): equal keys
    mean equal pages."""
    modified: float = 0.0
    """When the transcript's file last changed (seconds since the epoch), for
    sitemap.xml's lastmod when no date is given."""

    def speaker(self, key: str) -> Speaker:
        return next(s for s in self.speakers if s.key == key)


@dataclass(slots=True)
class SiteModel:
    """Everything the renderer needs, across all transcripts."""

    pages: list[Page]
    """Newest first, undated last, then by title."""
    people: dict[str, Person]
    topics: dict[str, Topic]
    topic_passages: dict[str, list[Passage]] = field(default_factory=dict)
    """Topic id -> passages across every page, in page order."""
    person_pages: dict[str, list[Page]] = field(default_factory=dict)
    """Person id -> the pages they speak on."""
    person_quotes: dict[str, list[Passage]] = field(default_factory=dict)
    """Person id -> their highlighted quotes."""
    drafts: int = 0
    """Transcripts marked `draft: true` left out of this build."""

"""The document model every format is parsed into, and the site model.

Dataclasses only. Each parsed piece keeps its `SourcePos` so later stages can
point an editor at the line a problem comes from, and each paragraph keeps its
verbatim text beside the cleaned one: cleaning never destroys information.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import SourcePos


@dataclass(slots=True)
class Paragraph:
    """A run of speech shown as one `<p>`."""

    verbatim: str
    """Exactly the source text of this paragraph (whitespace runs collapsed)."""
    pos: SourcePos
    """Where the paragraph starts in the transcript file."""
    text: str = ""
    """The cleaned text readers see; filled in by the clean stage."""
    start: float | None = None
    """Start time in seconds, when the source gives one."""


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

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


@dataclass(slots=True)
class Transcript:
    """One transcript file, parsed."""

    path: str
    """The file as the user named it (for messages)."""
    format: str
    """Which parser read it: `speaker-md`, `captions` or `colon`."""
    turns: list[Turn]


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who speaks, from `content/people.yaml`."""

    id: str
    name: str
    role: str = ""
    pos: SourcePos | None = None


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


@dataclass(frozen=True, slots=True)
class Meta:
    """What the sidecar YAML says about a transcript as a whole."""

    title: str = ""
    date: dt.date | None = None
    description: str = ""
    source: str = ""
    speakers: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    """Transcript label -> person id; `>>` -> the ids its turns alternate between."""
    pos: SourcePos | None = None


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
    words: int = 0
    """Words readers see."""
    minutes: int = 0
    """Spoken length in minutes: from the last timestamp when there is one."""
    read_minutes: int = 0
    version: int = 0
    """Distinct for every page `make_page` produces: equal versions mean equal
    pages, so the renderer can reuse what it rendered from a cached page."""

    def speaker(self, key: str) -> Speaker:
        return next(s for s in self.speakers if s.key == key)


@dataclass(slots=True)
class SiteModel:
    """Everything the renderer needs, across all transcripts."""

    pages: list[Page]
    """Newest first, undated last, then by title."""
    people: dict[str, Person]

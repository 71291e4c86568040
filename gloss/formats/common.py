"""Pieces every parser shares: timestamps, building turns line by line, and
turning timed cues (captions, segments, labelled lines) into turns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import SourcePos
from ..model import Cue, Paragraph, Turn

TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
"""A timestamp as transcripts write it: `m:ss`, `mm:ss`, `h:mm:ss`, optional fraction."""


CLOSING = re.compile(r"[.,;:!?…)\]}”’»%]+")
"""Punctuation that belongs to the word before it."""

MAX_SECONDS = 10**9
"""Thirty years: a time past it (`Infinity`, `1e400`, hours of 400 digits) is no
time at all."""

SECONDS_PER_WORD = 0.4
"""Speech runs at about 150 words a minute: how long words without times take."""


def seconds(stamp: str) -> float:
    """`1:02:03.5` -> 3723.5 (to the microsecond: no `77.03999999999999`)."""
    total = 0.0
    for part in stamp.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return round(total, 6)


def clock(seconds: float | None) -> str:
    """3723 -> `1:02:03`, 87 -> `1:27`: a time as transcripts write it."""
    if seconds is None:
        return ""
    h, m, s = hms(seconds)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def span_length(seconds: float) -> str:
    """How long a passage lasts, as a reader says it: `45 s`, `2 min`, `1 h 5 min`."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def hms(seconds: float) -> tuple[int, int, int]:
    s = int(seconds)
    return s // 3600, s % 3600 // 60, s % 60


def squash(text: str) -> str:
    """Collapse whitespace runs (a line break, U+2028, a tab) to one space: so
    verbatim text compares as readers see it, and a speaker's name is one line
    wherever it lands (in caption files and Markdown a line break would start a
    cue or a turn of its own)."""
    return " ".join(text.split())


def add_paragraph(turn: Turn, text: str, path: str, line: int, col: int,
                  breaks: tuple[tuple[int, int, int], ...] = ()) -> None:
    """Append `text` as a paragraph of `turn` when it has any words."""
    if text.strip():
        lead = len(text) - len(text.lstrip())
        turn.paragraphs.append(Paragraph(squash(text), SourcePos(path, line, col + lead),
                                         breaks=breaks))


def add_lines(turn: Turn, pending: list[tuple[str, int, int]], path: str) -> None:
    """Append `pending` (text, line, column) lines as one paragraph of `turn` that
    remembers where each line began, when they hold any words."""
    if len(pending) == 1:
        text, line, col = pending[0]
        add_paragraph(turn, text, path, line, col)
        return
    breaks, at = [], 0
    for k, (piece, line, col) in enumerate(pending):
        if k:
            breaks.append((at, line, col + len(piece) - len(piece.lstrip())))
        at += len(squash(piece)) + 1
    if pending:
        _, line, col = pending[0]
        add_paragraph(turn, " ".join(p for p, _, _ in pending), path, line, col, tuple(breaks))


def finish(turns: list[Turn]) -> list[Turn]:
    """Drop turns with no speech (a header followed by nothing carries no text to
    lose) and give each turn's first paragraph the turn's start time."""
    kept = [t for t in turns if t.paragraphs]
    for t in kept:
        if t.paragraphs[0].start is None:
            t.paragraphs[0].start = t.start
    return kept


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


# Cues: the unit of captions and ASR output.


Words = tuple[tuple[str, float | None, float | None], ...]
"""Each word of a cue with its own start and end, where the source times words."""


@dataclass(slots=True)
class SourceCue:
    """One caption, segment or labelled line, before cues become turns."""

    label: str
    """The speaker as the source names it; `>>` for an unnamed change of speaker;
    empty when the source does not say."""
    lines: list[tuple[str, int, int]] = field(default_factory=list)
    """The cue's text, as (text, line, column) pieces in source order."""
    start: float | None = None
    end: float | None = None
    new_paragraph: bool = False
    """Begin a paragraph of its own even when the speaker goes on (a new block
    of an Otter export, a line of prose after a `Name:` line)."""
    continues: bool = False
    """No speaker of its own: the speaker before goes on."""
    label_at: tuple[int, int] | None = None
    """(line, column) of the label, when the source writes one before the text."""
    new_turn: bool = False
    """The source starts a turn here even if the label is the one before: two
    blocks of `Unknown Speaker` may be two people (see `generic`)."""
    words: Words = ()
    """Each word of the cue's text with its own times, in order, where the
    source gives them (WhisperX `words`): they become cues of their own, so the
    spoken word can be followed and captions cut at the right moment."""


def assemble(path: str, cues: list[SourceCue]) -> list[Turn]:
    """Cues become turns: consecutive cues of one speaker are one turn, and their
    texts run on as one paragraph (a caption that breaks mid-sentence never
    splits a sentence), remembering where each cue began and its times. The
    clean stage later starts paragraphs at long pauses and past a length."""
    turns: list[Turn] = []
    pieces: list[tuple[str, int, int, float | None, float | None, bool, Words]] = []

    def flush() -> None:
        if not pieces:
            return
        parts: list[str] = []
        breaks, marks, length = [], [], 0
        for k, (piece, line, col, start, end, first, timed) in enumerate(pieces):
            words = squash(piece)
            glue = " " if parts else ""
            at = length + len(glue)
            if k:
                breaks.append((at, line, col + len(piece) - len(piece.lstrip())))
            if first:
                each = _word_cues(words, at, timed)
                if not each or each[0].offset != at:
                    marks.append(Cue(at, start, end))
                marks += each
            parts += (glue, words)
            length = at + len(words)
        text = "".join(parts)
        _, line, col, *_ = pieces[0]
        lead = len(pieces[0][0]) - len(pieces[0][0].lstrip())
        has_times = any(m.start is not None for m in marks)
        turns[-1].paragraphs.append(Paragraph(
            text, SourcePos(path, line, col + lead), start=marks[0].start if marks else None,
            breaks=tuple(breaks), cues=tuple(marks) if has_times else ()))
        pieces.clear()

    for cue in cues:
        lines = [(t, ln, c) for t, ln, c in cue.lines if t.strip()]
        if not lines:
            continue
        label = turns[-1].label if cue.continues and turns else squash(cue.label)
        if not turns or label != turns[-1].label or (label == ">>" and not cue.continues) \
                or cue.new_turn:
            flush()
            text, line, col = lines[0]
            line, col = cue.label_at or (line, col + len(text) - len(text.lstrip()))
            turns.append(Turn(label, SourcePos(path, line, col), start=cue.start))
        elif cue.new_paragraph:
            flush()
        for k, (text, line, col) in enumerate(lines):
            pieces.append((text, line, col, cue.start, cue.end, k == 0, cue.words))
    flush()
    return finish(turns)


def _word_cues(text: str, at: int, words: Words) -> list[Cue]:
    """A cue for each timed word, found in order in `text` (the cue's text, at
    offset `at` of its paragraph); a word not found there, or without a start,
    gets none and belongs to the word before."""
    out: list[Cue] = []
    pos = 0
    for word, start, end in words:
        word = word.strip()
        found = text.find(word, pos) if word else -1
        if found < 0:
            continue
        pos = found + len(word)
        if start is not None and (not out or start >= (out[-1].start or 0)):
            out.append(Cue(at + found, start, end))
    return out


NAME = r"[^\W\d_][\w.'’()\[\]@&+-]*(?: [\w.'’()\[\]@&+-]+){0,5}"
"""A speaker label as exports write them: up to six words of letters, digits and
`.'’()[]@&+-`, starting with a letter: `Ann`, `Dr. Chen`, `Ashlee Kupor (SL)`,
`Saurabh Swaroop’s iPad`, `pulla sai durga prasad`, `SPEAKER_00`."""

SPEAKER_PREFIX = re.compile(
    r"^\s*(?:(?P<mark>>>|-)\s+|\[(?P<bracket>(?:[^\[\]\n]|\[[^\[\]\n]*\]){1,100})\]\s*:\s*|"
    r"\[(?P<diarized>(?i:speaker)[ _-]?\d+)\]\s+|"
    rf"(?P<name>{NAME})\s*:(?:\s+|$))"
)
"""How captions name a speaker inside the text: `>> ` or a dialogue dash `- `
(a change of speaker, unnamed), `[SPEAKER_00]: `, `[Ann]: ` and `Name: `."""


def speaker_prefix(text: str) -> tuple[str | None, int, bool]:
    """The speaker a caption line names at its start (`>>` for an unnamed
    change), where the speech begins, and whether it is the bare `Name:` form,
    which the caller accepts only for names that look like names or recur;
    (None, 0, False) when the line names no one."""
    m = SPEAKER_PREFIX.match(text)
    if not m:
        return None, 0, False
    if m["mark"]:
        return ">>", m.end(), False
    label = m["bracket"] or m["diarized"]
    if label:
        return label.strip(), m.end(), False
    return m["name"].strip(), m.end(), True


PARTICLES = frozenset({"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "del",
                       "bin", "al", "el", "ibn", "ter", "of"})


OPENERS = frozenset({
    "so", "well", "yes", "no", "now", "then", "note", "answer", "question", "and", "but", "or",
    "the", "ok", "okay", "here", "there", "this", "that", "why", "what", "how", "first",
    "second", "finally", "update", "example", "also", "however", "result", "summary", "warning",
    "tip", "edit", "ps", "nb", "remember", "lesson", "step", "rule", "fact", "quote", "source",
    "subtitles", "subtitle", "captions", "caption", "transcript", "transcription", "transcribed",
    "translation", "translated", "sync", "synced", "credits", "music", "lyrics",
})
"""Single capitalised words that open a sentence before a colon more often than
they name a speaker ("So: yes."), or credit a file's makers ("Subtitles:
@someone"); they count as labels only if they recur."""


def name_like(label: str) -> bool:
    """Whether a label has the shape of a name: every word capitalised (a
    particle such as `van` aside), or a script without case, or `SPEAKER_3`."""
    words = label.split()
    if not words or (len(words) == 1 and words[0].lower() in OPENERS):
        return False
    return all(not w[0].islower() or w in PARTICLES for w in words) and words[0] not in PARTICLES


def count_labels(texts: Iterable[str]) -> set[str]:
    """The bare `Name:` labels at the start of these cues or lines that name a
    speaker: any that recurs (exports write every speaker's label on each of
    their cues, whatever its case or shape), once-only ones that look like a
    name, and, where most cues open with a label (Zoom labels every cue), any
    that is not a word that opens sentences (`shruthi:` who speaks once). Prose
    with a colon ("The answer is simple: it works.") says none of these."""
    seen: dict[str, int] = {}
    total = 0
    for text in texts:
        total += 1
        named, _, bare = speaker_prefix(text)
        if named is not None and bare:
            seen[named] = seen.get(named, 0) + 1
    labelled = total >= 4 and 2 * sum(seen.values()) >= total and any(c > 1 for c in seen.values())
    return {name for name, count in seen.items()
            if count > 1 or name_like(name) or (labelled and name.lower() not in OPENERS)}


def take_label(text: str, labels: set[str]) -> tuple[str | None, int]:
    """The speaker `text` starts with, if it names one (see `count_labels`), and
    where its speech begins."""
    named, offset, bare = speaker_prefix(text)
    if named is None or (bare and named not in labels):
        return None, 0
    return named, offset


GENERIC = re.compile(r"(?i)(?:unknown|unidentified)(?:[ _-]?speaker)?(?:[ _-]?\d+)?|"
                     r"(?:speaker|spk)(?:[ _-]?\d+)?|unknownchannel\d*")
"""Labels that say nobody was recognised (`Unknown Speaker`, `Speaker 1`,
`SPEAKER_00`): two turns under one of them may be two people, so they are never
merged into one turn where the source kept them apart."""


def generic(label: str) -> bool:
    return bool(GENERIC.fullmatch(label.strip()))

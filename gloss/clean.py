"""Cleaning: an ordered list of small steps over a parsed transcript.

Each step takes and returns a `Transcript`. Nothing is deleted: a paragraph's
spans keep every verbatim character beside what readers see, so the page can
show the verbatim text and annotations anchor to it. Steps: fold away vendor
boilerplate, split long turns into paragraphs, drop fillers and stutters
(`disfluency`), apply corrections. Each can be switched off in `clean:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import disfluency
from .config import CleanConfig
from .formats.common import SECONDS_PER_WORD
from .model import Paragraph, Span, Transcript, Turn

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")


def sentences(text: str) -> list[str]:
    """Split at sentence ends; keeps the punctuation with its sentence."""
    out: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        out.append(text[start : m.start()] + text[m.start() : m.end()].rstrip())
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s]


BREAK_BEFORE = re.compile(r"(?<=,)\s|\s(?=(?:so|and|but|because|which|then)\s)", re.I)
"""Where a run-on sentence may be broken: after a comma or before a conjunction."""


def _break_long(sentence: str, limit: int) -> list[str]:
    """A run-on sentence half again over the limit (common in captions, which
    have little punctuation) is broken at the clause boundary nearest its middle."""
    if len(sentence.split()) <= limit * 3 // 2:
        return [sentence]
    middle = len(sentence) // 2
    cuts = [m.start() for m in BREAK_BEFORE.finditer(sentence)]
    if not cuts:
        return [sentence]
    cut = min(cuts, key=lambda i: abs(i - middle))
    return _break_long(sentence[:cut], limit) + _break_long(sentence[cut:].lstrip(), limit)


def split_paragraph(text: str, limit: int) -> list[str]:
    """Group sentences into paragraphs of at most about `limit` words."""
    if len(text.split()) <= limit:
        return [text]
    pieces = [p for s in sentences(text) for p in _break_long(s, limit)]
    groups: list[list[str]] = [[]]
    count = 0
    for piece in pieces:
        n = len(piece.split())
        if groups[-1] and count >= limit // 2 and count + n > limit:
            groups.append([])
            count = 0
        groups[-1].append(piece)
        count += n
    return [" ".join(g) for g in groups if g]


def _pause_ranges(para: Paragraph, pause: float) -> list[tuple[int, int]]:
    """The paragraph's ranges between long pauses: a new paragraph starts at a cue
    that begins `pause` seconds or more after the one before ended, where a
    sentence has ended (or the text has no sentence punctuation at all, as raw
    captions do), so a pause mid-sentence never cuts a sentence in two."""
    text = para.verbatim
    if len(para.cues) < 2:
        return [(0, len(text))]
    unpunctuated = not SENTENCE_END.search(text + " ")
    cuts = [0]
    for before, cue in zip(para.cues, para.cues[1:], strict=False):
        if before.start is None or cue.start is None:
            continue
        # A cue without an end (a timed line) takes about as long as its words.
        said = text[before.offset : cue.offset].split()
        end = before.end if before.end is not None else before.start + len(said) * SECONDS_PER_WORD
        if cue.start - end < pause:
            continue
        if unpunctuated or re.search(r"[.!?…][\"”’)]*$", text[: cue.offset].rstrip()):
            cuts.append(cue.offset)
    return list(zip(cuts, [*cuts[1:], len(text)], strict=True))


def _split_turn(turn: Turn, limit: int, pause: float) -> list[Paragraph]:
    out: list[Paragraph] = []
    for para in turn.paragraphs:
        for a, b in _pause_ranges(para, pause):
            offset = a
            for piece in split_paragraph(para.verbatim[a:b], limit):
                at = para.verbatim.index(piece, offset)
                offset = at + len(piece)
                out.append(para.piece(at, at + len(piece)))
    return out


@dataclass(frozen=True, slots=True)
class Options:
    """What the cleaning steps need besides the transcript."""

    config: CleanConfig = field(default_factory=CleanConfig)
    corrections: tuple[tuple[str, str], ...] = ()
    """(heard, meant): the glossary's, then the transcript's own (which win)."""
    language: str = "en"
    """The site's language: the filler and stutter rules are English ones ("er"
    and "um" are words in German and Portuguese), so they apply only to `en`."""


def paragraphs(transcript: Transcript, opts: Options) -> Transcript:
    """Split very long turns so no paragraph is a wall of text, and start a new
    paragraph at a long pause in timed cues."""
    limit, pause = opts.config.paragraph_words, opts.config.paragraph_pause
    turns = [replace(t, paragraphs=_split_turn(t, limit, pause)) for t in transcript.turns]
    return replace(transcript, turns=turns)


def correction_pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One regex for every heard form, longest first, whole words only.

    A heard form written all in lowercase matches any case (`codeex` also
    finds `Codeex`); one with capitals matches exactly as written."""
    meant = dict(pairs)
    if not meant:
        return None
    alternatives = []
    for heard in sorted(meant, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in heard.split())
        alternatives.append(f"(?i:{body})" if heard == heard.lower() else body)
    pattern = re.compile(r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?!\w|\.\w|['’](?!s\b))")
    return pattern, meant


def _correct(para: Paragraph, pattern: re.Pattern[str], meant: dict[str, str]) -> None:
    """Replace heard forms in each run of plain and capitalised spans (a word that
    a removed filler capitalised is still found: "Um, codeex" -> "Codex")."""
    spans: list[Span] = []
    run: list[Span] = []
    for span in [*para.spans, Span("", "", "end")]:
        if span.kind in ("", "case"):
            run.append(span)
            continue
        spans += _correct_run(run, pattern, meant)
        run = []
        if span.kind != "end":
            spans.append(span)
    para.spans = spans


def _correct_run(run: list[Span], pattern: re.Pattern[str], meant: dict[str, str]) -> list[Span]:
    verbatim = "".join(s.verbatim for s in run)
    starts, at = [], 0
    for s in run:
        starts.append(at)
        at += len(s.verbatim)
    capital = {starts[k] for k, s in enumerate(run) if s.kind == "case"}
    out: list[Span] = []
    done = 0

    def keep(upto: int) -> None:
        """The run's own spans between `done` and `upto`, plain ones cut to fit."""
        for k, s in enumerate(run):
            a, b = max(starts[k], done), min(starts[k] + len(s.verbatim), upto)
            if a >= b:
                continue
            if s.kind:
                out.append(s)
            else:
                piece = s.verbatim[a - starts[k] : b - starts[k]]
                out.append(Span(piece, piece))

    for m in pattern.finditer(verbatim):
        heard = m.group()
        key = " ".join(heard.split())
        fix = meant.get(key) or meant.get(key.lower())
        if fix is None or fix == heard:
            continue
        keep(m.start())
        if m.start() in capital and fix[:1].islower():
            fix = fix[:1].upper() + fix[1:]
        out.append(Span(heard, fix, "fix", f"heard: {heard}"))
        done = m.end()
    keep(len(verbatim))
    return out


def corrections(transcript: Transcript, opts: Options) -> Transcript:
    """Misheard names and terms, replaced as whole words; the heard form is kept."""
    if not opts.config.on("corrections"):
        return transcript
    compiled = correction_pattern(opts.corrections)
    if compiled:
        for turn in transcript.turns:
            for para in turn.paragraphs:
                _correct(para, *compiled)
    return transcript


NOTES = {"filler": "filler", "repeat": "repeated word", "case": "capital after a removed filler",
         "discourse": "discourse marker", "restart": "restart", "capital": "capital after a removed word",
         "turn": "capital at the start of a turn"}


def _spans(text: str, edits: list[disfluency.Edit]) -> list[Span]:
    spans: list[Span] = []
    at = 0
    for e in edits:
        if e.start < at:
            continue
        if e.start > at:
            spans.append(Span(text[at : e.start], text[at : e.start]))
        kind = "case" if e.replacement else "drop"
        spans.append(Span(text[e.start : e.end], e.replacement, kind, NOTES[e.kind]))
        at = e.end
    if at < len(text):
        spans.append(Span(text[at:], text[at:]))
    return spans


def disfluencies(transcript: Transcript, opts: Options) -> Transcript:
    """Fillers and stutters (and at the `edited` level discourse markers and
    restarts) become `drop` spans: hidden when reading, shown verbatim."""
    english = opts.language.lower().split("-")[0] == "en"
    fillers = english and opts.config.on("fillers")
    stutters = english and opts.config.on("stutters")
    edited = english and opts.config.level == "edited"
    if not (fillers or stutters or edited):
        return transcript
    for turn in transcript.turns:
        for para in turn.paragraphs:
            if para.cut or len(para.spans) != 1 or para.spans[0].kind:
                continue
            edits = disfluency.find_edits(para.verbatim, fillers=fillers, stutters=stutters, edited=edited)
            if edits:
                para.spans = _spans(para.verbatim, edits)
    return transcript


VENDOR = re.compile(
    r"(?i)^\d+ more minutes? of (the )?transcript|^curl\s+-|x-api-key|^https?://\S+\s*\\?$"
)
"""Lines no one says aloud: a transcript vendor's cut-off note, a curl command, a bare URL."""
ADVERT = re.compile(
    r"(?i)^try it (now|free)\b|\bper transcript\b|no subscription|credits never expire|"
    r"^works with\b.*\b(agents?|claude|chatgpt|cursor)\b|^using your own key|\bapi[ -]key\b"
)
"""Advertising lines that go with them; alone they could be speech."""
EXCERPT = re.compile(r"(?i)^\d+ more minutes? of (the )?transcript")
FOOTER = re.compile(r"(?i)transcribed by https?://otter\.ai/?")
"""Otter's footer, a paragraph of its own; where an export was pasted twice it
stands mid-file."""


def boilerplate(transcript: Transcript, opts: Options) -> Transcript:
    """A vendor's trailer (\"57 more minutes of transcript below\", API adverts) is
    not speech: the run of such paragraphs at the very end is folded away and
    the page says why, rather than dropping it silently."""
    if not opts.config.on("boilerplate"):
        return transcript
    for turn in transcript.turns:
        for para in turn.paragraphs:
            if not para.cut and FOOTER.fullmatch(para.verbatim.strip()):
                para.cut = "the transcription service's footer, not speech"
    run: list[Paragraph] = []
    for turn in reversed(transcript.turns):
        for para in reversed(turn.paragraphs):
            text = para.verbatim.strip()
            if para.cut or not (VENDOR.search(text) or ADVERT.search(text)):
                break
            run.append(para)
        else:
            continue
        break
    # Fold from the first line no one would say (the vendor's note comes before
    # its adverts); "just sign up and grab an API key" said before it stays.
    run.reverse()
    first = next((k for k, p in enumerate(run) if VENDOR.search(p.verbatim.strip())), None)
    if first is None:
        return transcript
    run = run[first:]
    excerpt = any(EXCERPT.search(p.verbatim.strip()) for p in run)
    reason = ("excerpt: the source transcript stops here; the rest is the transcript vendor's "
              "note and advertisement, not speech" if excerpt
              else "the transcript vendor's advertisement, not speech")
    for para in run:
        para.cut = reason
    return transcript


FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def capitals(transcript: Transcript, opts: Options) -> Transcript:
    """A turn opens with a capital, as a reader expects: raw captions are all
    lowercase, and a turn fix splits a sentence where a new speaker cuts in
    ("so you're saying"). Only a word written all in lowercase changes (never
    "iPhone"), and never in the first turn, which may start mid-sentence (an
    excerpt); the verbatim switch shows it as it was."""
    if opts.config.level == "verbatim":
        return transcript
    for turn in transcript.turns[1:]:
        para = next((p for p in turn.paragraphs if not p.cut), None)
        if para is None:
            continue
        k = next((k for k, span in enumerate(para.spans) if span.text.strip()), None)
        if k is None or para.spans[k].kind:
            continue  # a correction or a capital already shows the first word
        text = para.spans[k].text
        word = FIRST_WORD.search(text)
        if not word or not word.group().islower() or text[: word.start()].strip():
            continue
        a = word.start()
        para.spans[k : k + 1] = [s for s in (
            Span(text[:a], text[:a]),
            Span(text[a], text[a].upper(), "case", NOTES["turn"]),
            Span(text[a + 1 :], text[a + 1 :]),
        ) if s.verbatim]
    return transcript


Step = Callable[[Transcript, Options], Transcript]

STEPS: list[tuple[str, Step]] = [
    ("boilerplate", boilerplate),
    ("paragraphs", paragraphs),
    ("disfluencies", disfluencies),
    ("corrections", corrections),
    ("capitals", capitals),
]


def clean(transcript: Transcript, opts: Options) -> Transcript:
    """Run every cleaning step in order."""
    for _name, step in STEPS:
        transcript = step(transcript, opts)
    return transcript

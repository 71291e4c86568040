"""What goes in each caption of a transcript's downloads: its text and its times.

A paragraph joined from timed cues (captions, ASR segments) keeps each cue's
start and end, mapped onto the cleaned text by verbatim offsets
(`cue_texts`), and short cues are joined into captions of at most two
42-character lines (`captions`, `wrap`). Then every caption is held to what a
player can show (`_within_limits`): one speaker, two lines, seven seconds; a
longer one (a paragraph with only a start, from `**Name** (m:ss)` turns, or a
long segment, or speech without a time of its own) is cut at sentence and
clause ends and the span the source times is shared out by characters: the
only times not the source's, estimated within it. The last caption, when the
source gives no end, lasts as long as its words take to say. No caption line
after the first reads as a speaker mark, a timing or punctuation alone. How
lines are filled and long text cut is in caption_lines.py; the file formats
that write these captions are in exports.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, compress, groupby, repeat
from operator import itemgetter, lt
from typing import NamedTuple

from .caption_lines import CLOSING_FIRST, LINES, chunks, fill, line_end, no_false_starts, other_space
from .caption_lines import LINE as LINE
from .caption_lines import squash as squash_text
from .caption_lines import wrap as wrap
from .formats.common import CLOSING, SECONDS_PER_WORD, squash
from .model import Page, Paragraph, Turn

PAUSE = 1.0
"""Seconds of silence between two cues that keeps them in captions of their own."""
LONGEST = 7.0
"""Seconds a caption stays on screen at most (broadcasters' subtitling rules)..."""
SHORTEST = 1.0
"""...and at least, where the next caption leaves room."""



class Piece(NamedTuple):
    """A stretch of cleaned speech with the times the source gives it (a
    tuple: a transcript has one a timed word, made fast)."""

    speaker: str
    text: str
    start: float | None
    end: float | None
    paragraph: int
    """Running index of its paragraph: captions never join two paragraphs."""


class Caption(NamedTuple):
    """A cue of the WebVTT and SRT exports (and a segment of the JSON one)."""

    start: float
    end: float
    speaker: str
    text: str
    lines: list[str]
    """The words wrapped to the lines every format shows."""


new_piece: Callable[[tuple[str, str, float | None, float | None, int]], Piece] = \
    partial(tuple.__new__, Piece)
new_caption: Callable[[tuple[float, float, str, str, list[str]]], Caption] = \
    partial(tuple.__new__, Caption)
"""A `Piece` or a `Caption` from a tuple of its fields, made in C (`_make`
without its check of the length; a word-timed transcript has a piece a word)."""


@dataclass(slots=True)
class Joined:
    """Timed pieces joined into one caption, before it is held to what a
    player can show (`_within_limits`)."""

    start: float
    end: float | None
    pieces: list[Piece]


def cue_marks(para: Paragraph) -> str:
    """The paragraph's source cues (a caption, a segment, or a word where the
    source times words) for the page's player to follow, compactly: for each,
    its offset in the verbatim text and its start in hundredths of a second,
    each written as the difference from the one before (the first's start from
    the paragraph's): "0,0 8,31 3,12". Empty where there is one cue or none:
    the paragraph's own time says it all."""
    if len(para.cues) < 2:
        return ""
    out = []
    offset = 0
    time = round((para.start or 0.0) * 100)
    for cue in para.cues:
        if cue.start is None:
            continue
        start = round(cue.start * 100)
        out.append(f"{cue.offset - offset},{start - time}")
        offset, time = cue.offset, start
    return " ".join(out) if len(out) > 1 else ""


# From the page to timed pieces of cleaned text.


def cue_texts(para: Paragraph) -> list[tuple[float | None, float | None, str]]:
    """The cleaned text of each of the paragraph's source cues, with the cue's
    times. Unchanged text is divided at the cues' verbatim offsets; a removed,
    corrected or recapitalised stretch goes whole to the cue it begins in, so a
    correction that spans two captions is never torn apart."""
    return list(zip([c.start for c in para.cues], [c.end for c in para.cues], _cue_texts(para), strict=True))


def _cue_texts(para: Paragraph) -> list[str]:
    """`cue_texts` without the times: a text a cue."""
    bounds = [c.offset for c in para.cues]
    count = len(bounds)
    texts = [""] * count
    rising = all(map(lt, bounds, bounds[1:]))
    at = 0
    for span in para.spans:
        begin, at = at, at + len(span.verbatim)
        text = span.text
        first = max(0, bisect_right(bounds, begin) - 1)
        if span.kind or text != span.verbatim:
            texts[first] += text
            continue
        if rising:
            # Cues whose offsets rise (as sources give them): the span's part
            # up to the next cue goes to the one it begins in, and each cue
            # starting within it (none has text yet) gets its own part, cut
            # at once rather than looked up cue by cue.
            inner = bounds[first + 1 : max(first + 1, bisect_left(bounds, at))]
            cuts = [b - begin for b in inner]
            texts[first] += text[: cuts[0]] if cuts else text
            if cuts:
                texts[first + 1 : first + 1 + len(cuts)] = [
                    text[a:b] for a, b in zip(cuts, [*cuts[1:], at - begin], strict=True)]
            continue
        pos = begin
        while pos < at:
            k = max(0, bisect_right(bounds, pos) - 1)
            stop = min(at, bounds[k + 1]) if k + 1 < count else at
            texts[k] += text[pos - begin : stop - begin] if pos > begin or stop < at else text
            pos = stop
    # Looked at all at once (a word-timed paragraph has a cue a word): whether
    # any cue's text opens with punctuation to move, and whether stripping
    # each squashes it (no whitespace but single spaces in any).
    joined = "\0".join(texts)
    if OPENS_CLOSING.search(joined):
        _reattach(texts)
        joined = "\0".join(texts)
    said = list(map(str.strip, texts)) if "  " not in joined and not other_space(joined) \
        else [" ".join(t.split()) for t in texts]
    return said


OPENS_CLOSING = re.compile("(?:^|\0)[.,;:!?…)\\]}”’»%]")
"""A text opening with `CLOSING` punctuation, among texts joined by NULs."""


def _reattach(texts: list[str]) -> None:
    """Punctuation a cue's text opens with, written against the word before it
    in the cleaned paragraph (the repeat or filler between them removed), goes
    back to that word's cue: `for now` | `. So` is `for now.` | `So`, and a
    removed `Ah.` leaves no caption of its own reading `.`."""
    # Only a text opening with punctuation moves any: each looks back for the
    # last text before it with words (as it is by then).
    for k in [k for k, text in enumerate(texts) if text[:1] in CLOSING_FIRST]:
        text = texts[k]
        m = CLOSING.match(text)
        last = k - 1
        while last >= 0 and not texts[last].strip():
            last -= 1
        if m and last >= 0 and not texts[last][-1:].isspace():
            texts[last] += m.group()
            texts[k] = text[m.end():]


Shown = list[tuple[Turn, str, list[tuple[int, Paragraph, str]]]]
"""The turns readers see, each with its speaker's name as the exports write
it and its shown paragraphs: (index in the turn, paragraph, its text squashed)."""


def shown(page: Page) -> Shown:
    """Every turn with words shown (cut paragraphs and paragraphs with no words
    left out): what `timed`, `pieces` and `exports.turns` read, read once."""
    out: Shown = []
    names: dict[str, str] = {}
    for turn in page.transcript.turns:
        paras = []
        for k, para in enumerate(turn.paragraphs):
            if not para.cut:
                text = squash_text(para.text)
                if text:
                    paras.append((k, para, text))
        if paras:
            name = names.get(turn.speaker)
            if name is None:
                name = names[turn.speaker] = squash(page.speaker(turn.speaker).name)
            out.append((turn, name, paras))
    return out


def pieces(page: Page, view: Shown | None = None) -> list[Piece]:
    """Every shown paragraph as timed pieces: one per source cue where it has
    cues, else one piece with the paragraph's start (or none). `view`: the
    page's `shown`, when the caller has it."""
    out: list[Piece] = []
    index = 0
    for turn, name, paras in shown(page) if view is None else view:
        for k, para, text in paras:
            index += 1
            if para.cues:
                # A piece a cue with text left, made in C (a word-timed source
                # has a cue a word).
                said = _cue_texts(para)
                out += map(new_piece, compress(zip(repeat(name), said, [c.start for c in para.cues],
                                                   [c.end for c in para.cues], repeat(index)), said))
            else:
                start = turn.start if k == 0 and para.start is None else para.start
                out.append(Piece(name, text, start, None, index))
    return out


def timed(page: Page, view: Shown | None = None) -> bool:
    """Whether the source's times can place captions: at least half the turns
    start with a time. Times every few minutes (the Changelog's `[04:33]`)
    would make captions minutes long, each holding many speakers; such a
    transcript is offered, like one with no times, as the Podcasting 2.0 HTML
    the namespace gives for transcripts with limited times. `view`: the
    page's `shown`, when the caller has it."""
    turns_shown = timed_turns = 0
    for turn, _, paras in shown(page) if view is None else view:
        k, para, _ = paras[0]
        start = para.cues[0].start if para.cues else (turn.start if k == 0 and para.start is None
                                                       else para.start)
        turns_shown += 1
        timed_turns += start is not None
    return turns_shown > 0 and timed_turns * 2 >= turns_shown


# Captions.


def _sentence_end(text: str) -> bool:
    """`SENTENCE_END` searched for in a text with no line break: its last
    character but closing quotes and brackets ends a sentence."""
    bare = text.rstrip("\"”’)")
    return bool(bare) and bare[-1] in ".!?…"


def captions(page: Page, has_times: bool | None = None, said: list[Piece] | None = None) -> list[Caption]:
    """Timed pieces joined into captions, then held to what a player can show
    (`_within_limits`). Consecutive cues of one paragraph share a caption while
    it fits two lines (preferring to end one at a sentence end, and never
    across a pause); speech without a time of its own goes on from the caption
    before (speech before the first time takes the time its words need to say,
    up to the first). Ends: the source's, cut back to the next caption's start
    where they overlap; where the source gives none, the next caption's start,
    and for the last caption the time its words take to say. Empty when the
    times cannot place captions (`timed`, or `has_times` when the caller has
    asked it already). `said`: the page's `pieces`, when the caller has them."""
    out: list[Joined] = []
    if not (timed(page) if has_times is None else has_times):
        return []
    lead: list[Piece] = []
    last: Joined | None = None
    text = ""  # the last caption's pieces' text, joined as it grows
    prior = ""  # who speaks last in the caption before it
    for piece in pieces(page) if said is None else said:
        if piece.start is None:
            if last is None:
                lead.append(piece)
            else:
                last.pieces.append(piece)
                text += " " + piece.text
                last.end = None  # it now runs on to the next time the source gives
            continue
        if last is not None and last.end is not None:
            # Whether the piece goes on the last caption: the same paragraph
            # and speaker, no pause, no sentence ended a line's length in, and
            # two lines hold both (written out: this runs once a cue, and a
            # word-timed source has a cue a word). `text` is single-spaced
            # (each piece's text is, as `pieces` makes it), so the two joined
            # are filled without squashing them again.
            before = last.pieces[-1]
            if before.paragraph == piece.paragraph and before.speaker == piece.speaker \
                    and not piece.start - last.end >= PAUSE \
                    and not (len(text) >= LINE and _sentence_end(text)):
                joined = f"{text} {piece.text}"
                first = LINE - _label_room(piece.speaker, prior)
                if len(joined) <= first or _two_lines(joined, first):
                    last.pieces.append(piece)
                    text = joined
                    last.end = piece.end
                    continue
        prior = last.pieces[-1].speaker if last is not None else ""
        last = Joined(piece.start, piece.end, [piece])
        out.append(last)
        text = piece.text
    if lead and out:
        words = sum(len(p.text.split()) for p in lead)
        out.insert(0, Joined(max(0.0, out[0].start - words * SECONDS_PER_WORD), out[0].start, lead))
    for k, cap in enumerate(out):
        following = out[k + 1].start if k + 1 < len(out) else None
        end = cap.end
        if end is None:
            words = sum(len(p.text.split()) for p in cap.pieces)
            end = following if following is not None else cap.start + words * SECONDS_PER_WORD
        elif following is not None and cap.start < following < end:
            end = following
        cap.end = max(end, cap.start)
    return _within_limits(out)


def _within_limits(caps: list[Joined]) -> list[Caption]:
    """Captions as a player can show them, by the rules broadcasters use: one
    speaker each, at most two lines (the first leaving room for an SRT `Name: `
    where the speaker changes) and seven seconds. A longer caption (a turn with
    only its start time, a long ASR segment, a speaker without a time of their
    own) is cut, between speakers, then at a sentence end where one falls late
    enough, else at a clause end, else between words; its time is shared out
    by characters (speech runs at an even pace within what the source times),
    each piece shown at most seven seconds and at least one where the next
    leaves room."""
    starts: list[float] = []
    ends: list[float] = []
    speakers: list[str] = []
    texts: list[str] = []
    lines: list[list[str]] = []
    previous = ""
    for cap in caps:
        assert cap.end is not None
        runs = _runs(cap)
        total = sum(len(text) + 1 for _, text in runs)
        at = cap.start
        for speaker, text in runs:
            share = (cap.end - cap.start) * (len(text) + 1) / total
            parts, filled = chunks(text, _label_room(speaker, previous))
            size = sum(map(len, parts)) + len(parts)
            # Each piece's share of the time, added up as it goes: a piece
            # starts where the one before ends (the same additions, in order).
            times = list(accumulate([share * (len(part) + 1) / size for part in parts], initial=at))
            starts += times[:-1]
            ends += times[1:]
            at = times[-1]
            speakers += [speaker] * len(parts)
            texts += parts
            lines += filled
            previous = speaker
    # Each end held to the limits (`min` and `max` as written out: the same
    # comparisons), before the captions are made.
    last = len(starts) - 1
    for k, start in enumerate(starts):
        end = ends[k]
        if start + LONGEST < end:
            end = start + LONGEST
        if end - start < SHORTEST:
            least = start + SHORTEST
            if k < last and starts[k + 1] < least:
                least = starts[k + 1]
            if least > end:
                end = least
        ends[k] = end
    return list(map(new_caption, zip(starts, ends, speakers, texts, lines, strict=True)))


SENTENCE_END = re.compile(r"[.!?…][\"”’)]*$")


def _label_room(speaker: str, before: str) -> int:
    """What an SRT label takes of a caption's first line: `[Name]: ` at most,
    where the speaker changes (`exports.srt_label`); nothing where they go on."""
    return len(speaker) + 4 if speaker != before else 0


def _two_lines(text: str, first: int) -> bool:
    """Whether single-spaced `text` fills two caption lines at most, the first
    `first` characters wide, as `wrap` leaves them."""
    size = len(text)
    end = line_end(text, 0, size, first)
    if end < size and line_end(text, end + 1, size, LINE) < size:
        # Three lines or more as filled: as many as `wrap` leaves of them.
        return len(no_false_starts(fill(text, 0, size, first))) <= LINES
    return True


def _runs(cap: Joined) -> list[tuple[str, str]]:
    """(speaker, text) for each run of one speaker's pieces in a caption."""
    return [(speaker, " ".join(map(TEXT, run))) for speaker, run in groupby(cap.pieces, SPEAKER)]


SPEAKER, TEXT = itemgetter(0), itemgetter(1)
"""A `Piece`'s speaker and text, got in C."""

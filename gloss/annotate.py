"""Anchor chapters, topic spans, notes and highlights to the cleaned transcript.

Everything is found by quote (or time) on the verbatim words, so cleaning
cannot move an anchor. Chapters must come in order; spans must not end before
they start, and two spans of one topic must not overlap. All problems in a
sidecar are reported together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import anchor
from .errors import SiteError
from .model import Heading, Meta, Paragraph, Selector, Span, Transcript

Where = tuple[int, int]
"""(turn index, paragraph index)."""


@dataclass
class Anchored:
    """What the annotations add to a page beyond marks on its paragraphs."""

    chapters: dict[Where, Heading] = field(default_factory=dict)
    topics: list[tuple[str, Where, Where]] = field(default_factory=list)
    """(topic id, first paragraph, last paragraph) in document order."""
    highlights: list[list[tuple[int, int, str]]] = field(default_factory=list)
    """Each highlight as (turn, paragraph, the marked words as readers see them)
    pieces, in the order said."""


def heading_id(title: str, taken: set[str]) -> str:
    base = "ch-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chapter")
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def _mark(para: Paragraph, start: int, end: int) -> str:
    """Mark the spans covering verbatim[start:end] as highlighted; return their text."""
    spans: list[Span] = []
    at = 0
    marked: list[str] = []
    for span in para.spans:
        lo, hi = at, at + len(span.verbatim)
        at = hi
        if hi <= start or lo >= end:
            spans.append(span)
            continue
        if span.kind:  # a correction or removal is highlighted whole
            span.mark = True
            spans.append(span)
            marked.append(span.text)
            continue
        a, b = max(start, lo) - lo, min(end, hi) - lo
        text = span.verbatim
        for piece, is_marked in ((text[:a], False), (text[a:b], True), (text[b:], False)):
            if piece:
                spans.append(Span(piece, piece, mark=is_marked))
                if is_marked:
                    marked.append(piece)
    para.spans = spans
    return "".join(marked).strip()


def annotate(transcript: Transcript, meta: Meta) -> tuple[Anchored, list[SiteError]]:
    """Anchor every annotation; mark paragraphs with notes, topics and highlights.
    Every annotation that does not anchor is an error in the list returned."""
    out = Anchored()
    if not (meta.chapters or meta.topics or meta.notes or meta.highlights):
        return out, []
    index = anchor.Index(transcript)
    errors: list[SiteError] = []
    turns = transcript.turns

    def find(sel: Selector, what: str) -> tuple[anchor.Loc, anchor.Loc] | None:
        """Where `sel` points; None (with the error recorded) if nowhere or into a cut,
        where readers would not see what the annotation is about."""
        try:
            found = anchor.find(index, sel)
        except SiteError as err:
            errors.append(err)
            return None
        para = turns[found[0].turn].paragraphs[found[0].para]
        if para.cut:
            errors.append(anchor.fail(sel, f"{what} points into a cut passage ({para.cut})",
                                      "move it, or shorten the cut"))
            return None
        return found

    taken: set[str] = set()
    previous: anchor.Loc | None = None
    for chapter in meta.chapters:
        found = find(chapter.at, "this chapter")
        if not found:
            continue
        loc = found[0]
        if previous and (loc.turn, loc.para) <= (previous.turn, previous.para):
            errors.append(anchor.fail(chapter.at, f"chapter `{chapter.title}` does not start after "
                                      "the chapter before it", "list chapters in transcript order"))
            continue
        previous = loc
        para = turns[loc.turn].paragraphs[loc.para]
        out.chapters[(loc.turn, loc.para)] = Heading(heading_id(chapter.title, taken), chapter.title,
                                                     para.start)

    spans: dict[str, list[tuple[Where, Where]]] = {}
    for span in meta.topics:
        start = find(span.start, "this topic span")
        end = find(span.end, "this topic span") if span.end else start
        if not start or not end:
            continue
        if end[1].key < start[0].key:
            assert span.end is not None
            errors.append(anchor.fail(span.end, "`to` comes before `from` in the transcript"))
            continue
        first, last = (start[0].turn, start[0].para), (end[1].turn, end[1].para)
        if any(first <= other_last and other_first <= last
               for other_first, other_last in spans.get(span.topic, [])):
            errors.append(anchor.fail(span.start, f"this `{span.topic}` span overlaps another one "
                                      "of the same topic", "merge the two spans"))
            continue
        spans.setdefault(span.topic, []).append((first, last))
        out.topics.append((span.topic, first, last))
        for _, _, para in anchor.between(transcript, first, last):
            if span.topic not in para.topics:
                para.topics.append(span.topic)
        turns[first[0]].paragraphs[first[1]].topic_starts.append(span.topic)
    out.topics.sort(key=lambda t: (t[1], t[0]))

    for note in meta.notes:
        found = find(note.at, "this note")
        if found:
            turns[found[0].turn].paragraphs[found[0].para].notes.append(note)

    for sel in meta.highlights:
        found = find(sel, "this highlight")
        if not found:
            continue
        a, b = found
        pieces = []
        for ti, pi, para in anchor.between(transcript, (a.turn, a.para), (b.turn, b.para)):
            if para.cut:
                continue
            first_char = a.start if (ti, pi) == (a.turn, a.para) else 0
            end_char = (anchor.word_end(para.verbatim, b.end) if (ti, pi) == (b.turn, b.para)
                        else len(para.verbatim))
            pieces.append((ti, pi, _mark(para, first_char, end_char)))
        out.highlights.append(pieces)
    out.highlights.sort(key=lambda pieces: pieces[0][:2] if pieces else (0, 0))
    return out, errors

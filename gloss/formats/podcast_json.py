"""Podcasting 2.0 JSON transcripts: `{"version": "1.0.0", "segments": [...]}`,
each segment `{"speaker", "startTime", "endTime", "body"}`. Many tools write a
segment per word, some a punctuation mark alone (`,`), which goes to the word
before; a segment without a speaker continues the one before."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SiteError, SourcePos, warning
from ..fsutil import printable
from ..model import Transcript
from . import jsonfile
from .common import CLOSING, SourceCue, assemble


def accepts(data: Any) -> bool:
    segments = jsonfile.segments_of(data)
    head = segments[:5] if segments else []
    return bool(head) and isinstance(data, dict) and all(isinstance(s, dict) for s in head) and any(
        "body" in s for s in head)


def parse(path: str, text: str) -> Transcript:
    data = jsonfile.load(path, text)
    segments = jsonfile.segments_of(data) if accepts(data) else None
    if segments is None:
        raise FormatError(SourcePos(path), "not a Podcasting 2.0 transcript",
                          'expected {"version": "1.0.0", "segments": [{"body": ...}, ...]}')
    where = jsonfile.positions(text, segments, "body", "segments")
    cues: list[SourceCue] = []
    problems: list[SiteError] = []
    for k, seg in enumerate(segments):
        line, col = where[k]
        if not isinstance(seg, dict) or not isinstance(seg.get("body"), str):
            problems.append(warning(SourcePos(path, line, col),
                                    f"skipped segment {k + 1}: it has no text `body`"))
            continue
        speaker = seg.get("speaker")
        label = printable(speaker).strip() if isinstance(speaker, str) else ""
        body = printable(seg["body"])
        if CLOSING.fullmatch(body.strip()) and cues and cues[-1].lines and label in ("", cues[-1].label):
            # Word-by-word JSON writes `,` as a segment of its own: it is the word's before.
            text, at_line, at_col = cues[-1].lines[-1]
            cues[-1].lines[-1] = (text.rstrip() + body.strip(), at_line, at_col)
            continue
        cues.append(SourceCue(label, [(body, line, col)],
                              jsonfile.number(seg.get("startTime")), jsonfile.number(seg.get("endTime")),
                              continues=not label))
    return Transcript(path, "podcast-json", assemble(path, cues), problems=problems)

"""Podcasting 2.0 JSON transcripts: `{"version": "1.0.0", "segments": [...]}`,
each segment `{"speaker", "startTime", "endTime", "body"}`. Many tools write a
segment per word; a segment without a speaker continues the one before."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SourcePos
from ..fsutil import printable
from ..model import Transcript
from . import jsonfile
from .common import SourceCue, assemble


def accepts(data: Any) -> bool:
    segments = jsonfile.segments_of(data)
    return bool(segments) and isinstance(data, dict) and all(
        isinstance(s, dict) and "body" in s for s in segments[:5])  # type: ignore[index]


def parse(path: str, text: str) -> Transcript:
    data = jsonfile.load(path, text)
    segments = jsonfile.segments_of(data) if accepts(data) else None
    if segments is None:
        raise FormatError(SourcePos(path), "not a Podcasting 2.0 transcript",
                          'expected {"version": "1.0.0", "segments": [{"body": ...}, ...]}')
    where = jsonfile.key_positions(text, "body")
    cues: list[SourceCue] = []
    for k, seg in enumerate(segments):
        line, col = where[k] if len(where) == len(segments) else (1, 1)
        if not isinstance(seg, dict) or not isinstance(seg.get("body"), str):
            raise FormatError(SourcePos(path, line, col), f"segment {k + 1} has no text `body`")
        speaker = seg.get("speaker")
        label = printable(speaker).strip() if isinstance(speaker, str) else ""
        cues.append(SourceCue(label, [(printable(seg["body"]), line, col)],
                              jsonfile.number(seg.get("startTime")), jsonfile.number(seg.get("endTime")),
                              continues=not label))
    return Transcript(path, "podcast-json", assemble(path, cues))

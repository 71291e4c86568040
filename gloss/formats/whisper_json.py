"""Whisper and WhisperX JSON: `{"segments": [{"start", "end", "text"}]}` from
openai-whisper, and the same with `"speaker": "SPEAKER_00"` (and `words`) from
WhisperX after diarization. A segment without a speaker continues the one
before; without any speakers the whole transcript is one voice."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SourcePos
from ..fsutil import printable
from ..model import Transcript
from . import jsonfile
from .common import SourceCue, assemble


def accepts(data: Any) -> bool:
    segments = jsonfile.segments_of(data)
    return bool(segments) and all(
        isinstance(s, dict) and "text" in s and "start" in s for s in segments[:5])  # type: ignore[index]


def parse(path: str, text: str) -> Transcript:
    data = jsonfile.load(path, text)
    segments = jsonfile.segments_of(data) if accepts(data) else None
    if segments is None:
        raise FormatError(SourcePos(path), "not a Whisper transcript",
                          'expected {"segments": [{"start": 0.0, "end": 2.5, "text": ...}, ...]}')
    # Segment texts are the "text" values inside "segments"; WhisperX's words use
    # "word", and a whole-text "text" after the segments comes last.
    where = jsonfile.key_positions(text, "text")[: len(segments)]
    cues: list[SourceCue] = []
    diarized = any(isinstance(s, dict) and s.get("speaker") for s in segments)
    for k, seg in enumerate(segments):
        line, col = where[k] if len(where) == len(segments) else (1, 1)
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise FormatError(SourcePos(path, line, col), f"segment {k + 1} has no `text`")
        speaker = seg.get("speaker")
        label = printable(speaker).strip() if isinstance(speaker, str) else ""
        cues.append(SourceCue(label, [(printable(seg["text"]), line, col)], jsonfile.number(seg.get("start")),
                              jsonfile.number(seg.get("end")), continues=diarized and not label))
    return Transcript(path, "whisperx-json" if diarized else "whisper-json", assemble(path, cues))

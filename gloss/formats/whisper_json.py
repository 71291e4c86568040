"""Whisper and WhisperX JSON: `{"segments": [{"start", "end", "text"}]}` from
openai-whisper, and the same with `"speaker": "SPEAKER_00"` (and `words`) from
WhisperX after diarization. A segment without a speaker continues the one
before; without any speakers the whole transcript is one voice. Times are
seconds, or whole milliseconds where the numbers say so (`unit`)."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SiteError, SourcePos, warning
from ..fsutil import printable
from ..model import Transcript
from . import jsonfile
from .common import SourceCue, Words, assemble


def accepts(data: Any) -> bool:
    segments = jsonfile.segments_of(data)
    head = segments[:5] if segments else []
    return bool(head) and all(isinstance(s, dict) for s in head) and any(
        "text" in s and "start" in s for s in head)


def unit(segments: list[Any]) -> float:
    """Seconds per unit of the segments' times: 0.001 where they are whole
    milliseconds (some exporters write `{"start": 1, "end": 5000}`), told by
    integers only and, read as seconds, speech slower than a word a minute."""
    times = [v for s in segments if isinstance(s, dict) for v in (s.get("start"), s.get("end"))
             if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not times or any(isinstance(v, float) for v in times):
        return 1.0
    words = sum(len(s["text"].split()) for s in segments
                if isinstance(s, dict) and isinstance(s.get("text"), str))
    return 0.001 if words * 60 < max(times) - min(times) else 1.0


def _words(words: Any, scale: float) -> Words:
    """WhisperX's `words` ({"word", "start", "end"}; a number it could not align
    has no times), as (word, start, end)."""
    if not isinstance(words, list):
        return ()
    out = []
    for w in words:
        if isinstance(w, dict) and isinstance(w.get("word"), str):
            start, end = jsonfile.number(w.get("start")), jsonfile.number(w.get("end"))
            out.append((printable(w["word"]), None if start is None else round(start * scale, 6),
                        None if end is None else round(end * scale, 6)))
    return tuple(out)


def parse(path: str, text: str) -> Transcript:
    data = jsonfile.load(path, text)
    segments = jsonfile.segments_of(data) if accepts(data) else None
    if segments is None:
        raise FormatError(SourcePos(path), "not a Whisper transcript",
                          'expected {"segments": [{"start": 0.0, "end": 2.5, "text": ...}, ...]}')
    # Segment texts are the "text" values inside "segments"; WhisperX's words use
    # "word", and a whole-text "text" after the segments comes last.
    where = jsonfile.positions(text, segments, "text", "segments", trailing=True)
    cues: list[SourceCue] = []
    problems: list[SiteError] = []
    diarized = any(isinstance(s, dict) and s.get("speaker") for s in segments)
    scale = unit(segments)
    for k, seg in enumerate(segments):
        line, col = where[k]
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            problems.append(warning(SourcePos(path, line, col), f"skipped segment {k + 1}: it has no `text`"))
            continue
        speaker = seg.get("speaker")
        label = printable(speaker).strip() if isinstance(speaker, str) else ""
        start, end = jsonfile.number(seg.get("start")), jsonfile.number(seg.get("end"))
        cues.append(SourceCue(label, [(printable(seg["text"]), line, col)],
                              None if start is None else round(start * scale, 6),
                              None if end is None else round(end * scale, 6),
                              continues=diarized and not label, words=_words(seg.get("words"), scale)))
    return Transcript(path, "whisperx-json" if diarized else "whisper-json", assemble(path, cues),
                      problems=problems)

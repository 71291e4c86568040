"""Meeting and ASR JSON with `utterances`: Zoom's API transcript
(`{"utterances": [{"participant", "start_ms", "end_ms", "text"}]}`), and the
same shape from ASR services (`speaker`, `start`/`end` in seconds, `text` or
`transcript`; Deepgram nests it under `results`). An utterance is a turn as
the source has it; one without a speaker continues the one before, and one
without text is skipped with a warning at its line.
"""

from __future__ import annotations

from typing import Any

from ..errors import FormatError, SiteError, SourcePos, warning
from ..fsutil import printable
from ..model import Transcript
from . import jsonfile
from .common import SourceCue, assemble

SPEAKER_KEYS = ("participant", "speaker", "speaker_name", "user_name", "name")
TEXT_KEYS = ("text", "transcript")


def utterances_of(data: Any) -> list[Any] | None:
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        data = data["results"]
    found = data.get("utterances") if isinstance(data, dict) else None
    return found if isinstance(found, list) else None


def accepts(data: Any) -> bool:
    found = utterances_of(data)
    head = found[:5] if found else []
    return bool(head) and all(isinstance(u, dict) for u in head) and any(
        k in u for u in head for k in TEXT_KEYS)


def _speaker(utterance: dict[str, Any]) -> str:
    for key in SPEAKER_KEYS:
        value = utterance.get(key)
        if isinstance(value, str) and value.strip():
            return printable(value).strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return f"Speaker {value}"
    return ""


def _time(utterance: dict[str, Any], key: str) -> float | None:
    """`start_ms` in milliseconds, else `start` (or `startTime`) in seconds."""
    ms = jsonfile.number(utterance.get(f"{key}_ms"))
    if ms is not None:
        return ms / 1000
    return jsonfile.number(utterance.get(key, utterance.get(f"{key}Time")))


def parse(path: str, text: str) -> Transcript:
    data = jsonfile.load(path, text)
    found = utterances_of(data) if accepts(data) else None
    if found is None:
        raise FormatError(SourcePos(path), "not an utterances transcript",
                          'expected {"utterances": [{"participant", "start_ms", "text"}, ...]}')
    key = next((k for k in TEXT_KEYS if isinstance(found[0], dict) and k in found[0]), "text")
    where = jsonfile.positions(text, found, key, "utterances")
    cues: list[SourceCue] = []
    problems: list[SiteError] = []
    for k, utterance in enumerate(found):
        line, col = where[k]
        if not isinstance(utterance, dict) or not isinstance(utterance.get(key), str):
            problems.append(warning(SourcePos(path, line, col),
                                    f"skipped utterance {k + 1}: it has no `{key}`"))
            continue
        label = _speaker(utterance)
        cues.append(SourceCue(label, [(printable(utterance[key]), line, col)], _time(utterance, "start"),
                              _time(utterance, "end"), continues=not label))
    return Transcript(path, "utterances-json", assemble(path, cues), problems=problems)

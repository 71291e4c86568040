"""What the JSON transcript formats share: reading the file with located errors,
and finding where each segment's text is in the file (JSON parsers forget
positions, and errors about a segment should still name its line)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import FormatError, SourcePos


def load(path: str, text: str) -> Any:
    """The parsed JSON; a syntax error is a FormatError at its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.split("\n")[exc.lineno - 1] if exc.lineno - 1 < text.count("\n") + 1 else ""
        raise FormatError(SourcePos(path, exc.lineno, exc.colno), f"JSON syntax: {exc.msg}",
                          source_line=line) from None
    except RecursionError:
        raise FormatError(SourcePos(path), "JSON nested too deeply") from None


def segments_of(data: Any) -> list[Any] | None:
    """The list of segments: `{"segments": [...]}`, or a bare list of them."""
    segments = data.get("segments") if isinstance(data, dict) else data
    return list(segments) if isinstance(segments, list) else None


def key_positions(text: str, key: str, after: str = "segments") -> list[tuple[int, int]]:
    """(line, column) of the value of every `"key":` after the `"segments":` key
    (or from the start when there is none), in order."""
    out = []
    first = re.search(rf'"{re.escape(after)}"\s*:', text)
    for m in re.compile(rf'"{re.escape(key)}"\s*:\s*').finditer(text, first.end() if first else 0):
        line = text.count("\n", 0, m.end()) + 1
        col = m.end() - text.rfind("\n", 0, m.end())
        out.append((line, col))
    return out


def number(value: Any) -> float | None:
    """A time in seconds, when the value is one (booleans are not numbers)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None

"""What the JSON transcript formats share: reading the file with located errors,
and finding where each segment's text is in the file (JSON parsers forget
positions, and errors about a segment should still name its line)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import FormatError, SourcePos
from .common import MAX_SECONDS


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
    except ValueError as exc:  # an integer of thousands of digits (Python's int_max_str_digits)
        raise FormatError(SourcePos(path), "JSON holds a number too long to read",
                          str(exc).split(";")[0]) from None


def segments_of(data: Any) -> list[Any] | None:
    """The list of segments: `{"segments": [...]}`, or a bare list of them."""
    segments = data.get("segments") if isinstance(data, dict) else data
    return list(segments) if isinstance(segments, list) else None


def key_positions(text: str, key: str, after: str = "segments") -> list[tuple[int, int]]:
    """(line, column) of the value of every `"key":` after the `"segments":` key
    (or from the start when there is none), in order."""
    out = []
    first = re.search(rf'"{re.escape(after)}"\s*:', text)
    at = first.end() if first else 0
    line = text.count("\n", 0, at) + 1
    newline = text.rfind("\n", 0, at)
    # Lines are counted from the key before, not from the start: linear in the file.
    for m in re.compile(rf'"{re.escape(key)}"\s*:\s*').finditer(text, at):
        added = text.count("\n", at, m.end())
        if added:
            line += added
            newline = text.rfind("\n", at, m.end())
        at = m.end()
        out.append((line, at - newline))
    return out


def number(value: Any) -> float | None:
    """A time in seconds, when the value is one (booleans are not numbers, nor
    is infinity)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < MAX_SECONDS:
        return round(float(value), 6)  # `0.8600000000000012` is 0.86
    return None



def positions(text: str, items: list[Any], key: str, after: str,
              trailing: bool = False) -> list[tuple[int, int]]:
    """(line, column) of each item's `key` value, in order; for an item without
    one (skipped with a warning at it), of a key every item has. (1, 1) where
    the file cannot tell (the key also nested inside items). `trailing`: the
    key may occur again after the items (Whisper's whole `text`)."""
    have = [isinstance(item, dict) and key in item for item in items]
    out = [(1, 1)] * len(items)
    where = key_positions(text, key, after)
    if trailing:
        where = where[: sum(have)]
    if len(where) == sum(have):
        found = iter(where)
        out = [next(found) if h else (1, 1) for h in have]
    if not all(have) and items and isinstance(items[0], dict):
        common = next((k for k in items[0] if all(isinstance(i, dict) and k in i for i in items)), None)
        other = key_positions(text, common, after) if common is not None else []
        if len(other) == len(items):
            out = [mine if h else theirs for mine, theirs, h in zip(out, other, have, strict=True)]
    return out

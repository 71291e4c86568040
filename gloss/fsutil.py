"""Reading files with the path attached to every failure.

All content is read through `read_text`, so an unreadable file or bad
encoding is reported as `path: error: ...` rather than a bare traceback.
"""

from __future__ import annotations

from pathlib import Path

from .errors import SiteError, SourcePos


def read_text(path: Path, error: type[SiteError], shown: str = "") -> str:
    """The file's text as UTF-8, without a byte-order mark, newlines normalised.
    Errors name the file as `shown` (default: the path as given)."""
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(SourcePos(shown), f"cannot read file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1  # characters, not bytes
        raise error(
            SourcePos(shown, line, col),
            "file is not UTF-8 text",
            "save it as UTF-8 (most editors offer this under 'Save with encoding')",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")

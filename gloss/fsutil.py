"""Reading and writing files with the path attached to every failure.

All content is read through `read_text`, so an unreadable file or bad
encoding is reported as `path: error: ...` rather than a bare traceback. It is
also where content is made safe to process and to publish, once for every stage:

- its cost is bounded: a file over `MAX_FILE_BYTES` or a line over `MAX_LINE`
  characters is an error at that line, not minutes of work;
- a NUL is an error at its line and column (a binary file, or text saved as
  UTF-16, never a transcript), and every other control character but tab and
  newline becomes a space, so none can reach a page's HTML (where they are
  invalid) or be read as a line break by `str.splitlines`.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from .errors import SiteError, SourcePos

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file read (50 MB: twenty times a long episode's transcript)."""
MAX_LINE = 1_000_000
"""Longest line, in characters, of a transcript or YAML file (JSON files excepted:
their lines are not the text's lines, and a whole transcript may be one)."""
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Replaced by a space on reading; NUL is an error; `\\r` is a newline already."""
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
"""ASCII that `_CONTROL` leaves alone."""
_DECODED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control character but tab and newline made a space, and
    every lone surrogate (JSON's `"\\ud800"`, which no UTF-8 file can hold) made
    U+FFFD: for text that a format decodes from escapes after `read_text` has
    looked at the file (JSON's `"\\u001b"`, YAML's `"\\e"`), so none reaches a page."""
    if _DECODED_CONTROL.search(text):
        text = _DECODED_CONTROL.sub(" ", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _locate(text: str, at: int) -> tuple[int, int]:
    """1-based line and column (in characters) of the offset `at`."""
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def _longest_line(text: str) -> tuple[int, int]:
    """(1-based number, length) of the longest line."""
    lines = text.split("\n")
    longest = max(lines, key=len)
    return lines.index(longest) + 1, len(longest)


def read_text(path: Path, error: type[SiteError], shown: str = "", max_line: int | None = None) -> str:
    """The file's text as UTF-8, without a byte-order mark, newlines normalised,
    control characters replaced. Errors name the file as `shown` (default: the path
    as given). `max_line` defaults to `MAX_LINE`, or no limit for a .json file."""
    shown = shown or str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise error(SourcePos(shown), f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise error(SourcePos(shown), f"file is larger than {MAX_FILE_BYTES // 2**20} MB",
                    "split it into several transcripts")
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
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\0")
    if nul >= 0:
        raise error(SourcePos(shown, *_locate(text, nul)),
                    "file contains a NUL character: is it binary, or text saved as UTF-16?",
                    "save it as UTF-8 text")
    limit = max_line if max_line is not None else 0 if path.suffix.lower() == ".json" else MAX_LINE
    if limit and len(text) > limit:
        number, length = _longest_line(text)
        if length > limit:
            raise error(SourcePos(shown, number, limit + 1),
                        f"line is {length:,} characters long; the limit is {limit:,}",
                        "break it into lines (a turn can span several)")
    if data.isascii() and not data.translate(None, _PLAIN_ASCII):
        return text  # most files: no control character, seen at a tenth of the regex's cost
    return _CONTROL.sub(" ", text) if _CONTROL.search(text) else text


def write_new(path: Path, text: str, error: type[SiteError], shown: str = "") -> None:
    """Create `path` with `text`; never overwrite. A failure names the file and
    leaves nothing half-written behind."""
    shown = shown or str(path)
    try:
        f = open(path, "x", encoding="utf-8")  # noqa: SIM115 (closed below, on every path)
    except FileExistsError:
        raise error(SourcePos(shown), "file already exists; not overwriting it") from None
    except OSError as exc:
        raise error(SourcePos(shown), f"cannot write file: {exc.strerror or exc}") from None
    try:
        with f:
            f.write(text)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise error(SourcePos(shown), f"cannot write file: {exc.strerror or exc}") from None

"""Format detection: each supported format is a `(name, sniff, parse)` entry.

`FORMATS` is a plain ordered list, the markdown-it-py way: the first format
whose sniffer accepts the text parses it. A text no sniffer accepts is an
error naming the file, never a guess that could lose text.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import FormatError, SourcePos
from ..model import Transcript
from . import captions, colon, speaker_md

Sniff = Callable[[str], bool]
Parse = Callable[[str, str], Transcript]

FORMATS: list[tuple[str, Sniff, Parse]] = [
    ("speaker-md", speaker_md.sniff, speaker_md.parse),
    ("captions", captions.sniff, captions.parse),
    ("colon", colon.sniff, colon.parse),
]

EXTENSIONS = (".txt", ".md")
"""File endings read as transcripts; every other file in content/ is ignored."""


def detect(path: str, text: str) -> str:
    """The name of the format of `text`, or a FormatError saying what was expected."""
    if not text.strip():
        raise FormatError(SourcePos(path), "transcript is empty")
    for name, sniff, _ in FORMATS:
        if sniff(text):
            return name
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.strip())
    raise FormatError(
        SourcePos(path, first, 1),
        "cannot tell the transcript format",
        "start turns with `**Name** (m:ss)` lines, `>>` speaker marks, or `Name: text` lines",
        text.splitlines()[first - 1],
    )


def parse(path: str, text: str) -> Transcript:
    """Detect the format of `text` and parse it into the document model."""
    name = detect(path, text)
    parser = next(p for n, _, p in FORMATS if n == name)
    return parser(path, text)

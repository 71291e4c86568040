"""Format detection: each supported format is a `(name, extensions, sniff, parse)`.

`FORMATS` is a plain ordered list, the markdown-it-py way: among the formats
that read the file's extension, the first whose sniffer accepts the text
parses it. A text no sniffer accepts is an error naming the file, never a
guess that could lose text. Text formats may open with front matter or a
`# Title` heading (see `preamble`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..errors import FormatError, SourcePos
from ..model import Transcript
from . import (
    captions,
    colon,
    jsonfile,
    podcast_html,
    podcast_json,
    preamble,
    speaker_md,
    srt,
    timed_text,
    utterances_json,
    webvtt,
    whisper_json,
)

Sniff = Callable[[str], bool]
Parse = Callable[[str, str], Transcript]

TEXT = (".txt", ".md", ".markdown")
JSON = (".json",)
HTML = (".html", ".htm")


def _json_sniff(accepts: Callable[[Any], bool]) -> Sniff:
    def sniff(text: str) -> bool:
        try:
            return accepts(jsonfile.load("", text))
        except FormatError:
            return False
    return sniff


FORMATS: list[tuple[str, tuple[str, ...], Sniff, Parse]] = [
    ("webvtt", (".vtt", *TEXT), webvtt.sniff, webvtt.parse),
    ("srt", (".srt", *TEXT), srt.sniff, srt.parse),
    ("podcast-json", JSON, _json_sniff(podcast_json.accepts), podcast_json.parse),
    ("whisper-json", JSON, _json_sniff(whisper_json.accepts), whisper_json.parse),
    ("utterances-json", JSON, _json_sniff(utterances_json.accepts), utterances_json.parse),
    ("podcast-html", HTML, podcast_html.sniff, podcast_html.parse),
    ("speaker-md", TEXT, speaker_md.sniff, speaker_md.parse),
    ("captions", TEXT, captions.sniff, captions.parse),
    ("timed-text", TEXT, timed_text.sniff, timed_text.parse),
    ("colon", TEXT, colon.sniff, colon.parse),
]

EXTENSIONS = tuple(sorted({ext for _, exts, _, _ in FORMATS for ext in exts}))
"""File endings read as transcripts."""

SHAPES = {
    "webvtt": "WebVTT (`WEBVTT`, then cues timed `00:01.000 --> 00:04.000`)",
    "srt": "SubRip (numbered cues timed `00:00:01,000 --> 00:00:04,000`)",
    "podcast-json": 'Podcasting 2.0 JSON ({"segments": [{"speaker", "startTime", "body"}]})',
    "whisper-json": 'Whisper/WhisperX JSON ({"segments": [{"start", "end", "text"}]})',
    "utterances-json": 'Zoom/ASR JSON ({"utterances": [{"participant", "start_ms", "text"}]})',
    "podcast-html": "Podcasting 2.0 HTML (`<cite>Ann:</cite> <time>0:00</time> <p>Hi.</p>`)",
    "speaker-md": "bold names (`**Ann** (0:03)` above the speech, or `**Ann:** Hi.`)",
    "captions": "`>>` speaker marks",
    "timed-text": "lines that start with a time (`00:00:05 Hi.`, or `0:05` above the words)",
    "colon": "`Ann: Hi.` lines, or `Ann  0:03` above the speech",
}
"""What each format looks like, as the error for a file none accepts lists them."""


class UnknownFormat(FormatError):
    """No format accepts the file: for a Markdown file, likely notes, not a transcript."""


def _suffix(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name.lstrip(".") else ""


def detect(path: str, text: str) -> str:
    """The name of the format of `text`, or a FormatError saying what was expected."""
    suffix = _suffix(path)
    if not text.strip():
        raise FormatError(SourcePos(path), "transcript is empty")
    body = preamble.split(path, text).body if suffix in TEXT else text
    for name, extensions, sniff, _ in FORMATS:
        if suffix in extensions and sniff(body if name not in ("webvtt", "srt") else text):
            return name
    lines = body.splitlines()
    first = next((i for i, line in enumerate(lines, 1) if line.strip()), 1)
    tried = [SHAPES[name] for name, extensions, _, _ in FORMATS if suffix in extensions]
    if suffix == ".json":
        jsonfile.load(path, text)  # a syntax error is reported where it is
        first = 1
    shown = [line.strip() for line in lines[first - 1:] if line.strip()][:3]
    hint = f"tried {'; '.join(tried)}" if tried else "transcripts end in " + ", ".join(EXTENSIONS)
    if len(shown) > 1:
        hint += "\nthe lines after it: " + " / ".join(f"`{line[:60]}`" for line in shown[1:])
    raise UnknownFormat(SourcePos(path, first, 1), "cannot tell the transcript format", hint,
                        shown[0] if shown else "")


def parse(path: str, text: str) -> Transcript:
    """Detect the format of `text` and parse it into the document model."""
    name = detect(path, text)
    parser = next(p for n, _, _, p in FORMATS if n == name)
    if _suffix(path) not in TEXT or name in ("webvtt", "srt"):
        return parser(path, text)
    head = preamble.split(path, text)
    transcript = parser(path, head.body)
    return replace(transcript, title=head.title, date=head.date) if head.title or head.date \
        else transcript

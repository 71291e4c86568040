"""WebVTT captions (`.vtt`), the W3C format podcast apps, YouTube, Zoom and
Teams write, read the way the spec's parser (and so every browser) reads it.

The file is cut into blocks as the spec's "collect a block" does: a block
ends at an empty line (a line holding only a space, as yt-dlp writes inside
every YouTube cue, is text, not an end), its timing line is its first or
second line, and a line with `-->` anywhere else ends the block and starts
the next. A block that is not a cue (`NOTE`, `STYLE`, `REGION`) is skipped;
a cue whose timing cannot be read is skipped with a warning at its line,
never the whole file, as a browser drops it and shows the rest. Times are
read as the spec writes them (`mm:ss.ttt`, `hh:mm:ss.ttt`); a time a person
can read unambiguously though the spec does not allow it (Teams' `0:0:4.430`,
a seconds-only `3.480`, a comma before the fraction) is read too, with one
note a file. Teams pads nothing, its milliseconds included, so in its form
(hours, and a minute or second of one digit) `6.80` is 6.080 seconds.

Speakers come from `<v Name>` voice spans (with classes, `<v.loud Ann>`, and
closing tags; any name, Teams' `guid@guid` ids included), or from speaker
marks in the text (`>> `, `- `, `Name: `; see `common.speaker_prefix`). A
cue without a voice continues the voice before it. Other tags (`<i>`, `<c>`,
karaoke timestamps) are dropped and character references decoded.
YouTube's automatic captions repeat each line in the next cue as it scrolls;
those repeats are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from ..errors import FormatError, SiteError, SourcePos, note, warning
from ..model import Transcript
from .common import MAX_SECONDS, SourceCue, Words, assemble, count_labels, take_label

HEADER = re.compile(r"^\ufeff?WEBVTT(?:[ \t].*)?$")
ARROW = "-->"
VOICE = re.compile(r"<v(?:\.[\w.-]+)?(?:[ \t\f]+(?P<name>[^>]*))?>", re.I)
TAG = re.compile(r"</?[a-z][^>]*>|<\d[\d:.]*>", re.I)
DASH = re.compile(r"\s*-\s+(?=\S)")
KARAOKE = re.compile(r"<\d+:\d{2}:\d{2}\.\d{3}>|<\d{2}:\d{2}\.\d{3}>")
SPEC_STAMP = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d{2}):(?P<s>\d{2})\.(?P<f>\d{3})")
"""A timestamp as the spec's parser collects it; hours when there are three parts."""
LOOSE_STAMP = re.compile(r"(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<ms>\d{1,2})(?:[.,](?P<mf>\d+))?|"
                         r"(?P<secs>\d+)[.,](?P<sf>\d+))")
"""What a person reads as a time though the spec does not: `0:0:4.430`, `3.480`,
`00:01:02,500`, `1:02.5`."""


def sniff(text: str) -> bool:
    return bool(HEADER.match(text.split("\n", 1)[0].rstrip("\r")))


@dataclass(slots=True)
class Cue:
    """One cue as the spec's parser yields it."""

    ident: str
    start: float
    end: float
    line: int
    """The line of its timing, 1-based."""
    payload: list[tuple[str, int]] = field(default_factory=list)
    """The cue's text lines with their line numbers."""


def _clock_seconds(h: int, m: int, s: int, frac: str) -> float:
    """Seconds of h:m:s and the decimal fraction `frac` (to the microsecond)."""
    frac = frac[:6]
    return round(h * 3600 + m * 60 + s + (int(frac) / 10.0 ** len(frac) if frac else 0.0), 6)


def _seconds(m: re.Match[str]) -> float:
    if len(m["h"] or "") > 9:
        return float("inf")  # past any recording (and past what a float holds)
    return _clock_seconds(int(m["h"] or 0), int(m["m"]), int(m["s"]), m["f"])


def _spec_time(text: str, at: int) -> tuple[float, int] | None:
    """A timestamp at `at` as the spec collects it, and where it ends: two-digit
    minutes and seconds under 60, three-digit milliseconds; hours of any width."""
    m = SPEC_STAMP.match(text, at)
    if not m:
        return None
    if m["h"] is None and len(m["m"]) == 2 and int(m["m"]) > 59:
        return None  # `75:00.000` would be hours in the spec, and then lacks a part
    if int(m["m"]) > 59 or int(m["s"]) > 59:
        return None
    return _seconds(m), m.end()


def _loose_time(text: str) -> float | None:
    """Minutes and seconds of one or two digits (hours of any), any fraction, or
    seconds with a fraction (`3.480`): what a person reads one way only."""
    m = LOOSE_STAMP.fullmatch(text)
    if not m:
        return None
    if len(m["secs"] or "") > 12 or len(m["h"] or "") > 9:
        return None  # past any recording
    if m["secs"] is not None:
        return _clock_seconds(0, 0, int(m["secs"]), m["sf"])
    h, mins, secs, frac = int(m["h"] or 0), int(m["m"]), int(m["ms"]), m["mf"] or ""
    if secs > 59 or (m["h"] is not None and mins > 59):
        return None
    if m["h"] is not None and (len(m["m"]) < 2 or len(m["ms"]) < 2) and 0 < len(frac) < 3:
        # Teams pads nothing, the milliseconds included: `0:4:6.80` is 6.080 s
        # (its cue ends at `0:4:6.530`), not 6.8.
        frac = frac.zfill(3)
    return _clock_seconds(h, mins, secs, frac)


def _timing(line: str) -> tuple[float, float, bool] | None:
    """(start, end, as the spec writes them) from a timing line, or None. The spec's
    form first (whitespace around `-->` optional, settings after); failing that,
    times a person reads unambiguously, separated by whitespace from settings."""
    at = len(line) - len(line.lstrip(" \t"))
    first = _spec_time(line, at)
    if first is not None:
        rest = line[first[1]:].lstrip(" \t")
        if rest.startswith(ARROW):
            after = rest[len(ARROW):]
            second = _spec_time(after, len(after) - len(after.lstrip(" \t")))
            if second is not None and after[second[1]:second[1] + 1] in ("", " ", "\t"):
                return first[0], second[0], True
    left, _, right = line.partition(ARROW)
    ends = right.split()
    if not ends:
        return None
    start, end = _loose_time(left.strip()), _loose_time(ends[0])
    if start is None or end is None:
        return None
    return start, end, False


def timing(line: str) -> tuple[float, float, bool] | None:
    """(start, end, as the spec writes them) from a timing line, or None (also
    for a time past any recording, which no page could show)."""
    read = _timing(line)
    if read is None or max(read[0], read[1]) >= MAX_SECONDS:
        return None
    return read


def blocks(text: str) -> tuple[list[str], list[tuple[int, list[str], bool]]]:
    """The file's lines and its blocks after the header, as (index of the first
    line, lines, whether the block has a timing line where the spec looks for
    one), cut where the spec's parser cuts them."""
    lines = text.split("\n")
    out: list[tuple[int, list[str], bool]] = []
    i = 1
    while i < len(lines) and lines[i] != "" and ARROW not in lines[i]:
        i += 1  # the header's own lines (`Kind: captions`, old-style `Region:` lines)
    while i < len(lines):
        if lines[i] == "":
            i += 1
            continue
        first, arrow = i, False
        block: list[str] = []
        while i < len(lines):
            line = lines[i]
            if ARROW in line:
                if len(block) == 0 or (len(block) == 1 and not arrow):
                    arrow = True
                    block.append(line)
                    i += 1
                    continue
                break  # a timing line out of place starts the next block
            if line == "":
                break
            block.append(line)
            i += 1
        out.append((first, block, arrow))
    return lines, out


def read_cues(path: str, text: str) -> tuple[list[Cue], list[SiteError]]:
    """Every cue the spec's parser finds, and the problems met on the way: a
    block skipped (no timing line where one must be, or one that cannot be
    read), and one note for times read though not as the spec writes them."""
    if not sniff(text):
        raise FormatError(SourcePos(path, 1, 1), "a WebVTT file must start with `WEBVTT`",
                          source_line=text.split("\n", 1)[0])
    lines, found = blocks(text)
    cues: list[Cue] = []
    problems: list[SiteError] = []
    loose: list[int] = []
    for first, block, arrow in found:
        if not arrow:
            if (block[0].split() or [""])[0] not in ("NOTE", "STYLE", "REGION"):
                problems.append(warning(SourcePos(path, first + 1, 1),
                                        "skipped: a WebVTT cue needs a timing line like "
                                        "`00:01.000 --> 00:04.000`", source_line=block[0]))
            continue
        at = 0 if ARROW in block[0] else 1
        read = timing(block[at])
        if read is None:
            problems.append(warning(SourcePos(path, first + at + 1, 1),
                                    "skipped a cue: cannot read this WebVTT timing line",
                                    "times are mm:ss.ttt or hh:mm:ss.ttt, e.g. "
                                    "`00:01:02.500 --> 00:01:05.000`", block[at]))
            continue
        start, end, spec = read
        if not spec:
            loose.append(first + at + 1)
        cues.append(Cue(block[0] if at else "", start, end, first + at + 1,
                        [(line, first + at + 2 + k) for k, line in enumerate(block[at + 1:])]))
    if loose:
        more = f" (and {len(loose) - 1} more)" if len(loose) > 1 else ""
        problems.append(note(SourcePos(path, loose[0], 1),
                             f"read times not written as WebVTT writes them{more}",
                             "WebVTT times are mm:ss.ttt or hh:mm:ss.ttt; browsers and podcast "
                             "apps skip cues timed otherwise, gloss reads them",
                             lines[loose[0] - 1]))
    return cues, problems


def _visible(line: str) -> str:
    return html.unescape(TAG.sub("", line))


def parse(path: str, text: str) -> Transcript:
    cues, problems = read_cues(path, text)
    scrolling = bool(KARAOKE.search(text))
    pieces: list[tuple[str | None, str, int, int, float, float, Words]] = []
    previous_last = ""
    for cue in cues:
        payload = [(line, n) for line, n in cue.payload if _visible(line).strip()]
        if scrolling and payload and _visible(payload[0][0]).strip() == previous_last:
            payload = payload[1:]  # a scrolled-up repeat of the line before
        if payload:
            previous_last = _visible(payload[-1][0]).strip()
        for line, number in payload:
            voices = _voices(line)
            words = _karaoke(line, cue.start) if scrolling and len(voices) == 1 else ()
            for label, piece, col in voices:
                pieces.append((label, piece, number, col, cue.start, cue.end, words))
    voiced = any(label is not None for label, *_ in pieces)
    labels = set() if voiced else count_labels(piece for label, piece, *_ in pieces)
    out = [replace(_cue(label, piece, number, col, start, end, labels), words=words)
           for label, piece, number, col, start, end, words in pieces]
    return Transcript(path, "webvtt", assemble(path, out), problems=problems)


def _karaoke(line: str, start: float) -> Words:
    """Each word of a line with YouTube's word timestamps (`word<00:00:01.234><c>
    next</c>`): the first word at the cue's start, each after a stamp at the
    stamp's time, and words between stamps without one."""
    out = []
    at: float | None = start
    for k, part in enumerate(re.split(r"(<\d[\d:.]*>)", line)):
        if k % 2:
            stamp = _spec_time(part[1:-1], 0)
            at = stamp[0] if stamp else None
            continue
        for word in _visible(part).split():
            out.append((word, at, None))
            at = None
    return tuple(out)


def _voices(line: str) -> list[tuple[str | None, str, int]]:
    """A payload line split at voice spans: (voice name or None, visible text, column)."""
    out: list[tuple[str | None, str, int]] = []
    marks = list(VOICE.finditer(line))
    if not marks:
        return [(None, _visible(line), 1)]
    if line[: marks[0].start()].strip():
        out.append((None, _visible(line[: marks[0].start()]), 1))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(line)
        out.append((html.unescape(m["name"] or "").strip(), _visible(line[m.end():end]), m.end() + 1))
    return out


def _cue(label: str | None, text: str, line: int, col: int, start: float, end: float,
         labels: set[str]) -> SourceCue:
    """A cue from one line of payload; with no voice anywhere in the file, a
    speaker mark in the text counts, and otherwise the speaker before goes on."""
    if label:
        # A dialogue dash inside a voice (`<v Ann>- Yes.`) marks speech the
        # voice already names: it is not a word.
        skip = m.end() if (m := DASH.match(text)) else 0
        return SourceCue(label, [(text[skip:], line, col + skip)], start, end)
    named, offset = take_label(text, labels) if label is None else (None, 0)
    if named is not None:
        return SourceCue(named, [(text[offset:], line, col + offset)], start, end)
    return SourceCue("", [(text, line, col)], start, end, continues=True)

"""How captions were cut and timed before issue #26 made them fast, frozen.

A copy of the line filling, the cutting of long text into captions, the cue
texts and the caption and JSON times of gloss/captioning.py and
gloss/exports.py at commit 8d38553: plain definitions, a regular expression
a line, a search a break, a word a step. tests/test_caption_lines.py checks
that the fast code gives exactly what these give. Do not edit them to follow
changes in behaviour: a change in behaviour must be a deliberate change here
too, with its own reason.
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_right

from gloss.formats import srt as subrip
from gloss.formats.common import CLOSING, OPENERS, speaker_prefix, squash
from gloss.model import Paragraph

LINE = 42
LINES = 2
CLOSING_FIRST = frozenset(".,;:!?…)]}”’»%")
RISKY_FIRST = CLOSING_FIRST | frozenset(">-[<{0123456789")
SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]*(?= |$)")
CLAUSE_BREAK = re.compile(r"[,;:—–-](?= |$)")


def wrap(text: str, width: int = LINE, indent: int = 0) -> list[str]:
    text = " ".join(text.split())
    first = _line(width - indent).match(text)
    if first is None:
        return []
    lines = [first.group()]
    if first.end() < len(text):
        lines += _line(width).findall(text, first.end() + 1)
    return _no_false_starts(lines)


def _no_false_starts(lines: list[str]) -> list[str]:
    k = 1
    while k < len(lines):
        line = lines[k]
        if line[:1] not in RISKY_FIRST and ":" not in line:
            k += 1
            continue
        risky = reads_as_speaker(line) or reads_as_timing(line) or \
            (k == len(lines) - 1 and line.isdigit()) or \
            (line[:1] in CLOSING_FIRST and bool(CLOSING.fullmatch(line.split(" ", 1)[0])))
        if not risky:
            k += 1
            continue
        head, _, rest = lines[k].partition(" ")
        lines[k - 1] += " " + head
        if rest:
            lines[k] = rest
        else:
            del lines[k]
        k = max(1, k - 1)
    return lines


@functools.lru_cache(maxsize=8)
def _line(room: int) -> re.Pattern[str]:
    return re.compile(rf"[^ ].{{0,{max(room, 1) - 1}}}(?= |$)|[^ ]+")


def reads_as_timing(line: str) -> bool:
    return "-->" in line and line.lstrip()[:1].isdigit()


def reads_as_speaker(line: str) -> bool:
    if line[:1] not in ">-[<{" and ":" not in line:
        return False
    named, _, bare = speaker_prefix(subrip.TAG.sub("", line))
    return named is not None and (not bare or named.lower() not in OPENERS)


def chunks(text: str, room: int) -> list[tuple[str, list[str]]]:
    text = " ".join(text.split())
    out: list[tuple[str, list[str]]] = []
    pos, size = 0, len(text)
    while pos < size:
        first = _line(LINE - room if not out else LINE).match(text, pos)
        end = first.end() if first else size
        if end < size:
            second = _line(LINE).match(text, end + 1)
            end = second.end() if second else size
        if end < size:
            third, half = pos + (end - pos) // 3, pos + (end - pos) // 2
            cut = _last(SENTENCE_BREAK, text, third, end) or _last(CLAUSE_BREAK, text, half, end)
            if not cut and size - end < (end - pos) // 2:
                cut = text.rfind(" ", pos + 1, pos + (size - pos) // 2 + 1)
            end = cut if cut > pos else end
        chunk = text[pos:end]
        lines = wrap(chunk)
        indent = room if not out else 0
        while " " in chunk and (len(lines) > LINES or (indent and len(wrap(chunk, indent=indent)) > LINES)):
            chunk = chunk.rsplit(" ", 1)[0]
            lines = wrap(chunk)
        out.append((chunk, lines))
        pos += len(chunk) + 1
    return out


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int:
    end = 0
    for m in pattern.finditer(text, lo, hi):
        end = m.end()
    return end


def cue_texts(para: Paragraph) -> list[tuple[float | None, float | None, str]]:
    bounds = [c.offset for c in para.cues]
    texts = [""] * len(bounds)

    def cue_of(offset: int) -> int:
        return max(0, bisect_right(bounds, offset) - 1)

    at = 0
    for span in para.spans:
        begin, at = at, at + len(span.verbatim)
        if span.kind or span.text != span.verbatim:
            texts[cue_of(begin)] += span.text
            continue
        pos = begin
        while pos < at:
            k = cue_of(pos)
            stop = min(at, bounds[k + 1]) if k + 1 < len(bounds) else at
            texts[k] += span.text[pos - begin : stop - begin]
            pos = stop
    _reattach(texts)
    return [(c.start, c.end, squash(t)) for c, t in zip(para.cues, texts, strict=True)]


def _reattach(texts: list[str]) -> None:
    last = -1
    for k, text in enumerate(texts):
        m = CLOSING.match(text)
        if m and last >= 0 and not texts[last][-1:].isspace():
            texts[last] += m.group()
            texts[k] = text[m.end():]
        if texts[k].strip():
            last = k


def timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


_json = json.JSONEncoder(ensure_ascii=False).encode


def json_segments(rows: list[tuple[str, float, float, str]]) -> str:
    """Timed JSON segments as a dict each through json's encoder, a line each."""
    return ",\n".join(" " + _json({"speaker": speaker, "startTime": round(start, 3),
                                   "endTime": round(end, 3), "body": text})
                      for speaker, start, end, text in rows)

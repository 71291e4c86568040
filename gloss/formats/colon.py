"""Speaker-labelled lines: `Name: text`, optionally with a time before or after
the name, and the exports of Otter, Descript, Rev and Trint, where a line
names the speaker and the time (`Priya Natarajan  0:03`, `Ann (00:01:02):`,
`[00:01:02] Ann`) and what they said follows on the next lines.

Lines are cues: consecutive lines of one speaker are one turn (a caption-like
file with a name and time on every line reads as speech, not as one turn per
line). Under a label alone on its line, the lines down to the next blank line
are one run of speech (Deepgram's text export writes an utterance a line, often
broken mid-sentence); elsewhere a line with no label continues the speaker as
a new paragraph. A generic label (`Unknown Speaker`, `Speaker 1`) starts a turn
each time it is written: two of them in a row may be two people. So that
prose with a colon ("The answer is simple: it works.") stays speech, a label
counts only if it looks like a name (every word capitalised, or a script
without case, or `SPEAKER_3`) or starts two lines.
"""

from __future__ import annotations

import re

from ..model import Transcript
from .common import NAME, TIME, SourceCue, assemble, first_line, generic, name_like, seconds

LINE = re.compile(
    rf"^\s*(?:[\[(]?(?P<t1>{TIME})[\])]?\s+)?"
    rf"(?P<name>{NAME})"
    rf"(?:\s*[\[(](?P<t2>{TIME})[\])]|\s+(?P<t3>{TIME}))?"
    r"(?:(?P<colon>\s*:)(?:\s+|$)|\s*$)"
)
"""A label: `Ann:`, `[0:05] Ann: `, `Ann (0:05):`, or a time with no colon when
nothing else is on the line (`Ann  0:05`, `[0:05] Ann`)."""


def label_of(line: str) -> re.Match[str] | None:
    """The line's label, if it has the shape of one (a time is needed when there
    is no colon: `Ann` alone on a line is text)."""
    m = LINE.match(line)
    if m and (m["colon"] or m["t1"] or m["t2"] or m["t3"]):
        return m
    return None


def labels(text: str) -> set[str]:
    """The labels that start turns: name-like ones, and any that start two lines."""
    seen: dict[str, int] = {}
    for line in text.splitlines():
        m = label_of(line)
        if m:
            seen[m["name"].strip()] = seen.get(m["name"].strip(), 0) + 1
    return {name for name, count in seen.items() if count > 1 or name_like(name)}


def sniff(text: str) -> bool:
    m = label_of(first_line(text))
    return bool(m) and m["name"].strip() in labels(text)  # type: ignore[index]


def parse(path: str, text: str) -> Transcript:
    names = labels(text)
    cues: list[SourceCue] = [SourceCue("")]
    header = False
    """The last label stood alone on its line: its speech runs on the lines below,
    to the next blank line (Deepgram writes an utterance a line, Otter a block)."""
    for n, line in enumerate(text.splitlines(), 1):
        m = label_of(line)
        if m and m["name"].strip() in names:
            name = m["name"].strip()
            stamp = m["t1"] or m["t2"] or m["t3"]
            rest = line[m.end():]
            # A block of its own (Otter's `Name  0:03` paragraphs) starts a paragraph;
            # `Name: text` lines of one speaker run on, unless prose came between.
            after_prose = cues[-1].continues or cues[-1].new_paragraph
            header = not rest.strip()
            cues.append(SourceCue(name, [(rest, n, m.end() + 1)],
                                  seconds(stamp) if stamp else None,
                                  new_paragraph=header or after_prose,
                                  label_at=(n, m.start("name") + 1), new_turn=generic(name)))
        elif not line.strip():
            header = False
        elif header:
            cues[-1].lines.append((line, n, 1))
        else:
            cues.append(SourceCue("", [(line, n, 1)], continues=True, new_paragraph=True))
    return Transcript(path, "colon", assemble(path, cues))

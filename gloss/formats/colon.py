"""Plain `Name: text` lines, optionally with a timestamp before or after the name.

A line without a `Name:` prefix continues the previous speaker as a new
paragraph. So that prose with a colon ("The answer is simple: it works.")
stays speech, a label counts only if it looks like a name (every word
capitalised, or a script without case, or `SPEAKER_3`) or starts two lines.
"""

from __future__ import annotations

import re

from ..errors import SourcePos
from ..model import Transcript, Turn
from .common import TIME, add_paragraph, finish, first_line, seconds

NAME = r"[^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}"
LINE = re.compile(
    rf"^\s*(?:[\[(]?(?P<t1>{TIME})[\])]?\s+)?"
    rf"(?P<name>{NAME})"
    rf"(?:\s*[\[(](?P<t2>{TIME})[\])])?"
    r"\s*:(?:\s+|$)"
)


PARTICLES = frozenset({"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "del",
                       "bin", "al", "el", "ibn", "ter", "of"})


OPENERS = frozenset({
    "so", "well", "yes", "no", "now", "then", "note", "answer", "question", "and", "but", "or",
    "the", "ok", "okay", "here", "there", "this", "that", "why", "what", "how", "first",
    "second", "finally", "update", "example", "also", "however", "result", "summary", "warning",
    "tip", "edit", "ps", "nb", "remember", "lesson", "step", "rule", "fact", "quote", "source",
})
"""Single capitalised words that open a sentence before a colon more often than
they name a speaker ("So: yes."); they count as labels only if they recur."""


def name_like(label: str) -> bool:
    words = label.split()
    if len(words) == 1 and words[0].lower() in OPENERS:
        return False
    return all(not w[0].islower() or w in PARTICLES for w in words) and words[0] not in PARTICLES


def labels(text: str) -> set[str]:
    """The labels that start turns: name-like ones, and any that start two lines."""
    seen: dict[str, int] = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            seen[m["name"].strip()] = seen.get(m["name"].strip(), 0) + 1
    return {name for name, count in seen.items() if count > 1 or name_like(name)}


def sniff(text: str) -> bool:
    m = LINE.match(first_line(text))
    return bool(m) and m["name"].strip() in labels(text)  # type: ignore[index]


def parse(path: str, text: str) -> Transcript:
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    names = labels(text)
    for n, line in enumerate(text.splitlines(), 1):
        m = LINE.match(line)
        if m and m["name"].strip() in names:
            stamp = m["t1"] or m["t2"]
            start = seconds(stamp) if stamp else None
            turn = Turn(m["name"].strip(), SourcePos(path, n, m.start("name") + 1), start=start)
            turns.append(turn)
            add_paragraph(turn, line[m.end():], path, n, m.end() + 1)
        else:
            add_paragraph(turns[-1], line, path, n, 1)
    return Transcript(path, "colon", finish(turns))

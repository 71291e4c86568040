"""What a text transcript may say about itself before the first turn: YAML
front matter (`---` lines around `title:` and `date:`) or a Markdown `# Title`
heading (and the section headings under it, `## Transcript`), the usual start
of a vendor's Markdown export. The title and date
become the page's unless the annotation file sets them. The preamble's lines
are blanked, not removed, so every later line keeps its number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from ..errors import FormatError, SourcePos
from ..fsutil import printable

HEADING = re.compile(r"^#\s+(?P<title>\S.*?)\s*#*\s*$")
SECTION = re.compile(r"^#{2,6}\s+\S")


@dataclass(frozen=True, slots=True)
class Preamble:
    title: str = ""
    date: dt.date | None = None
    body: str = ""
    """The text with the preamble's lines blanked."""


def split(path: str, text: str) -> Preamble:
    lines = text.split("\n")
    title, date = "", None
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise FormatError(SourcePos(path, 1, 1), "front matter is not closed",
                              "end it with a line `---`", lines[0])
        title, date = _front_matter(path, "\n".join(lines[1:end]))
        start = end + 1
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if first is not None and (m := HEADING.match(lines[first])):
        title = title or m["title"]
        start = first + 1
        # Section headings before the speech (`## Transcript`) are the page's, not words said.
        while (after := next((i for i in range(start, len(lines)) if lines[i].strip()), None)) is not None \
                and SECTION.match(lines[after]):
            start = after + 1
    if not start:
        return Preamble(body=text)
    return Preamble(title, date, "\n" * start + "\n".join(lines[start:]))


def _front_matter(path: str, text: str) -> tuple[str, dt.date | None]:
    """`title` and `date` from front matter; other keys are the exporting tool's."""
    try:
        data = yaml.safe_load(text)
        title = data.get("title") if isinstance(data, dict) else None
        # str() of an int of 5,000 digits is a ValueError; "\e" decodes to a control character.
        title = printable(str(title)).strip() if isinstance(title, (str, int, float)) else ""
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise FormatError(SourcePos(path, mark.line + 2 if mark else 1, mark.column + 1 if mark else 1),
                          f"front matter: {exc.problem or 'invalid YAML'}") from None
    except (yaml.YAMLError, RecursionError):
        raise FormatError(SourcePos(path, 2, 1), "front matter is not valid YAML") from None
    except (ValueError, OverflowError) as exc:  # a value PyYAML cannot make (2024-13-45) or print
        raise FormatError(SourcePos(path, 1, 1), "front matter has a value YAML cannot read",
                          str(exc).split(";")[0], "---") from None
    except (IndexError, KeyError, AttributeError):  # PyYAML, on a tag it cannot make (`!!int` of nothing)
        raise FormatError(SourcePos(path, 1, 1), "front matter has a value YAML cannot read",
                          "check its `!!` tags: each needs a value of its kind", "---") from None
    if not isinstance(data, dict):
        return "", None
    date = data.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    return title, date if isinstance(date, dt.date) else None

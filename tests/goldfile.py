"""Read fixture files in markdown-it-py's format: a title line, then `.`-separated
input and expected output, then a blank line."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Case(NamedTuple):
    line: int
    title: str
    input: str
    expected: str


def read_fixture_file(path: Path) -> list[Case]:
    lines = path.read_text("utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        if lines[i + 1] != "." or lines[i + 3] != "." or lines[i + 5] != ".":
            raise ValueError(f"{path}:{i + 1}: a case is: title, `.`, input, `.`, expected, `.`")
        cases.append(Case(i + 1, title, lines[i + 2], lines[i + 4]))
        i += 6
    return cases

#!/usr/bin/env python3
"""Precision and recall of the words the cleaner removes, over the gold sets.

gold.txt was written with the cleaner and tunes it; heldout.txt (seed 002),
genres.txt and genres-heldout.txt (other speakers and genres, caption, Whisper
and vendor styles) were cleaned by hand by people who never saw the cleaner,
and measure how it does on text it was not fitted to. For each case the words
the hand-cleaned text drops are compared with the words the cleaner drops. A
false positive, a word the cleaner drops that the editor kept, matters most:
it misquotes the speaker. Each one is listed. A case is exact when the
cleaner's text is the editor's, punctuation and capitals included.

Figures are given per file and per ASR style: a case title starting
`caption:`, `whisper:` or `vendor:` names its style; cases of the older files
have none and count as one group.

    .venv/bin/python bench/clean_quality.py [--misses] [fixture.txt ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss import disfluency  # noqa: E402
from tests.goldfile import Case, read_fixture_file  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "clean"
GOLD_SETS = ("gold.txt", "heldout.txt", "genres.txt", "genres-heldout.txt")
STYLES = ("caption", "whisper", "vendor")
NO_STYLE = "seed 002 (no style)"


@dataclass
class Score:
    """Removed-word counts and exact matches over a group of cases."""

    right: int = 0
    """Words both the editor and the cleaner removed."""
    wrong: int = 0
    """Words the cleaner removed and the editor kept: misquotes."""
    missed: int = 0
    """Words the editor removed and the cleaner kept."""
    exact: int = 0
    cases: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    inexact: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0

    def add(self, other: Score) -> None:
        self.right += other.right
        self.wrong += other.wrong
        self.missed += other.missed
        self.exact += other.exact
        self.cases += other.cases
        self.false_positives += other.false_positives
        self.misses += other.misses
        self.inexact += other.inexact

    def line(self, name: str) -> str:
        return (f"{name}: precision {self.precision:.3f} ({self.wrong} wrongly removed), "
                f"recall {self.recall:.3f} ({self.right} of {self.right + self.missed}), "
                f"exact {self.exact}/{self.cases} ({self.exact / max(self.cases, 1):.0%})")


def bag(text: str) -> Counter[str]:
    """The words of a text, as a multiset, ignoring case and punctuation around them."""
    return Counter(t.word for t in disfluency.tokens(text) if t.word)


def style(case: Case) -> str:
    """`whisper: nurse: trap: ...` -> whisper; a title without a style prefix -> one group."""
    head = case.title.split(":", 1)[0].strip().lower()
    return head if head in STYLES else NO_STYLE


def score_case(case: Case, where: str) -> Score:
    """One case: which words each side removed, and whether the text is exact."""
    out = disfluency.apply(case.input, disfluency.find_edits(case.input))
    source = bag(case.input)
    # Which copy of a repeat goes is arbitrary, so compare what is removed
    # as multisets of words rather than by position.
    gold = source - bag(case.expected)
    got = source - bag(out)
    s = Score(right=sum((gold & got).values()), wrong=sum((got - gold).values()),
              missed=sum((gold - got).values()), exact=int(out == case.expected), cases=1)
    s.false_positives = [f"  {where}:{case.line}: removed {w!r} ({case.title})"
                         for w in (got - gold).elements()]
    s.misses = [f"  {where}:{case.line}: kept {w!r} ({case.title})" for w in (gold - got).elements()]
    if out != case.expected:
        s.inexact = [f"  {where}:{case.line}: {case.title}\n"
                     f"    got:      {out}\n    expected: {case.expected}"]
    return s


def score(path: Path) -> Score:
    """Every case of one fixture file."""
    total = Score()
    for case in read_fixture_file(path):
        total.add(score_case(case, path.name))
    return total


def by_style(paths: list[Path]) -> dict[str, Score]:
    """Every case of the files, grouped by ASR style."""
    groups: dict[str, Score] = {}
    for path in paths:
        for case in read_fixture_file(path):
            groups.setdefault(style(case), Score()).add(score_case(case, path.name))
    return groups


def main(argv: list[str]) -> None:
    show_misses = "--misses" in argv
    paths = [Path(a) for a in argv if a != "--misses"] or [
        FIXTURES / name for name in GOLD_SETS if (FIXTURES / name).exists()]
    wrong: list[str] = []
    print("per file")
    for path in paths:
        s = score(path)
        print(" ", s.line(path.name))
        wrong += s.false_positives
        if show_misses:
            print(*s.misses, *s.inexact, sep="\n")
    print("per style")
    for name, s in sorted(by_style(paths).items()):
        print(" ", s.line(name))
    print("meaningful words deleted (false positives):", *(wrong or ["  none"]), sep="\n")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Precision and recall of the words the cleaner removes, over the gold sets.

gold.txt was written with the cleaner and tunes it; heldout.txt (142 other
passages of seed 002) was cleaned by hand by someone who never saw the
cleaner, and measures how it does on text it was not fitted to. For each case
the words the hand-cleaned text
drops (found by aligning it with the input) are compared with the words the
cleaner drops. A false positive, a word the cleaner drops that the editor
kept, matters most: it misquotes the speaker. Each one is listed.

    .venv/bin/python bench/clean_quality.py [fixture.txt ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss import disfluency  # noqa: E402
from tests.goldfile import read_fixture_file  # noqa: E402


def bag(text: str) -> Counter[str]:
    """The words of a text, as a multiset, ignoring case and punctuation around them."""
    return Counter(t.word for t in disfluency.tokens(text) if t.word)


def score(path: Path) -> tuple[int, int, int, list[str], list[str]]:
    """(right, wrongly removed, missed, false positives, misses) over one fixture file."""
    tp = fp = fn = 0
    false_positives: list[str] = []
    misses: list[str] = []
    for case in read_fixture_file(path):
        source = bag(case.input)
        # Which copy of a repeat goes is arbitrary, so compare what is removed
        # as multisets of words rather than by position.
        gold = source - bag(case.expected)
        got = source - bag(disfluency.apply(case.input, disfluency.find_edits(case.input)))
        tp += sum((gold & got).values())
        fp += sum((got - gold).values())
        fn += sum((gold - got).values())
        false_positives += [f"  line {case.line}: removed {w!r} ({case.title})"
                            for w in (got - gold).elements()]
        misses += [f"  line {case.line}: kept {w!r} ({case.title})" for w in (gold - got).elements()]
    return tp, fp, fn, false_positives, misses


def main() -> None:
    fixtures = ROOT / "tests" / "fixtures" / "clean"
    paths = [Path(a) for a in sys.argv[1:]] or [fixtures / "gold.txt", fixtures / "heldout.txt"]
    for path in paths:
        tp, fp, fn, false_positives, misses = score(path)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{path.name}: {tp} removed words right, {fp} wrongly (false positives), {fn} missed; "
              f"precision {precision:.3f}, recall {recall:.3f}")
        if false_positives:
            print("false positives (meaningful words deleted):", *false_positives, sep="\n")
        if misses:
            print("misses:", *misses[:20], sep="\n")


if __name__ == "__main__":
    main()

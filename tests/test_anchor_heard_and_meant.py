"""A quote may fit the transcript as heard (its literal words) in one place and
as readers see it (a correction applied) in another. Both places count, in
either order: the quote is ambiguous, reported as any quote that matches twice,
and `occurrence: N` picks the Nth place in transcript order, whichever of the
two texts it was found in."""

from __future__ import annotations

import pytest

from .conftest import html, reading
from .test_errors import make_project, run_cli

CORRECTED = "I think GPD 5.1 is a big step."
"""Matches the quote only once `GPD 5.1` is corrected to `GPT-5.1`."""
LITERAL = "People say GPT-5.1 is a big step."
"""Matches the quote as written."""
ORDERS = {"corrected first": (CORRECTED, LITERAL), "literal first": (LITERAL, CORRECTED)}


def transcript(first: str, second: str) -> str:
    return f"Ann: {first}\nBo: {second}\n"


@pytest.mark.parametrize("order", list(ORDERS))
def test_a_quote_matching_heard_words_in_one_place_and_corrected_ones_in_another_is_ambiguous(tmp_path, order):
    first, second = ORDERS[order]
    sidecar = "corrections: {GPD 5.1: GPT-5.1}\nnotes: [{at: \"GPT-5.1 is a big step\", text: hi}]\n"
    project = make_project(tmp_path, {"content/t.txt": transcript(first, second), "content/t.yaml": sidecar})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "content/t.yaml:2:14: error: quote matches 2 places (transcript lines 1, 2)" in result.stderr, \
        result.stderr


@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize("occurrence", [1, 2])
def test_occurrence_counts_heard_and_corrected_places_in_transcript_order(make_site, order, occurrence):
    first, second = ORDERS[order]
    sidecar = ("corrections: {GPD 5.1: GPT-5.1}\n"
               f"notes: [{{at: {{quote: \"GPT-5.1 is a big step\", occurrence: {occurrence}}}, text: Here.}}]\n")
    site = make_site({"content/t.txt": transcript(first, second), "content/t.yaml": sidecar})
    page = html(site / "t" / "index.html")
    noted = [reading(p) for p in page.select("main .speech .with-notes > p")]
    shown = {CORRECTED: "I think GPT-5.1 is a big step.", LITERAL: LITERAL}
    assert noted == [shown[(first, second)[occurrence - 1]]], "the note is beside the paragraph picked"

"""Issue #26: the downloads made fast give exactly what the plain definitions
in tests/reference_captions.py give: the same captions cut at the same
places with the same lines, the same cue texts, the same caption and JSON
times, for any text, room, cues and times."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from gloss import caption_lines, captioning, exports
from gloss.errors import SourcePos
from gloss.formats.common import squash
from gloss.model import Cue, Paragraph, Span

from . import reference_captions as reference

WORD = st.text(st.sampled_from("ab é1.,!?…:;—–-\"”’)>[<{"), min_size=1, max_size=12) | st.sampled_from(
    ["-->", "00:09:00,000", "1", "42", "-", ">>", "Ann:", "so:", "[Ann]:", "<i>Bo:</i>", ".", ",", "…", ")",
     "end.", "end.”", "end?)", "clause,", "dash—", "x" * 45, "y" * 90, "Q*bert", "Dr."])
TEXT = st.lists(WORD | st.sampled_from([" ", "  ", "\u00a0", "\t"]), max_size=120).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(0, 60))
def test_captions_are_cut_where_the_plain_definition_cuts_them(text, room):
    pieces, lines = caption_lines.chunks(squash(text), room)
    assert list(zip(pieces, lines, strict=True)) == reference.chunks(text, room)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(1, 60), st.integers(0, 70))
def test_lines_are_filled_as_the_plain_definition_fills_them(text, width, indent):
    assert caption_lines.wrap(text, width, indent) == reference.wrap(text, width, indent)


def test_the_spaces_told_apart_are_those_str_split_splits_at():
    spaces = {c for c in map(chr, range(0x110000)) if c.isspace()} - {" "}
    assert {c for c in map(chr, range(0x110000)) if caption_lines.OTHER_SPACE.match(c)} == spaces
    assert set(caption_lines.ASCII_SPACE) == {c for c in spaces if c.isascii()}
    assert all(caption_lines.other_space(f"a{c}b") for c in spaces)
    assert not caption_lines.other_space("a b é\u200b中")


@given(st.text(st.sampled_from("ab é \t\n\u00a0\u2028\u3000\x1f\x85")))
def test_squash_is_the_common_squash(text):
    assert caption_lines.squash(text) == squash(text)


def test_the_characters_json_escapes_are_those_told_apart():
    for c in map(chr, range(0x110000)):
        escaped = json.encoder.encode_basestring(c) != f'"{c}"'  # type: ignore[attr-defined]
        assert caption_lines.has_any(f"x{c}y", exports.ESCAPED) == escaped, repr(c)


SPAN = st.tuples(st.text(st.sampled_from("ab .,?"), max_size=8), st.sampled_from(["", "drop", "fix", "same"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(SPAN, min_size=1, max_size=12), st.data())
def test_cue_texts_are_those_of_the_plain_definition(spans, data):
    made = []
    for verbatim, kind in spans:
        text = "" if kind == "drop" else verbatim.upper() if kind == "fix" else verbatim
        made.append(Span(verbatim, text, "drop" if kind == "drop" else ""))
    verbatim = "".join(s.verbatim for s in made)
    # Offsets as sources give them: rising, but some at the same place.
    offsets = sorted(data.draw(st.lists(st.integers(0, len(verbatim) + 2), min_size=1, max_size=15)))
    cues = tuple(Cue(o, k * 1.5, k * 1.5 + 1.0) for k, o in enumerate(offsets))
    para = Paragraph(verbatim, SourcePos("t"), spans=made, cues=cues)
    assert captioning.cue_texts(para) == reference.cue_texts(para)


TIME = st.floats(-10, 400_000, allow_nan=False) | st.sampled_from(
    [0.0, -0.0, 0.0005, 0.0015, 1.0005, 2.675, 59.9995, 3599.9995, 359_999.9995, 1e9, -1e9, 1e12,
     math.inf, -math.inf, math.nan]) | st.integers(0, 10_000)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ann", 'Bo "B"', "Cy\\", "é"]), TIME, TIME,
                          st.text(max_size=20)), min_size=1, max_size=20))
def test_json_segments_are_written_as_json_writes_them(rows):
    written = exports._timed_segments(*map(list, zip(*rows, strict=True)))  # type: ignore[arg-type]
    assert written == reference.json_segments(rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 500_000, allow_nan=False), st.floats(-5, 500_000, allow_nan=False)),
                min_size=1, max_size=20))
def test_caption_times_are_written_as_timestamp_writes_them(times):
    caps = [captioning.Caption(start, end, "Ann", "x", ["x"]) for start, end in times]
    assert exports.stamps(caps) == [f"{reference.timestamp(a)} --> {reference.timestamp(b or a)}"
                                    for a, b in times]

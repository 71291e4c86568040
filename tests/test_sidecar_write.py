"""Writing one entry into a sidecar by a textual insert (issue #27): the entry
goes at the end of the right list or mapping in the file's own style, and every
other byte of the file (comments, blank lines, order, quoting, flow or block
style, line endings) is kept."""

from __future__ import annotations

import pytest
import yaml

from gloss.sidecar_write import Quote, WriteError, add_record, append_item, scalar, set_entry


def one_insert(old: str, new: str) -> str:
    """What `new` adds to `old`, failing unless `old` is all still there, in one piece
    before and one after the insert."""
    start = 0
    while start < len(old) and old[start] == new[start]:
        start += 1
    inserted = new[start : start + len(new) - len(old)]
    assert new[:start] + new[start + len(inserted):] == old, "only an insert, nothing else changed"
    return inserted


FILE = """\
# yaml-language-server: $schema=../schema/annotations.schema.json
title: Rivers   # the episode
speakers:
  SPEAKER_1: ann-lee

notes:
  - at: "the river bends"
    text: >-
      A long note,
      folded.

  # A note to come.
chapters:
- {at: 'Sentence one', title: Start}
highlights: ["first"]
"""


def test_a_note_goes_after_the_last_note_before_the_comment_and_blank_line():
    new = append_item(FILE, "notes", [("at", Quote("a second place")), ("text", "More: here.")])
    assert one_insert(FILE, new) == '  - at: "a second place"\n    text: "More: here."\n'
    assert new.index("a second place") < new.index("\n\n  # A note to come.")
    assert yaml.safe_load(new)["notes"][1] == {"at": "a second place", "text": "More: here."}


def test_a_flow_item_list_gets_a_flow_item_in_its_quoting():
    new = append_item(FILE, "chapters", [("at", Quote("it's later")), ("title", "Later on")])
    assert one_insert(FILE, new) == "- {at: 'it''s later', title: Later on}\n"
    assert yaml.safe_load(new)["chapters"][1] == {"at": "it's later", "title": "Later on"}


def test_a_flow_list_grows_inside_its_brackets():
    new = append_item(FILE, "highlights", Quote("it works", 2))
    assert one_insert(FILE, new) == ', {quote: "it works", occurrence: 2}'
    assert yaml.safe_load(new)["highlights"] == ["first", {"quote": "it works", "occurrence": 2}]
    assert append_item("highlights: []\n", "highlights", Quote("a")) == 'highlights: ["a"]\n'


def test_a_missing_key_is_added_at_the_end_in_the_files_indentation():
    new = append_item(FILE, "turns", [("at", Quote("Hi Ann")), ("speaker", "bob"), ("join", False)])
    assert one_insert(FILE, new) == 'turns:\n  - at: "Hi Ann"\n    speaker: bob\n    join: false\n'
    flush = "cut:\n- from: x\n"
    assert one_insert(flush, append_item(flush, "notes", [("at", Quote("y")), ("text", "z")])) == \
        'notes:\n- at: y\n  text: z\n'


def test_mappings_get_a_pair_or_a_new_value():
    new = set_entry(FILE, "speakers", "SPEAKER_2", "bob-stone")
    assert one_insert(FILE, new) == "  SPEAKER_2: bob-stone\n"
    assert new.index("SPEAKER_2") < new.index("\nnotes:"), "before the blank line after the mapping"
    changed = set_entry(FILE, "speakers", "SPEAKER_1", "bob-stone")
    assert changed == FILE.replace("SPEAKER_1: ann-lee", "SPEAKER_1: bob-stone")
    new = set_entry(FILE, "corrections", "GPD 5.1", "GPT-5.1")
    assert one_insert(FILE, new) == "corrections:\n  GPD 5.1: GPT-5.1\n"
    assert set_entry("corrections: {a: b}\n", "corrections", "01", "o1") == 'corrections: {a: b, "01": o1}\n'


def test_the_glossary_and_topics_files_get_a_record_at_their_end():
    glossary = "# heard: meant\nGPD: GPT\n\n# more later\n"
    assert one_insert(glossary, set_entry(glossary, None, "Yan Khan", "Yann LeCun")) == \
        "Yan Khan: Yann LeCun\n"
    assert set_entry("", None, ">>", "x") == '">>": x\n'
    topics = "rivers:\n  title: Rivers\n  description: Water.\n"
    assert one_insert(topics, add_record(topics, "maps", "title", "Maps: old and new")) == \
        'maps:\n  title: "Maps: old and new"\n'
    assert add_record("rivers: Rivers\n", "maps", "title", "Maps") == "rivers: Rivers\nmaps: Maps\n"
    with pytest.raises(WriteError, match="already"):
        add_record(topics, "rivers", "title", "Again")


def test_an_empty_key_takes_the_entries_under_it():
    starter = "speakers:\n  # SPEAKER_1: person-id\n\n# turns:\n"
    new = set_entry(starter, "speakers", "SPEAKER_1", "ann")
    assert new == "speakers:\n  SPEAKER_1: ann\n  # SPEAKER_1: person-id\n\n# turns:\n"
    assert append_item("highlights: ~\n", "highlights", Quote("a")) == 'highlights:\n  - "a"\n'
    assert append_item("highlights:", "highlights", Quote("a")) == 'highlights:\n  - "a"\n'


def test_line_endings_and_a_missing_last_newline_are_kept():
    crlf = "title: x\r\nhighlights:\r\n  - 'a'\r\n"
    assert one_insert(crlf, append_item(crlf, "highlights", Quote("b"))) == "  - 'b'\r\n"
    bare = 'highlights:\n  - "a"'
    assert append_item(bare, "highlights", Quote("b")) == 'highlights:\n  - "a"\n  - "b"\n'
    assert append_item("", "highlights", Quote("b")) == 'highlights:\n  - "b"\n'


def test_values_are_quoted_so_they_read_back_exactly():
    for text in ("12:34", "yes", "a # b", "key: value", "'quoted'", '"q"', "- dash", "[x]", "émigré",
                 "tab\there", "100", "null", "@at", "back\\slash"):
        for style in ('"', "'", ""):
            assert yaml.safe_load("k: " + scalar(text, style)) == {"k": text}, (text, style)


def test_files_of_another_shape_are_refused():
    with pytest.raises(WriteError, match="not a list"):
        append_item("highlights: one\n", "highlights", Quote("a"))
    with pytest.raises(WriteError, match="block mapping"):
        append_item("- a\n", "highlights", Quote("a"))
    with pytest.raises(WriteError, match="not valid YAML"):
        append_item("a: [\n", "highlights", Quote("a"))


def test_an_entry_can_go_in_front_of_another_with_the_comments_above_it():
    chapters = 'chapters:\n  - at: "one"\n    title: One\n  # The second part.\n  - at: "three"\n    title: Three\n'
    new = append_item(chapters, "chapters", [("at", Quote("two")), ("title", "Two")], before=1)
    assert new == chapters.replace("  # The second", '  - at: "two"\n    title: Two\n  # The second')
    flow = "chapters: [{at: one, title: One}, {at: three, title: Three}]\n"
    assert append_item(flow, "chapters", [("at", Quote("two")), ("title", "Two")], before=1) == \
        "chapters: [{at: one, title: One}, {at: two, title: Two}, {at: three, title: Three}]\n"

"""What one toolbar action on a selection writes, and into which file: pure,
from the page as made, the action's fields and the files' current texts to
their new texts (see `sidecar_write` for how an entry is inserted, and
`quoting` for the quote it is anchored by).

Each kind maps to the sidecar key an editor would write by hand:

| action              | writes                                                    |
| ------------------- | --------------------------------------------------------- |
| highlight           | `highlights: - "<the selection>"`                         |
| note                | `notes: - {at: <quote>, text: ...}`                       |
| chapter             | `chapters: - {at: <quote>, title: ...}`                   |
| topic               | `topics: - {topic: id, from: <quote>, to: <quote>}` (and a new id in topics.yaml) |
| correction          | `corrections: {heard: meant}`, or glossary.yaml's         |
| cut                 | `cut: - {from: <quote>, to: <quote>, reason: ...}`        |
| turn                | `turns: - {at: <quote>, speaker: id}`                     |
| join                | `turns: - {at: <the turn's first words>, join: true}`     |
| speaker             | `speakers: {LABEL: id}`                                   |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import anchor
from .model import Page
from .quoting import Grow, Point, SelectionError, selected_words, shortest, text_of, turn_opening
from .sidecar_write import Field, add_record, append_item, set_entry

SIDECAR = "sidecar"
TOPICS = "topics.yaml"
GLOSSARY = "glossary.yaml"
KINDS = ("highlight", "note", "chapter", "topic", "correction", "cut", "turn", "join", "speaker")
MAX_TEXT = 5000
"""Characters of a note or any other field the toolbar sends: a note is a
paragraph, not a document."""


@dataclass(frozen=True, slots=True)
class Edit:
    """A file's new text: the sidecar, topics.yaml or glossary.yaml."""

    file: str
    text: str


def _text(fields: Mapping[str, object], key: str, required: bool = True) -> str:
    value = fields.get(key, "")
    if not isinstance(value, str):
        raise SelectionError(f"`{key}` must be text")
    value = value.strip()
    if required and not value:
        raise SelectionError(f"give the {key} to write")
    if len(value) > MAX_TEXT:
        raise SelectionError(f"the {key} is {len(value):,} characters long; at most {MAX_TEXT:,}")
    return value


def point(fields: Mapping[str, object], key: str) -> Point:
    """A selection end as the toolbar sends it: `{"p": paragraph id, "at": offset}`."""
    value = fields.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("p"), str) \
            or not isinstance(value.get("at"), int) or isinstance(value.get("at"), bool):
        raise SelectionError(f"`{key}` must be a paragraph id and an offset")
    return Point(value["p"], value["at"])


def plan(kind: str, fields: Mapping[str, object], page: Page, texts: Mapping[str, str]) -> list[Edit]:
    """The files' new texts for one action. `texts`: each file's current text
    (the sidecar's is a starter when it has none yet). Raises SelectionError for
    a selection or field that cannot be written; whether the entry anchors and
    names known people and topics is for `gloss check`'s own code to say."""
    if kind not in KINDS:
        raise SelectionError(f"unknown kind of entry `{kind}`")
    transcript = page.transcript
    start = point(fields, "start")
    sidecar = texts[SIDECAR]
    if kind == "join":
        index = anchor.Index(transcript)
        at = shortest(index, turn_opening(transcript, start.para), Grow.START)
        return [Edit(SIDECAR, append_item(sidecar, "turns", [("at", at), ("join", True)]))]
    if kind == "speaker":
        return [Edit(SIDECAR, _speaker(page, start, sidecar, _text(fields, "person")))]
    words = selected_words(transcript, start, point(fields, "end"))
    if kind == "correction":
        heard, meant = text_of(transcript, words), _text(fields, "meant")
        if fields.get("glossary") is True:
            return [Edit(GLOSSARY, set_entry(texts[GLOSSARY], None, heard, meant))]
        return [Edit(SIDECAR, set_entry(sidecar, "corrections", heard, meant))]
    index = anchor.Index(transcript)
    if kind == "highlight":
        return [Edit(SIDECAR, append_item(sidecar, "highlights", shortest(index, words, Grow.WHOLE)))]
    first = shortest(index, words, Grow.START)
    item: list[Field]
    if kind == "note":
        item = [("at", first), ("text", _text(fields, "text"))]
        return [Edit(SIDECAR, append_item(sidecar, "notes", item))]
    if kind == "chapter":  # chapters are listed in transcript order
        here = (words[0].turn, words[0].para)
        before = sum(1 for b in page.blocks if b.heading and (b.index, b.paragraphs[0][0]) < here)
        item = [("at", first), ("title", _text(fields, "title"))]
        return [Edit(SIDECAR, append_item(sidecar, "chapters", item, before))]
    if kind == "turn":
        item = [("at", first), ("speaker", _text(fields, "person"))]
        return [Edit(SIDECAR, append_item(sidecar, "turns", item))]
    last = shortest(index, words, Grow.END)
    if kind == "cut":
        reason = _text(fields, "reason", required=False)
        item = [("from", first), ("to", last)] + ([("reason", reason)] if reason else [])
        return [Edit(SIDECAR, append_item(sidecar, "cut", item))]
    topic = _text(fields, "topic")
    edits = [Edit(SIDECAR, append_item(sidecar, "topics", [("topic", topic), ("from", first), ("to", last)]))]
    title = _text(fields, "title", required=False)
    if title:  # a new topic: its id and title go into topics.yaml
        edits.insert(0, Edit(TOPICS, add_record(texts[TOPICS], topic, "title", title)))
    return edits


def _speaker(page: Page, start: Point, sidecar: str, person: str) -> str:
    """`speakers: {LABEL: person}` for the label of the turn the selection is in."""
    transcript = page.transcript
    turn = next((t for t in transcript.turns for p in t.paragraphs if p.id == start.para), None)
    if turn is None:
        raise SelectionError(f"no paragraph `{start.para}` on this page: reload it and select again")
    if turn.label in (">>", ""):
        raise SelectionError("this turn has no speaker label of its own (a `>>` mark or none): "
                             "use “A new turn starts here” to say who speaks")
    return set_entry(sidecar, "speakers", turn.label, person)

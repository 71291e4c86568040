"""Who says each turn: map transcript labels to people, or show labels as they are.

With no annotations a page still reads well: `SPEAKER_3` shows as "Speaker 3",
`>>` turns alternate between "Speaker 1" and "Speaker 2", and speech before
the first turn mark is "Unattributed". A sidecar's `speakers:` maps labels to
people from people.yaml; `">>": [host, guest]` alternates from the first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Meta, Person, Speaker, Transcript, Turn

UNATTRIBUTED = Speaker("unattributed", "Unattributed")


def label_name(label: str) -> str:
    """`SPEAKER_3` -> `Speaker 3`; real names are kept as written."""
    m = re.fullmatch(r"(?i)speaker[ _-]?(\d+)", label)
    return f"Speaker {m[1]}" if m else label


def label_key(label: str) -> str:
    return "label-" + (re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "x")


def _person(person: Person) -> Speaker:
    return Speaker("person-" + person.id, person.name, person.role, person=person.id)


def _speaker_for(label: str, meta: Meta, people: dict[str, Person]) -> Speaker:
    mapped = meta.speakers.get(label)
    if isinstance(mapped, str):
        return _person(people[mapped])
    if label == "":
        return UNATTRIBUTED
    return Speaker(label_key(label), label_name(label))


def _alternating(meta: Meta, people: dict[str, Person]) -> list[Speaker]:
    mapped = meta.speakers.get(">>")
    if isinstance(mapped, tuple) and mapped:
        return [_person(people[pid]) for pid in mapped]
    if isinstance(mapped, str):
        return [_person(people[mapped])]
    return [Speaker("speaker-1", "Speaker 1"), Speaker("speaker-2", "Speaker 2")]


def attribute(
    transcript: Transcript, meta: Meta, people: dict[str, Person]
) -> tuple[Transcript, list[Speaker]]:
    """Set every turn's speaker; return the speakers in order of first appearance,
    each with its palette colour."""
    cycle = _alternating(meta, people)
    seen: dict[str, Speaker] = {}
    turns: list[Turn] = []
    marks = 0
    for turn in transcript.turns:
        if turn.label == ">>":
            speaker = cycle[marks % len(cycle)]
            marks += 1
        else:
            speaker = _speaker_for(turn.label, meta, people)
        if speaker.key not in seen:
            seen[speaker.key] = replace(speaker, color=len(seen))
        turns.append(replace(turn, speaker=speaker.key))
    return replace(transcript, turns=turns), list(seen.values())

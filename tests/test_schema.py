"""The JSON Schema for sidecar annotation files, `schema/annotations.schema.json`.

Editors with a YAML language server get completion, hover docs and validation
from it when a sidecar starts with
`# yaml-language-server: $schema=../schema/annotations.schema.json`.
It is only useful if it agrees with the parser: everything `parse_sidecar`
accepts must validate, and what it rejects must not.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from gloss.errors import SiteError
from gloss.model import Person, Site, Topic
from gloss.sidecar import SIDECAR_KEYS, parse_sidecar

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "gloss" / "schema" / "annotations.schema.json"
SITE_WIDE_FILES = {"people.yaml", "topics.yaml", "glossary.yaml"}

SITE = Site(
    people={pid: Person(pid, name) for pid, name in [
        ("jacob-effron", "Jacob Effron"), ("lukasz-kaiser", "Lukasz Kaiser"), ("matt-turck", "Matt Turck"),
    ]},
    topics={tid: Topic(tid, title) for tid, title in [
        ("transformer", "The Transformer"), ("coding-agents", "Coding agents"),
    ]},
)


def as_json(value: Any) -> Any:
    """What a YAML language server sees: PyYAML's dates become ISO text, keys become text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(validator: Draft202012Validator, text: str) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(as_json(yaml.safe_load(text)))]


def test_the_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_knows_exactly_the_top_level_keys_the_parser_knows(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(SIDECAR_KEYS)
    assert schema["additionalProperties"] is False


def test_every_property_has_hover_docs(schema: dict[str, Any]) -> None:
    missing = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not sub.get("description"):
                    missing.append(f"{path}/{name}")
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(schema, "")
    assert not missing
    assert schema["$defs"]["selector"]["description"]


EXAMPLE_SIDECARS = sorted(p for p in (ROOT / "content").glob("*.yaml") if p.name not in SITE_WIDE_FILES)


def test_the_example_site_has_sidecars_to_check() -> None:
    assert EXAMPLE_SIDECARS


@pytest.mark.parametrize("path", EXAMPLE_SIDECARS, ids=lambda p: p.name)
def test_every_example_sidecar_validates(validator: Draft202012Validator, path: Path) -> None:
    assert schema_errors(validator, path.read_text("utf-8")) == []


VALID = {
    "every key, selectors as text": """\
# yaml-language-server: $schema=../schema/annotations.schema.json
title: Lukasz Kaiser on generalization (Unsupervised Learning)
date: 2025-11-28
description: >-
  Jacob Effron talks with *Lukasz Kaiser* about [generalization](https://example.com).
source: https://example.com/episode
media:
  youtube: dQw4w9WgXcQ
speakers:
  Jacob Effron: jacob-effron
  SPEAKER_3: lukasz-kaiser
  ">>": [matt-turck, lukasz-kaiser]
turns:
  - at: "There is this thing that's happening in AI"
    speaker: lukasz-kaiser
  - at: "Lush, welcome."
    join: true
cut:
  - from: "57 more minutes of transcript below"
    reason: vendor promo (not speech)
  - from: "This episode is brought to you by"
    to: "Now back to the show."
corrections:
  Chat GPT: ChatGPT
  "01": o1
chapters:
  - at: "0:00"
    title: Cold open
  - at: "1:02:03.5"
    title: The end
  - at: "So I'd love to do a little bit of a deep dive"
    title: How reasoning models work
topics:
  - topic: transformer
    from: "Of course, we had to talk about the Transformer"
    to: "what its shortcomings are."
  - topic: coding-agents
    from: "Why do you think Anthropic was the first"
notes:
  - at: "one of the authors of the Transformer paper"
    text: >-
      "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)" (2017).
highlights:
  - "That's not how we learn."
""",
    "selectors as objects": """\
turns:
  - at: {quote: "So, so", occurrence: 2}
    speaker: matt-turck
cut:
  - from: {time: "12:34"}
    to: {quote: "back to the show", occurrence: 1}
chapters:
  - at: {time: " 1:02:03 "}
    title: Later
topics:
  - topic: transformer
    from: {quote: "attention"}
    to: {quote: "attention", occurrence: "3"}
notes:
  - at: {quote: "12:34"}
    text: A quote that is only a time is taken as a time.
highlights:
  - {quote: "who wins?", occurrence: 12}
""",
    "audio media": "media: {audio: 'https://example.com/episode.mp3'}\n",
    "video media": "media:\n  video: http://example.com/episode.mp4\n",
    "audio in the site": "media: {audio: static/episode.mp3}\n",
    "youtube watch address": "media: {youtube: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s'}\n",
    "youtube short address": "media: {youtube: 'https://youtu.be/dQw4w9WgXcQ?t=5'}\n",
    "youtube shorts address": "media: {youtube: 'https://www.youtube.com/shorts/dQw4w9WgXcQ'}\n",
    "youtube embed address": "media: {youtube: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'}\n",
    "numbers taken as text": """\
title: 1984
corrections: {two: 2, pi: 3.14}
chapters:
  - at: "0:00"
    title: 2024
cut:
  - from: "the ad"
    reason: 30
""",
    "a speaker with join false": "turns:\n  - {at: \"Lush, welcome.\", speaker: matt-turck, join: false}\n",
    "a single person for >>": "speakers:\n  \">>\": matt-turck\n",
    "empty lists and maps": "speakers: {}\nturns: []\ncut: []\ncorrections: {}\nchapters: []\n"
                            "topics: []\nnotes: []\nhighlights: []\n",
    "empty texts": "title: ''\ndescription: ''\ncut:\n  - {from: the ad, reason: ''}\n",
    "every key left empty": "".join(f"{key}:\n" for key in SIDECAR_KEYS),
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_what_the_parser_accepts_validates(validator: Draft202012Validator, text: str) -> None:
    parse_sidecar("talk.yaml", text, SITE)
    assert schema_errors(validator, text) == []


def test_the_valid_examples_use_every_key_and_both_selector_forms() -> None:
    docs = [yaml.safe_load(text) for text in VALID.values()]
    assert set().union(*docs) == set(SIDECAR_KEYS)
    selectors = [turn["at"] for doc in docs for turn in doc.get("turns") or []]
    assert any(isinstance(s, str) for s in selectors)
    assert any(isinstance(s, dict) for s in selectors)


INVALID = {
    "unknown top-level key": ("topcis:\n  - {topic: transformer, from: attention}\n", "unknown key `topcis`"),
    "turn fix with speaker and join": (
        "turns:\n  - {at: \"Lush, welcome.\", speaker: matt-turck, join: true}\n", "either `speaker"),
    "turn fix with join false only": ("turns:\n  - {at: \"Lush, welcome.\", join: false}\n", "either `speaker"),
    "turn fix without at": ("turns:\n  - {speaker: matt-turck}\n", "needs `at`"),
    "turns not a list": ("turns:\n  at: hello\n  join: true\n", "must be a list"),
    "chapter without title": ("chapters:\n  - at: \"0:28\"\n", "a chapter needs"),
    "media with two keys": (
        "media:\n  youtube: dQw4w9WgXcQ\n  audio: https://example.com/a.mp3\n", "exactly one of"),
    "empty media": ("media: {}\n", "exactly one of"),
    "media with an unknown key": ("media: {vimeo: '123456789'}\n", "unknown key `vimeo`"),
    "address of another video site": (
        "media: {youtube: 'https://vimeo.com/123456789'}\n", "must be a video id"),
    "youtube channel address": (
        "media: {youtube: 'https://www.youtube.com/@somechannel'}\n", "must be a video id"),
    "audio with another scheme": ("media: {audio: 'javascript:alert(1)'}\n", "must be a web address"),
    "audio from another host without a scheme": ("media: {audio: //example.com/a.mp3}\n", "must be a web address"),
    "audio at the host's root": ("media: {audio: /static/episode.mp3}\n", "without the leading"),
    "source not a web address": ("source: ftp://example.com/episode\n", "must be a web address"),
    "occurrence 0": ("highlights:\n  - {quote: attention, occurrence: 0}\n", "1 or more"),
    "occurrence not a count": ("highlights:\n  - {quote: attention, occurrence: twice}\n", "1 or more"),
    "selector with quote and time": ("highlights:\n  - {quote: attention, time: '0:05'}\n", "either `quote`"),
    "selector with only occurrence": ("highlights:\n  - {occurrence: 2}\n", "either `quote`"),
    "selector with an unknown key": ("highlights:\n  - {quote: attention, nth: 2}\n", "unknown key `nth`"),
    "time that is not a time": ("chapters:\n  - {at: {time: noon}, title: Lunch}\n", "a time like"),
    "quote without words": ("highlights:\n  - '...'\n", "quote some words"),
    "note without text": ("notes:\n  - at: attention\n", "a note needs"),
    "note with an unknown key": ("notes:\n  - {at: attention, text: hi, colour: red}\n", "unknown key `colour`"),
    "cut without from": ("cut:\n  - {to: the end}\n", "a cut needs `from`"),
    "topic span without from": ("topics:\n  - {topic: transformer, to: the end}\n", "a topic span needs"),
    "topic id that cannot exist": ("topics:\n  - {topic: Transformer, from: attention}\n", "unknown topic"),
    "empty chapter title": ("chapters:\n  - at: '0:28'\n    title:\n", "is empty"),
    "empty selector": ("highlights:\n  -\n", "is empty"),
    "a highlight that is a time": ("highlights:\n  - '0:05'\n", "quotes the words to mark"),
    "a highlight that is a time object": ("highlights:\n  - {time: '0:05'}\n", "quotes the words to mark"),
    "occurrence with a time": ("highlights:\n  - {time: '0:05', occurrence: 1}\n", "a time is unique"),
    "date that is not a date": ("date: last week\n", "must be a date"),
    "blank word corrected": ("corrections:\n  ' ': x\n", "empty word"),
    "correction that is a list": ("corrections:\n  Chat GPT: [ChatGPT]\n", "must be text"),
    "speakers as a list": ("speakers:\n  - jacob-effron\n", "must be a mapping"),
    "highlights as text": ("highlights: attention\n", "must be a list"),
    "a document that is a list": ("- title: x\n", "must be a mapping"),
}


@pytest.mark.parametrize(("text", "message"), INVALID.values(), ids=INVALID.keys())
def test_what_the_parser_rejects_does_not_validate(
    validator: Draft202012Validator, text: str, message: str
) -> None:
    with pytest.raises(SiteError, match=message):
        parse_sidecar("talk.yaml", text, SITE)
    assert schema_errors(validator, text) != []


def test_an_unquoted_time_is_a_time_though_yaml_1_1_reads_it_as_a_number(
    validator: Draft202012Validator,
) -> None:
    """YAML 1.1 (PyYAML) reads `at: 12:34` as the sexagesimal number 754; the parser
    reads what was written, as a language server (YAML 1.2) does."""
    text = "chapters:\n  - at: 12:34\n    title: Lunch\n"
    chapter = parse_sidecar("talk.yaml", text, SITE).chapters[0]
    assert (chapter.at.quote, chapter.at.time) == ("", 754.0)
    quoted = text.replace("12:34", '"12:34"')
    assert parse_sidecar("talk.yaml", quoted, SITE).chapters[0].at.time == 754.0
    assert schema_errors(validator, quoted) == []


@pytest.mark.parametrize("text", [
    "turns:\n  - {at: attention, speaker: [matt-turck, lukasz-kaiser]}\n",
    "highlights:\n  - {quote: {quote: attention, occurrence: 2}}\n",
], ids=["a list of speakers for one turn", "a quote inside a quote"])
def test_schema_and_parser_both_refuse_ambiguous_shapes(
    validator: Draft202012Validator, text: str
) -> None:
    """One turn has one speaker, and a quote is text, not another selector."""
    assert schema_errors(validator, text) != []
    with pytest.raises(SiteError):
        parse_sidecar("talk.yaml", text, SITE)


@pytest.mark.parametrize("date", ["2025-13-01", "2025-02-30", "25-11-28"])
def test_impossible_dates_are_flagged(validator: Draft202012Validator, date: str) -> None:
    assert schema_errors(validator, f"date: '{date}'\n") != []

"""`build.py new content/<file>`: a starter annotation file for a transcript.

It lists the transcript's speaker labels with a line to map each to a person,
says how many turns were found, and shows every other key commented out with
an example, so an editor can fill it in without reading the docs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from . import formats
from .errors import FormatError, SourcePos
from .fsutil import read_text, write_new
from .page import title_from_slug

SCHEMA = Path(__file__).resolve().parent / "schema" / "annotations.schema.json"
"""The schema as gloss ships it."""
SCHEMA_PLACES = ("schema/annotations.schema.json", "gloss/schema/annotations.schema.json")
"""Where a site keeps the schema (`gloss init` writes the first; this repository has the second)."""


def schema_comment(sidecar: Path) -> str:
    """The line that gives YAML editors the schema, relative to the sidecar, when
    the site has a copy of it in a folder above the sidecar."""
    folder = sidecar.resolve().parent
    for above in (folder, *folder.parents):
        for place in SCHEMA_PLACES:
            if (above / place).is_file():
                return _schema_line(above / place, sidecar)
    return ""


def _schema_line(schema: Path, sidecar: Path) -> str:
    rel = os.path.relpath(schema.resolve(), sidecar.resolve().parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"


def _yaml_key(label: str) -> str:
    return label if label.replace(" ", "").replace("_", "").replace("-", "").isalnum() \
        else '"' + label.replace('"', '\\"') + '"'


def starter(shown: str, text: str, stem: str, schema: str = "") -> str:
    """The text of a starter sidecar for the transcript `text`."""
    transcript = formats.parse(shown, text)
    labels = Counter(t.label for t in transcript.turns)
    lines = [
        schema,
        f"# Annotations for {Path(shown).name}: {len(transcript.turns)} turns "
        f"({transcript.format} format). Every key is optional.\n",
        f"title: {json.dumps(transcript.title or title_from_slug(stem), ensure_ascii=False)}\n",
        "# date: 2025-11-28\n",
        "# source: https://example.com/episode        # where the recording is\n",
        "# media: {youtube: VIDEO_ID}                 # or {audio: URL}: timestamps play it\n",
        "# description: One or two sentences, *Markdown* allowed.\n",
        "\n",
        "# Who speaks: map each label to a person id from people.yaml.\n",
        "speakers:\n",
    ]
    for label, count in labels.items():
        if label == ">>":
            lines.append(f'  # ">>" marks {count} speaker changes; its turns alternate from the first:\n')
            lines.append('  # ">>": [host-id, guest-id]\n')
        elif label == "":
            lines.append("  # Speech before the first turn mark: give it a speaker under `turns`.\n")
        else:
            lines.append(f"  # {_yaml_key(label)}: person-id          # {count} turn(s)\n")
    lines += [
        "\n",
        "# turns:                                     # fix who speaks where (quotes from the text)\n",
        '#   - at: "words where another person starts"\n',
        "#     speaker: person-id\n",
        '#   - at: "first words of a turn that is the same person going on"\n',
        "#     join: true\n",
        "# cut:\n",
        '#   - from: "first words to drop"              # to the end when there is no `to`\n',
        '#     to: "last words to drop"\n',
        "#     reason: vendor promo\n",
        "# corrections:                               # heard: meant, whole words\n",
        "#   GPD 5.1: GPT-5.1\n",
        "# chapters:\n",
        '#   - at: "a quote or a time like 12:34"\n',
        "#     title: Introduction\n",
        "# topics:                                    # topic ids from topics.yaml\n",
        "#   - topic: topic-id\n",
        '#     from: "first words"\n',
        '#     to: "last words"\n',
        "# notes:\n",
        '#   - at: "a quote"\n',
        "#     text: Context for readers, *Markdown* and [links](https://example.com).\n",
        "# highlights:\n",
        '#   - "a memorable quote"\n',
    ]
    return "".join(lines)


def write_starter(transcript: Path, site: Path | None = None) -> list[Path]:
    """Write `<stem>.yaml` beside the transcript; never overwrite one. The
    starter's first line points YAML editors at the site's schema; a site
    under `site` that has no copy of it (one not made by `gloss init`) gets
    one in `schema/`, as `init` would write it. The paths written, the
    starter first."""
    shown = str(transcript)
    if transcript.suffix.lower() not in formats.EXTENSIONS:
        raise FormatError(SourcePos(shown), "not a transcript file",
                          "give a transcript from content/ (" + ", ".join(formats.EXTENSIONS) + ")")
    target = transcript.with_suffix(".yaml")
    if target.exists():
        raise FormatError(SourcePos(str(target)), "annotation file already exists; not overwriting it")
    text = read_text(transcript, FormatError, shown)
    comment = schema_comment(target)
    copy = None
    if not comment and site is not None and site.resolve() in target.resolve().parents:
        copy = site / SCHEMA_PLACES[0]
        comment = _schema_line(copy, target)
    write_new(target, starter(shown, text, transcript.stem, comment), FormatError)
    if copy is None:
        return [target]
    try:  # the starter first: a folder that refuses it gets no schema either
        copy.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FormatError(SourcePos(str(copy)), f"cannot write file: {exc.strerror or exc}") from None
    write_new(copy, SCHEMA.read_text(encoding="utf-8"), FormatError)
    return [target, copy]

"""Sidecar YAML (`<slug>.yaml`) and people.yaml, read into typed records that keep their position.

Every key is checked: an unknown key, a wrong type or a person id that is not
in people.yaml is an `AnnotationError` at the YAML file's line and column.
"""

from __future__ import annotations

import yaml

from . import yamlfile
from .errors import AnnotationError
from .model import Meta, Person

SIDECAR_KEYS = ("title", "date", "description", "source", "speakers")
PERSON_KEYS = ("name", "role")


def parse_people(shown: str, text: str) -> dict[str, Person]:
    """`content/people.yaml`: person id -> name and role."""
    doc = yamlfile.parse(shown, text, AnnotationError)
    if doc.root is None:
        return {}
    people: dict[str, Person] = {}
    for pid, node in yamlfile.mapping(doc, doc.root, (), "people.yaml").items():
        if isinstance(node, yaml.ScalarNode):
            people[pid] = Person(pid, yamlfile.string(doc, node, f"`{pid}`"), pos=doc.pos(node))
            continue
        fields = yamlfile.mapping(doc, node, PERSON_KEYS, f"person `{pid}`")
        if "name" not in fields:
            raise doc.fail(node, f"person `{pid}` needs a `name`")
        role = yamlfile.string(doc, fields["role"], "`role`") if "role" in fields else ""
        people[pid] = Person(pid, yamlfile.string(doc, fields["name"], "`name`"), role,
                             doc.pos(node))
    return people


def parse_sidecar(shown: str, text: str, people: dict[str, Person]) -> Meta:
    """A transcript's `<slug>.yaml`. An empty file is allowed and means no annotations."""
    doc = yamlfile.parse(shown, text, AnnotationError)
    if doc.root is None:
        return Meta()
    fields = yamlfile.mapping(doc, doc.root, SIDECAR_KEYS, "the annotation file")
    speakers: dict[str, str | tuple[str, ...]] = {}
    if "speakers" in fields:
        for label, node in yamlfile.mapping(doc, fields["speakers"], (), "`speakers`").items():
            ids = yamlfile.string_list(doc, node, f"speaker `{label}`")
            items = node.value if isinstance(node, yaml.SequenceNode) else [node]
            for pid, item in zip(ids, items, strict=True):
                if pid not in people:
                    known = ", ".join(sorted(people)) or "none yet"
                    raise doc.fail(item, f"unknown person `{pid}`",
                                   f"add it to people.yaml (known: {known})")
            if isinstance(node, yaml.SequenceNode):
                speakers[label] = tuple(ids)
            else:
                speakers[label] = ids[0]
    return Meta(
        title=yamlfile.string(doc, fields["title"], "`title`") if "title" in fields else "",
        date=yamlfile.date(doc, fields["date"], "`date`") if "date" in fields else None,
        description=(yamlfile.string(doc, fields["description"], "`description`")
                     if "description" in fields else ""),
        source=_url(doc, fields["source"]) if "source" in fields else "",
        speakers=speakers,
        pos=doc.pos(doc.root),
    )


def _url(doc: yamlfile.YamlDoc, node: yaml.Node) -> str:
    url = yamlfile.string(doc, node, "`source`")
    if not url.startswith(("http://", "https://")):
        raise doc.fail(node, "`source` must be a web address starting with http:// or https://")
    return url

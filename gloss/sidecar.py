"""Sidecar YAML (`<slug>.yaml`) and the site-wide people, topics and glossary files,
read into typed records that keep the position of every value.

Every key is checked: an unknown key, a wrong type, or a person or topic id
that is not defined is an `AnnotationError` at the YAML file's line and column.
Quotes are only read here; `anchor` finds them in the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from . import yamlfile
from .config import CleanConfig, read_clean
from .errors import AnnotationError, SourcePos
from .formats.common import TIME, seconds
from .model import (
    Chapter,
    Cut,
    Media,
    Meta,
    Note,
    Person,
    Selector,
    Site,
    Topic,
    TopicSpan,
    TurnFix,
)

SIDECAR_KEYS = ("title", "date", "description", "source", "media", "speakers", "turns", "cut",
                "corrections", "chapters", "topics", "notes", "highlights", "clean", "draft")
PERSON_KEYS = ("name", "role", "bio", "links")
TOPIC_KEYS = ("title", "description")
SAFE_URL = ("http://", "https://")
_TIME_ONLY = re.compile(rf"^\s*{TIME}\s*$")

Doc = yamlfile.YamlDoc
Node = yaml.Node


def _text(doc: Doc, fields: dict[str, Node], key: str, what: str = "") -> str:
    return yamlfile.string(doc, fields[key], what or f"`{key}`") if key in fields else ""


def _url(doc: Doc, node: Node, what: str) -> str:
    url = yamlfile.string(doc, node, what)
    if not url.startswith(SAFE_URL):
        raise doc.fail(node, f"{what} must be a web address starting with http:// or https://")
    return url


YOUTUBE_ID = re.compile(r"[\w-]{6,20}")
YOUTUBE_URL = re.compile(
    r"(?:https?://)?(?:(?:www|m|music)\.)?(?:youtube\.com|youtube-nocookie\.com)/"
    r"(?:watch/?\?(?:[^#]*&)?v=|embed/|shorts/|live/|v/)(?P<id>[\w-]{6,20})(?:[?&#/].*)?"
    r"|(?:https?://)?youtu\.be/(?P<short>[\w-]{6,20})(?:[?#/].*)?"
)
"""A video's address: watch, youtu.be, shorts, live and embed forms."""


def youtube_id(doc: Doc, node: Node) -> str:
    """A YouTube video id, written bare or inside any usual address of the video."""
    text = yamlfile.string(doc, node, "`youtube`").strip()
    if YOUTUBE_ID.fullmatch(text):
        return text
    m = YOUTUBE_URL.fullmatch(text)
    if m:
        return m["id"] or m["short"]
    raise doc.fail(node, "`youtube` must be a video id, like dQw4w9WgXcQ, or the video's address",
                   "youtube.com/watch?v=..., youtu.be/..., youtube.com/shorts/... and "
                   "youtube.com/embed/... addresses are read")


def media_url(doc: Doc, node: Node, what: str) -> str:
    """A recording's address: a web address, or a path to a file in the site
    (`static/episode.mp3`, relative to the site root so pages at any depth and a
    site published under any path find it)."""
    url = yamlfile.string(doc, node, what).strip()
    if url.startswith(SAFE_URL):
        return url
    if url.startswith("/") and not url.startswith("//"):
        raise doc.fail(node, f"{what} is a path in the site without the leading `/`",
                       f"write `{url.lstrip('/')}`: paths are read from the site root, "
                       "so the site works wherever it is published")
    if re.match(r"[A-Za-z][\w+.-]*:|//|\\", url):
        raise doc.fail(node, f"{what} must be a web address starting with http:// or https://, "
                             "or a path to a file in the site like static/episode.mp3")
    return url


def _list(doc: Doc, node: Node, what: str) -> list[Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise doc.fail(node, f"{what} must be a list (lines starting with `- `)")
    return list(node.value)


def _entries(doc: Doc, f: dict[str, Node], key: str, allowed: tuple[str, ...],
             required: tuple[str, ...], what: str, needs: str) -> Iterator[tuple[Node, dict[str, Node]]]:
    """The items of the list under `key`, each a mapping of `allowed` keys that
    has every `required` one (else `needs` is the error)."""
    for item in _list(doc, f[key], f"`{key}`") if key in f else []:
        fields = yamlfile.mapping(doc, item, allowed, what)
        if any(r not in fields for r in required):
            raise doc.fail(item, needs)
        yield item, fields


def _ids(doc: Doc, node: Node, known: dict[str, object], kind: str, file: str) -> list[str]:
    """Ids (one or a list) that must be defined in `file`."""
    ids = yamlfile.string_list(doc, node, f"the {kind}")
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for ident, item in zip(ids, items, strict=True):
        if ident not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise doc.fail(item, f"unknown {kind} `{ident}`", f"add it to {file} (known: {listed})")
    return ids


def selector(doc: Doc, node: Node, what: str) -> Selector:
    """A quote, a timestamp (`12:34`), or `{quote: ..., occurrence: N}`."""
    pos = doc.pos(node)
    if isinstance(node, yaml.MappingNode):
        fields = yamlfile.mapping(doc, node, ("quote", "time", "occurrence"), what)
        if ("quote" in fields) == ("time" in fields):
            raise doc.fail(node, f"{what} needs either `quote` or `time`")
        occurrence = 0
        if "occurrence" in fields:
            occurrence = yamlfile.positive(doc, fields["occurrence"], "`occurrence`")
        if "time" in fields:
            if occurrence:
                raise doc.fail(fields["occurrence"], "`occurrence` is for quotes; a time is unique")
            return _time(doc, fields["time"], what)
        if not isinstance(fields["quote"], yaml.ScalarNode):
            raise doc.fail(fields["quote"], "`quote` must be text")
        inner = selector(doc, fields["quote"], what)
        return Selector(inner.pos, inner.quote, inner.time, occurrence, inner.source_line)
    text = yamlfile.string(doc, node, what)
    if _TIME_ONLY.match(text):
        return Selector(pos, time=seconds(text.strip()), source_line=doc.line(pos.line))
    if not re.search(r"\w", text):
        raise doc.fail(node, f"{what} must quote some words of the transcript")
    return Selector(pos, quote=text, source_line=doc.line(pos.line))


def _time(doc: Doc, node: Node, what: str) -> Selector:
    text = yamlfile.string(doc, node, what)
    if not _TIME_ONLY.match(text):
        raise doc.fail(node, f"{what} must be a time like 12:34 or 1:02:03")
    pos = doc.pos(node)
    return Selector(pos, time=seconds(text.strip()), source_line=doc.line(pos.line))


def _check_id(doc: Doc, node: Node, ident: str, kind: str) -> None:
    """Person and topic ids become page addresses (people/<id>/, topics/<id>/)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", ident):
        folder = "people" if kind == "person" else "topics"
        raise doc.fail(node, f"{kind} id `{ident}` must be lowercase letters, digits, `-` or `_`",
                       f"it becomes the page address {folder}/<id>/")


def _records(shown: str, text: str, kind: str, keys: tuple[str, ...], main: str
             ) -> Iterator[tuple[Doc, str, dict[str, Node]]]:
    """The entries of people.yaml or topics.yaml: an id (usable as a page
    address) with either its `main` value alone (`ann: Ann Lee`) or a mapping
    of `keys` that has `main`."""
    doc = yamlfile.parse(shown, text, AnnotationError)
    if doc.root is None:
        return
    key_nodes = yamlfile.key_nodes(doc.root) if isinstance(doc.root, yaml.MappingNode) else {}
    for ident, node in yamlfile.mapping(doc, doc.root, (), Path(shown).name).items():
        _check_id(doc, key_nodes[ident], ident, kind)
        if isinstance(node, yaml.ScalarNode):
            yield doc, ident, {main: node}
            continue
        fields = yamlfile.mapping(doc, node, keys, f"{kind} `{ident}`")
        if main not in fields:
            raise doc.fail(node, f"{kind} `{ident}` needs a `{main}`")
        yield doc, ident, fields


def parse_people(shown: str, text: str) -> dict[str, Person]:
    """`content/people.yaml`: person id -> name (or name, role, bio, links)."""
    people: dict[str, Person] = {}
    for doc, pid, fields in _records(shown, text, "person", PERSON_KEYS, "name"):
        links = tuple((label, _url(doc, url, f"link `{label}`")) for label, url in
                      yamlfile.mapping(doc, fields["links"], (), "`links`").items()) \
            if "links" in fields else ()
        people[pid] = Person(pid, _text(doc, fields, "name"), _text(doc, fields, "role"),
                             _text(doc, fields, "bio"), links)
    return people


def parse_topics(shown: str, text: str) -> dict[str, Topic]:
    """`content/topics.yaml`: topic id -> title (or title and Markdown description)."""
    return {tid: Topic(tid, _text(doc, fields, "title"), _text(doc, fields, "description"))
            for doc, tid, fields in _records(shown, text, "topic", TOPIC_KEYS, "title")}


def corrections(doc: Doc, node: Node, what: str
                ) -> tuple[tuple[tuple[str, str], ...], dict[str, SourcePos]]:
    """`heard: meant` pairs, and where each heard form is written."""
    pairs = []
    keys = yamlfile.key_nodes(node) if isinstance(node, yaml.MappingNode) else {}
    for heard, value in yamlfile.mapping(doc, node, (), what).items():
        if not heard.strip():
            raise doc.fail(node, f"an empty word cannot be corrected in {what}")
        pairs.append((heard, yamlfile.string(doc, value, f"the correction of `{heard}`")))
    return tuple(pairs), {heard: doc.pos(k) for heard, k in keys.items()}


def parse_glossary(shown: str, text: str) -> tuple[tuple[str, str], ...]:
    """`content/glossary.yaml`: site-wide corrections, `heard: meant`."""
    doc = yamlfile.parse(shown, text, AnnotationError)
    return () if doc.root is None else corrections(doc, doc.root, "glossary.yaml")[0]


def parse_sidecar(shown: str, text: str, site: Site, clean: CleanConfig | None = None) -> Meta:
    """A transcript's `<slug>.yaml`. An empty file is allowed and means no annotations.
    `clean` is the site's cleaning settings, which the sidecar's `clean:` overrides."""
    clean = clean or CleanConfig()
    doc = yamlfile.parse(shown, text, AnnotationError)
    if doc.root is None:
        return Meta(clean=clean)
    f = yamlfile.mapping(doc, doc.root, SIDECAR_KEYS, "the annotation file")
    f = {key: node for key, node in f.items() if not yamlfile.is_null(node)}  # `key:` left empty
    people: dict[str, object] = dict(site.people)

    speakers: dict[str, str | tuple[str, ...]] = {}
    speaker_pos: dict[str, SourcePos] = {}
    if "speakers" in f:
        for label, node in yamlfile.mapping(doc, f["speakers"], (), "`speakers`").items():
            if isinstance(node, yaml.SequenceNode) and label != ">>":
                raise doc.fail(node, f"`{label}` is one person; only `>>` turns alternate "
                                     "between several")
            ids = _ids(doc, node, people, "person", "people.yaml")
            speakers[label] = tuple(ids) if isinstance(node, yaml.SequenceNode) else ids[0]
            speaker_pos[label] = doc.pos(node)

    turns = []
    for item, fields in _entries(doc, f, "turns", ("at", "speaker", "join"), ("at",), "a turn fix",
                                 "a turn fix needs `at`: a quote where the turn starts"):
        join = "join" in fields and yamlfile.boolean(doc, fields["join"], "`join`")
        if "speaker" in fields and not isinstance(fields["speaker"], yaml.ScalarNode):
            raise doc.fail(fields["speaker"], "`speaker` is one person id")
        speaker = _ids(doc, fields["speaker"], people, "person", "people.yaml")[0] \
            if "speaker" in fields else ""
        if join == bool(speaker):
            raise doc.fail(item, "a turn fix needs either `speaker: <person>` or `join: true`")
        turns.append(TurnFix(selector(doc, fields["at"], "`at`"), speaker, join))

    cuts = []
    for _, fields in _entries(doc, f, "cut", ("from", "to", "reason"), ("from",), "a cut",
                              "a cut needs `from`: a quote where it starts"):
        end = selector(doc, fields["to"], "`to`") if "to" in fields else None
        cuts.append(Cut(selector(doc, fields["from"], "`from`"), end, _text(doc, fields, "reason")))

    chapters = []
    for _, fields in _entries(doc, f, "chapters", ("at", "title"), ("at", "title"), "a chapter",
                              "a chapter needs `at` (a quote or time) and `title`"):
        chapters.append(Chapter(selector(doc, fields["at"], "`at`"), _text(doc, fields, "title")))

    topics = []
    known_topics: dict[str, object] = dict(site.topics)
    for item, fields in _entries(doc, f, "topics", ("topic", "from", "to"), ("topic", "from"),
                                 "a topic span", "a topic span needs `topic` and `from` (and usually `to`)"):
        if not isinstance(fields["topic"], yaml.ScalarNode):
            raise doc.fail(fields["topic"], "`topic` is one topic id")
        tid = _ids(doc, fields["topic"], known_topics, "topic", "topics.yaml")[0]
        end = selector(doc, fields["to"], "`to`") if "to" in fields else None
        topics.append(TopicSpan(tid, selector(doc, fields["from"], "`from`"), end, doc.pos(item)))

    notes = []
    for _, fields in _entries(doc, f, "notes", ("at", "text"), ("at", "text"), "a note",
                              "a note needs `at` (a quote) and `text` (Markdown)"):
        notes.append(Note(selector(doc, fields["at"], "`at`"), _text(doc, fields, "text")))

    highlights = [selector(doc, item, "a highlight")
                  for item in (_list(doc, f["highlights"], "`highlights`") if "highlights" in f else [])]
    for item, sel in zip(f["highlights"].value if "highlights" in f else [], highlights, strict=True):
        if sel.time is not None:
            raise doc.fail(item, "a highlight quotes the words to mark, not a time")

    media = Media()
    if "media" in f:
        fields = yamlfile.mapping(doc, f["media"], ("youtube", "audio", "video"), "`media`")
        if len(fields) != 1:
            raise doc.fail(f["media"], "`media` needs exactly one of `youtube`, `audio`, `video`")
        key, node = next(iter(fields.items()))
        if key == "youtube":
            media = Media(youtube=youtube_id(doc, node))
        else:
            media = Media(**{key: media_url(doc, node, f"`{key}`")})

    fixes, fix_pos = corrections(doc, f["corrections"], "`corrections`") if "corrections" in f \
        else ((), {})
    return Meta(
        title=_text(doc, f, "title"),
        draft="draft" in f and yamlfile.boolean(doc, f["draft"], "`draft`"),
        date=yamlfile.date(doc, f["date"], "`date`") if "date" in f else None,
        description=_text(doc, f, "description"),
        source=_url(doc, f["source"], "`source`") if "source" in f else "",
        media=media,
        speakers=speakers,
        speaker_pos=speaker_pos,
        turns=tuple(turns),
        cuts=tuple(cuts),
        corrections=fixes,
        correction_pos=fix_pos,
        chapters=tuple(chapters),
        topics=tuple(topics),
        notes=tuple(notes),
        highlights=tuple(highlights),
        clean=read_clean(doc, f["clean"], clean) if "clean" in f else clean,
    )

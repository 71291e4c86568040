"""Sidecar YAML (`<slug>.yaml`) and the site-wide people, topics and glossary files,
read into typed records that keep the position of every value.

Every key is checked: an unknown key, a wrong type, or a person or topic id
that is not defined is an `AnnotationError` at the YAML file's line and column.
Quotes are only read here; `anchor` finds them in the transcript.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from . import yamlfile
from .config import CleanConfig, read_clean
from .errors import AnnotationError, Problems, SiteError, SourcePos, raise_all
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
T = TypeVar("T")


def _text(doc: Doc, fields: dict[str, Node], key: str, what: str = "") -> str:
    return yamlfile.string(doc, fields[key], what or f"`{key}`") if key in fields else ""


def _line(doc: Doc, fields: dict[str, Node], key: str) -> str:
    """A name or title: one line (see `yamlfile.one_line`)."""
    return yamlfile.one_line(doc, fields[key], f"`{key}`") if key in fields else ""


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
             required: tuple[str, ...], what: str, needs: str, problems: Problems,
             ) -> Iterator[tuple[Node, dict[str, Node]]]:
    """The items of the list under `key`, each a mapping of `allowed` keys that
    has every `required` one (else `needs` is the error); a bad item is reported
    and left out."""
    if key not in f:
        return
    try:
        items = _list(doc, f[key], f"`{key}`")
    except SiteError as err:
        problems.add(err)
        return
    for item in items:
        try:
            fields = yamlfile.mapping(doc, item, allowed, what)
            if any(r not in fields for r in required):
                raise doc.fail(item, needs)
        except SiteError as err:
            problems.add(err)
            continue
        yield item, fields


@dataclass(frozen=True, slots=True)
class Known:
    """The ids a sidecar may use, from people.yaml or topics.yaml."""

    ids_: Mapping[str, object]
    kind: str
    file: str
    unread: bool = False
    """The file itself could not be read: its own error says so, and every id
    is taken on trust rather than reported again in each sidecar."""

    def ids(self, doc: Doc, node: Node, problems: Problems) -> list[str]:
        """Ids (one or a list); each unknown one is reported with the closest id."""
        ids = yamlfile.string_list(doc, node, f"the {self.kind}")
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        good = []
        for ident, item in zip(ids, items, strict=True):
            if ident in self.ids_ or self.unread:
                good.append(ident)
                continue
            close = difflib.get_close_matches(ident, list(self.ids_), n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else f"add `{ident}` to {self.file}"
            problems.add(doc.fail(item, f"unknown {self.kind} `{ident}`", hint))
        return good if len(good) == len(ids) else []


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


MAX_ID = 100
"""Characters of a person or topic id: a folder name of its own (most file systems
stop at 255 bytes; quote pages add to it)."""


def _check_id(doc: Doc, node: Node, ident: str, kind: str) -> None:
    """Person and topic ids become page addresses (people/<id>/, topics/<id>/)."""
    folder = "people" if kind == "person" else "topics"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", ident):
        raise doc.fail(node, f"{kind} id `{ident}` must be lowercase letters, digits, `-` or `_`",
                       f"it becomes the page address {folder}/<id>/")
    if len(ident) > MAX_ID:
        raise doc.fail(node, f"{kind} id is {len(ident)} characters long; at most {MAX_ID}",
                       f"it becomes the page address {folder}/<id>/, and file systems limit names")


def _records(doc: Doc, kind: str, keys: tuple[str, ...], main: str, problems: Problems,
             ) -> Iterator[tuple[str, dict[str, Node] | None]]:
    """The entries of people.yaml or topics.yaml: an id (usable as a page
    address) with either its `main` value alone (`ann: Ann Lee`) or a mapping
    of `keys` that has `main`. A bad entry is reported and given as None, so
    its id still counts as known and sidecars that use it are not blamed."""
    if doc.root is None:
        return
    key_nodes = yamlfile.key_nodes(doc.root) if isinstance(doc.root, yaml.MappingNode) else {}
    for ident, node in yamlfile.mapping(doc, doc.root, (), Path(doc.path).name).items():
        try:
            _check_id(doc, key_nodes[ident], ident, kind)
            if isinstance(node, yaml.ScalarNode):
                yield ident, {main: node}
                continue
            fields = yamlfile.mapping(doc, node, keys, f"{kind} `{ident}`")
            if main not in fields:
                raise doc.fail(node, f"{kind} `{ident}` needs a `{main}`")
        except SiteError as err:
            problems.add(err)
            yield ident, None
            continue
        yield ident, fields


def read_people(shown: str, text: str) -> tuple[dict[str, Person], list[SiteError]]:
    """`content/people.yaml`: person id -> name (or name, role, bio, links), and
    every problem in it."""
    problems = Problems()
    people: dict[str, Person] = {}
    doc = yamlfile.parse(shown, text, AnnotationError)
    for pid, fields in _records(doc, "person", PERSON_KEYS, "name", problems):
        people[pid] = Person(pid, pid)
        if fields is None:
            continue
        with problems.each():
            links = tuple((label, _url(doc, url, f"link `{label}`")) for label, url in
                          yamlfile.mapping(doc, fields["links"], (), "`links`").items()) \
                if "links" in fields else ()
            people[pid] = Person(pid, _line(doc, fields, "name"), _line(doc, fields, "role"),
                                 _text(doc, fields, "bio"), links)
    return people, problems.errors


def read_topics(shown: str, text: str) -> tuple[dict[str, Topic], list[SiteError]]:
    """`content/topics.yaml`: topic id -> title (or title and Markdown description),
    and every problem in it."""
    problems = Problems()
    topics: dict[str, Topic] = {}
    doc = yamlfile.parse(shown, text, AnnotationError)
    for tid, fields in _records(doc, "topic", TOPIC_KEYS, "title", problems):
        topics[tid] = Topic(tid, tid)
        if fields is not None:
            with problems.each():
                topics[tid] = Topic(tid, _line(doc, fields, "title"), _text(doc, fields, "description"))
    return topics, problems.errors


def parse_people(shown: str, text: str) -> dict[str, Person]:
    people, errors = read_people(shown, text)
    raise_all(errors)
    return people


def parse_topics(shown: str, text: str) -> dict[str, Topic]:
    topics, errors = read_topics(shown, text)
    raise_all(errors)
    return topics


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
    """A transcript's `<slug>.yaml`, raising every problem in it at once."""
    meta, errors = read_sidecar(shown, text, site, clean)
    raise_all(errors)
    return meta


def _top_level(doc: Doc, root: Node, problems: Problems) -> dict[str, Node]:
    """The sidecar's keys; an unknown or repeated one is reported and the rest read on."""
    if not isinstance(root, yaml.MappingNode):
        raise doc.fail(root, "the annotation file must be a mapping of `key: value` lines")
    out: dict[str, Node] = {}
    for key_node, value in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
        with problems.each():
            if key not in SIDECAR_KEYS:
                close = difflib.get_close_matches(key, SIDECAR_KEYS, n=1)
                raise doc.fail(key_node, f"unknown key `{key}` in the annotation file",
                               f"did you mean `{close[0]}`?" if close
                               else "allowed: " + ", ".join(SIDECAR_KEYS))
            if key in out:
                raise doc.fail(key_node, f"`{key}` is given twice in the annotation file")
            if not yamlfile.is_null(value):  # `key:` left empty counts as not given
                out[key] = value
    return out


def read_sidecar(shown: str, text: str, site: Site, clean: CleanConfig | None = None
                 ) -> tuple[Meta, list[SiteError]]:
    """A transcript's `<slug>.yaml` and every problem in it. An empty file is
    allowed and means no annotations. Each mistake is reported and the entry it
    is in left out, so the rest (quotes included) can still be checked in the
    same run. `clean` is the site's cleaning settings, which `clean:` overrides."""
    clean = clean or CleanConfig()
    problems = Problems()
    try:
        doc = yamlfile.parse(shown, text, AnnotationError)
    except SiteError as err:
        return Meta(clean=clean), [err]
    if doc.root is None:
        return Meta(clean=clean), []
    with problems.each():
        f = _top_level(doc, doc.root, problems)
    if problems.errors and not isinstance(doc.root, yaml.MappingNode):
        return Meta(clean=clean), problems.errors
    people = Known(site.people, "person", "people.yaml", "people.yaml" in site.unread)
    topic_ids = Known(site.topics, "topic", "topics.yaml", "topics.yaml" in site.unread)

    speakers: dict[str, str | tuple[str, ...]] = {}
    speaker_pos: dict[str, SourcePos] = {}
    if "speakers" in f:
        with problems.each():
            labels = yamlfile.mapping(doc, f["speakers"], (), "`speakers`")
            label_nodes = yamlfile.key_nodes(f["speakers"])
            for label, node in labels.items():
                with problems.each():
                    if isinstance(node, yaml.SequenceNode) and label != ">>":
                        raise doc.fail(node, f"`{label}` is one person; only `>>` turns alternate "
                                             "between several")
                    ids = people.ids(doc, node, problems)
                    if ids:
                        speakers[label] = tuple(ids) if isinstance(node, yaml.SequenceNode) else ids[0]
                        speaker_pos[label] = doc.pos(label_nodes[label])

    turns = []
    for item, fields in _entries(doc, f, "turns", ("at", "speaker", "join"), ("at",), "a turn fix",
                                 "a turn fix needs `at`: a quote where the turn starts", problems):
        with problems.each():
            join = "join" in fields and yamlfile.boolean(doc, fields["join"], "`join`")
            if "speaker" in fields and not isinstance(fields["speaker"], yaml.ScalarNode):
                raise doc.fail(fields["speaker"], "`speaker` is one person id")
            speaker = (people.ids(doc, fields["speaker"], problems) or ["?"])[0] \
                if "speaker" in fields else ""
            if join == bool(speaker):
                raise doc.fail(item, "a turn fix needs either `speaker: <person>` or `join: true`")
            at = selector(doc, fields["at"], "`at`")
            if speaker != "?":
                turns.append(TurnFix(at, speaker, join))

    cuts = []
    for _, fields in _entries(doc, f, "cut", ("from", "to", "reason"), ("from",), "a cut",
                              "a cut needs `from`: a quote where it starts", problems):
        with problems.each():
            end = selector(doc, fields["to"], "`to`") if "to" in fields else None
            cuts.append(Cut(selector(doc, fields["from"], "`from`"), end, _text(doc, fields, "reason")))

    chapters = []
    for _, fields in _entries(doc, f, "chapters", ("at", "title"), ("at", "title"), "a chapter",
                              "a chapter needs `at` (a quote or time) and `title`", problems):
        with problems.each():
            chapters.append(Chapter(selector(doc, fields["at"], "`at`"), _line(doc, fields, "title")))

    topics = []
    for item, fields in _entries(doc, f, "topics", ("topic", "from", "to"), ("topic", "from"),
                                 "a topic span", "a topic span needs `topic` and `from` (and usually "
                                 "`to`)", problems):
        with problems.each():
            if not isinstance(fields["topic"], yaml.ScalarNode):
                raise doc.fail(fields["topic"], "`topic` is one topic id")
            found = topic_ids.ids(doc, fields["topic"], problems)
            end = selector(doc, fields["to"], "`to`") if "to" in fields else None
            start = selector(doc, fields["from"], "`from`")
            if found:
                topics.append(TopicSpan(found[0], start, end, doc.pos(item)))

    notes = []
    for _, fields in _entries(doc, f, "notes", ("at", "text"), ("at", "text"), "a note",
                              "a note needs `at` (a quote) and `text` (Markdown)", problems):
        with problems.each():
            notes.append(Note(selector(doc, fields["at"], "`at`"), _text(doc, fields, "text")))

    highlights = []
    if "highlights" in f:
        with problems.each():
            for item in _list(doc, f["highlights"], "`highlights`"):
                with problems.each():
                    sel = selector(doc, item, "a highlight")
                    if sel.time is not None:
                        raise doc.fail(item, "a highlight quotes the words to mark, not a time")
                    highlights.append(sel)

    media = Media()
    if "media" in f:
        with problems.each():
            media = _media(doc, f["media"])

    fixes: tuple[tuple[str, str], ...] = ()
    fix_pos: dict[str, SourcePos] = {}
    if "corrections" in f:
        with problems.each():
            fixes, fix_pos = corrections(doc, f["corrections"], "`corrections`")

    def value(key: str, read: Callable[[Node], T], default: T) -> T:
        if key not in f:
            return default
        with problems.each():
            return read(f[key])
        return default

    meta = Meta(
        title=value("title", lambda n: yamlfile.one_line(doc, n, "`title`"), ""),
        draft=value("draft", lambda n: yamlfile.boolean(doc, n, "`draft`"), False),
        date=value("date", lambda n: yamlfile.date(doc, n, "`date`"), None),
        description=value("description", lambda n: yamlfile.string(doc, n, "`description`"), ""),
        source=value("source", lambda n: _url(doc, n, "`source`"), ""),
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
        clean=value("clean", lambda n: read_clean(doc, n, clean), clean),
    )
    return meta, problems.errors


def _media(doc: Doc, node: Node) -> Media:
    """The recording: exactly one of `youtube`, `audio`, `video`."""
    fields = yamlfile.mapping(doc, node, ("youtube", "audio", "video"), "`media`")
    if len(fields) != 1:
        raise doc.fail(node, "`media` needs exactly one of `youtube`, `audio`, `video`")
    key, value = next(iter(fields.items()))
    if key == "youtube":
        return Media(youtube=youtube_id(doc, value))
    return Media(**{key: media_url(doc, value, f"`{key}`")})

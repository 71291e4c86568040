"""Add one entry to a YAML file by inserting text, changing no other byte.

The preview's annotation toolbar (`annotating.py`) writes what an editor
selects into `<slug>.yaml` and the site's YAML files. Those files are the
editor's own and are reviewed in pull requests, so a write must read like a
hand edit: comments, blank lines, key order, quoting and flow or block style
stay exactly as they were, and the entry goes at the end of the right list or
mapping (the key is added at the end of the file when missing), written in
the file's own indentation, quoting style and line endings.

This is a careful textual insert rather than a round-trip YAML library
(ruamel.yaml): PyYAML, already a dependency, composes the file into nodes
whose marks say where each key and value starts and ends, so the place to
insert is known exactly and the rest of the file is never re-serialised.
A round-trip dumper re-emits the whole file and can re-wrap long lines,
re-indent, or drop odd spacing; this cannot, and needs no new dependency.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace

import yaml


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of the transcript, optionally with which of several places they mean."""

    text: str
    occurrence: int = 0


Field = tuple[str, "str | bool | Quote"]
"""A key of a list entry and its value, in the order written."""

QUOTE_KEYS = frozenset({"at", "from", "to", "quote"})
"""Keys whose values quote the transcript: written in the file's style for quotes."""
_BLOCK_DASH = re.compile(r" *- +")


class WriteError(ValueError):
    """The file's shape leaves no place to insert the entry safely."""


def _plain_ok(text: str, key: bool = False) -> bool:
    """Whether `text` reads back as the same string written without quotes."""
    if not text or "\n" in text or "\r" in text or text != text.strip():
        return False
    try:
        loaded = yaml.safe_load(f"{text}: x" if key else f"k: {text}")
    except yaml.YAMLError:
        return False
    return bool(loaded == ({text: "x"} if key else {"k": text}))


def scalar(text: str, style: str = '"') -> str:
    """`text` as a YAML scalar in `style` (`"`, `'` or `` for plain), falling back to
    double quotes wherever that style could not hold it exactly."""
    if style == "" and _plain_ok(text):
        return text
    if style == "'" and "\n" not in text and "\r" not in text and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


def key_text(key: str) -> str:
    return key if _plain_ok(key, key=True) else json.dumps(key, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Styles:
    """How the file writes things, so a new entry looks like the old ones."""

    quote: str = '"'
    """Quoting of transcript quotes: `"`, `'` or `` (plain)."""
    text: str = ""
    """Quoting of other text (titles, notes, reasons)."""
    dash: int = 2
    """Indentation of `- ` under a key."""
    indent: int = 2
    """Indentation of a mapping under a key."""
    newline: str = "\n"


def _styles(text: str, root: yaml.Node | None) -> Styles:
    quotes: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    dashes: Counter[int] = Counter()
    indents: Counter[int] = Counter()

    def style(node: yaml.ScalarNode) -> str:
        return node.style if node.style in ('"', "'") else ""

    def visit(node: yaml.Node, key: str, depth: int) -> None:
        if isinstance(node, yaml.ScalarNode):
            if yaml_resolved_plain(node):
                return
            if key in QUOTE_KEYS or key == "highlights":
                quotes[style(node)] += 1
            elif key:
                texts[style(node)] += 1
        elif isinstance(node, yaml.SequenceNode):
            if depth == 1 and not node.flow_style and node.value:
                dashes[node.start_mark.column] += 1
            for item in node.value:
                visit(item, key, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            if depth == 1 and not node.flow_style and node.value:
                indents[node.start_mark.column] += 1
            for k, v in node.value:
                visit(v, str(k.value) if isinstance(k, yaml.ScalarNode) else "", depth + 1)

    if root is not None:
        visit(root, "", 0)
    return Styles(quote=quotes.most_common(1)[0][0] if quotes else '"',
                  text=texts.most_common(1)[0][0] if texts else "",
                  dash=dashes.most_common(1)[0][0] if dashes else 2,
                  indent=indents.most_common(1)[0][0] if indents else 2,
                  newline="\r\n" if "\r\n" in text else "\n")


def yaml_resolved_plain(node: yaml.ScalarNode) -> bool:
    """A plain scalar that is not text (a number, `true`, a date): says nothing of quoting."""
    return node.style is None and node.tag != "tag:yaml.org,2002:str"


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise WriteError(f"the file is not valid YAML ({exc}); fix it first") from None


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _after(text: str, node: yaml.Node, column: int) -> int:
    """Where the line after `node` begins: past the rest of its last line (a
    comment there stays with it), then back over blank lines and comments no
    deeper than `column` that the parser counted into a block scalar's end."""
    at = node.end_mark.index
    if at > 0 and text[at - 1] != "\n":
        nl = text.find("\n", at)
        return len(text) if nl < 0 else nl + 1
    floor = text.find("\n", node.start_mark.index)
    floor = len(text) if floor < 0 else floor + 1
    while at > floor:
        start = _line_start(text, at - 1)
        line = text[start:at].rstrip("\r\n")
        stripped = line.lstrip(" ")
        if stripped and not (stripped.startswith("#") and len(line) - len(stripped) <= column):
            break
        at = start
    return at


def _ends_line(text: str, newline: str) -> str:
    return text if not text or text.endswith("\n") else text + newline


@dataclass(frozen=True, slots=True)
class _Top:
    """The file's top-level mapping: where each key's value is."""

    root: yaml.MappingNode | None
    styles: Styles

    def value(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        if self.root is None:
            return None
        for k, v in self.root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
        return None


def _top(text: str) -> _Top:
    root = _compose(text)
    if root is not None and (not isinstance(root, yaml.MappingNode) or root.flow_style):
        raise WriteError("the file is not a block mapping of `key: value` lines; add the entry by hand")
    return _Top(root, _styles(text, root))


def _value_text(key: str, value: str | bool | Quote, styles: Styles) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Quote):
        quoted = scalar(value.text, styles.quote)
        return f"{{quote: {quoted}, occurrence: {value.occurrence}}}" if value.occurrence else quoted
    return scalar(value, styles.quote if key in QUOTE_KEYS else styles.text)


def _flow_item(fields: list[Field] | Quote, styles: Styles) -> str:
    if isinstance(fields, Quote):
        return _value_text("quote", fields, styles)
    return "{" + ", ".join(f"{k}: {_value_text(k, v, styles)}" for k, v in fields) + "}"


def _block_item(fields: list[Field] | Quote, dash: str, styles: Styles) -> str:
    """An entry as `- key: value` lines, `dash` being the `  - ` before its first key."""
    if isinstance(fields, Quote):
        return dash + _value_text("quote", fields, styles) + styles.newline
    pad = " " * len(dash)
    return "".join((dash if i == 0 else pad) + f"{k}: {_value_text(k, v, styles)}" + styles.newline
                   for i, (k, v) in enumerate(fields))


def _quotes(node: yaml.Node) -> list[yaml.ScalarNode]:
    """The scalars of a list that quote the transcript."""
    found: list[yaml.ScalarNode] = []
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            found.append(item)
        elif isinstance(item, yaml.MappingNode):
            found += [v for k, v in item.value if isinstance(v, yaml.ScalarNode) and k.value in QUOTE_KEYS]
    return found


def _insert(text: str, at: int, piece: str) -> str:
    return text[:at] + piece + text[at:]


def _under_null(text: str, key: yaml.Node, value: yaml.Node, piece: str, newline: str) -> str:
    """`key:` with nothing (or `~`, `null`) after it: `piece` on the lines after
    the key's (an explicit null token gives way to it)."""
    start, end = value.start_mark.index, value.end_mark.index
    if end > start:  # `~` or `null`: the entries take its place
        text = text[:start].rstrip(" ") + text[end:]
    nl = text.find("\n", key.end_mark.index)
    if nl < 0:
        return _ends_line(text, newline) + piece
    return _insert(text, nl + 1, piece)


def append_item(text: str, key: str, item: list[Field] | Quote, before: int | None = None) -> str:
    """`text` with `item` added at the end of the top-level list `key` (made at
    the end of the file when missing), or in front of its entry number `before`
    (chapters go in transcript order). `item` is a list entry's fields in order,
    or a bare quote (a highlight)."""
    top = _top(text)
    styles = top.styles
    nl = styles.newline
    found = top.value(key)
    dash = " " * styles.dash + "- "
    if found is None:
        return _ends_line(text, nl) + f"{key}:{nl}" + _block_item(item, dash, styles)
    key_node, node = found
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return _under_null(text, key_node, node, _block_item(item, dash, styles), nl)
    if not isinstance(node, yaml.SequenceNode):
        raise WriteError(f"`{key}` is not a list; add the entry by hand")
    own = Counter(item.style if item.style in ('"', "'") else "" for item in _quotes(node))
    if own:  # the list's own quotes first: a file may quote differently elsewhere
        styles = replace(styles, quote=own.most_common(1)[0][0])
    ahead = node.value[before] if before is not None and 0 <= before < len(node.value) else None
    if node.flow_style:
        if ahead is not None:
            return _insert(text, ahead.start_mark.index, _flow_item(item, styles) + ", ")
        close = node.end_mark.index - 1
        if text[close] != "]":
            raise WriteError(f"cannot find the `]` that closes `{key}`")
        head = text[:close].rstrip()
        sep = "" if head.endswith("[") else ", "
        return head + sep + _flow_item(item, styles) + text[len(head):]
    like = ahead if ahead is not None else node.value[-1]
    line = text[_line_start(text, like.start_mark.index) : like.start_mark.index]
    if _BLOCK_DASH.fullmatch(line):
        dash = line
    elif line.strip():
        dash = " " * max(0, like.start_mark.column - 2) + "- "
    flow = isinstance(like, yaml.MappingNode) and like.flow_style and not isinstance(item, Quote)
    piece = dash + _flow_item(item, styles) + nl if flow else _block_item(item, dash, styles)
    if ahead is not None:
        return _insert(text, _above(text, ahead), piece)
    at = _after(text, like, max(0, like.start_mark.column - 1))
    if at == len(text):
        return _ends_line(text, nl) + piece
    return _insert(text, at, piece)


def _above(text: str, item: yaml.Node) -> int:
    """Where the lines of a block list's entry begin: its `- ` line, and the
    comment lines just above it, which belong to it."""
    at = _line_start(text, item.start_mark.index)
    while at > 0:
        start = _line_start(text, at - 1)
        if not text[start:at].strip().startswith("#"):
            break
        at = start
    return at


def set_entry(text: str, key: str | None, name: str, value: str, quote: bool = False) -> str:
    """`text` with `name: value` in the top-level mapping `key` (or the file's
    own top-level mapping when `key` is None), added at its end; where `name` is
    already there, only its value is replaced. `quote`: write the value in the
    file's quoting for quotes rather than for text."""
    top = _top(text)
    styles = top.styles
    nl = styles.newline
    written = scalar(value, styles.quote if quote else styles.text)
    pad = " " * styles.indent
    if key is None:
        if top.root is None:
            return _ends_line(text, nl) + f"{key_text(name)}: {written}{nl}"
        mapping: yaml.Node = top.root
    else:
        found = top.value(key)
        if found is None:
            return _ends_line(text, nl) + f"{key}:{nl}{pad}{key_text(name)}: {written}{nl}"
        key_node, mapping = found
        if isinstance(mapping, yaml.ScalarNode) and mapping.tag == "tag:yaml.org,2002:null":
            return _under_null(text, key_node, mapping, f"{pad}{key_text(name)}: {written}{nl}", nl)
    if not isinstance(mapping, yaml.MappingNode):
        raise WriteError(f"`{key}` is not a mapping of `key: value` lines; add the entry by hand")
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == name:
            if not isinstance(v, yaml.ScalarNode) or v.end_mark.line != v.start_mark.line:
                raise WriteError(f"`{name}` has a value of more than one line; change it by hand")
            return text[: v.start_mark.index] + written + text[v.end_mark.index :]
    if mapping.flow_style:
        close = mapping.end_mark.index - 1
        before = text[:close].rstrip()
        sep = "" if before.endswith("{") else ", "
        return before + sep + f"{key_text(name)}: {written}" + text[len(before):]
    first_key, _ = mapping.value[0]
    last_value = mapping.value[-1][1]
    column: int = first_key.start_mark.column
    at = _after(text, last_value, column)
    piece = " " * column + f"{key_text(name)}: {written}{nl}"
    if at == len(text):
        return _ends_line(text, nl) + piece
    return _insert(text, at, piece)


def add_record(text: str, ident: str, main: str, value: str) -> str:
    """`text` (people.yaml or topics.yaml) with a new `ident` whose `main` field
    (name, title) is `value`: `ident: value`, or `ident:` with `main: value` under
    it where the file's last record is written that way."""
    top = _top(text)
    styles = top.styles
    nl = styles.newline
    if top.root is not None and top.root.value:
        for k, _ in top.root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == ident:
                raise WriteError(f"`{ident}` is already in the file")
        last = top.root.value[-1][1]
        if isinstance(last, yaml.MappingNode) and not last.flow_style and last.value:
            column = last.value[0][0].start_mark.column
            block = (f"{key_text(ident)}:{nl}" + " " * column
                     + f"{main}: {scalar(value, styles.text)}{nl}")
            at = _after(text, last.value[-1][1], column)
            return _ends_line(text, nl) + block if at == len(text) else _insert(text, at, block)
    return set_entry(text, None, ident, value)

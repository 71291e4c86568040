"""YAML that remembers where every key and value came from.

`yaml.safe_load` throws positions away, and then an editor's typo in a key
(`titel:`) is either silently ignored or reported without a line. We compose
the node tree instead and read it through small typed accessors that check
types, reject unknown and duplicate keys, and raise errors at `line:col`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import SiteError, SourcePos


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML file and what is needed to point into it."""

    path: str
    lines: list[str]
    root: yaml.Node | None
    error: type[SiteError]
    """Which error class problems in this file are reported as."""

    def pos(self, node: yaml.Node) -> SourcePos:
        mark = node.start_mark
        return SourcePos(self.path, mark.line + 1, mark.column + 1)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> SiteError:
        """An error pointing at `node`, with its source line shown."""
        pos = self.pos(node)
        return self.error(pos, message, hint, self.line(pos.line))


def parse(path: str, text: str, error: type[SiteError]) -> YamlDoc:
    """Compose `text` into nodes; YAML syntax errors become located SiteErrors."""
    lines = text.splitlines()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        message, hint, mark = explain(exc, lines)
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        src = lines[line - 1] if 0 < line <= len(lines) else ""
        raise error(SourcePos(path, line, col), message, hint, src) from None
    except yaml.YAMLError as exc:
        raise error(SourcePos(path), f"YAML syntax: {exc}") from None
    return YamlDoc(path, lines, root, error)


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, str, yaml.Mark | None]:
    """A YAML syntax error in an editor's words, where to point, and PyYAML's own
    message kept as the hint's last line."""
    problem = exc.problem or exc.context or "invalid YAML"
    raw = "yaml: " + " ".join(p for p in (exc.context, exc.problem) if p)
    mark = exc.problem_mark or exc.context_mark
    if "mapping values are not allowed" in problem and mark is not None:
        line = lines[mark.line] if mark.line < len(lines) else ""
        key, _, value = line.partition(":")
        quoted = f'{key}: "{value.strip()}"' if value.strip() and '"' not in value else ""
        return ("a value with `: ` in it must be in quotes",
                (f"write it as {quoted.strip()}" if quoted else "put the value in quotes")
                + "\n  " + raw, mark)
    if "'\\t'" in problem:
        return ("a tab in the indentation: YAML indents with spaces",
                "replace the tab with spaces\n  " + raw, mark)
    if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
        return ("this quote is never closed", "end the value with the same quote mark\n  " + raw,
                exc.context_mark)
    context = exc.context or ""
    if "stream end" in problem and exc.context_mark is not None and "flow " in context and (
            "sequence" in context or "mapping" in context):
        # An unclosed `[` or `{`: where it opened is where to look.
        opened = "[" if "sequence" in context else "{"
        return f"this `{opened}` is never closed", raw, exc.context_mark
    return f"YAML syntax: {problem}", raw if exc.context else "", mark


_constructor = yaml.SafeLoader("")


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """The typed value, or the text as written when YAML cannot make one
    (an impossible date such as 2025-13-01 is text, not a crash)."""
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        return str(node.value)


def mapping(
    doc: YamlDoc, node: yaml.Node, allowed: Iterable[str], what: str
) -> dict[str, yaml.Node]:
    """A mapping's values by key; unknown or repeated keys are errors.

    The hint for an unknown key names the closest allowed key, so `topcis:`
    reads "did you mean `topics`?".
    """
    if not isinstance(node, yaml.MappingNode):
        raise doc.fail(node, f"{what} must be a mapping of `key: value` lines")
    allowed = list(allowed)
    out: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise doc.fail(key_node, f"keys in {what} must be plain words")
        key = str(key_node.value)
        if key in out:
            raise doc.fail(key_node, f"`{key}` is given twice in {what}")
        if allowed and key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
            raise doc.fail(key_node, f"unknown key `{key}` in {what}", hint)
        out[key] = value_node
    return out


def key_nodes(node: yaml.Node) -> dict[str, yaml.Node]:
    """The key nodes of a mapping (already checked by `mapping`), to point at a key."""
    assert isinstance(node, yaml.MappingNode)
    return {str(k.value): k for k, _ in node.value}


def is_null(node: yaml.Node) -> bool:
    """`key:` with nothing after it (or `~`, `null`)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def string(doc: YamlDoc, node: yaml.Node, what: str) -> str:
    """A scalar as the text written, whatever YAML 1.1 would make of it:
    `12:34` stays "12:34" (not 754), `1.10` stays "1.10", `on` stays "on"."""
    if not isinstance(node, yaml.ScalarNode):
        raise doc.fail(node, f"{what} must be text")
    if is_null(node):
        raise doc.fail(node, f"{what} is empty")
    return str(node.value)


def positive(doc: YamlDoc, node: yaml.Node, what: str) -> int:
    """A whole number of 1 or more."""
    text = string(doc, node, what)
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise doc.fail(node, f"{what} must be a whole number of 1 or more")
    return int(text)


def boolean(doc: YamlDoc, node: yaml.Node, what: str) -> bool:
    """`true` or `false`."""
    value = _scalar_value(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, bool):
        raise doc.fail(node, f"{what} must be true or false")
    return value


def date(doc: YamlDoc, node: yaml.Node, what: str) -> dt.date:
    """A date written as YYYY-MM-DD."""
    value = _scalar_value(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise doc.fail(node, f"{what} must be a date like 2025-11-28")


def string_list(doc: YamlDoc, node: yaml.Node, what: str) -> list[str]:
    """A list of text items (a single text is taken as a list of one)."""
    if isinstance(node, yaml.ScalarNode):
        return [string(doc, node, what)]
    if not isinstance(node, yaml.SequenceNode):
        raise doc.fail(node, f"{what} must be a list")
    items = [string(doc, item, f"each item of {what}") for item in node.value]
    if not items:
        raise doc.fail(node, f"{what} is an empty list")
    return items

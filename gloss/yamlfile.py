"""YAML that remembers where every key and value came from.

`yaml.safe_load` throws positions away, and then an editor's typo in a key
(`titel:`) is either silently ignored or reported without a line. We compose
the node tree instead and read it through small typed accessors that check
types, reject unknown and duplicate keys, and raise errors at `line:col`.

Whatever the file holds, reading it ends in a value or a located error, never a
crash: nesting deeper than `MAX_DEPTH` is refused where it passes the limit
(PyYAML composes recursively and would overflow the stack), a character YAML
does not allow is reported at its line and column, control characters written
as escapes (`"\\0"`) are refused in every key and text value, and numbers are
bounded before Python converts them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problems, SiteError, SourcePos, escape

MAX_DEPTH = 50
"""Deepest nesting of lists and mappings a YAML file may have; ours need four."""
MAX_NUMBER = 1_000_000
"""Largest whole number a setting takes (a paragraph of a million words is no limit)."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (tab and newline are text) that must not reach a page or a path."""


_FAST: Any = getattr(yaml, "CSafeLoader", None)
"""libyaml's loader, when PyYAML was built with it: fifty times faster (a 5 MB
sidecar in 0.1 s instead of 6 s)."""


class _TooDeep(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than `MAX_DEPTH` at the node that
    passes it, before the recursion gets deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


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

    def located(line: int, col: int, message: str) -> SiteError:
        src = lines[line - 1] if 0 < line <= len(lines) else ""
        return error(SourcePos(path, line, col), message, "", src)

    try:
        root = _compose_fast(text)
        if root is _SLOW:
            loader = _Loader(text)
            try:
                root = loader.get_single_node()
            finally:
                loader.dispose()
    except _TooDeep as exc:
        mark = exc.problem_mark
        assert mark is not None
        raise located(mark.line + 1, mark.column + 1, f"YAML {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        message, hint, mark = explain(exc, lines)
        if mark is None:
            raise error(SourcePos(path), message, hint) from None
        src = lines[mark.line] if 0 <= mark.line < len(lines) else ""
        raise error(SourcePos(path, mark.line + 1, mark.column + 1), message, hint, src) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        at = exc.position
        line = text.count("\n", 0, at) + 1
        col = at - text.rfind("\n", 0, at)
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1]
        raise located(line, col, f"YAML syntax: the character {escape(char)} "
                      f"(U+{ord(char or chr(0)):04X}) is not allowed") from None
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
    opening = exc.context_mark
    if opening is not None and "flow " in context and ("sequence" in context or "mapping" in context):
        opened, closer = ("[", "]") if "sequence" in context else ("{", "}")
        wrong = "]" if closer == "}" else "}"
        if mark is not None and mark.line == opening.line and f"got '{wrong}'" in problem:
            return f"this `{opened}` is closed with `{wrong}`", f"close it with `{closer}`\n  " + raw, opening
        if "stream end" in problem or (mark is not None and mark.line > opening.line):
            # An unclosed `[` or `{`: where it opened is where to look, not the
            # later line where the parser gave up.
            return (f"this `{opened}` is never closed",
                    f"end it with `{closer}`\n  " + raw, opening)
    return f"YAML syntax: {problem}", raw if exc.context else "", mark


_SLOW: Any = object()


def _compose_fast(text: str) -> Any:
    """The node tree by libyaml, or `_SLOW` when the file needs the Python loader:
    when libyaml is missing, and for any error or nesting past `MAX_DEPTH` (its
    messages are the ones we report, and its depth check is located). The events
    are counted first because libyaml composes by recursion in C."""
    if _FAST is None:
        return _SLOW
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return _SLOW
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        return yaml.compose(text, Loader=_FAST)
    except yaml.YAMLError:
        return _SLOW


def _no_controls(doc: YamlDoc, node: yaml.Node, text: str, what: str) -> str:
    """`text`, unless it holds a control character (written as an escape, `"\\0"`)."""
    found = _CONTROL.search(text)
    if found:
        raise doc.fail(node, f"{what} contains the control character {escape(found[0])}")
    return text


_constructor = yaml.SafeLoader("")


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """The typed value, or the text as written when YAML cannot make one
    (an impossible date such as 2025-13-01 is text, not a crash)."""
    try:
        return _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        return str(node.value)


def mapping(
    doc: YamlDoc, node: yaml.Node, allowed: Iterable[str], what: str, problems: Problems | None = None
) -> dict[str, yaml.Node]:
    """A mapping's values by key; unknown or repeated keys are errors. Given
    `problems`, each bad key is reported there and left out, so the rest of the
    file is still read and every mistake comes in one run.

    The hint for an unknown key names the closest allowed key, so `topcis:`
    reads "did you mean `topics`?".
    """
    if not isinstance(node, yaml.MappingNode):
        raise doc.fail(node, f"{what} must be a mapping of `key: value` lines")
    allowed = list(allowed)
    problems = problems if problems is not None else Problems(collect=False)
    out: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        with problems.each():
            if not isinstance(key_node, yaml.ScalarNode):
                raise doc.fail(key_node, f"keys in {what} must be plain words")
            key = _no_controls(doc, key_node, str(key_node.value), f"a key in {what}")
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
    return _no_controls(doc, node, str(node.value), what)


LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Everything Python (and so a reader of a download) may take for a new line."""


def one_line(doc: YamlDoc, node: yaml.Node, what: str) -> str:
    """Text that names something (a person, a title): it lands in caption files,
    Markdown and plain text where a line break starts a cue or a turn of its own,
    so one is an error here rather than a forged line there."""
    text = string(doc, node, what)
    if LINE_BREAK.search(text):
        raise doc.fail(node, f"{what} must be one line", "a name or title cannot hold a line break")
    return text


def positive(doc: YamlDoc, node: yaml.Node, what: str, maximum: int = MAX_NUMBER) -> int:
    """A whole number from 1 to `maximum` (checked before conversion: Python refuses
    to convert numbers of more than 4,300 digits)."""
    digits = string(doc, node, what).lstrip("0")
    if not (digits.isascii() and digits.isdigit()):
        raise doc.fail(node, f"{what} must be a whole number of 1 or more")
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise doc.fail(node, f"{what} must be at most {maximum:,}")
    return int(digits)


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

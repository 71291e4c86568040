#!/usr/bin/env python3
"""gloss's WebVTT reader measured against the web-platform-tests WebVTT
file-parsing suite: the cues every browser must find in each of its files.

`gloss/formats/webvtt.py` claims to cut a file into cues the way the W3C spec's
parser does, so that gloss shows the cues a browser shows, no more and no
fewer. The claim is checked here against a gold standard nobody on the team
wrote. Each page of the suite (`tests/*.html`) names a `.vtt` file (under
`tests/support/`, or as a `data:` URL) and asserts, in JavaScript, what the
browser's `TextTrack.cues` holds: how many cues, and the `id`, `startTime`,
`endTime` and `text` of some of them. The file is read as gloss reads every
file (`fsutil.read_text`, then `webvtt.read_cues`), and cue by cue: the
count, the id, the start and the end (to the millisecond) and the text (the
cue's lines joined with `\\n`) are compared with the page's assertions.

Settings are not compared (`line`, `position`, `size`, `align`, `vertical`,
`region`, `snapToLines`, region geometry): gloss reads no settings, and a page
that asserts only settings still counts for its cue count.

One difference from the spec is meant: a time a person reads unambiguously
though the spec forbids it (`0:0:4.430`, `3.480`, `00:01:02,500`, a fraction
of 1-2 or 4+ digits) is read, where a browser drops the cue. A page where
gloss finds the browser's cues plus only such cues is "lenient", not
"differs", and the extra cues are listed.

Each page gets one line: `pass`, `lenient`, `differs` (with what differs),
`no cues` (the page asserts nothing about cues; `stylesheets.html`), or `not
understood` (its JavaScript is beyond the small interpreter below: a problem
of this script, not of gloss). A summary follows.

The data is not in this repository; get the suite's folder from a checkout of
https://github.com/web-platform-tests/wpt, all of it or only this folder:

    git clone --depth 1 --filter=blob:none --sparse \\
        https://github.com/web-platform-tests/wpt
    git -C wpt sparse-checkout set webvtt/parsing/file-parsing
    .venv/bin/python bench/webvtt_conformance.py \\
        wpt/webvtt/parsing/file-parsing/tests [--verbose] [--spec-decode]

`--verbose` lists every extra cue and every difference, and each page's
count of gloss warnings. `--spec-decode` hands `read_cues` the file decoded
as the spec's parser decodes it (a NUL becomes U+FFFD, other control
characters stay) instead of through `read_text` (which refuses a NUL and turns
other control characters into spaces), to tell the reader's own differences
from the file reading's.
"""

from __future__ import annotations

import argparse
import base64
import re
import sys
import tempfile
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss.errors import FormatError, SiteError  # noqa: E402
from gloss.formats import webvtt  # noqa: E402
from gloss.fsutil import read_text  # noqa: E402

FIELDS = ("id", "startTime", "endTime", "text")
"""The cue attributes compared; any other a page asserts is a setting."""
SHOWN = 3
"""Extra cues or differences listed per page without --verbose."""


# -- What a page expects ---------------------------------------------------------


@dataclass
class Expected:
    """What a page asserts about the cues: their number, and by cue index the
    fields of `FIELDS` it checks."""

    count: int | None = None
    cues: dict[int, dict[str, Any]] = field(default_factory=dict)
    count_only: bool = False
    """Read from a page not made by the suite's generator: its cue count only."""

    @property
    def empty(self) -> bool:
        return self.count is None and not self.cues


GENERATED_BODY = re.compile(
    r"var cues = video\.textTracks\[0\]\.cues;\s*\{(?P<js>.*)\}\s*this\.done\(\);", re.S)
"""The assertions of a page written by the suite's `tools/build.py`."""
COUNT_ASSERT = re.compile(r"assert_equals\(\s*(?:[\w$]+\.)*cues\.length\s*,\s*(\d+)")
TRACK_SRC = re.compile(r"\.src\s*=\s*(['\"])(?P<src>[^'\"]*)\1")


def expectations(page: str) -> Expected:
    """The cue assertions of a page: interpreted, for a generated page; for a
    page written by hand, its `assert_equals(...cues.length, N)` only."""
    body = GENERATED_BODY.search(page)
    if body:
        return interpret(body["js"])
    counts = COUNT_ASSERT.findall(page)
    if len(counts) != 1:
        raise JsError("a page not made by the generator, without one cue count")
    return Expected(count=int(counts[0]), count_only=True)


def vtt_source(page_path: Path, page: str) -> tuple[str, bytes]:
    """(name to show, bytes) of the WebVTT file a page loads: the `src` set on
    its track, a file next to the page or a `data:` URL."""
    sources = [m["src"] for m in TRACK_SRC.finditer(page)
               if m["src"].startswith("data:") or m["src"].endswith(".vtt")]
    if len(sources) != 1:
        raise JsError(f"the page names {len(sources)} WebVTT sources, not one")
    src = sources[0]
    if not src.startswith("data:"):
        return src, (page_path.parent / src).read_bytes()
    meta, _, payload = src[len("data:"):].partition(",")
    if meta.endswith(";base64"):
        return "data: URL", base64.b64decode(payload)
    return "data: URL", urllib.parse.unquote_to_bytes(payload)


# -- A small JavaScript interpreter, enough for the suite's assertions -----------
#
# The generated pages assert with loops, `forEach` over literal arrays, string
# concatenation (`'text' + i`) and local variables, so they are run rather than
# pattern-matched. `cues` stands for the browser's cue list: `cues[i].text`
# is a probe, and `assert_equals(probe, value)` records what the page expects.
# Anything about a cue other than `FIELDS` (a region, a setting) and any name
# the page does not define (`document`) is `Unknown`, and asserting it records
# nothing.


class JsError(Exception):
    """The page's JavaScript goes beyond what this interpreter reads."""


TOKEN = re.compile(r"""
    (?P<skip>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<str>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||\+\+|--|\+=|-=|[-+*/%<>!=(){}\[\];,.:?])
""", re.S | re.X)
ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}
BINARY_LEVELS = (("||",), ("&&",), ("==", "!=", "===", "!=="), ("<", ">", "<=", ">="),
                 ("+", "-"), ("*", "/", "%"))
MAX_STEPS = 100_000
"""Loop iterations allowed a page, so a misread loop condition cannot hang."""

Node = tuple[Any, ...]


def tokens(code: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    at = 0
    while at < len(code):
        m = TOKEN.match(code, at)
        if not m:
            raise JsError(f"cannot read {code[at:at + 20]!r}")
        at = m.end()
        if m.lastgroup != "skip":
            out.append((m.lastgroup or "", m[0]))
    out.append(("end", ""))
    return out


def js_string(literal: str) -> str:
    """The value of a quoted JavaScript string literal."""
    def one(m: re.Match[str]) -> str:
        escape = m[1]
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:].strip("{}"), 16))
        return SIMPLE_ESCAPES.get(escape, escape)
    return ESCAPE.sub(one, literal[1:-1])


class Parser:
    """Statements and expressions of the subset, as nested tuples."""

    def __init__(self, code: str) -> None:
        self.toks = tokens(code)
        self.at = 0

    def next(self) -> tuple[str, str]:
        tok = self.toks[self.at]
        self.at += 1
        return tok

    def sees(self, *texts: str) -> bool:
        kind, text = self.toks[self.at]
        return kind in ("op", "name") and text in texts

    def take(self, text: str) -> None:
        got = self.next()[1]
        if got != text:
            raise JsError(f"expected {text!r}, found {got!r}")

    def program(self) -> list[Node]:
        out = []
        while self.toks[self.at][0] != "end":
            out.append(self.statement())
        return out

    def statement(self) -> Node:
        if self.sees("{"):
            self.next()
            body = []
            while not self.sees("}"):
                body.append(self.statement())
            self.next()
            return ("block", body)
        if self.sees("var", "let", "const"):
            self.next()
            name = self.next()[1]
            value = None
            if self.sees("="):
                self.next()
                value = self.expression()
            self.end_statement()
            return ("var", name, value)
        if self.sees("for"):
            self.next()
            self.take("(")
            init = self.statement()
            condition = self.expression()
            self.take(";")
            update = self.expression()
            self.take(")")
            return ("for", init, condition, update, self.statement())
        if self.sees("return"):
            self.next()
            value = None if self.sees(";", "}") else self.expression()
            self.end_statement()
            return ("return", value)
        node = ("expr", self.expression())
        self.end_statement()
        return node

    def end_statement(self) -> None:
        if self.sees(";"):
            self.next()

    def expression(self) -> Node:
        target = self.binary(0)
        if self.sees("=", "+=", "-="):
            op = self.next()[1]
            return ("assign", op, target, self.expression())
        return target

    def binary(self, level: int) -> Node:
        if level == len(BINARY_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.sees(*BINARY_LEVELS[level]):
            op = self.next()[1]
            left = ("binary", op, left, self.binary(level + 1))
        return left

    def unary(self) -> Node:
        if self.sees("-", "+", "!"):
            op = self.next()[1]
            return ("unary", op, self.unary())
        if self.sees("++", "--"):
            op = self.next()[1]
            return ("assign", op[0] + "=", self.unary(), ("const", 1))
        node = self.postfix()
        if self.sees("++", "--"):  # its value is the new one; only loop updates use it
            op = self.next()[1]
            return ("assign", op[0] + "=", node, ("const", 1))
        return node

    def postfix(self) -> Node:
        node = self.primary()
        while True:
            if self.sees("."):
                self.next()
                node = ("member", node, self.next()[1])
            elif self.sees("["):
                self.next()
                key = self.expression()
                self.take("]")
                node = ("index", node, key)
            elif self.sees("("):
                self.next()
                node = ("call", node, self.items(")"))
            else:
                return node

    def items(self, close: str) -> list[Node]:
        """Comma-separated expressions up to `close` (a trailing comma allowed)."""
        out = []
        while not self.sees(close):
            out.append(self.expression())
            if not self.sees(close):
                self.take(",")
        self.next()
        return out

    def primary(self) -> Node:
        kind, text = self.next()
        if kind == "num":
            return ("const", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "str":
            return ("const", js_string(text))
        if text == "(":
            node = self.expression()
            self.take(")")
            return node
        if text == "[":
            return ("array", self.items("]"))
        if text == "function":
            if not self.sees("("):
                self.next()  # its name
            self.take("(")
            params = [param[1] for param in self.items(")")]
            return ("function", params, self.statement())
        if kind == "name":
            literals = {"true": True, "false": False, "null": None, "undefined": None}
            return ("const", literals[text]) if text in literals else ("name", text)
        raise JsError(f"unexpected {text!r}")


@dataclass(frozen=True)
class Unknown:
    """A value this script does not model: a region, a setting, the document."""

    what: str


@dataclass
class CueList:
    """The browser's `cues`: its length is what the page asserts it to be."""

    count: int | None = None


@dataclass(frozen=True)
class CueRef:
    index: int


@dataclass(frozen=True)
class CueField:
    """`cues[index].name` for a name of `FIELDS`."""

    index: int
    name: str


@dataclass(frozen=True)
class CountProbe:
    """`cues.length` before the page has said what it is."""


@dataclass
class Function:
    params: list[str]
    body: Node
    scope: Scope


class Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class Scope:
    """Variables of a function (blocks share their function's, as `var` does)."""

    def __init__(self, names: dict[str, Any], parent: Scope | None = None) -> None:
        self.names = names
        self.parent = parent

    def owner(self, name: str) -> Scope | None:
        scope: Scope | None = self
        while scope is not None and name not in scope.names:
            scope = scope.parent
        return scope

    def get(self, name: str) -> Any:
        owner = self.owner(name)
        return owner.names[name] if owner else Unknown(name)

    def set(self, name: str, value: Any) -> None:
        owner = self.owner(name)
        if owner is None:
            raise JsError(f"assignment to undeclared {name!r}")
        owner.names[name] = value


PROBES = (Unknown, CueList, CueRef, CueField, CountProbe)


class Interpreter:
    """Runs a page's assertions against `cues` and records what they expect."""

    def __init__(self) -> None:
        self.cues = CueList()
        self.expected = Expected()
        self.steps = 0
        self.globals = Scope({
            "cues": self.cues,
            "assert_equals": self.assert_equals,
            "assert_true": ignore, "assert_false": ignore, "assert_not_equals": ignore,
            "assert_unreached": ignore,
            "Array": {"from": self.array_from},
            "Number": {"MAX_VALUE": sys.float_info.max, "MIN_VALUE": 5e-324},
        })

    def assert_equals(self, actual: Any, expected: Any, *_message: Any) -> None:
        if isinstance(actual, CountProbe):
            if not isinstance(expected, int):
                raise JsError(f"cue count asserted as {expected!r}")
            self.expected.count = self.cues.count = expected
        elif isinstance(actual, CueField):
            if isinstance(expected, PROBES) or expected is None:
                raise JsError(f"cue {actual.index} {actual.name} asserted as {expected!r}")
            self.expected.cues.setdefault(actual.index, {})[actual.name] = expected

    def array_from(self, value: Any) -> list[Any]:
        if isinstance(value, CueList):
            if value.count is None:
                raise JsError("Array.from(cues) before the cue count is asserted")
            return [CueRef(i) for i in range(value.count)]
        if isinstance(value, list):
            return list(value)
        raise JsError(f"Array.from({value!r})")

    def run(self, statements: list[Node], scope: Scope) -> None:
        for statement in statements:
            self.execute(statement, scope)

    def execute(self, node: Node, scope: Scope) -> None:
        kind = node[0]
        if kind == "block":
            self.run(node[1], scope)
        elif kind == "var":
            scope.names[node[1]] = None if node[2] is None else self.value(node[2], scope)
        elif kind == "expr":
            self.value(node[1], scope)
        elif kind == "return":
            raise Return(None if node[1] is None else self.value(node[1], scope))
        elif kind == "for":
            _, init, condition, update, body = node
            self.execute(init, scope)
            while truthy(self.value(condition, scope)):
                self.steps += 1
                if self.steps > MAX_STEPS:
                    raise JsError("a loop that does not end")
                self.execute(body, scope)
                self.value(update, scope)
        else:
            raise JsError(f"statement {kind}")

    def value(self, node: Node, scope: Scope) -> Any:
        kind = node[0]
        if kind == "const":
            return node[1]
        if kind == "name":
            return scope.get(node[1])
        if kind == "array":
            return [self.value(item, scope) for item in node[1]]
        if kind == "function":
            return Function(node[1], node[2], scope)
        if kind == "member":
            return self.member(self.value(node[1], scope), node[2])
        if kind == "index":
            return self.index(self.value(node[1], scope), self.value(node[2], scope))
        if kind == "call":
            return self.call(self.value(node[1], scope), [self.value(a, scope) for a in node[2]])
        if kind == "unary":
            return unary(node[1], self.value(node[2], scope))
        if kind == "binary":
            return self.binary(node[1], node[2], node[3], scope)
        if kind == "assign":
            return self.assign(node[1], node[2], self.value(node[3], scope), scope)
        raise JsError(f"expression {kind}")

    def binary(self, op: str, left: Node, right: Node, scope: Scope) -> Any:
        a = self.value(left, scope)
        if op in ("&&", "||"):
            return (self.value(right, scope) if truthy(a) else a) if op == "&&" else (
                a if truthy(a) else self.value(right, scope))
        return binary(op, a, self.value(right, scope))

    def assign(self, op: str, target: Node, value: Any, scope: Scope) -> Any:
        if target[0] != "name":
            raise JsError("assignment to anything but a variable")
        if op != "=":
            value = binary(op[0], scope.get(target[1]), value)
        scope.set(target[1], value)
        return value

    def member(self, obj: Any, name: str) -> Any:
        if isinstance(obj, CueList) and name == "length":
            return CountProbe() if obj.count is None else obj.count
        if isinstance(obj, CueRef):
            return CueField(obj.index, name) if name in FIELDS else Unknown(f"cue.{name}")
        if isinstance(obj, Unknown):
            return Unknown(f"{obj.what}.{name}")
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if isinstance(obj, list | str) and name == "length":
            return len(obj)
        if isinstance(obj, list) and name in ("forEach", "map"):
            return self.list_method(obj, name)
        raise JsError(f"{type(obj).__name__}.{name}")

    def list_method(self, items: list[Any], name: str) -> Callable[..., Any]:
        def method(fn: Any) -> Any:
            results = [self.call(fn, [item, i, items]) for i, item in enumerate(items)]
            return results if name == "map" else None
        return method

    def index(self, obj: Any, key: Any) -> Any:
        if isinstance(obj, CueList) and isinstance(key, int):
            return CueRef(key)
        if isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            return obj[key]
        if isinstance(obj, Unknown):
            return Unknown(f"{obj.what}[{key!r}]")
        raise JsError(f"{type(obj).__name__}[{key!r}]")

    def call(self, fn: Any, args: list[Any]) -> Any:
        if isinstance(fn, Function):
            names = dict(zip(fn.params, args + [None] * len(fn.params), strict=False))
            try:
                self.execute(fn.body, Scope(names, fn.scope))
            except Return as returned:
                return returned.value
            return None
        if callable(fn):
            return fn(*args)
        if isinstance(fn, Unknown):
            return Unknown(f"{fn.what}()")
        raise JsError(f"calling {fn!r}")


def ignore(*_args: Any) -> None:
    return None


def truthy(value: Any) -> bool:
    if isinstance(value, PROBES):
        raise JsError(f"the page decides on {value!r}, which this script does not know")
    return bool(value)


def unary(op: str, value: Any) -> Any:
    if isinstance(value, PROBES):
        return Unknown(f"{op}{value!r}")
    if op == "!":
        return not truthy(value)
    return -value if op == "-" else +value


def js_text(value: Any) -> str:
    """A value as JavaScript turns it into a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def binary(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, PROBES) or isinstance(b, PROBES):
        return Unknown(f"{a!r} {op} {b!r}")
    if op == "+" and (isinstance(a, str) or isinstance(b, str)):
        return js_text(a) + js_text(b)
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
        "/": lambda x, y: x / y, "%": lambda x, y: x % y,
        "<": lambda x, y: x < y, ">": lambda x, y: x > y,
        "<=": lambda x, y: x <= y, ">=": lambda x, y: x >= y,
        "==": lambda x, y: x == y, "===": lambda x, y: x == y,
        "!=": lambda x, y: x != y, "!==": lambda x, y: x != y,
    }
    if op not in operations:
        raise JsError(f"operator {op}")
    return operations[op](a, b)


def interpret(js: str) -> Expected:
    interpreter = Interpreter()
    interpreter.run(Parser(js).program(), Scope({}, interpreter.globals))
    return interpreter.expected


# -- What gloss reads ------------------------------------------------------------


@dataclass
class GotCue:
    """A cue gloss reads, with the attributes a browser's cue has."""

    id: str
    startTime: float
    """Named as the DOM names it, as the pages assert it."""
    endTime: float
    text: str
    line: int
    timing: str
    """Its timing line as the file has it."""
    seen: str
    """Its timing line as `read_cues` was given it."""
    spec: bool
    """Whether gloss read its times as the spec writes them (else leniently)."""


def spec_decode(data: bytes) -> str:
    """The file's text as the spec's parser sees it: UTF-8 with a byte-order
    mark dropped, NUL as U+FFFD, every newline a line feed."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")


def gloss_text(name: str, data: bytes) -> str:
    """The file's text as gloss reads every file (`read_text`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        return read_text(path, FormatError, name)


def gloss_cues(name: str, text: str, raw: str) -> tuple[list[GotCue], list[SiteError]]:
    """The cues `read_cues` finds in `text`, each with its timing line as in `raw`
    (the file as the spec decodes it: line for line the same, control
    characters kept) and whether `webvtt.timing` read that line as the spec does."""
    cues, problems = webvtt.read_cues(name, text)
    lines, raw_lines = text.split("\n"), raw.split("\n")
    out = []
    for cue in cues:
        read = webvtt.timing(lines[cue.line - 1])
        out.append(GotCue(cue.ident, cue.start, cue.end, "\n".join(line for line, _ in cue.payload),
                          cue.line, raw_lines[cue.line - 1], lines[cue.line - 1], bool(read and read[2])))
    return out, problems


# -- Comparing -------------------------------------------------------------------


def show(value: Any) -> str:
    if isinstance(value, str):
        return ascii(value)
    if isinstance(value, float | int):
        return f"{value:.3f}"
    return repr(value)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def matches(cue: GotCue, fields: dict[str, Any]) -> bool:
    """Whether a cue has every asserted field (times to the millisecond)."""
    for name, want in fields.items():
        have = getattr(cue, name)
        if name in ("startTime", "endTime"):
            if not isinstance(want, int | float) or round(have * 1000) != round(want * 1000):
                return False
        elif have != want:
            return False
    return True


def differences(expected: Expected, got: list[GotCue]) -> list[str]:
    """How gloss's cues differ, index by index, from the page's assertions."""
    out = []
    if expected.count is not None and len(got) != expected.count:
        out.append(f"gloss reads {len(got)} cues, the browser {expected.count}")
    for index, fields in sorted(expected.cues.items()):
        if index >= len(got):
            out.append(f"cue {index}: gloss has no such cue (expected {fields})")
            continue
        for name, want in fields.items():
            if not matches(got[index], {name: want}):
                out.append(f"cue {index} {name}: gloss {show(getattr(got[index], name))}, "
                           f"expected {show(want)}")
    return out


def surplus(expected: Expected, got: list[GotCue],
            droppable: Callable[[GotCue], bool]) -> list[GotCue] | None:
    """The cues to take from gloss's so the rest are the browser's, taking only
    `droppable` ones (a droppable cue is taken rather than matched when both
    work); None if no choice does it."""
    if expected.count is None or len(got) <= expected.count:
        return None
    count = expected.count

    @cache
    def solve(i: int, j: int) -> tuple[int, ...] | None:
        if i == len(got):
            return () if j == count else None
        if droppable(got[i]) and len(got) - i > count - j:
            rest = solve(i + 1, j)
            if rest is not None:
                return (i, *rest)
        if j < count and matches(got[i], expected.cues.get(j, {})):
            return solve(i + 1, j + 1)
        return None

    taken = solve(0, 0)
    return None if taken is None else [got[i] for i in taken]


@dataclass
class Outcome:
    name: str
    status: str
    """pass, lenient, differs, no cues, not understood."""
    summary: str
    details: list[str] = field(default_factory=list)
    """Listed under the line, the first few unless --verbose."""
    quiet: list[str] = field(default_factory=list)
    """Listed only with --verbose."""


def describe(cue: GotCue) -> str:
    times = "times as the spec writes them" if cue.spec else "times read leniently"
    if cue.seen != cue.timing:
        times = f"read_text made it `{ascii(cue.seen)[1:-1]}`, {times}"
    return (f"line {cue.line} `{ascii(cue.timing)[1:-1]}` ({times}): {show(cue.startTime)} --> "
            f"{show(cue.endTime)}, id {show(cue.id)}, text {show(cue.text)}")


def judge(name: str, expected: Expected, got: list[GotCue], problems: list[SiteError]) -> Outcome:
    kinds = Counter(p.kind for p in problems)
    told = [f"gloss says: {', '.join(plural(n, kind) for kind, n in sorted(kinds.items()))}"] if kinds else []
    note = " (the page asserts the count only)" if expected.count_only else ""
    diffs = differences(expected, got)
    if not diffs:
        return Outcome(name, "pass", plural(len(got), "cue") + note, quiet=told)
    lenient = surplus(expected, got, lambda cue: not cue.spec)
    if lenient:
        where = ("line " if len(lenient) == 1 else "lines ") + ", ".join(str(c.line) for c in lenient)
        return Outcome(name, "lenient", f"gloss also reads {plural(len(lenient), 'cue')} the browser "
                       f"drops, timed as the spec does not allow ({where}){note}",
                       [describe(c) for c in lenient], told)
    extra = surplus(expected, got, lambda cue: True)
    if extra:
        return Outcome(name, "differs", f"gloss also reads {plural(len(extra), 'cue')} the browser "
                       f"drops{note}", [describe(c) for c in extra], told)
    return Outcome(name, "differs", diffs[0] + note, diffs[1:], told + [
        f"gloss cue {i}: {describe(c)}" for i, c in enumerate(got)])


def run_page(page_path: Path, decode_as_spec: bool) -> Outcome:
    name = page_path.stem
    page = page_path.read_text(encoding="utf-8")
    try:
        expected = expectations(page)
        shown, data = vtt_source(page_path, page)
    except (JsError, OSError) as exc:
        return Outcome(name, "not understood", str(exc))
    raw = spec_decode(data)
    try:
        got, problems = gloss_cues(shown, raw if decode_as_spec else gloss_text(shown, data), raw)
    except SiteError as exc:
        what = str(exc).split("\n", 1)[0]
        if expected.empty:
            return Outcome(name, "no cues", f"the page asserts nothing about cues; gloss refuses: {what}")
        return Outcome(name, "differs", f"gloss refuses the file: {what}",
                       [f"the browser finds {plural(expected.count, 'cue')}"]
                       if expected.count is not None else [])
    if expected.empty:
        return Outcome(name, "no cues", f"the page asserts nothing about cues (gloss reads {len(got)})")
    return judge(name, expected, got, problems)


def report(outcome: Outcome, verbose: bool) -> None:
    print(f"{outcome.status:<15} {outcome.name:<27} {outcome.summary}")
    details = outcome.details + outcome.quiet if verbose else outcome.details[:SHOWN]
    for line in details:
        print(f"{'':<15} {line}")
    if len(details) < len(outcome.details):
        print(f"{'':<15} ... and {len(outcome.details) - len(details)} more (--verbose lists them)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tests", type=Path,
                        help="webvtt/parsing/file-parsing/tests of a web-platform-tests checkout")
    parser.add_argument("--verbose", action="store_true", help="every extra cue and difference")
    parser.add_argument("--spec-decode", action="store_true",
                        help="decode files as the spec does, not through gloss's read_text")
    args = parser.parse_args()
    pages = sorted(args.tests.glob("*.html"))
    if not pages:
        print(f"{args.tests}: no test pages (*.html); see this script's docstring for where "
              "to get them", file=sys.stderr)
        return 2
    outcomes = [run_page(page, args.spec_decode) for page in pages]
    for outcome in outcomes:
        report(outcome, args.verbose)
    tally = Counter(o.status for o in outcomes)
    print(f"\n{len(outcomes)} test pages"
          f"{' (files decoded as the spec does)' if args.spec_decode else ''}: "
          f"{tally['pass']} pass, {tally['lenient']} lenient only, {tally['differs']} differ, "
          f"{tally['no cues']} without cue assertions, {tally['not understood']} not understood")
    return 0


if __name__ == "__main__":
    sys.exit(main())

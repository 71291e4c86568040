"""Errors an editor can act on.

Every problem with user input is a `SiteError` that knows where it happened, so
the command line can print `path:line:col: error: message` (the form compilers
and editors understand) and exit non-zero without a traceback. Anything that is
not a `SiteError` is a bug in gloss and keeps its traceback.

A message may quote what the user wrote, and that can be anything: a 10 MB
line, a NUL, an escape sequence that would repaint the terminal. So printing an
error quotes at most one source line, cut to `QUOTE_LIMIT` characters around the
column, and shows every control character escaped (`\x1b`), in the path, the
message and the hint too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

QUOTE_LIMIT = 200
"""Characters of a source line shown under a message."""
MESSAGE_LIMIT = 400
"""Characters of a message or a hint: enough for any we write, bounded for what
they quote."""
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape(text: str) -> str:
    """`text` with every control character (newline and tab included) written as
    an escape, so it prints on one line and cannot drive the terminal."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m[0], f"\\x{ord(m[0]):02x}"), text)


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """At most `limit` characters, with `…` where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote_line(line: str, col: int = 0) -> tuple[str, int]:
    """The first line of `line` as shown in a message: escaped, tabs as spaces (so the
    caret lines up), cut to `QUOTE_LIMIT` characters around column `col`; and the
    0-based offset of that column in what is shown."""
    line = line.split("\n", 1)[0].rstrip().replace("\t", " ")
    text = escape(line)
    at = len(escape(line[: col - 1])) if col > 0 else 0
    if len(text) <= QUOTE_LIMIT:
        return text, at
    start = 0 if at < QUOTE_LIMIT - 10 else min(at - QUOTE_LIMIT // 2, len(text) - QUOTE_LIMIT)
    head = "…" if start else ""
    tail = "…" if start + QUOTE_LIMIT < len(text) else ""
    return head + text[start : start + QUOTE_LIMIT] + tail, at - start + len(head)


@dataclass(frozen=True, slots=True)
class SourcePos:
    """Where something came from: 1-based line and column; 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class SiteError(Exception):
    """A problem in the user's content, config or theme, located in a file."""

    kind = "error"

    def __init__(
        self, pos: SourcePos, message: str, hint: str = "", source_line: str = ""
    ) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.hint = hint
        self.source_line = source_line

    def __str__(self) -> str:
        out = f"{clip(escape(str(self.pos)))}: {self.kind}: {clip(escape(self.message))}"
        if self.source_line:
            shown, at = quote_line(self.source_line, self.pos.col)
            out += f"\n    {shown}"
            if self.pos.col:
                out += "\n    " + " " * at + "^"
        if self.hint:
            # A hint may have a second line of its own (a YAML parser's words);
            # each is escaped and cut like the rest.
            first, *more = self.hint.split("\n")[:3]
            out += f"\n  hint: {clip(escape(first))}"
            out += "".join(f"\n  {clip(escape(line.strip()))}" for line in more)
        return out

    def sort_key(self) -> tuple[str, int, int]:
        return (self.pos.path, self.pos.line, self.pos.col)

    def __reduce__(self) -> tuple[object, ...]:
        """Errors cross process boundaries (transcripts are made in a pool)."""
        return (_rebuild, (type(self), self.pos, self.message, self.hint, self.source_line,
                           self.kind))


def _rebuild(cls: type[SiteError], pos: SourcePos, message: str, hint: str, source_line: str,
             kind: str) -> SiteError:
    err = cls.__new__(cls)
    SiteError.__init__(err, pos, message, hint, source_line)
    err.kind = kind
    return err


class SiteErrors(SiteError):
    """Several errors found in one pass over a file, reported together."""

    def __init__(self, errors: list[SiteError]) -> None:
        first = errors[0]
        super().__init__(first.pos, first.message, first.hint, first.source_line)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def raise_all(errors: list[SiteError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SiteErrors(errors)


class Problems:
    """Every error found in one file, so an editor can fix them in one pass."""

    def __init__(self, collect: bool = True) -> None:
        self.errors: list[SiteError] = []
        self.collect = collect
        """False: an error in `each` is raised at once, for a caller that wants
        the first problem only (a reader called without a `Problems` to fill)."""

    def add(self, err: SiteError) -> None:
        self.errors.extend(err.errors if isinstance(err, SiteErrors) else [err])

    @contextmanager
    def each(self) -> Iterator[None]:
        """Run a block for one entry: its error is recorded and the block left."""
        try:
            yield
        except SiteError as err:
            if not self.collect:
                raise
            self.add(err)


class ConfigError(SiteError):
    """Bad `config.yaml` or command-line settings."""


class FormatError(SiteError):
    """A transcript file that cannot be read or whose format is unknown."""


class AnnotationError(SiteError):
    """A sidecar YAML file (or people/topics/glossary) that does not fit."""


class ThemeError(SiteError):
    """A missing or broken theme template."""


def warning(pos: SourcePos, message: str, hint: str = "", source_line: str = "") -> SiteError:
    """A problem that does not stop the build (it does with --strict)."""
    w = SiteError(pos, message, hint, source_line)
    w.kind = "warning"
    return w


def note(pos: SourcePos, message: str, hint: str = "", source_line: str = "") -> SiteError:
    """Something read as meant though not as the format's rules say (a time written
    `0:0:4.430`): worth knowing, nothing to fix, so `--strict` passes it."""
    n = SiteError(pos, message, hint, source_line)
    n.kind = "note"
    return n


@dataclass
class Diagnostics:
    """Collects every error and warning of a run so all are reported at once."""

    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)

    def error(self, err: SiteError) -> None:
        self.errors.extend(err.errors if isinstance(err, SiteErrors) else [err])

    def warn(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.warnings.append(warning(pos, message, hint))

    def sorted(self) -> list[SiteError]:
        return sorted(self.errors + self.warnings, key=SiteError.sort_key)

    @property
    def counted(self) -> list[SiteError]:
        """The warnings that count (and fail `--strict`): not notes."""
        return [w for w in self.warnings if w.kind != "note"]


class BuildFailed(Exception):
    """Raised when a run collected errors; carries them all for the CLI."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} error(s)")
        self.diagnostics = diagnostics

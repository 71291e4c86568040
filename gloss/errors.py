"""Errors an editor can act on.

Every problem with user input is a `SiteError` that knows where it happened, so
the command line can print `path:line:col: error: message` (the form compilers
and editors understand) and exit non-zero without a traceback. Anything that is
not a `SiteError` is a bug in gloss and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        out = f"{self.pos}: {self.kind}: {self.message}"
        if self.source_line:
            out += f"\n    {self.source_line.rstrip()}"
            if self.pos.col:
                out += "\n    " + " " * (self.pos.col - 1) + "^"
        if self.hint:
            out += f"\n  hint: {self.hint}"
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


class ConfigError(SiteError):
    """Bad `config.yaml` or command-line settings."""


class FormatError(SiteError):
    """A transcript file that cannot be read or whose format is unknown."""


class AnnotationError(SiteError):
    """A sidecar YAML file (or people/topics/glossary) that does not fit."""


class ThemeError(SiteError):
    """A missing or broken theme template."""


def warning(pos: SourcePos, message: str, hint: str = "") -> SiteError:
    """A problem that does not stop the build (it does with --strict)."""
    w = SiteError(pos, message, hint)
    w.kind = "warning"
    return w


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


class BuildFailed(Exception):
    """Raised when a run collected errors; carries them all for the CLI."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} error(s)")
        self.diagnostics = diagnostics

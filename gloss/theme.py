"""Where a site's templates and static files come from.

The default theme ships inside the package, so a site needs only `config.yaml`
and `content/`. A site may override it file by file, as Hugo's lookup order
does: `themes/<name>/templates/transcript.html` in the site replaces the
package's `transcript.html` and every other template still comes from the
package. A theme of another name that the site does not have is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import SourcePos, ThemeError

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"
DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Theme:
    """The folders a theme is read from, the site's own first."""

    name: str
    dirs: tuple[Path, ...]

    def templates(self) -> list[Path]:
        return [d / "templates" for d in self.dirs if (d / "templates").is_dir()]

    def sources(self) -> dict[str, tuple[Path, str]]:
        """Template name -> (file, source text): the first folder that has it wins."""
        out: dict[str, tuple[Path, str]] = {}
        for folder in self.templates():
            for p in sorted(folder.rglob("*")):
                name = p.relative_to(folder).as_posix()
                if p.is_file() and not p.name.startswith(".") and name not in out:
                    out[name] = (p, p.read_text("utf-8"))
        return out

    def static(self) -> dict[str, Path]:
        """Output path under `static/` -> file: the site's files over the package's."""
        out: dict[str, Path] = {}
        for folder in reversed([d / "static" for d in self.dirs if (d / "static").is_dir()]):
            for p in sorted(folder.rglob("*")):
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
                    out["static/" + p.relative_to(folder).as_posix()] = p
        return out

    def owns(self, path: str) -> bool:
        """Whether a file path is one of this theme's (for error positions)."""
        return any(path.startswith(str(d)) for d in self.dirs)


def resolve(config: Config) -> Theme:
    """The site's `themes/<name>/` (if any) over the package's theme of that name,
    over the package default."""
    site = config.root / "themes" / config.theme
    dirs = [site] if site.is_dir() else []
    packaged = PACKAGE_THEMES / config.theme
    if packaged.is_dir():
        dirs.append(packaged)
    elif not dirs:
        raise ThemeError(SourcePos(config.path), f"theme not found: themes/{config.theme}",
                         f"make the folder themes/{config.theme}/templates, or use `theme: {DEFAULT}`")
    if config.theme != DEFAULT:
        dirs.append(PACKAGE_THEMES / DEFAULT)
    return Theme(config.theme, tuple(dirs))

"""`gloss init DIR`: a new site with everything it needs to build and publish.

The files come from `gloss/scaffold/` (a folder of plain files, so they are
easy to read and edit); names that would be hidden in the package are given
without their dot and renamed here. Nothing that exists is ever overwritten:
if any file is already there, nothing is written and every clash is named.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ConfigError, SiteError, SourcePos, raise_all, warning

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
SCHEMA = Path(__file__).resolve().parent / "schema" / "annotations.schema.json"
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
"""Package file names -> names in the new site."""


WORKFLOW = ".github/workflows/pages.yml"
DIST = "gloss-transcripts"
"""gloss's name to pip and on PyPI (the PyPI project `gloss` is another program)."""
PLACEHOLDER = "EDIT-ME: a git address or a release of gloss-transcripts (see above)"
"""The workflow's GLOSS when there is nothing GitHub could install: its first step
stops on it with what to write instead, rather than pip failing obscurely."""


@dataclass(frozen=True)
class Started:
    """What `init` wrote, and what the user must still do before publishing."""

    written: list[str]
    warnings: list[SiteError]


def _direct_url() -> dict[str, Any] | None:
    """Where pip got this gloss, as it recorded it (PEP 610's direct_url.json): {} for
    an index such as PyPI (pip records nothing then), None when gloss is not installed
    (run from a checkout) or the record cannot be read. An install names its installer
    (INSTALLER); the metadata a build leaves in a checkout (gloss_transcripts.egg-info,
    found when gloss runs from there) does not, and must not pass for a release."""
    try:
        dist = importlib.metadata.distribution(DIST)
        if not dist.read_text("INSTALLER"):
            return None
        found = json.loads(dist.read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def requirement() -> str | None:
    """How pip can install this gloss on another machine (GitHub's): the repository or
    web address it came from, else the released version when it came from an index.
    None when it came from this machine's disk (a folder, a built wheel): no other
    machine can install from there, and `gloss==` would get PyPI's other `gloss`."""
    direct = _direct_url()
    if direct is None:
        return None
    if not direct:
        return f"{DIST}=={__version__}"
    url = str(direct.get("url", ""))
    if not url.startswith(("https://", "http://")):
        return None
    where = f"{DIST} @ {url}"
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        ref = vcs.get("requested_revision") or vcs.get("commit_id", "")
        where = f"{DIST} @ {vcs.get('vcs', 'git')}+{url}" + (f"@{ref}" if ref else "")
    sub = direct.get("subdirectory")
    return where + (f"#subdirectory={sub}" if sub else "")


def unreachable(workflow: Path, text: str) -> SiteError:
    """The warning `init` gives when the workflow cannot know where to get gloss:
    without it the first push to GitHub is the first the user hears of it."""
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith("GLOSS:")), 0)
    url = str((_direct_url() or {}).get("url", ""))
    origin = (f"a folder or file on this machine{f' ({url})' if url else ''}"
              if url.startswith("file:") or not url else url)
    return warning(
        SourcePos(str(workflow), line),
        f"gloss was installed from {origin}, and GitHub's runner cannot install it from there: "
        "until GLOSS says where to get gloss, the workflow stops and says so",
        f"edit the GLOSS line to a git address of your gloss, e.g. "
        f"`{DIST} @ git+https://github.com/you/gloss`, or a released version, e.g. `{DIST}=={__version__}`")


def workflow_text(source: Path, need: str | None) -> str:
    """The publishing workflow, installing gloss from `need` (or stopping, if None)."""
    return (source.read_text("utf-8").replace("@GLOSS_REQUIREMENT@", need or PLACEHOLDER)
            .replace("@GLOSS_VERSION@", __version__))


def plan() -> dict[str, Path]:
    """Relative path in the new site -> the file it is copied from."""
    files: dict[str, Path] = {}
    for p in sorted(SCAFFOLD.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            parts = p.relative_to(SCAFFOLD).parts
            files["/".join(RENAMED.get(part, part) for part in parts)] = p
    files["schema/annotations.schema.json"] = SCHEMA
    return files


def init(folder: Path) -> Started:
    """Write a new site into `folder` (made if missing): the paths written, and a
    warning if its workflow cannot publish until the user says where gloss is."""
    files = plan()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(SourcePos(str(folder)), "not a folder", "give a new or empty folder")
    clashes: list[SiteError] = [
        ConfigError(SourcePos(str(folder / rel)), "already exists; not overwriting it",
                    "run `gloss init` in a new or empty folder")
        for rel in files if (folder / rel).exists() or (folder / rel).is_symlink()]
    raise_all(clashes)
    need = requirement()
    written: list[str] = []
    warnings: list[SiteError] = []
    try:
        for rel, source in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel == WORKFLOW:
                text = workflow_text(source, need)
                target.write_text(text, "utf-8")
                if need is None:
                    warnings.append(unreachable(target, text))
            else:
                shutil.copyfile(source, target)
            written.append(rel)
    except OSError as exc:
        raise ConfigError(SourcePos(str(exc.filename or folder)),
                          f"cannot write the new site: {exc.strerror}") from None
    return Started(written, warnings)

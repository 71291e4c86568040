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
from pathlib import Path

from . import __version__
from .errors import ConfigError, SiteError, SourcePos, raise_all

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
SCHEMA = Path(__file__).resolve().parent / "schema" / "annotations.schema.json"
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
"""Package file names -> names in the new site."""


WORKFLOW = ".github/workflows/pages.yml"


def requirement() -> str:
    """How pip can install this gloss on another machine (GitHub's): the address
    it was installed from when that was a repository (PEP 610's direct_url.json),
    else the released version."""
    try:
        dist = importlib.metadata.distribution("gloss")
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return f"gloss=={__version__}"
    vcs = direct.get("vcs_info", {})
    if vcs.get("vcs") == "git" and str(direct.get("url", "")).startswith(("https://", "http://")):
        ref = vcs.get("requested_revision") or vcs.get("commit_id", "")
        return f"gloss @ git+{direct['url']}" + (f"@{ref}" if ref else "")
    return f"gloss=={__version__}"


def plan() -> dict[str, Path]:
    """Relative path in the new site -> the file it is copied from."""
    files: dict[str, Path] = {}
    for p in sorted(SCAFFOLD.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            parts = p.relative_to(SCAFFOLD).parts
            files["/".join(RENAMED.get(part, part) for part in parts)] = p
    files["schema/annotations.schema.json"] = SCHEMA
    return files


def init(folder: Path) -> list[str]:
    """Write a new site into `folder` (made if missing); return the paths written."""
    files = plan()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(SourcePos(str(folder)), "not a folder", "give a new or empty folder")
    clashes: list[SiteError] = [
        ConfigError(SourcePos(str(folder / rel)), "already exists; not overwriting it",
                    "run `gloss init` in a new or empty folder")
        for rel in files if (folder / rel).exists() or (folder / rel).is_symlink()]
    raise_all(clashes)
    written: list[str] = []
    try:
        for rel, source in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel == WORKFLOW:
                text = source.read_text("utf-8").replace("@GLOSS_REQUIREMENT@", requirement())
                target.write_text(text, "utf-8")
            else:
                shutil.copyfile(source, target)
            written.append(rel)
    except OSError as exc:
        raise ConfigError(SourcePos(str(exc.filename or folder)),
                          f"cannot write the new site: {exc.strerror}") from None
    return written


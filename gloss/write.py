"""Write the rendered site to disk: atomically, only what changed, never outside it.

Every changed file is first staged under a temporary folder inside the output
folder; only when all of them are staged are they moved into place with
`os.replace`. A build that fails before that point leaves the old site as it
was. A manifest of what gloss wrote lets it delete stale pages without ever
touching files it did not create.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import SiteError, SourcePos

MANIFEST = ".gloss-manifest.json"
STAGING = ".gloss-staging"


def safe_relpath(relpath: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    p = PurePosixPath(relpath)
    if p.is_absolute() or not p.parts or any(part in ("..", "", ".") for part in p.parts):
        raise ValueError(f"refusing to write outside the site folder: {relpath!r}")
    if p.parts[0] in (MANIFEST, STAGING):
        raise ValueError(f"{relpath!r} is reserved for gloss's own bookkeeping")
    return p


def _previous(out: Path) -> set[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(p) for p in listed if isinstance(p, str)} if isinstance(listed, list) else set()


def _changed(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size != len(data) or target.read_bytes() != data
    except OSError:
        return True


def write_site(
    out: Path, files: dict[str, bytes], known: dict[str, bytes] | None = None
) -> tuple[list[str], list[str]]:
    """Bring `out` in line with `files`; return (paths written, stale paths deleted).

    `known` is what this process last wrote (serve keeps it): a file whose bytes
    are the very object written last time is not read back to compare."""
    paths = {rel: safe_relpath(rel) for rel in files}
    known = known if known is not None else {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        changed = [rel for rel in files
                   if (not (out / paths[rel]).exists() if known.get(rel) is files[rel]
                       else _changed(out / paths[rel], files[rel]))]
        staging = out / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            for i, rel in enumerate(changed):
                (staging / str(i)).write_bytes(files[rel])
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        for i, rel in enumerate(changed):
            target = out / paths[rel]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / str(i), target)
        staging.rmdir()
        stale = sorted(_previous(out) - set(files))
        deleted: list[str] = []
        for rel in stale:
            try:
                target = out / safe_relpath(rel)
            except ValueError:
                continue
            if target.is_file():
                target.unlink()
                deleted.append(rel)
                _prune_empty(target.parent, out)
        known.clear()
        known.update(files)
        manifest = json.dumps(sorted(files), indent=0).encode()
        if _changed(out / MANIFEST, manifest):
            (out / MANIFEST).write_bytes(manifest)
    except OSError as exc:
        where = exc.filename or out
        raise SiteError(SourcePos(str(where)), f"cannot write the site: {exc.strerror}") from None
    return changed, deleted


def _prune_empty(folder: Path, out: Path) -> None:
    while folder != out and out in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent

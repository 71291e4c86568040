"""The output folder as both writers see it: its real path, the names of gloss's
bookkeeping beside it (`.<out>.gloss-<what>`, never inside it), the paths that
may be written into it, and errors that name it.

Nothing here writes: a crash leaves nothing of this part's.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from types import TracebackType

from ..errors import SiteError, SourcePos
from .lock import LOCK_WAIT, Lock, take

LEGACY = (".gloss-manifest.json", ".gloss-staging")
"""Bookkeeping that older versions of gloss kept inside the output folder."""


def safe_relpath(relpath: str) -> str:
    """Refuse any output path that could land outside the output folder."""
    parts = relpath.split("/")
    if (not relpath or relpath.startswith("/") or any(p in ("", ".", "..") for p in parts)
            or os.path.isabs(relpath) or os.path.splitdrive(relpath)[0]):
        raise ValueError(f"refusing to write outside the site folder: {relpath!r}")
    if "\\" in relpath or "\0" in relpath:
        raise ValueError(f"refusing a path with a backslash or NUL: {relpath!r}")
    if parts[0] in LEGACY:
        raise ValueError(f"{relpath!r} is reserved for gloss's own bookkeeping")
    return relpath


_UNSAFE = re.compile(r"^$|^/|//|/$|(?:^|/)\.\.?(?:/|$)|^(?:" + "|".join(map(re.escape, LEGACY)) + r")(?:/|$)",
                     re.M)


def all_safe(relpaths: Collection[str]) -> bool:
    """Whether `safe_relpath` takes every one of these paths, in one scan of them
    all (a manifest at 5,000 episodes lists 55,000, and serve's first build reads
    it before a save can be shown). False when in doubt: check them one by one."""
    if not relpaths:
        return True
    text = "\n".join(relpaths)
    if os.sep != "/" or text.count("\n") != len(relpaths) - 1 or any(c in text for c in "\\\0\r"):
        return False
    return _UNSAFE.search(text) is None


def shown_folder(out: Path) -> str:
    """The output folder as the user named it, relative when inside the working folder."""
    try:
        rel = os.path.relpath(out)
    except ValueError:
        rel = str(out)
    return (str(out) if rel.startswith("..") else rel).rstrip("/\\") + "/"


def sibling(out: Path, what: str) -> Path:
    """`.<name>.gloss-<what>` beside the output folder."""
    return out.parent / f".{out.name}.gloss-{what}"


def to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class OutputFolder:
    """What a writer knows of the folder it publishes: where it really is, how the
    user named it, its bookkeeping's names, and its lock (taken by `_take_lock`)."""

    def __init__(self, out: Path, notice: Callable[[str], None], lock_wait: float | None) -> None:
        self.shown = shown_folder(out)
        self.out = Path(os.path.realpath(out))
        """The real folder: a symlinked output folder is published where it points."""
        self.staging = sibling(self.out, "staging")
        self.manifest = sibling(self.out, "manifest.json")
        self.pending = sibling(self.out, "pending.txt")
        """Files an in-place build creates that no manifest lists yet, noted before each
        is written: killed before it records them, the next build still knows them as
        gloss's."""
        self.notice = notice
        self.lock_wait = LOCK_WAIT if lock_wait is None else lock_wait
        self._lock = Lock(sibling(self.out, "lock"))

    def _take_lock(self) -> None:
        take(self._lock, self.lock_wait, self.notice, self.shown)

    def _errors(self) -> SiteErrors:
        return SiteErrors(self)


class SiteErrors:
    """Turn an OSError into `site/: error: cannot write the site: <reason>`."""

    def __init__(self, folder: OutputFolder) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        if not isinstance(exc, OSError):
            return
        f = self.folder
        hint = ""
        where = Path(os.fsdecode(exc.filename)) if exc.filename else None
        if where is not None and where.parent == f.out.parent and where != f.out:
            hint = (f"gloss prepares the new site beside {f.shown} (in {f.staging.name}/) and "
                    "needs to write in the folder that holds it")
        elif exc.errno in (errno.EBUSY, errno.EXDEV):
            hint = (f"{f.shown} cannot be replaced as a whole (is it a mount point?): "
                    "build into a folder inside it")
        raise SiteError(SourcePos(f.shown), f"cannot write the site: {exc.strerror or exc}",
                        hint) from None

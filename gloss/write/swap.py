"""Swap the staged site and the published one in one step.

On Linux `renameat2(RENAME_EXCHANGE)` exchanges the two folders atomically: a
crash before it leaves the old site published, after it the new one, with the
old at the staging path (deleted, or kept by serve for its next build).
Elsewhere, or when the file system says EINVAL/ENOSYS, two renames do it,
`site/ -> .<out>.gloss-old/` then staging -> `site/`, with a journal written and
fsynced before the first: a crash between the two leaves no `site/` for that
moment and the journal, and the next build, before anything else (`recover`),
renames the staged site into place. Each rename is fsynced in the folder that
holds the site, so the swap is on disk before the build says it is done.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .disk import fsync_dir, remove, temporary, write_record
from .folder import sibling

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
"""renameat2 errors that mean "not on this system or file system": use two renames."""


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2, on Linux with glibc 2.28 or later; else None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        fn: Any = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def _exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically; OSError(ENOSYS) where the system cannot."""
    fn = _renameat2()
    if fn is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(b))
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        import ctypes

        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


def _beside(out: Path) -> tuple[Path, Path, Path]:
    """The staged site, the old site between two renames, and the journal."""
    return sibling(out, "staging"), sibling(out, "old"), sibling(out, "journal.json")


def swap(out: Path) -> None:
    """Exchange the staged and the published folders (`out` is the real path of the
    output folder); the old site ends up at the staging path."""
    try:
        _exchange(sibling(out, "staging"), out)
    except OSError as exc:
        if exc.errno not in _NO_EXCHANGE:
            raise
        _swap_by_renames(out)
    fsync_dir(out.parent)


def publish_first(out: Path) -> None:
    """Put the staged site in place where there is none to swap with."""
    os.rename(sibling(out, "staging"), out)
    fsync_dir(out.parent)


def _swap_by_renames(out: Path) -> None:
    """Two renames, recoverable: the journal says a swap is under way, so a build
    killed between them is completed by the next one (see `recover`)."""
    staging, old, journal = _beside(out)
    record = {"out": out.name, "old": old.name, "new": staging.name}
    write_record(journal, json.dumps(record).encode())
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        os.unlink(journal)
        raise
    os.rename(old, staging)  # where the exchange would have left it
    os.unlink(journal)


def recover(out: Path) -> None:
    """Finish a swap by renames that a build killed between them left, then remove
    the old site and the journal's leftovers."""
    staging, old, journal = _beside(out)
    if journal.exists():
        if not os.path.lexists(out):
            if staging.is_dir():
                os.rename(staging, out)  # killed between the two renames
            elif old.is_dir():
                os.rename(old, out)
            fsync_dir(out.parent)
        os.unlink(journal)
    for leftover in (old, temporary(journal)):
        remove(leftover)

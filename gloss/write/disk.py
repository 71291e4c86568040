"""The file operations both writers are made of, each saying what it leaves.

A crash at any moment leaves: from `write_file`, at most a partial file under a
name nothing reads as published (a staged page, a `.gloss-tmp-` file, a
`.tmp` record), which the next build replaces or removes; from `write_record`,
the complete old record or the complete new one (never a torn one), plus at most
its `.tmp`, which the next build removes; from `link_or_copy` and `clear`, an
entry of the staging folder missing or whole, which the next build brings in
line. Nothing here is fsynced but the records and the renames they describe:
the guarantee is against the process dying, not against a power cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path


def digest(data: bytes) -> str:
    """What a file's bytes are, in short: equal digests, equal files."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (not possible, nor needed, on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_file(path: str | Path, data: bytes, sync: bool = False) -> None:
    """Create `path` (it must not exist) holding `data`."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def temporary(record: Path) -> Path:
    """Where `write_record` writes `record` before renaming it into place."""
    return record.with_name(record.name + ".tmp")


def write_record(path: Path, data: bytes) -> None:
    """Replace a bookkeeping file atomically and durably: it must be on disk before
    the step it records happens."""
    tmp = temporary(path)
    remove(tmp)
    write_file(tmp, data, sync=True)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def remove(path: Path) -> None:
    """Delete a file or a whole folder if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def clear(path: str) -> None:
    """Make room at `path` in the staging folder: remove a file or a folder there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def link_or_copy(src: str, dst: str) -> None:
    """Put at `dst`, in place of whatever is there, a hard link of `src` (same inode,
    same mtime); a copy where links fail. FileNotFoundError if `src` is gone."""
    clear(dst)
    try:
        os.link(src, dst)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def same_file_stat(a: str, b: str) -> os.stat_result | None:
    """The file's stat when two paths are one file (hard links to one inode)."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return None
    return sa if stat.S_ISREG(sa.st_mode) and (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev) else None


def same_file(a: str, b: str) -> bool:
    """Whether two paths are one file (hard links to one inode)."""
    return same_file_stat(a, b) is not None


def holds(path: str, data: bytes, known: bool = False) -> bool:
    """Whether the plain file at `path` holds `data`: read back unless `known` (the
    caller knows these bytes are the ones it wrote there)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return False
        if known:
            return True
        if st.st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def ancestors(rel: str) -> list[str]:
    """The folders a relative path is in: `a/b/c.html` -> [`a`, `a/b`]."""
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def walk_tree(root: str, rel: str = "") -> Iterator[tuple[str, os.DirEntry[str], bool]]:
    """Everything under `root`, without following links, each folder after what it
    holds: (path relative to root, entry, whether it is a folder)."""
    with os.scandir(os.path.join(root, rel) if rel else root) as listing:
        entries = list(listing)
    for entry in entries:
        path = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from walk_tree(root, path)
            yield path, entry, True
        else:
            yield path, entry, False

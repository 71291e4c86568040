"""Publish the rendered site: the output folder is always one complete build.

A build that is killed, runs out of disk, meets a permission error or races
another build must leave `site/` as the complete previous site or the complete
new one, and the next build must clean up whatever the earlier one left. So:

1. **Stage a whole copy beside the output folder.** `SiteWriter.add` writes each
   page at once into `.<out>.gloss-staging/`, a sibling of `site/` (same parent,
   so the same file system, and never inside the published folder). A page whose
   bytes did not change is hard-linked from the current site instead, so it keeps
   its inode and mtime (copied where links are impossible: another file system,
   FAT). `commit` then carries over every file in `site/` that gloss did not
   write (a CNAME, a `.git`), so the staged folder is the complete new site.
2. **Swap the folders in one step.** On Linux, `renameat2(RENAME_EXCHANGE)`
   exchanges the two directories atomically; the old site ends up in the staging
   path and is deleted (serve keeps it: the next build brings it in line with
   the new site instead of making every page's folder again). Elsewhere (or
   when the file system says EINVAL/ENOSYS) two renames do it, `site/ ->
   .<out>.gloss-old/` then staging -> `site/`, with a journal written and
   fsynced before the first one: a build killed between the renames is rolled
   forward by the next build before it does anything else.
3. **Record before publishing.** The manifest (`.<out>.gloss-manifest.json`,
   beside the folder) lists the files gloss wrote, so stale pages are removed and
   files the user put in `site/` never are. Before the swap it is rewritten to
   list the old and the new pages together, after it the new ones only; a build
   killed in between leaves a list that still names every page it published.
4. **One build at a time.** `.<out>.gloss-lock` is held (flock; msvcrt on
   Windows) from before recovery until the swap is done. A second build waits,
   saying so once, and gives up with a clear error after `LOCK_WAIT` seconds.

Nothing of gloss's bookkeeping is inside the output folder. Errors name the
output folder (`site/: error: cannot write the site: ...`), never a staging file.
Pages are not fsynced one by one (that would cost seconds on large sites): the
guarantee is against the process dying or failing, not against a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import SiteError, SourcePos

LOCK_WAIT = 120.0
"""Seconds a build waits for another build into the same folder to finish."""
LEGACY = (".gloss-manifest.json", ".gloss-staging")
"""Bookkeeping that older versions of gloss kept inside the output folder."""
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
"""renameat2 errors that mean "not on this system or file system": use two renames."""


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


def _notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fsync_dir(folder: Path) -> None:
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


def _write_file(path: str | Path, data: bytes, sync: bool = False) -> None:
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


def _write_record(path: Path, data: bytes) -> None:
    """Replace a bookkeeping file atomically and durably: it must be on disk before
    the step it records happens."""
    tmp = path.with_name(path.name + ".tmp")
    _remove(tmp)
    _write_file(tmp, data, sync=True)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _remove(path: Path) -> None:
    """Delete a file or a whole folder if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link `src` as `dst` (same inode, same mtime); copy where links fail."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


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


class _Lock:
    """An exclusive lock on a file, released by the system if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def try_lock(self) -> bool:
        if self.fd < 0:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                return False
            raise
        return True

    def acquire(self, wait: float, waiting: Callable[[], None]) -> bool:
        """Take the lock, waiting up to `wait` seconds (`waiting` is called once)."""
        deadline = time.monotonic() + wait
        told = False
        while not self.try_lock():
            if not told:
                waiting()
                told = True
            if time.monotonic() >= deadline:
                self.release()
                return False
            time.sleep(0.05)
        return True

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops flock and msvcrt locks alike
            self.fd = -1


@dataclass
class Remembered:
    """What serve keeps of the manifest its last build wrote, so the next build
    need not read and parse it again (20,000 entries at 1,000 episodes): used
    only while the file on disk is the very one written (size, time, inode)."""

    stat: tuple[int, int, int] | None = None
    files: set[str] = field(default_factory=set)
    recorded: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    encoded: Encoded = field(default_factory=dict)
    """Its entries as written, for the next in-place build to reuse."""

    trusted: bool = True
    """Whether what it records is as gloss left it (the manifest this process
    wrote), or read from disk, each kept file to be looked at first (`load`)."""

    def matches(self, manifest: Path) -> bool:
        """Whether the manifest on disk is the one this remembers."""
        return self.stat is not None and self.stat == _identity(manifest)

    def load(self, manifest: Path) -> bool:
        """Take a manifest another run wrote, not trusted: `InPlaceWriter` keeps a
        file it lists only once its size and time are seen to be as recorded."""
        identity = _identity(manifest)
        found = _read_manifest(manifest)
        if identity is None or found is None:
            return False
        # Each path is checked as a manifest this process writes is (see `_claim`).
        for rel in found[0]:
            try:
                safe_relpath(rel)
            except ValueError:
                return False
        (self.files, self.recorded), self.stat, self.encoded, self.trusted = found, identity, {}, False
        return True

    def wrote(self, manifest: Path, files: set[str], recorded: dict[str, tuple[str, int, int]],
              encoded: Encoded | None = None) -> None:
        """Remember the manifest just written, listing `files`."""
        self.stat = _identity(manifest)
        self.files, self.recorded, self.encoded, self.trusted = files, recorded, encoded or {}, True


class SiteWriter:
    """Publish a site page by page without holding it in memory:

        with SiteWriter(Path("site")) as w:
            for relpath, data in pages:
                w.add(relpath, data)
            written, deleted = w.commit()

    Leaving the block without `commit` (an error, Ctrl-C) leaves the published
    site as it was.

    The staging folder is reused when it is there: whatever a killed build or the
    last swap left in it is brought in line with the new site, entry by entry (an
    entry that is the very file, same inode, as the published one is kept), which
    saves re-creating every page's folder. `keep_staging` (serve) keeps the old
    site there after the swap for the next build to reuse; otherwise it is deleted.
    """

    def __init__(
        self, out: Path, known: dict[str, bytes] | None = None,
        notice: Callable[[str], None] = _notice, lock_wait: float | None = None,
        keep_staging: bool = False, remembered: Remembered | None = None,
    ) -> None:
        self.shown = shown_folder(out)
        self.out = Path(os.path.realpath(out))
        """The real folder: a symlinked output folder is published where it points."""
        self.staging = sibling(self.out, "staging")
        self.old = sibling(self.out, "old")
        self.manifest = sibling(self.out, "manifest.json")
        self.journal = sibling(self.out, "journal.json")
        self.pending = sibling(self.out, "pending.txt")
        self.known = known
        """What this process last wrote (serve keeps it): bytes that are the very same
        object need not be read back to compare."""
        self.notice = notice
        self.lock_wait = LOCK_WAIT if lock_wait is None else lock_wait
        self.keep_staging = keep_staging
        self.remembered = remembered
        self._lock = _Lock(sibling(self.out, "lock"))
        self._previous: set[str] = set()
        self._recorded: dict[str, tuple[str, int, int]] = {}
        """What the manifest says of each file gloss wrote: (digest, size, mtime_ns)."""
        self._digests: dict[str, str] = {}
        self._staged: dict[str, tuple[str, int, int]] = {}
        """Records of staged files already known from a stat taken while staging."""
        self._added: dict[str, bytes | None] = {}
        self._added_dirs: set[str] = set()
        self._carried: set[str] = set()
        self._changed: list[str] = []
        self._dirs: set[str] = set()
        """Folders known to exist in the staging folder (paths as text: this is the
        hot loop, and pathlib costs more than the system calls)."""
        self._committed = False

    # The steps, in order.

    def __enter__(self) -> SiteWriter:
        with self._errors():
            self.out.parent.mkdir(parents=True, exist_ok=True)
            _take(self._lock, self.lock_wait, self.notice, self.shown)
        try:
            with self._errors():
                self.recover()
                if self.out.exists() and not self.out.is_dir():
                    raise SiteError(SourcePos(self.shown), "cannot write the site: it is not a folder")
                # Files an in-place build (serve) wrote and was killed before recording.
                self._previous = self._read_manifest() | _pending_paths(self.pending)
                if self.staging.is_symlink() or not self.staging.is_dir():
                    _remove(self.staging)
                    os.mkdir(self.staging)
                if self.out.is_dir():
                    os.chmod(self.staging, stat.S_IMODE(self.out.stat().st_mode))
                self._dirs.add(str(self.staging))
        except BaseException:
            self._lock.release()
            raise
        return self

    def can_keep(self, relpath: str, digest: str) -> bool:
        """Whether the published file at `relpath` is, as last recorded and untouched
        since (same size and mtime), the one with `digest`: then `keep` can publish
        it again without its bytes (a cached page need not be made again)."""
        recorded = self._recorded.get(relpath)
        return recorded is not None and recorded[0] == digest \
            and _as_recorded(os.path.join(self.out, relpath), recorded) is not None

    def keep(self, relpath: str, digest: str) -> None:
        """Publish the current file at `relpath` again, unchanged (see `can_keep`)."""
        rel = safe_relpath(relpath)
        if rel in self._added:
            raise ValueError(f"two files would be written to {rel!r}")
        self._added[rel] = None
        self._digests[rel] = digest
        self._added_dirs.update(_ancestors(rel))
        target = os.path.join(self.staging, rel)
        current = os.path.join(self.out, rel)
        with self._errors():
            self._make_dirs(os.path.dirname(target))
            st = _same_file_stat(target, current)
            if st is None:
                _clear(target)
                _link_or_copy(current, target)
            else:  # the staged file is the published one: its record needs no second look
                self._staged[rel] = (digest, st.st_size, st.st_mtime_ns)

    def add(self, relpath: str, data: bytes, known: str | None = None) -> None:
        """Stage one file now: linked from the current site if its bytes are the same,
        written new otherwise. `known`: its digest, when the caller made it."""
        rel = safe_relpath(relpath)
        if rel in self._added:
            raise ValueError(f"two files would be written to {rel!r}")
        self._added[rel] = data if self.known is not None else None
        self._digests[rel] = known or digest(data)
        self._added_dirs.update(_ancestors(rel))
        target = os.path.join(self.staging, rel)
        with self._errors():
            self._make_dirs(os.path.dirname(target))
            current = os.path.join(self.out, rel)
            if self._unchanged(rel, current, data):
                if _same_file(target, current):
                    return
                _clear(target)
                try:
                    _link_or_copy(current, target)
                    return
                except FileNotFoundError:
                    pass  # deleted meanwhile: write it
            _clear(target)
            _write_file(target, data)
            self._changed.append(rel)

    @property
    def count(self) -> int:
        """Files in the new site (gloss's own)."""
        return len(self._added)

    def commit(self) -> tuple[list[str], list[str]]:
        """Publish the staged site; return (paths written, stale paths deleted)."""
        with self._errors():
            self._carry_over()
            self._prune()
            new = set(self._added)
            deleted = sorted(rel for rel in self._previous - new if os.path.lexists(self.out / rel))
            records = self._records()
            if not self._previous <= new:  # the pages about to go must stay listed until they have
                _write_manifest(self.manifest, self._previous | new, records)
            else:
                _write_manifest(self.manifest, new, records)
            _remove(self.pending)  # listed in the manifest now
            if os.path.lexists(self.out):
                self._swap()
            else:
                os.rename(self.staging, self.out)
                _fsync_dir(self.out.parent)
            self._committed = True
        # Published. What is left is tidying; if it fails, the next build redoes it.
        try:
            if not self._previous <= new:
                _write_manifest(self.manifest, new, records)
            if self.remembered is not None:
                self.remembered.wrote(self.manifest, new, records)
            if not self.keep_staging:
                _remove(self.staging)
        except OSError:
            pass
        if self.known is not None:
            self.known.clear()
            self.known.update({rel: data for rel, data in self._added.items() if data is not None})
        return list(self._changed), deleted

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.recover()  # a swap half done is finished
                if not self.keep_staging:
                    _remove(self.staging)
        except OSError:
            pass  # the next build tries again
        finally:
            self._lock.release()

    def recover(self) -> None:
        """Finish or undo what a build that died left behind, then remove its leftovers
        (a staging folder stays: it is brought in line, not trusted)."""
        if self.journal.exists():
            if not os.path.lexists(self.out):
                if self.staging.is_dir():
                    os.rename(self.staging, self.out)  # killed between the two renames
                elif self.old.is_dir():
                    os.rename(self.old, self.out)
                _fsync_dir(self.out.parent)
            os.unlink(self.journal)
        for leftover in (self.old, self.manifest.with_name(self.manifest.name + ".tmp"),
                         self.journal.with_name(self.journal.name + ".tmp")):
            _remove(leftover)

    # Helpers.

    def _errors(self) -> _SiteErrors:
        return _SiteErrors(self)

    def _make_dirs(self, folder: str) -> None:
        """`folder` and its parents in the staging folder, replacing any file in the way."""
        if folder in self._dirs:
            return
        self._make_dirs(os.path.dirname(folder))
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            os.mkdir(folder)
        else:
            if not stat.S_ISDIR(st.st_mode):
                os.unlink(folder)
                os.mkdir(folder)
        self._dirs.add(folder)

    def _unchanged(self, rel: str, current: str, data: bytes) -> bool:
        try:
            st = os.lstat(current)
            if not stat.S_ISREG(st.st_mode):
                return False
            if self.known is not None and self.known.get(rel) is data:
                return True
            if st.st_size != len(data):
                return False
            with open(current, "rb") as f:
                return f.read() == data
        except OSError:
            return False

    def _read_manifest(self) -> set[str]:
        """The files gloss wrote last time; with what each was (digest, size,
        mtime) into `_recorded`. Older manifests are plain lists of paths."""
        if self.remembered is not None and self.remembered.matches(self.manifest):
            self._recorded = self.remembered.recorded
            return set(self.remembered.files)
        for path in (self.manifest, self.out / LEGACY[0]):
            found = _read_manifest(path)
            if found is not None:
                files, self._recorded = found
                return files
        return set()

    def _records(self) -> dict[str, tuple[str, int, int]]:
        """(digest, size, mtime_ns) of every staged file, as it will be published."""
        out: dict[str, tuple[str, int, int]] = {}
        for rel, dig in self._digests.items():
            known = self._staged.get(rel)
            if known is not None:
                out[rel] = known
                continue
            try:
                st = os.lstat(os.path.join(self.staging, rel))
            except OSError:
                continue
            out[rel] = (dig, st.st_size, st.st_mtime_ns)
        return out

    def _carry_over(self) -> None:
        """Link into the staged site every file of the current one that gloss did not
        write, so the user's own files (CNAME, .git) survive the swap."""
        if not self.out.is_dir():
            return
        for rel, entry, is_dir in walk_tree(str(self.out)):
            if is_dir or rel.partition("/")[0] in LEGACY or rel in self._previous or rel in self._added:
                continue
            if rel in self._added_dirs or any(a in self._added for a in _ancestors(rel)):
                continue  # gloss now writes a page where the user's file was, or under it: the page wins
            dst = os.path.join(self.staging, rel)
            try:
                if entry.is_symlink():
                    target = os.readlink(entry.path)
                    if not (os.path.islink(dst) and os.readlink(dst) == target):
                        self._make_dirs(os.path.dirname(dst))
                        _clear(dst)
                        os.symlink(target, dst)
                elif not entry.is_file(follow_symlinks=False):
                    continue  # a socket or a pipe: nothing to publish
                elif not _same_file(dst, entry.path):
                    self._make_dirs(os.path.dirname(dst))
                    _clear(dst)
                    _link_or_copy(entry.path, dst)
            except FileNotFoundError:
                continue  # removed while we looked
            self._carried.add(rel)

    def _prune(self) -> None:
        """Remove from the staged site whatever an earlier build left there that the new
        site does not have."""
        keep_dirs = self._added_dirs.union(*(_ancestors(rel) for rel in self._carried))
        for rel, entry, is_dir in walk_tree(str(self.staging)):
            if is_dir:
                if rel not in keep_dirs:
                    os.rmdir(entry.path)  # emptied just before: entries come before their folder
                    self._dirs.discard(entry.path)
            elif rel not in self._added and rel not in self._carried:
                os.unlink(entry.path)

    def _swap(self) -> None:
        """Exchange the staged and the published folders; the old site ends up at the
        staging path."""
        try:
            _exchange(self.staging, self.out)
        except OSError as exc:
            if exc.errno not in _NO_EXCHANGE:
                raise
            self._swap_by_renames()
        _fsync_dir(self.out.parent)

    def _swap_by_renames(self) -> None:
        """Two renames, recoverable: the journal says a swap is under way, so a build
        killed between them is completed by the next one (see `recover`)."""
        record = {"out": self.out.name, "old": self.old.name, "new": self.staging.name}
        _write_record(self.journal, json.dumps(record).encode())
        os.rename(self.out, self.old)
        try:
            os.rename(self.staging, self.out)
        except OSError:
            os.rename(self.old, self.out)
            os.unlink(self.journal)
            raise
        os.rename(self.old, self.staging)  # where the exchange would have left it
        os.unlink(self.journal)


def digest(data: bytes) -> str:
    """What a file's bytes are, in short: equal digests, equal files."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _ancestors(rel: str) -> list[str]:
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


Encoded = dict[str, str]
"""A manifest's entries as JSON (`"path":[digest,size,mtime]`), in its order: serve
writes the manifest on every edit, and encoding 60,000 entries again each time
took longer than the edit."""


def _write_manifest(manifest: Path, paths: Iterable[str], records: dict[str, tuple[str, int, int]]) -> None:
    """List the files gloss wrote, each with (digest, size, mtime_ns) where known."""
    files = {rel: list(records[rel]) if rel in records else None for rel in sorted(paths)}
    _write_record(manifest, json.dumps({"version": 2, "files": files}, separators=(",", ":")).encode())


def _entry(rel: str, record: tuple[str, int, int]) -> str:
    return json.dumps(rel) + ":" + json.dumps(list(record), separators=(",", ":"))


def _write_entries(manifest: Path, entries: Encoded) -> None:
    """A manifest from its encoded entries: the same JSON `_write_manifest` writes,
    in the entries' order."""
    _write_record(manifest, ('{"version":2,"files":{' + ",".join(entries.values()) + "}}").encode())


def _read_manifest(path: Path) -> tuple[set[str], dict[str, tuple[str, int, int]]] | None:
    """(the files a manifest lists, (digest, size, mtime_ns) of those it records),
    or None when it cannot be read. Older manifests are plain lists of paths."""
    try:
        listed = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    recorded: dict[str, tuple[str, int, int]] = {}
    if isinstance(listed, dict) and isinstance(listed.get("files"), dict):
        for rel, record in listed["files"].items():
            if isinstance(record, list) and len(record) == 3 and isinstance(record[0], str) \
                    and all(isinstance(n, int) for n in record[1:]):
                recorded[rel] = (record[0], record[1], record[2])
        return {p for p in listed["files"] if isinstance(p, str)}, recorded
    if isinstance(listed, list):
        return {p for p in listed if isinstance(p, str)}, recorded
    return None


def _pending_paths(path: Path) -> set[str]:
    """The paths an in-place build noted before writing them (see InPlaceWriter)."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, ValueError):
        return set()
    out = set()
    for line in lines:
        with contextlib.suppress(ValueError):
            out.add(safe_relpath(line))
    return out


def _as_recorded(path: str, recorded: tuple[str, int, int]) -> tuple[str, int, int] | None:
    """The record of the file at `path` as it is now, if it is a plain file as
    recorded (digest, size, mtime_ns): of the recorded size and time, untouched
    since gloss wrote it; or, with only its time changed, seen to hold the
    recorded bytes (then recorded with its new time, so it is read once). A site
    restored from an archive comes back so (a CI cache, a tar that keeps times
    to the second): its files are read, not every page made again."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size != recorded[1]:
        return None
    if st.st_mtime_ns == recorded[2]:
        return recorded
    try:
        with open(path, "rb") as f:
            same = digest(f.read()) == recorded[0]
    except OSError:
        return None
    return (recorded[0], st.st_size, st.st_mtime_ns) if same else None


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _same_file(a: str, b: str) -> bool:
    """Whether two paths are one file (hard links to one inode)."""
    return _same_file_stat(a, b) is not None


def _same_file_stat(a: str, b: str) -> os.stat_result | None:
    """The file's stat when two paths are one file (hard links to one inode)."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return None
    return sa if stat.S_ISREG(sa.st_mode) and (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev) else None


def _clear(path: str) -> None:
    """Make room at `path` in the staging folder: remove a file or a folder there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _take(lock: _Lock, wait: float, notice: Callable[[str], None], shown: str) -> None:
    """Hold the output folder's lock, saying once that another build has it."""
    waiting = functools.partial(notice, f"waiting for another build into {shown} to finish")
    if not lock.acquire(wait, waiting):
        raise SiteError(SourcePos(shown), f"another build into {shown} is still running "
                        f"(waited {wait:g} s)", f"if none is, delete {lock.path.name} beside it")


class InPlaceWriter:
    """serve, after its first build: change only the files that changed, in place.

    A published site is swapped whole (`SiteWriter`) so a reader never sees half
    of two builds; a preview need not pay for that on every save. Linking every
    unchanged file into a new copy of the site and walking both cost about half
    of an edit's rebuild at 1,000 episodes and grow with the archive; here an
    edit writes its few files (each atomically: a temporary file renamed over
    the old) and removes what went, and the pages reload once the build is done.
    It trusts what it remembers of the manifest it wrote (`Remembered`), so it
    is used only while that file is the very one written: another build into
    the folder, or anything in doubt, and serve builds with `SiteWriter` again.
    """

    def __init__(self, out: Path, remembered: Remembered, notice: Callable[[str], None] = _notice,
                 lock_wait: float | None = None, wrote: Callable[[str], None] | None = None) -> None:
        self.shown = shown_folder(out)
        self.out = Path(os.path.realpath(out))
        self.staging = sibling(self.out, "staging")  # named in error hints only
        self.manifest = sibling(self.out, "manifest.json")
        self.pending = sibling(self.out, "pending.txt")
        """Files this build creates that no manifest lists yet, noted before each is
        written: killed before `commit`, the next build still knows them as gloss's."""
        self.remembered = remembered
        self.notice = notice
        self.lock_wait = LOCK_WAIT if lock_wait is None else lock_wait
        self._lock = _Lock(sibling(self.out, "lock"))
        self._records: dict[str, tuple[str, int, int]] = {}
        self._changed: list[str] = []
        self._seen: dict[str, tuple[str, int, int]] = {}
        """Kept files seen to be as a manifest from disk says -> their record now."""
        self.wrote = wrote
        """Told each path as soon as its new bytes are in place (serve reloads the page)."""

    @staticmethod
    def usable(out: Path, remembered: Remembered, first: bool = False) -> bool:
        """Whether the site is as the last build left it, as far as its manifest says.
        `first` (serve's first build): a manifest another run wrote will do too, its
        files each looked at before being kept, so serve does not copy a whole site
        before it can show the first edit."""
        real = Path(os.path.realpath(out))
        if not real.is_dir() or sibling(real, "journal.json").exists() \
                or sibling(real, "pending.txt").exists():
            return False
        manifest = sibling(real, "manifest.json")
        return remembered.matches(manifest) or (first and remembered.load(manifest))

    def __enter__(self) -> InPlaceWriter:
        with self._errors():
            _take(self._lock, self.lock_wait, self.notice, self.shown)
        return self

    def can_keep(self, relpath: str, digest: str) -> bool:
        recorded = self.remembered.recorded.get(relpath)
        return recorded is not None and recorded[0] == digest and self._as_recorded(relpath, recorded)

    def _as_recorded(self, relpath: str, recorded: tuple[str, int, int]) -> bool:
        """Whether the file is as the manifest records it: trusted when this process
        wrote the manifest, else seen to be (`_as_recorded`)."""
        if self.remembered.trusted or relpath in self._seen:
            return True
        now = _as_recorded(os.path.join(self.out, relpath), recorded)
        if now is not None:
            self._seen[relpath] = now
        return now is not None

    def keep(self, relpath: str, digest: str) -> None:
        # Every path the manifest lists was checked when it was first written: an
        # edit keeps thousands of them, each looked up once here.
        recorded = self.remembered.recorded.get(relpath)
        if recorded is None or recorded[0] != digest \
                or not (self.remembered.trusted or relpath in self._seen):
            raise ValueError(f"{relpath!r} cannot be kept: it is not there as {digest}")
        if relpath in self._records:
            raise ValueError(f"two files would be written to {relpath!r}")
        self._records[relpath] = self._seen.get(relpath, recorded)

    def add(self, relpath: str, data: bytes, known: str | None = None) -> None:
        rel = self._claim(relpath)
        new = known or digest(data)
        recorded = self.remembered.recorded.get(rel)
        if recorded is not None and recorded[0] == new and self._as_recorded(rel, recorded):
            self._records[rel] = self._seen.get(rel, recorded)
            return
        path = os.path.join(self.out, rel)
        tmp = os.path.join(os.path.dirname(path), ".gloss-tmp-" + os.path.basename(path))
        with self._errors():
            if rel not in self.remembered.files:
                with open(self.pending, "a", encoding="utf-8") as note:
                    note.write(rel + "\n")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _remove(Path(tmp))
            _write_file(tmp, data)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            os.replace(tmp, path)
            st = os.lstat(path)
        self._records[rel] = (new, st.st_size, st.st_mtime_ns)
        self._changed.append(rel)
        if self.wrote is not None:
            self.wrote(rel)

    @property
    def count(self) -> int:
        return len(self._records)

    def commit(self) -> tuple[list[str], list[str]]:
        """Remove the files that went and record the new manifest; return (paths
        written, paths deleted)."""
        deleted: list[str] = []
        gone = self.remembered.files - self._records.keys()
        with self._errors():
            for rel in sorted(gone):
                path = os.path.join(self.out, rel)
                if not os.path.lexists(path):
                    continue
                _remove(Path(path))
                deleted.append(rel)
                folder = os.path.dirname(path)
                while folder != str(self.out) and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = os.path.dirname(folder)
            encoded = self._entries(gone)
            _write_entries(self.manifest, encoded)
            _remove(self.pending)
        self.remembered.wrote(self.manifest, set(self._records), self._records, encoded)
        return list(self._changed), deleted

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None:
            self.remembered.stat = None  # half written: the next build checks everything
        self._lock.release()

    def _claim(self, relpath: str) -> str:
        rel = safe_relpath(relpath)
        if rel in self._records:
            raise ValueError(f"two files would be written to {rel!r}")
        return rel

    def _entries(self, gone: set[str]) -> Encoded:
        """The new manifest's entries: the last one's, less the files that went,
        with those written now, when this process wrote the last one; else all
        encoded afresh. (What is kept is recorded as it was; whatever changed was
        written.)"""
        last = self.remembered.encoded
        if not (self.remembered.trusted and last.keys() == self.remembered.files):
            return {rel: _entry(rel, record) for rel, record in self._records.items()}
        entries = dict(last)
        for rel in gone:
            del entries[rel]
        for rel in self._changed:
            entries[rel] = _entry(rel, self._records[rel])
        return entries

    def _errors(self) -> _SiteErrors:
        return _SiteErrors(self)


class _SiteErrors:
    """Turn an OSError into `site/: error: cannot write the site: <reason>`."""

    def __init__(self, writer: SiteWriter | InPlaceWriter) -> None:
        self.writer = writer

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        if not isinstance(exc, OSError):
            return
        w = self.writer
        hint = ""
        where = Path(os.fsdecode(exc.filename)) if exc.filename else None
        if where is not None and where.parent == w.out.parent and where != w.out:
            hint = (f"gloss prepares the new site beside {w.shown} (in {w.staging.name}/) and "
                    "needs to write in the folder that holds it")
        elif exc.errno in (errno.EBUSY, errno.EXDEV):
            hint = (f"{w.shown} cannot be replaced as a whole (is it a mount point?): "
                    "build into a folder inside it")
        raise SiteError(SourcePos(w.shown), f"cannot write the site: {exc.strerror or exc}",
                        hint) from None


def write_site(
    out: Path, files: dict[str, bytes], known: dict[str, bytes] | None = None,
    keep_staging: bool = False,
) -> tuple[list[str], list[str]]:
    """Bring `out` in line with `files`; return (paths written, stale paths deleted).

    `known` is what this process last wrote (serve keeps it): a file whose bytes
    are the very object written last time is not read back to compare."""
    for rel in files:
        safe_relpath(rel)  # a bad path is a bug: refuse it before taking the lock
    with SiteWriter(out, known, keep_staging=keep_staging) as writer:
        for rel, data in files.items():
            writer.add(rel, data)
        return writer.commit()


def drop_staging(out: Path) -> None:
    """Remove the staging folder serve kept, and any it set aside (`retire_staging`),
    unless another build is using it now (then that build removes it)."""
    real = Path(os.path.realpath(out))
    lock = _Lock(sibling(real, "lock"))
    try:
        if lock.try_lock():
            _remove(sibling(real, "staging"))
            for retired in real.parent.glob(sibling(real, "retired-*").name):
                _remove(retired)
    except OSError:
        pass
    finally:
        lock.release()


def retire_staging(out: Path) -> None:
    """serve, once it writes in place (`InPlaceWriter`): the staging copy is of no
    more use. It is renamed aside at once, under the lock, and deleted on a
    thread, so neither the next edit nor Ctrl-C waits for a whole site's files to
    go (8 s at 5,000 episodes); `drop_staging` finishes the job at exit."""
    real = Path(os.path.realpath(out))
    staging = sibling(real, "staging")
    if not staging.is_dir():
        return
    retired = sibling(real, f"retired-{os.getpid()}-{time.monotonic_ns()}")
    lock = _Lock(sibling(real, "lock"))
    try:
        if not lock.try_lock():
            return  # a build is running: try again after the next one
        os.rename(staging, retired)
    except OSError:
        return
    finally:
        lock.release()
    threading.Thread(target=shutil.rmtree, args=(retired,), kwargs={"ignore_errors": True},
                     name="gloss-retire", daemon=True).start()

"""The staging writer: the output folder is always one complete build.

`SiteWriter.add` writes each page at once into `.<out>.gloss-staging/`, beside
`site/` (the same file system, never inside the published folder); a page whose
bytes did not change is hard-linked from the current site (copied where links
fail), so it keeps its inode and mtime. `commit` carries over every file in
`site/` that gloss did not write (a CNAME, a `.git`), records the manifest and
swaps the two folders (`swap.py`).

A crash at any moment leaves `site/` as the complete previous site or the
complete new one: until the swap only the staging folder and the manifest
change, and the manifest written before the swap lists the old pages and the new
together (after it, the new ones only), so whichever site is published, every
page gloss wrote is listed. A staging folder left behind is not trusted: the
next build brings it in line with its own site, entry by entry.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..errors import SiteError, SourcePos
from . import disk, swap
from .folder import LEGACY, OutputFolder, safe_relpath, to_stderr
from .manifest import Record, pending_paths, write_manifest
from .recorded import Remembered, as_recorded, last_written


class SiteWriter(OutputFolder):
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
        notice: Callable[[str], None] = to_stderr, lock_wait: float | None = None,
        keep_staging: bool = False, remembered: Remembered | None = None,
    ) -> None:
        super().__init__(out, notice, lock_wait)
        self.known = known
        """What this process last wrote (serve keeps it): bytes that are the very same
        object need not be read back to compare."""
        self.keep_staging = keep_staging
        self.remembered = remembered
        self._previous: set[str] = set()
        self._recorded: dict[str, Record] = {}
        """What the manifest says of each file gloss wrote: (digest, size, mtime_ns)."""
        self._digests: dict[str, str] = {}
        self._staged: dict[str, Record] = {}
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
            self._take_lock()
        try:
            with self._errors():
                self.recover()
                if self.out.exists() and not self.out.is_dir():
                    raise SiteError(SourcePos(self.shown), "cannot write the site: it is not a folder")
                # Files an in-place build (serve) wrote and was killed before recording.
                last, self._recorded = last_written(self.manifest, self.out / LEGACY[0], self.remembered)
                self._previous = last | pending_paths(self.pending)
                if self.staging.is_symlink() or not self.staging.is_dir():
                    disk.remove(self.staging)
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
            and as_recorded(os.path.join(self.out, relpath), recorded) is not None

    def keep(self, relpath: str, digest: str) -> None:
        """Publish the current file at `relpath` again, unchanged (see `can_keep`)."""
        rel, target = self._claim(relpath, None, digest)
        current = os.path.join(self.out, rel)
        with self._errors():
            self._make_dirs(os.path.dirname(target))
            st = disk.same_file_stat(target, current)
            if st is None:
                disk.link_or_copy(current, target)
            else:  # the staged file is the published one: its record needs no second look
                self._staged[rel] = (digest, st.st_size, st.st_mtime_ns)

    def add(self, relpath: str, data: bytes, known: str | None = None) -> None:
        """Stage one file now: linked from the current site if its bytes are the same,
        written new otherwise. `known`: its digest, when the caller made it."""
        rel, target = self._claim(relpath, data, known or disk.digest(data))
        with self._errors():
            self._make_dirs(os.path.dirname(target))
            current = os.path.join(self.out, rel)
            if disk.holds(current, data, self.known is not None and self.known.get(rel) is data):
                if disk.same_file(target, current):
                    return
                try:
                    disk.link_or_copy(current, target)
                    return
                except FileNotFoundError:
                    pass  # deleted meanwhile: write it
            disk.clear(target)
            disk.write_file(target, data)
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
            # The pages about to go must stay listed until they have.
            write_manifest(self.manifest, new if self._previous <= new else self._previous | new, records)
            disk.remove(self.pending)  # listed in the manifest now
            if os.path.lexists(self.out):
                self._swap()
            else:
                swap.publish_first(self.out)
            self._committed = True
        # Published. What is left is tidying; if it fails, the next build redoes it.
        try:
            if not self._previous <= new:
                write_manifest(self.manifest, new, records)
            if self.remembered is not None:
                self.remembered.wrote(self.manifest, new, records)
            if not self.keep_staging:
                disk.remove(self.staging)
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
                    disk.remove(self.staging)
        except OSError:
            pass  # the next build tries again
        finally:
            self._lock.release()

    def recover(self) -> None:
        """Finish or undo what a build that died left behind, then remove its leftovers
        (a staging folder stays: it is brought in line, not trusted)."""
        swap.recover(self.out)
        disk.remove(disk.temporary(self.manifest))

    # Helpers.

    def _claim(self, relpath: str, data: bytes | None, dig: str) -> tuple[str, str]:
        """Take `relpath` for the new site, with its digest (and its bytes, to be
        remembered when serve keeps them): (the path, where it is staged)."""
        rel = safe_relpath(relpath)
        if rel in self._added:
            raise ValueError(f"two files would be written to {rel!r}")
        self._added[rel] = data if self.known is not None else None
        self._digests[rel] = dig
        self._added_dirs.update(disk.ancestors(rel))
        return rel, os.path.join(self.staging, rel)

    def _swap(self) -> None:
        swap.swap(self.out)

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

    def _records(self) -> dict[str, Record]:
        """(digest, size, mtime_ns) of every staged file, as it will be published."""
        out: dict[str, Record] = {}
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
        for rel, entry, is_dir in disk.walk_tree(str(self.out)):
            if is_dir or rel.partition("/")[0] in LEGACY or rel in self._previous or rel in self._added:
                continue
            if rel in self._added_dirs or any(a in self._added for a in disk.ancestors(rel)):
                continue  # gloss now writes a page where the user's file was, or under it: the page wins
            dst = os.path.join(self.staging, rel)
            try:
                if entry.is_symlink():
                    target = os.readlink(entry.path)
                    if not (os.path.islink(dst) and os.readlink(dst) == target):
                        self._make_dirs(os.path.dirname(dst))
                        disk.clear(dst)
                        os.symlink(target, dst)
                elif not entry.is_file(follow_symlinks=False):
                    continue  # a socket or a pipe: nothing to publish
                elif not disk.same_file(dst, entry.path):
                    self._make_dirs(os.path.dirname(dst))
                    disk.link_or_copy(entry.path, dst)
            except FileNotFoundError:
                continue  # removed while we looked
            self._carried.add(rel)

    def _prune(self) -> None:
        """Remove from the staged site whatever an earlier build left there that the new
        site does not have."""
        keep_dirs = self._added_dirs.union(*(disk.ancestors(rel) for rel in self._carried))
        for rel, entry, is_dir in disk.walk_tree(str(self.staging)):
            if is_dir:
                if rel not in keep_dirs:
                    os.rmdir(entry.path)  # emptied just before: entries come before their folder
                    self._dirs.discard(entry.path)
            elif rel not in self._added and rel not in self._carried:
                os.unlink(entry.path)


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

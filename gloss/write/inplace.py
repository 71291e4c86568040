"""The in-place writer: serve, after its first build, changes only what changed.

A published site is swapped whole (`staging.py`) so a reader never sees half of
two builds; a preview need not pay for that on every save. Linking every
unchanged file into a new copy of the site and walking both cost about half of
an edit's rebuild at 1,000 episodes and grow with the archive; here an edit
writes its few files and removes what went, and the pages reload once the build
is done.

A crash at any moment leaves each file whole, old or new (written to a
`.gloss-tmp-` name beside it, then renamed over it), possibly a mix of the two
builds, which only a preview shows; and every file gloss wrote known as
gloss's: one no manifest lists yet is noted in the pending file before it is
written. The next build sees the pending file (or a manifest that is not the one
this process remembers) and publishes with the staging writer, which removes
what went and lists the rest again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from .disk import digest, remove, write_file
from .folder import OutputFolder, safe_relpath, sibling, to_stderr
from .manifest import Encoded, Record, entry, note_pending, write_entries
from .recorded import Remembered, as_recorded


class InPlaceWriter(OutputFolder):
    """serve, after its first build: change only the files that changed, in place.

    It trusts what it remembers of the manifest it wrote (`Remembered`), so it
    is used only while that file is the very one written: another build into
    the folder, or anything in doubt, and serve builds with `SiteWriter` again.
    """

    def __init__(self, out: Path, remembered: Remembered, notice: Callable[[str], None] = to_stderr,
                 lock_wait: float | None = None, wrote: Callable[[str, bytes], None] | None = None) -> None:
        super().__init__(out, notice, lock_wait)  # its staging folder is named in error hints only
        self.remembered = remembered
        self._records: dict[str, Record] = {}
        self._changed: list[str] = []
        self._seen: dict[str, Record] = {}
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
            self._take_lock()
        return self

    def can_keep(self, relpath: str, digest: str) -> bool:
        recorded = self.remembered.recorded.get(relpath)
        return recorded is not None and recorded[0] == digest and self._as_recorded(relpath, recorded)

    def _as_recorded(self, relpath: str, recorded: Record) -> bool:
        """Whether the file is as the manifest records it: trusted when this process
        wrote the manifest, else seen to be (`as_recorded`)."""
        if self.remembered.trusted or relpath in self._seen:
            return True
        now = as_recorded(os.path.join(self.out, relpath), recorded)
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
                note_pending(self.pending, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            remove(Path(tmp))
            write_file(tmp, data)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            os.replace(tmp, path)
            st = os.lstat(path)
        self._records[rel] = (new, st.st_size, st.st_mtime_ns)
        self._changed.append(rel)
        if self.wrote is not None:
            self.wrote(rel, data)

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
                remove(Path(path))
                deleted.append(rel)
                folder = os.path.dirname(path)
                while folder != str(self.out) and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = os.path.dirname(folder)
            encoded = self._entries(gone)
            write_entries(self.manifest, encoded)
            remove(self.pending)
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
            return {rel: entry(rel, record) for rel, record in self._records.items()}
        entries = dict(last)
        for rel in gone:
            del entries[rel]
        for rel in self._changed:
            entries[rel] = entry(rel, self._records[rel])
        return entries

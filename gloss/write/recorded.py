"""Whether a published file is still the one the manifest records, and what
serve remembers of the manifest it wrote so as not to read it again.

Nothing here writes: a crash leaves nothing of this part's. What it decides is
what a crash elsewhere makes safe to trust: a file is kept, unmade, only while
it is a plain file of the recorded size and time (or seen to hold the recorded
bytes), and a remembered manifest is used only while the file on disk is the
very one written (size, time, inode), so a build killed half way, or another
build into the folder, is never taken for the last one.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .disk import digest
from .folder import all_safe, safe_relpath
from .manifest import Encoded, Record, read_manifest


def as_recorded(path: str, recorded: Record) -> Record | None:
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


def identity(path: Path) -> tuple[int, int, int] | None:
    """(size, mtime_ns, inode) of a file: another write of it changes one of them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass
class Remembered:
    """What serve keeps of the manifest its last build wrote, so the next build
    need not read and parse it again (20,000 entries at 1,000 episodes): used
    only while the file on disk is the very one written (size, time, inode)."""

    stat: tuple[int, int, int] | None = None
    files: set[str] = field(default_factory=set)
    recorded: dict[str, Record] = field(default_factory=dict)
    encoded: Encoded = field(default_factory=dict)
    """Its entries as written, for the next in-place build to reuse."""

    trusted: bool = True
    """Whether what it records is as gloss left it (the manifest this process
    wrote), or read from disk, each kept file to be looked at first (`load`)."""

    def matches(self, manifest: Path) -> bool:
        """Whether the manifest on disk is the one this remembers."""
        return self.stat is not None and self.stat == identity(manifest)

    def load(self, manifest: Path) -> bool:
        """Take a manifest another run wrote, not trusted: `InPlaceWriter` keeps a
        file it lists only once its size and time are seen to be as recorded."""
        found_identity = identity(manifest)
        found = read_manifest(manifest)
        if found_identity is None or found is None:
            return False
        # Each path is checked as a manifest this process writes is (see `_claim`).
        if not all_safe(found[0]):
            for rel in found[0]:
                try:
                    safe_relpath(rel)
                except ValueError:
                    return False
        (self.files, self.recorded), self.stat, self.encoded, self.trusted = found, found_identity, {}, False
        return True

    def wrote(self, manifest: Path, files: set[str], recorded: dict[str, Record],
              encoded: Encoded | None = None) -> None:
        """Remember the manifest just written, listing `files`."""
        self.stat = identity(manifest)
        self.files, self.recorded, self.encoded, self.trusted = files, recorded, encoded or {}, True


def last_written(
    manifest: Path, legacy: Path, remembered: Remembered | None,
) -> tuple[set[str], dict[str, Record]]:
    """The files gloss wrote last time, and what the manifest records of each:
    from memory while `manifest` is the one remembered, else read from it (or
    from the `legacy` one an older gloss kept inside the folder); none if neither
    can be read."""
    if remembered is not None and remembered.matches(manifest):
        return set(remembered.files), remembered.recorded
    for path in (manifest, legacy):
        found = read_manifest(path)
        if found is not None:
            return found
    return set(), {}

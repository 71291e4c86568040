"""Whether the last build is still the site: `gloss build` with nothing changed
answers from one small file instead of loading every transcript.

A one-off build that succeeds records, in `.gloss-cache/last-build.json`, a
digest of everything it was made from (the settings, gloss's own code and
default theme, and the name, size, times and inode
of every file and folder under `content/` and `themes/`) and a digest of the
output folder as it left it, with the warnings and counts it reported. A later
build whose inputs and output digest to the same values has nothing to do: it
reports the same warnings and writes nothing. Anything else, or anything in
doubt, takes the normal build, which has its own cache by content hash
(`cache.py`); `--no-cache` skips both.

Never trusted beyond what it saw: a file changed within two seconds of the
recorded build's start could keep its size and time on a file system with a
coarse clock, so such a record is not used (git's "racy" rule); a symbolic
link under the inputs (its target could change unseen) or a half-finished
swap beside the output folder means a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import msgspec

from . import write
from .cache import FOLDER, FORMAT, read_json, write_json
from .code import code_digest
from .config import Config
from .errors import Diagnostics, SiteError

FILE = "last-build.json"
RACY_NS = 2_000_000_000
"""Files changed this close to the recorded build's start are not trusted."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build is made from, taken before it reads anything."""

    digest: str
    newest: int
    """The latest modification or change time among the files, in ns."""
    started: int
    """When this was taken (ns since the epoch)."""


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a build reported, and what it was made from and left."""

    format: str
    inputs: str
    started: int
    output: str
    pages: int
    files: int
    drafts: int
    warnings: list[SiteError] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    # Read like pipeline.BuildResult, so the command line reports either alike.
    @property
    def diagnostics(self) -> Diagnostics:
        return Diagnostics(warnings=list(self.warnings))

    @property
    def written(self) -> list[str]:
        return []

    @property
    def deleted(self) -> list[str]:
        return []


class _Unsure(Exception):
    """Something the snapshot cannot vouch for: build normally."""


def _tree(root: Path, out: list[tuple[object, ...]]) -> int:
    """Every entry under `root` with its size, times and inode, into `out` (walked
    as the writer walks the site, links not followed); the newest time seen. A
    missing folder counts as one (it may be made later)."""
    if not root.is_dir():
        out.append((str(root), "missing"))
        return 0
    newest = 0
    try:
        for _rel, entry, _is_dir in write.walk_tree(str(root)):
            if entry.is_symlink():
                raise _Unsure(f"symbolic link {entry.path}")
            st = entry.stat(follow_symlinks=False)
            out.append((entry.path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    except OSError as exc:  # a folder that cannot be read, or went while walking
        raise _Unsure(str(exc)) from None
    return newest


def _digest(items: list[tuple[object, ...]]) -> str:
    items.sort(key=lambda item: str(item[0]))
    return hashlib.blake2b(repr(items).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def inputs(config: Config) -> Inputs | None:
    """The snapshot of a build's inputs; None when it cannot be trusted."""
    from .theme import PACKAGE_THEMES

    started = time.time_ns()
    items: list[tuple[object, ...]] = [("settings", repr(replace(config, jobs=0))),
                                       ("code", code_digest())]
    try:
        newest = max(_tree(config.content_path, items), _tree(config.root / "themes", items),
                     _tree(PACKAGE_THEMES, items))
        for extra in (str(config.root / config.path),):
            with contextlib.suppress(FileNotFoundError):
                st = os.stat(extra)
                items.append((str(extra), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
                newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    except (_Unsure, OSError):
        return None
    return Inputs(_digest(items), newest, started)


def output(config: Config) -> str | None:
    """The digest of the output folder and the writer's files beside it; None when
    a build is under way or was cut short there."""
    out = Path(os.path.realpath(config.output_path))
    if write.sibling(out, "journal.json").exists():
        return None
    items: list[tuple[object, ...]] = []
    try:
        _tree(out, items)
        manifest = write.sibling(out, "manifest.json")
        st = os.stat(manifest)
        items.append((str(manifest), st.st_size, st.st_mtime_ns, st.st_ino))
    except (_Unsure, OSError):
        return None
    return _digest(items)


def _path(config: Config) -> Path:
    return config.root / FOLDER / FILE


def lookup(config: Config) -> LastBuild | None:
    """The last build, when it is still the site: same inputs, output untouched,
    no file changed too close to it to tell."""
    last: LastBuild | None = read_json(_path(config), "last-build", "", LastBuild)
    if last is None or last.format != FORMAT:  # missing, damaged, or from another gloss: build
        return None
    now = inputs(config)
    if now is None or now.digest != last.inputs or now.newest >= last.started - RACY_NS:
        return None
    if output(config) != last.output:
        return None
    return last


def record(config: Config, before: Inputs | None, pages: int, files: int, drafts: int,
           warnings: list[SiteError], notes: tuple[str, ...]) -> None:
    """After a one-off build that published: what the next one needs to tell that
    nothing changed. Without a snapshot from before it started, forget the last."""
    path = _path(config)
    after = output(config) if before is not None else None
    if before is None or after is None:
        with contextlib.suppress(OSError):
            path.unlink()
        return
    last = LastBuild(FORMAT, before.digest, before.started, after, pages, files, drafts,
                     list(warnings), notes)
    try:
        write_json(path, "last-build", "", last)
    except (OSError, TypeError, ValueError, msgspec.MsgspecError):
        with contextlib.suppress(OSError):
            path.unlink()

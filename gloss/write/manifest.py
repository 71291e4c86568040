"""The manifest: which files of the output folder gloss wrote, and what each was.

`.<out>.gloss-manifest.json`, beside the folder, is
`{"version":2,"files":{"path":[digest,size,mtime_ns],...}}` (older ones are a
plain list of paths): stale pages are removed by it, files the user put in the
folder never are, and an unchanged page is published again without being made.
`.<out>.gloss-pending.txt` notes, one a line, the files an in-place build is
about to create that no manifest lists yet.

A crash at any moment leaves the complete old manifest or the complete new one
(it is written to a `.tmp`, fsynced and renamed over), and a pending note that
names every file written since the manifest, plus at most one not yet written:
the next build still knows every file gloss published as gloss's.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

import msgspec

from .disk import write_record
from .folder import safe_relpath

Record = tuple[str, int, int]
"""What the manifest says of a file: (digest, size, mtime_ns)."""
Encoded = dict[str, str]
"""A manifest's entries as JSON (`"path":[digest,size,mtime]`), in its order: serve
writes the manifest on every edit, and encoding 60,000 entries again each time
took longer than the edit."""


def write_manifest(manifest: Path, paths: Iterable[str], records: dict[str, Record]) -> None:
    """List the files gloss wrote, each with (digest, size, mtime_ns) where known."""
    files = {rel: list(records[rel]) if rel in records else None for rel in sorted(paths)}
    write_record(manifest, json.dumps({"version": 2, "files": files}, separators=(",", ":")).encode())


def entry(rel: str, record: Record) -> str:
    """One file's entry, encoded as `write_manifest` writes it."""
    return json.dumps(rel) + ":" + json.dumps(list(record), separators=(",", ":"))


def write_entries(manifest: Path, entries: Encoded) -> None:
    """A manifest from its encoded entries: the same JSON `write_manifest` writes,
    in the entries' order."""
    write_record(manifest, ('{"version":2,"files":{' + ",".join(entries.values()) + "}}").encode())


class _Listed(msgspec.Struct):
    files: dict[str, tuple[str, int, int] | None]


_DECODER = msgspec.json.Decoder(_Listed | list[str])


def read_manifest(path: Path) -> tuple[set[str], dict[str, Record]] | None:
    """(the files a manifest lists, (digest, size, mtime_ns) of those it records),
    or None when it cannot be read. Older manifests are plain lists of paths."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # In C, checked as it is read: at 5,000 episodes (55,000 files) 40 ms
    # against 140 ms for the json module and a check in Python, and serve's
    # first build reads it before it can show a save.
    try:
        known = _DECODER.decode(data)
    except msgspec.MsgspecError:
        pass  # some entry of another shape: read it entry by entry below
    else:
        if isinstance(known, list):
            return set(known), {}
        return set(known.files), {rel: r for rel, r in known.files.items() if r is not None}
    try:
        listed = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    recorded: dict[str, Record] = {}
    if isinstance(listed, dict) and isinstance(listed.get("files"), dict):
        for rel, record in listed["files"].items():
            if isinstance(record, list) and len(record) == 3 and isinstance(record[0], str) \
                    and all(isinstance(n, int) for n in record[1:]):
                recorded[rel] = (record[0], record[1], record[2])
        return {p for p in listed["files"] if isinstance(p, str)}, recorded
    if isinstance(listed, list):
        return {p for p in listed if isinstance(p, str)}, recorded
    return None


def note_pending(pending: Path, rel: str) -> None:
    """Note a file about to be created that no manifest lists yet."""
    with open(pending, "a", encoding="utf-8") as note:
        note.write(rel + "\n")


def pending_paths(path: Path) -> set[str]:
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

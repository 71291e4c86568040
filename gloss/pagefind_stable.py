"""Make Pagefind's index the same bytes for the same records.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from
run to run; so do the filter files' names, the metadata file that lists them
and the entry file that names that. A rebuild with nothing changed would then
rewrite them all, and two builds of one site would differ. This puts each
filter's values in sorted order and renames what depends on them, following
the bundle's own layout: gzip, the `pagefind_dcd` signature, then CBOR
(arrays, text, unsigned integers). Anything it does not recognise is left
exactly as Pagefind wrote it: the index works either way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct

SIGNATURE = b"pagefind_dcd"
CBOR = list[object] | str | int


class _Unknown(Exception):
    """Not the layout this module knows."""


def _decode(data: bytes, at: int = 0) -> tuple[CBOR, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        width = 1 << (info - 24)
        value = int.from_bytes(data[at:at + width], "big")
        at += width
    else:
        raise _Unknown(f"CBOR item {head:#x}")
    if major == 0:
        return value, at
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items: list[object] = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise _Unknown(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise _Unknown("integer too large")


def _encode(item: object) -> bytes:
    if isinstance(item, bool) or not isinstance(item, (int, str, list)):
        raise _Unknown(f"cannot encode {type(item).__name__}")
    if isinstance(item, int):
        if item < 0:
            raise _Unknown("negative integer")
        return _head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(item)) + b"".join(_encode(x) for x in item)


def _read(blob: bytes) -> object:
    raw = gzip.decompress(blob)
    if not raw.startswith(SIGNATURE):
        raise _Unknown("no signature")
    item, end = _decode(raw, len(SIGNATURE))
    if end != len(raw) or SIGNATURE + _encode(item) != raw:
        raise _Unknown("does not re-encode to the same bytes")
    return item


def _write(item: object) -> bytes:
    return gzip.compress(SIGNATURE + _encode(item), compresslevel=9, mtime=0)


def _name(prefix: str, data: bytes, length: int) -> str:
    return prefix + hashlib.sha256(data).hexdigest()[:length]


def stabilise(files: dict[str, bytes], bundle: str) -> dict[str, bytes]:
    """The same index with filter values sorted and the files that name them renamed;
    `files` as it is when its layout is not the one this module knows."""
    try:
        return _stabilise(files, bundle)
    except (_Unknown, OSError, EOFError, ValueError, KeyError, IndexError, TypeError):
        return files


def _stabilise(files: dict[str, bytes], bundle: str) -> dict[str, bytes]:
    out = dict(files)
    entry_path = f"{bundle}/pagefind-entry.json"
    entry = json.loads(files[entry_path])
    for lang in entry["languages"].values():
        old_meta = f"{bundle}/pagefind.{lang['hash']}.pf_meta"
        meta = _read(files[old_meta])
        if not isinstance(meta, list) or not isinstance(meta[3], list):
            raise _Unknown("metadata layout")
        renamed: list[object] = []
        for pair in meta[3]:
            name, digest = pair
            old = f"{bundle}/filter/{digest}.pf_filter"
            values = _read(files[old])
            if not isinstance(values, list) or not isinstance(values[1], list):
                raise _Unknown("filter layout")
            values[1].sort(key=lambda value: (str(value[0]), _encode(value)))
            blob = _write(values)
            prefix = digest.split("_", 1)[0] + "_"
            new_digest = _name(prefix, blob, 7)
            del out[old]
            out[f"{bundle}/filter/{new_digest}.pf_filter"] = blob
            renamed.append([name, new_digest])
        meta[3] = sorted(renamed, key=lambda pair: str(pair[0]))  # type: ignore[index]
        blob = _write(meta)
        prefix = lang["hash"].split("_", 1)[0] + "_"
        lang["hash"] = _name(prefix, blob, 10)
        del out[old_meta]
        out[f"{bundle}/pagefind.{lang['hash']}.pf_meta"] = blob
    out[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out

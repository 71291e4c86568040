"""What gloss is, as a digest: its own code and the libraries that shape its
output. Part of every cache key (`make.salt`, the search index's key, the
pages across transcripts in `render`, `uptodate`), so a result made by other
code (another version of gloss or of Jinja2, or gloss edited) is never used."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "yaml")
"""Libraries whose version can change a page: each one's `__init__.py`, which
names its version, is part of the code digest."""


def code_digest() -> str:
    """A digest of gloss's own code and the libraries that shape its output: a
    cache entry made by other code (another version of gloss or of Jinja2, or
    gloss edited) is never used. Part of every entry's key."""
    global _CODE
    if _CODE is None:
        h = hashlib.blake2b(digest_size=16)
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        for name in LIBRARIES:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            h.update(name.encode() + b"\0" + (Path(origin).read_bytes() if origin else b"-"))
        _CODE = h.hexdigest()
    return _CODE


_CODE: str | None = None

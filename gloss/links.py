"""Every link inside the site must land: `check` reads the rendered pages and
reports a relative link to a file the site does not have, or to an anchor its
target page does not have, as a warning (so `check --strict` fails on it).

Pages are read with two regular expressions, not an HTML parser: gloss writes
its own attributes double-quoted, and a site of 1,000 long transcripts must be
checked in about a second.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from .errors import SiteError, SourcePos, warning

ID = re.compile(rb'\sid="([^"]*)"')
LINK = re.compile(rb'\s(?:href|src)="([^"]*)"')
LISTED = 5
"""Broken links named per page before the rest are counted."""


def _target(page: str, href: str, base_path: str) -> tuple[str, str] | None:
    """(output path, fragment) a link from `page` leads to inside the site, or
    None when it leads elsewhere (another site, mailto:, a script's own data)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not base_path or not path.startswith(base_path):
            return None  # root-relative outside a known base: nothing to check it against
        path = path[len(base_path):]
        rel = path
    elif not path:
        rel = page
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if path.endswith("/"):
            rel += "/"
    if rel in (".", "./", ""):
        rel = ""
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel, parts.fragment


def check_links(files: dict[str, bytes], base_url: str = "") -> list[SiteError]:
    """A warning for each page with links that do not resolve within `files`."""
    base_path = urlsplit(base_url).path if base_url else ""
    pages = {rel: data for rel, data in files.items() if rel.endswith(".html")}
    ids = {rel: {html.unescape(m.decode()) for m in ID.findall(data)} for rel, data in pages.items()}
    problems: list[SiteError] = []
    for rel, data in sorted(pages.items()):
        if rel == "404.html":
            continue  # served at any depth: its links are checked where it is served
        broken: list[str] = []
        for raw in LINK.findall(data):
            href = html.unescape(raw.decode())
            found = _target(rel, href, base_path)
            if found is None:
                continue
            target, fragment = found
            missing = target.startswith("../") or target not in files
            no_anchor = bool(fragment) and ":~:" not in fragment and target in ids \
                and unquote(fragment) not in ids[target]
            if missing or no_anchor:
                broken.append(href)
        if broken:
            named = ", ".join(dict.fromkeys(broken[:LISTED]))
            more = f" and {len(broken) - LISTED} more" if len(broken) > LISTED else ""
            problems.append(warning(SourcePos(rel), f"{len(broken)} link(s) that lead nowhere: "
                                    f"{named}{more}", "a template or a Markdown link points at a "
                                    "page or anchor the site does not have"))
    return problems

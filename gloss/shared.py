"""The site-wide files (`people.yaml`, `topics.yaml`, `glossary.yaml`) read
into the `Site` every transcript is made with, each problem reported, and each
file parsed once while it is unchanged (serve reads them on every rebuild)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from . import load, sidecar
from .errors import Diagnostics, SiteError
from .model import Site

T = TypeVar("T")


def _glossary(shown: str, text: str) -> tuple[tuple[tuple[str, str], ...], list[SiteError]]:
    return sidecar.parse_glossary(shown, text), []


@functools.lru_cache(maxsize=8)
def _parsed(parse: Callable[[str, str], tuple[T, list[SiteError]]], shown: str, text: str,
            ) -> tuple[T, list[SiteError]]:
    """A site-wide file parsed once while it is unchanged: serve reads people.yaml
    on every rebuild, and at 1,000 episodes it is long. (Nothing changes what a
    parse returns.)"""
    return parse(shown, text)


def read_site_files(files: dict[str, load.TextFile], diag: Diagnostics) -> Site:
    """people.yaml, topics.yaml and glossary.yaml, each problem reported; a file
    that cannot be read at all counts as empty and is marked unread, so sidecars
    are not blamed for ids it would have defined."""
    unread: set[str] = set()

    def read(name: str, parse: Callable[[str, str], tuple[T, list[SiteError]]], empty: T) -> T:
        f = files.get(name)
        if f is None:
            return empty
        try:
            parsed: tuple[T, list[SiteError]] = _parsed(parse, f.shown, f.text)
            value, errors = parsed
        except SiteError as err:
            diag.error(err)
            unread.add(name)
            return empty
        for problem in errors:
            diag.error(problem)
        return value

    return Site(read("people.yaml", sidecar.read_people, {}),
                read("topics.yaml", sidecar.read_topics, {}),
                read("glossary.yaml", _glossary, ()), frozenset(unread))


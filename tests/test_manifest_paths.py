"""The manifest's paths are checked in one scan (`all_safe`, for serve's first
build at 5,000 episodes): it must never take a path `safe_relpath` refuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gloss.write.folder import all_safe, safe_relpath


def one_by_one(paths: list[str]) -> bool:
    try:
        for p in paths:
            safe_relpath(p)
    except ValueError:
        return False
    return True


PARTS = st.sampled_from(["a", "talk", "index.html", ".", "..", "", "...", ".gloss-staging",
                         ".gloss-manifest.json", "x.gloss-staging", "a\\b", "a\0", "a\nb", "a\r", "é"])
PATHS = st.lists(st.lists(PARTS, min_size=1, max_size=4).map("/".join), max_size=6)


@given(PATHS)
def test_one_scan_takes_exactly_the_paths_taken_one_by_one(paths):
    if all_safe(paths):
        assert one_by_one(paths), paths


def test_what_each_check_refuses():
    assert all_safe(["index.html", "talk/index.html", "search/data/w/ab.json", "a..b/c"])
    for bad in ("", "/etc/passwd", "a//b", "a/", "../x", "a/../b", "./a", "a/.", ".gloss-staging/x",
                ".gloss-manifest.json", "a\\b", "a\nb"):
        assert not all_safe(["index.html", bad]), bad
        assert not one_by_one([bad]) or "\n" in bad, bad

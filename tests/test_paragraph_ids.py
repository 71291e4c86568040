"""Links to a paragraph keep working when the transcript above it is edited:
paragraph ids come from the paragraph's own words, not its position."""

from __future__ import annotations

import shutil

from .conftest import ROOT, html, run_cli


def ids_of(site, slug: str) -> list[tuple[str, str, str]]:
    """(id, positional alias, first words) of every paragraph, in order."""
    page = html(site / slug / "index.html")
    return [(p["id"], p.span["id"], " ".join(p.get_text().split()[:6])) for p in page.select(".speech p[id]")]


def test_editing_a_sentence_near_the_top_keeps_the_ids_below(tmp_path):
    for name in ("config.yaml",):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    assert run_cli("-q", cwd=tmp_path).returncode == 0
    before = ids_of(tmp_path / "site", "kaiser-mad-podcast")

    seed = tmp_path / "content" / "kaiser-mad-podcast.txt"
    text = seed.read_text()
    second_mark = text.index(">>", text.index(">>") + 2)
    # A new sentence in the teaser, a corrected word, and a new paragraph at the top.
    edited = "An added sentence. " + text[:second_mark] + "\n\nAnd an added paragraph.\n" + text[second_mark:]
    seed.write_text(edited.replace("Hi, I'm", "Hello, I'm", 1))
    result = run_cli("-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = ids_of(tmp_path / "site", "kaiser-mad-podcast")

    # The same paragraphs, found by their words: their ids did not move.
    now = {words: (ident, alias) for ident, alias, words in after}
    same = [(ident, alias, now[words]) for ident, alias, words in before if words in now]
    assert len(same) > 150
    assert [s for s in same if s[0] != s[2][0]] == []
    assert sum(alias != moved[1] for _, alias, moved in same) > 100, \
        "the edit does move positions: the positional aliases show it"
    assert all(len(ident) <= 48 for ident, _, _ in after)
    assert len({ident for ident, _, _ in after}) == len(after), "ids are unique on the page"

"""Links to a paragraph keep working when the transcript above it is edited:
paragraph ids come from the paragraph's own words, not its position."""

from __future__ import annotations

import shutil
import time

import pytest

from .conftest import ROOT, html, reading, run_cli


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


# Paragraphs that open the same way.

ALIKE = """Ann: Tell me about the survey.

Bo: Yes, go on, tell me about the river and where it runs.

Ann: Yeah.

Bo: Yes, go on, tell me about the delta and who lives there.

Ann: Yeah.

Bo: Yes, go on.

Ann: Yes, go on.

Bo: Ch.

Ann: Ch.

Bo: T1.
"""


def page_ids(site, slug: str) -> dict[str, str]:
    """Each paragraph's words as readers see them -> its id (the same words twice
    are told apart by a count: `Yeah.#2`)."""
    out: dict[str, str] = {}
    for p in html(site / slug / "index.html").select(".speech p[id]"):
        words = reading(p)
        key, n = words, 1
        while key in out:
            n += 1
            key = f"{words}#{n}"
        out[key] = p["id"]
    return out


def test_a_page_where_paragraphs_open_alike_has_no_id_twice(make_site):
    site = make_site({"content/t.txt": ALIKE,
                      "content/t.yaml": "chapters: [{at: {quote: Yeah, occurrence: 1}, title: Ch}]\n"})
    page = html(site / "t" / "index.html")
    ids = [el["id"] for el in page.find_all(id=True)]
    assert [i for i in set(ids) if ids.count(i) > 1] == [], "no id twice on the page"
    links = {a["href"][1:] for a in page.select('main a[href^="#"]')}
    assert links <= set(ids), "every link to a paragraph finds it"
    assert page_ids(site, "t") == {
        "Tell me about the survey.": "tell-me-about-the-survey",
        "Yes, go on, tell me about the river and where it runs.": "yes-go-on-tell-me-about-the-river",
        "Yeah.": "yeah",
        "Yes, go on, tell me about the delta and who lives there.": "yes-go-on-tell-me-about-the-delta",
        "Yeah.#2": "yeah-2",
        "Yes, go on.": "yes-go-on",
        "Yes, go on.#2": "yes-go-on-2",
        "Ch.": "p-ch",
        "Ch.#2": "p-ch-2",
        "T1.": "p-t1",
    }, "more of a paragraph's own words where its opening is another's; a number only for the same words"


@pytest.mark.parametrize("added", [
    "Yes, go on, tell me about the weather.",         # opens like both, parts sooner
    "Yes, go on, tell me about the lake and the rain.",
    "Yes, go on.",                                     # the same words as two others
    "Something else entirely.",
])
def test_a_paragraph_added_above_paragraphs_that_open_alike_leaves_their_ids(make_site, added):
    site = make_site({"content/t.txt": ALIKE})
    before = page_ids(site, "t")
    edited = ALIKE.replace("Ann: Tell me about the survey.\n", f"Ann: Tell me about the survey.\n\nCy: {added}\n")
    site = make_site({"content/t.txt": edited})
    after = page_ids(site, "t")
    moved = {words: (ident, after.get(words)) for words, ident in before.items() if after.get(words) != ident}
    assert moved == {}, "a link to any paragraph below keeps working"
    new = {words: ident for words, ident in after.items() if words not in before}
    # Paragraphs of the very same words are numbered in order among themselves,
    # the one place position counts: a third `Yes, go on.` makes `yes-go-on-3`.
    assert new == {"Yes, go on.#3": "yes-go-on-3"} if added == "Yes, go on." else len(new) == 1


def test_ids_of_many_paragraphs_with_the_same_words_are_numbered_in_one_pass():
    """A 10,000-word transcript with 500 `Yeah.`s, and one with 10,000 of them:
    every id once, in a time that grows with the paragraphs, not their square
    (numbering each from 2 upward took 10 s for the second)."""
    from gloss import formats
    from gloss.page import paragraph_ids

    for n, other in ((500, "Point {k} is that the river moves a little every year, and the people "
                          "who live beside it move with it, as they always have."),
                     (10_000, "Point {k}.")):
        text = "".join(f"Ann: Yeah.\n\nBo: {other.format(k=k)}\n\n" for k in range(n))
        transcript = formats.parse("t.txt", text)
        started = time.perf_counter()
        paragraph_ids(transcript)
        took = time.perf_counter() - started
        ids = [p.id for turn in transcript.turns for p in turn.paragraphs]
        assert len(ids) == 2 * n and len(set(ids)) == 2 * n
        assert ids[0::2] == ["yeah"] + [f"yeah-{k}" for k in range(2, n + 1)]
        assert took < 3.0, f"{n} paragraphs took {took:.1f} s"

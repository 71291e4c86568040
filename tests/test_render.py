"""Pages as a reader, a screen reader and a scraper see them (parsed HTML)."""

from __future__ import annotations

import itertools
import json

from .conftest import html

INTERVIEW = """**Jacob Effron** (0:00)
Is reasoning enough?
**SPEAKER_3** (1:27)
I think so.
And a second thought.
**Jacob Effron** (1:02:03)
Thanks.
"""

SIDECAR = """title: Reasoning, <b>briefly</b>
date: 2025-11-28
description: A talk with [a link](https://example.com) and [a trap](javascript:alert(1)) and [another](//evil.example).
source: https://example.com/episode
speakers:
  SPEAKER_3: lukasz
"""

PEOPLE = "lukasz:\n  name: Lukasz Kaiser\n  role: Researcher\n"


def build(make_site, **extra):
    files = {"content/talk.txt": INTERVIEW, "content/talk.yaml": SIDECAR,
             "content/people.yaml": PEOPLE, **extra}
    return make_site(files)


def test_turns_follow_the_podcasting_transcript_convention(make_site):
    page = html(build(make_site) / "talk" / "index.html")
    main = page.find("main")
    turns = main.select(".turn")
    assert [t.find("cite").get_text() for t in turns] == ["Jacob Effron", "Lukasz Kaiser", "Jacob Effron"]
    assert [t.find("time")["datetime"] for t in turns] == ["PT0S", "PT1M27S", "PT1H2M3S"]
    assert [t.find("time").get_text() for t in turns] == ["0:00", "1:27", "1:02:03"]
    assert [[p.get_text(" ", strip=True).rstrip("¶ ").strip() for p in t.find_all("p")] for t in turns] == [
        ["Is reasoning enough?"], ["I think so.", "And a second thought."], ["Thanks."]]


def test_every_turn_and_paragraph_has_a_unique_anchor_it_links_to(make_site):
    page = html(build(make_site) / "talk" / "index.html")
    ids = [el["id"] for el in page.select("[id]")]
    assert len(ids) == len(set(ids))
    for turn in page.select(".turn"):
        assert turn.select_one("a.ts")["href"] == "#" + turn["id"]
        for p in turn.find_all("p"):
            assert p.select_one("a.pl")["href"] == "#" + p["id"]


def test_one_consistent_colour_per_speaker(make_site):
    page = html(build(make_site) / "talk" / "index.html")
    colour = {}
    for turn in page.select(".turn"):
        name = turn.find("cite").get_text()
        cls = [c for c in turn["class"] if c.startswith("c")]
        assert colour.setdefault(name, cls) == cls
    assert colour["Jacob Effron"] != colour["Lukasz Kaiser"]


def test_headings_are_in_order_and_the_header_says_what_it_is(make_site):
    page = html(build(make_site) / "talk" / "index.html")
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert page.find("h1").get_text() == "Reasoning, <b>briefly</b>"
    assert page.title.get_text() == "Reasoning, <b>briefly</b> · Test site"
    assert page.find("html")["lang"] == "en"
    header = page.select_one(".page-head")
    assert header.find("time")["datetime"] == "2025-11-28"
    assert header.find("time").get_text() == "28 November 2025"
    assert [li.get_text(" ", strip=True) for li in header.select(".speakers li")] == [
        "Jacob Effron", "Lukasz Kaiser Researcher"]
    assert header.find("a", rel="external")["href"] == "https://example.com/episode"


def test_markdown_in_descriptions_allows_only_safe_links(make_site):
    page = html(build(make_site) / "talk" / "index.html")
    links = page.select(".description a")
    assert [a["href"] for a in links] == ["https://example.com"]
    assert not page.select('[href*="javascript"]')
    assert "[a trap](javascript:alert(1))" in page.select_one(".description").get_text()
    assert not page.select('.description [href^="//"]')


def executable(page) -> list:
    """Scripts a browser would run now, inline (JSON-LD data is not one; a deferred
    file from the theme only adds to a page that is already whole)."""
    return [s for s in page.select("script:not([type='application/ld+json'])")
            if not (s.get("src", "").startswith(("static/", "../static/")) and s.has_attr("defer"))]


def test_script_in_a_transcript_shows_as_text(make_site):
    site = make_site({"content/x.txt": "Eve: <script>alert(1)</script> & more\n",
                      "content/x.yaml": "title: \"</script><script>alert(2)</script>\"\n"})
    page = html(site / "x" / "index.html")
    assert executable(page) == []
    assert "<script>alert(1)</script> & more" in page.select_one(".turn p").get_text()
    data = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert data["name"] == "</script><script>alert(2)</script>", "the data survives, escaped"
    assert "</script" not in page.select_one("script[type='application/ld+json']").string


def test_home_lists_every_transcript_with_its_details(make_site):
    site = build(make_site, **{"content/older.txt": ">> Hello there.\n>> Hi.\n"})
    home = html(site / "index.html")
    cards = home.select(".cards > li")
    assert [c.find("h2").get_text() for c in cards] == ["Reasoning, <b>briefly</b>", "Older"]
    assert [c.find("a")["href"] for c in cards] == ["talk/", "older/"]
    first = cards[0].select_one(".meta").get_text(" ", strip=True)
    assert "28 November 2025" in first and "11 words" in first and "1 min to read" in first
    assert "min to listen" in first
    summary = cards[0].select_one(".summary")
    page = html(site / "talk" / "index.html")
    assert summary.get_text() == page.select_one(".description").get_text().strip(), "the description as the page shows it"
    assert [a["href"] for a in cards[0].find_all("a")] == ["talk/"], "one link: the card's, no link from the summary"
    assert cards[1].select_one(".summary") is None
    assert [li.get_text() for li in cards[1].select(".speakers li")] == ["Speaker 1", "Speaker 2"]


def test_links_are_relative_so_the_site_works_under_any_path(make_site):
    site = build(make_site)
    for rel in ("index.html", "talk/index.html"):
        page = html(site / rel)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src")):
            for el in page.find_all(tag):
                url = el.get(attr, "")
                if url.startswith(("#", "https://example.com")):
                    continue  # in-page anchors, and links the content itself gives
                assert not url.startswith("/") and "://" not in url, (rel, url)
        css = page.find("link", rel="stylesheet")["href"]
        assert (site / rel).parent.joinpath(css).resolve().is_file()


def test_support_files_for_github_pages(make_site):
    site = build(make_site)
    assert (site / ".nojekyll").exists()
    page = html(site / "404.html")
    assert page.find("h1").get_text() == "Page not found"
    assert page.find("link", rel="stylesheet") is None, "404 inlines its styles: it is served at any depth"
    assert not (site / "sitemap.xml").exists()


def test_base_url_gives_canonical_links_sitemap_and_a_404_that_finds_home(make_site):
    files = {"content/talk.txt": INTERVIEW}
    site = make_site(files, config="base_url: https://me.github.io/talks\n")
    page = html(site / "talk" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://me.github.io/talks/talk/"
    assert "<loc>https://me.github.io/talks/talk/</loc>" in (site / "sitemap.xml").read_text()
    not_found = html(site / "404.html")
    assert not_found.select_one("main a")["href"] == "/talks/"
    assert {a["href"] for a in not_found.select(".site-head a")} == {"/talks/"}, \
        "404.html is served at any depth: its links are rooted at the site's path"


def test_pages_need_no_javascript(make_site):
    site = build(make_site)
    for rel in ("index.html", "talk/index.html"):
        assert executable(html(site / rel)) == []


def test_unicode_file_names_make_distinct_pages(make_site):
    site = make_site({"content/访谈.txt": "张伟: 你好。\n", "content/Интервью.txt": "Борис: Привет.\n"})
    assert (site / "访谈" / "index.html").is_file() and (site / "интервью" / "index.html").is_file()
    home = html(site / "index.html")
    assert sorted(a["href"] for a in home.select(".cards h2 a")) == ["интервью/", "访谈/"]


def test_every_page_names_an_icon_that_is_there(make_site):
    """Without one, the browser asks for /favicon.ico on every page: a 404 each time."""
    site = build(make_site)
    for rel in ("index.html", "talk/index.html", "topics/index.html", "people/index.html",
                "people/lukasz/index.html"):
        if not (site / rel).exists():
            continue
        icon = html(site / rel).select_one("link[rel=icon]")
        assert icon is not None, rel
        target = (site / rel).parent / icon["href"]
        assert target.resolve().is_file(), rel
        assert target.read_text().startswith("<svg")

"""Publishing to GitHub Pages and being found: the site works under a project
path, every link and anchor lands, the feed is Atom, the sitemap lists every
page, and search engines and social sites get plain, correct metadata."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from gloss import write

from .conftest import ROOT, copy_example, html, run_cli, write_files
from .test_browser import browser  # noqa: F401  (the fixture)

BASE = "https://example.github.io/demo/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The example site built for https://example.github.io/demo/."""
    root = copy_example(tmp_path_factory.mktemp("publish"))
    result = run_cli("--base-url", BASE, cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


class PagesLike(http.server.SimpleHTTPRequestHandler):
    """Serves a site under /demo/ as GitHub Pages serves a project site: the
    404 page for any path that is not there."""

    site: Path

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith("/demo/"):
            return str(self.site / "__nowhere__")
        return str(self.site / path[len("/demo/"):])

    def send_head(self):  # type: ignore[no-untyped-def]
        target = Path(self.translate_path(self.path))
        if (target.is_dir() and not (target / "index.html").is_file()) or \
                (not target.exists() and not target.is_dir()):
            body = (self.site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            from io import BytesIO
            return BytesIO(body)
        return super().send_head()


@pytest.fixture(scope="module")
def served(published):
    handler = type("Handler", (PagesLike,), {"site": published})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/demo/"
    server.shutdown()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_every_link_and_anchor_lands_under_a_project_path(served):
    seen: dict[str, BeautifulSoup | None] = {}
    todo = [served]
    links: list[tuple[str, str]] = []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        status, body = get(url)
        assert status == 200, f"{url}: {status}"
        page = BeautifulSoup(body, "html.parser") if url.endswith("/") or url.endswith(".html") else None
        seen[url] = page
        if page is None:
            continue
        for tag in page.select("[href], [src]"):
            target = urljoin(url, tag.get("href") or tag.get("src"))
            if not target.startswith(served):
                continue  # another site, or the site's own address from base_url
            links.append((url, target))
            todo.append(target.split("#")[0])
    assert len(seen) > 40
    for page_url, target in links:
        address, _, fragment = target.partition("#")
        if fragment and ":~:" not in fragment:
            page = seen[address]
            assert page is not None and page.find(id=unquote(fragment)) is not None, \
                f"{page_url} links to #{fragment} on {address}, which has no such anchor"


def test_the_404_page_leads_home_from_any_depth(published, served):
    status, body = get(served + "season-9/episode/that-is-gone/")
    assert status == 404
    home = BeautifulSoup(body, "html.parser").select_one("main a[data-home]")["href"]
    assert home == "/demo/", "with base_url the way home is known"


def test_without_base_url_the_404_page_finds_the_root(browser, tmp_path):  # noqa: F811
    assert run_cli("--quiet", cwd=copy_example(tmp_path)).returncode == 0
    handler = type("Handler", (PagesLike,), {"site": tmp_path / "site"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/demo/a/b/gone/")
        page.wait_for_function("document.querySelector('main a[data-home]').getAttribute('href') === '/demo/'")
        page.click("main a[data-home]")
        assert page.title().startswith("Lukasz Kaiser, in conversation")
    finally:
        server.shutdown()


def test_the_feed_is_atom_newest_first(published):
    feed = ET.parse(published / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for child in ("title", "id", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{child}"), child
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith(BASE) and (published / link[len(BASE):] / "index.html").is_file()
        assert "**" not in entry.findtext(f"{ATOM}summary"), "the summary is plain text"
        assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    home = html(published / "index.html")
    assert home.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == "feed.xml"


def test_the_sitemap_lists_every_page_with_when_it_changed(published):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod")
            for u in ET.parse(published / "sitemap.xml").getroot()}
    pages = {BASE + p.relative_to(published).as_posix().removesuffix("index.html")
             for p in published.rglob("index.html") if p.parent.name != "search"}
    assert html(published / "search" / "index.html").select_one("meta[name=robots]")["content"] == "noindex"
    assert set(urls) == pages
    assert all(day and len(day) == 10 for day in urls.values())
    assert (published / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"


def test_no_bookkeeping_is_published(published):
    names = {p.name for p in published.rglob("*")}
    assert not [n for n in names if "gloss" in n or n.endswith((".pickle", ".json.tmp"))]
    assert not (published / ".gloss-cache").exists()


def test_each_transcript_page_describes_itself_to_search_engines_and_social_sites(published):
    for slug, speakers in (("kaiser-mad-podcast", {"Matt Turck", "Lukasz Kaiser"}),
                           ("kaiser-unsupervised-learning", {"Jacob Effron", "Lukasz Kaiser"})):
        page = html(published / slug / "index.html")
        data = json.loads(page.select_one("script[type='application/ld+json']").string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in ("PodcastEpisode", "CreativeWork")
        people = data.get("actor") or data.get("contributor")
        assert {p["name"] for p in people if p["@type"] == "Person"} == speakers
        assert data["name"] == page.h1.get_text(strip=True)
        assert data["url"] == BASE + slug + "/"
        assert data["about"] and all(t["@type"] == "Thing" and t["name"] for t in data["about"])
        description = page.select_one("meta[name=description]")["content"]
        assert "*" not in description and "](" not in description, "plain text, not Markdown"
        og = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
        assert og["og:url"] == BASE + slug + "/" and og["og:type"] == "article"
        assert og["og:title"] == data["name"] and og["og:description"] == description
        assert page.select_one("link[rel=canonical]")["href"] == BASE + slug + "/"
    person = html(published / "people" / "lukasz-kaiser" / "index.html")
    data = json.loads(person.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "Person" and data["name"] == "Lukasz Kaiser"


def test_a_markdown_description_becomes_plain_text(make_site):
    site = make_site({"content/t.txt": "Ann: Hi.\n",
                      "content/t.yaml": "description: A **bold** claim, with [a link](https://x.org).\n"},
                     config="title: T\nbase_url: https://x.org/\n")
    page = html(site / "t" / "index.html")
    assert page.select_one("meta[name=description]")["content"] == "A bold claim, with a link."


@pytest.mark.parametrize("workflow", [ROOT / ".github" / "workflows" / "pages.yml",
                                      ROOT / "gloss" / "scaffold" / "github" / "workflows" / "pages.yml"])
def test_the_pages_workflow_uses_the_official_actions(workflow):
    flow = yaml.safe_load(workflow.read_text())
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = [s.get("uses", "") for job in flow["jobs"].values() for s in job.get("steps", [])]
    for action in ("actions/checkout@v4", "actions/configure-pages@v5", "actions/cache@v4",
                   "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"):
        assert action in steps, action
    build = next(s for s in flow["jobs"]["build"]["steps"] if s.get("name") == "Build")
    assert "steps.pages.outputs.base_url" in build["run"], "built for the address Pages gives"
    cache = next(s for s in flow["jobs"]["build"]["steps"] if s.get("uses") == "actions/cache@v4")
    upload = next(s for s in flow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    # Results are cached by digest, not bytes: the site they were published to and
    # its manifest must come back with them, or every page is made again.
    site = upload["with"]["path"]
    assert cache["with"]["path"].split() == [".gloss-cache", site,
                                             write.sibling(Path(site), "manifest.json").as_posix()]
    assert flow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_check_strict_fails_on_a_link_that_leads_nowhere(tmp_path):
    write_files(tmp_path, {"config.yaml": "title: T\n", "content/t.txt": "Ann: Hi.\n",
                           "content/t.yaml": "notes:\n  - {at: Hi, text: \"See [this](../nowhere/).\"}\n"})
    result = run_cli("check", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "t/index.html: warning: 1 link(s) that lead nowhere: ../nowhere/" in result.stderr

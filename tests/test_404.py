"""The 404 page never leaves the site (issue #21, item 6).

Without `base_url`, 404.html finds the site's home from its own address. A host
like GitHub Pages serves it for any path, also `//other-host/a/b`, which a
browser reads as a protocol-relative address if a script hands it back: every
link and request the page makes must stay on the page's own origin.
"""

from __future__ import annotations

import http.server
import mimetypes
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from gloss import pipeline
from gloss.config import Config, load_config
from gloss.render import _404_home

from .conftest import write_files
from .test_browser import browser  # noqa: F401  (the fixture)

TITLE = "Test site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site built without base_url."""
    root = tmp_path_factory.mktemp("notfound")
    write_files(root, {"config.yaml": f"title: {TITLE}\n", "content/talk.txt": "Ann: Hi there.\n",
                       "content/people.yaml": "ann: {name: Ann Lee}\n",
                       "content/topics.yaml": "greetings: {title: Greetings}\n",
                       "content/talk.yaml": "speakers: {Ann: ann}\ntopics:\n  - {topic: greetings, from: Hi there, to: Hi there}\n"})
    pipeline.build(load_config(root / "config.yaml"), search=True)
    return root / "site"


class Pages(http.server.BaseHTTPRequestHandler):
    """The site under `prefix`, and 404.html (status 404) for any other path, as
    GitHub Pages answers. Paths are matched exactly: no empty, `.` or `..` parts."""

    site: Path
    prefix: str

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.answer(body=True)

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def found(self, path: str) -> Path | None:
        if not path.startswith(self.prefix):
            return None
        rel = path[len(self.prefix):]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        parts = rel.split("/")
        if any(p in ("", ".", "..") or "\\" in p for p in parts):
            return None
        target = self.site.joinpath(*parts)
        return target if target.is_file() else None

    def answer(self, body: bool) -> None:
        # Not urlsplit: it would read "//other-host/a" as a host and a path.
        target = self.found(unquote(self.path.split("?", 1)[0].split("#", 1)[0]))
        status = 200 if target else 404
        target = target or self.site / "404.html"
        data = target.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


def serve(site: Path, prefix: str) -> Iterator[str]:
    handler = type("Handler", (Pages,), {"site": site, "prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def user_site(site: Path) -> Iterator[str]:
    """The site at the root of its host (a user site or a custom domain)."""
    yield from serve(site, "/")


@pytest.fixture(scope="module")
def project_site(site: Path) -> Iterator[str]:
    """The site under /repo/ (a project site)."""
    yield from serve(site, "/repo/")


def open_404(browser, origin: str, path: str):  # noqa: F811
    """The page at `origin + path` once its script has done, and every address
    it asked for. Any other host answers every request, as an attacker's would."""
    context = browser.new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.fulfill(
        status=200, headers={"Access-Control-Allow-Origin": "*", "Content-Type": "text/css"}, body=""))
    page = context.new_page()
    response = page.goto(origin + path)
    assert response is not None and response.status == 404, path
    page.wait_for_load_state("networkidle")
    return context, page, asked


ADDRESSES = """els => els.map(e => [e.tagName, e.getAttribute("href") ?? e.getAttribute("src")
                                    ?? e.getAttribute("action"), e.href || e.src || e.action])"""


def assert_stays_on_site(page, origin: str, asked: list[str]) -> None:
    assert page.evaluate("location.origin") == origin
    problems = [f"asked another host for {url}" for url in asked if not url.startswith(origin + "/")]
    for tag, raw, resolved in page.eval_on_selector_all("[href], [src], [action]", ADDRESSES):
        # Path-absolute with one slash, or a fragment: never "//host", "/\\host" or a scheme.
        if not resolved.startswith(origin + "/") or not (
                raw.startswith("#") or (raw.startswith("/") and raw[1:2] not in ("/", "\\"))):
            problems.append(f"<{tag.lower()}> {raw!r} leads to {resolved}")
    assert not problems, f"{page.url}:\n  " + "\n  ".join(problems)


def homes(page) -> set[str]:
    return set(page.eval_on_selector_all("a[data-home]", "els => els.map(a => a.getAttribute('href'))"))


@pytest.mark.parametrize("path", [
    "//other-host/a/b",
    "//other-host/a/static/",
    "///other-host/a/b/",
    "/%2F%2Fother-host/a",
    "/%5C%5Cother-host/a/b",
    "/\\\\other-host/x",
    "/\\/other-host/a/b",
    "/x/..//other-host/a/b",
])
def test_the_404_page_never_leads_to_another_host(browser, user_site, path):  # noqa: F811
    context, page, asked = open_404(browser, user_site, path)
    try:
        assert_stays_on_site(page, user_site, asked)
        assert homes(page) == {"/"}, f"{page.url}: home is the root of this host"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["//other-host/repo/a/b", "/repo//other-host/a/b", "/\\\\other-host/repo/x"])
def test_under_a_project_path_the_404_page_stays_on_the_site_too(browser, project_site, path):  # noqa: F811
    context, page, asked = open_404(browser, project_site, path)
    try:
        assert_stays_on_site(page, project_site, asked)
        assert homes(page) <= {"/", "/repo/"}
    finally:
        context.close()


@pytest.mark.parametrize(("served", "path", "home"), [
    ("project_site", "/repo/deep/er/path", "/repo/"),
    ("project_site", "/repo/deep/er/path/", "/repo/"),
    ("project_site", "/repo/gone", "/repo/"),
    ("project_site", "/repo/talk/gone/", "/repo/"),
    ("user_site", "/deep/er/path", "/"),
    ("user_site", "/gone", "/"),
])
def test_the_404_page_finds_home_from_any_depth(browser, request, served, path, home):  # noqa: F811
    origin = request.getfixturevalue(served)
    context, page, asked = open_404(browser, origin, path)
    try:
        assert_stays_on_site(page, origin, asked)
        assert homes(page) == {home}
        page.click("main a[data-home]")
        assert page.url == origin + home
        assert page.title() == TITLE
    finally:
        context.close()


@pytest.mark.parametrize(("base_url", "home"), [
    ("https://me.github.io/", "/"),
    ("https://me.github.io/talks/", "/talks/"),
    ("https://me.example//other-host/", "/other-host/"),
])
def test_with_base_url_home_is_one_path_on_this_host(base_url, home):
    assert _404_home(Config(root=Path("."), base_url=base_url)) == home


@pytest.mark.parametrize(("served", "home"), [("project_site", "/repo/"), ("user_site", "/")])
def test_every_link_of_the_404_page_works_under_a_project_path(browser, request, served, home):  # noqa: F811
    """Not only the home links: Topics, People and the search box lead into the
    site wherever it begins, and each page they name is there."""
    origin = request.getfixturevalue(served)
    context, page, asked = open_404(browser, origin, home + "gone/deep/")
    try:
        assert_stays_on_site(page, origin, asked)
        nav = page.eval_on_selector_all(".site-nav a", "els => els.map(a => a.getAttribute('href'))")
        assert nav == [home, home + "topics/", home + "people/"]
        assert page.get_attribute("form.site-search", "action") == home + "search/"
        for path in nav[1:]:
            assert page.request.get(origin + path).status == 200, path
        page.fill("#site-q", "hi")
        page.press("#site-q", "Enter")
        page.wait_for_url(origin + home + "search/?q=hi")
    finally:
        context.close()

"""Quotes worth sharing: select words on a transcript page and get a link that
opens the page at those words, marked; a highlight has a page of its own whose
social card shows the quote, who said it and the episode."""

from __future__ import annotations

import http.server
import threading
from functools import partial
from urllib.parse import unquote

import pytest

from .conftest import copy_example, html, run_cli
from .test_browser import browser  # noqa: F401  (the fixture)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example site over HTTP (the clipboard wants a secure context: localhost)."""
    project = copy_example(tmp_path_factory.mktemp("share"))
    assert run_cli("--quiet", cwd=project).returncode == 0
    out = project / "site"
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", out
    server.shutdown()


def test_selecting_words_offers_a_link_that_opens_the_page_at_them(browser, served):  # noqa: F811
    url, _ = served
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url + "kaiser-mad-podcast/")
    para = page.locator(".speech p[id]").nth(30)
    pid = para.get_attribute("id")
    words = para.evaluate("p => p.innerText").replace("¶", "").split()[2:12]
    # Select those words as a reader would, by the text the page shows.
    page.evaluate("""([pid, quote]) => {
        const p = document.getElementById(pid);
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let text = "", nodes = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.parentElement.getClientRects().length === 0) continue;
            nodes.push([n, text.length]); text += n.data;
        }
        const at = text.indexOf(quote), end = at + quote.length;
        const find = (o) => { for (const [n, s] of nodes) if (s <= o && o <= s + n.data.length) return [n, o - s]; };
        const [a, ao] = find(at), [b, bo] = find(end);
        getSelection().setBaseAndExtent(a, ao, b, bo);
    }""", [pid, " ".join(words)])
    button = page.get_by_role("button", name="Link to this quote")
    button.wait_for(state="visible")
    chosen = page.evaluate("getSelection().getRangeAt(0).getBoundingClientRect().top")
    offer = button.bounding_box()
    assert offer and offer["y"] + offer["height"] <= chosen, "above the words: it hides none read next"
    button.click()
    page.get_by_role("button", name="Link copied").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(url + "kaiser-mad-podcast/#" + pid + ":~:text=")
    assert unquote(link.split(":~:text=")[1]) == " ".join(words), "ten words: the whole quote"

    # The link opens the page scrolled to the quote (the browser's own text fragment).
    other = context.new_page()
    other.goto(link)
    other.wait_for_function(f"document.getElementById('{pid}').getBoundingClientRect().top < innerHeight")
    # Where a browser has no text fragments, the page marks the words itself.
    marked = other.evaluate("(h) => { window.glossMarkQuote(h); const m = document.querySelector('mark.quoted');"
                            " return m && m.innerText; }", "#" + link.split("#", 1)[1])
    assert " ".join(marked.split()) == " ".join(words)
    context.close()


def test_a_highlight_has_its_own_page_with_a_social_card(served):
    _, site = served
    quotes = sorted((site / "quotes").rglob("index.html"))
    assert quotes
    page = html(quotes[0])
    card = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
    figure = page.select_one("figure.passage")
    said = " ".join(figure.blockquote.get_text().split())
    who = figure.select_one(".who-chip").get_text()
    assert card["og:type"] == "article"
    assert said[:40] in card["og:title"] and f"({who})" in card["og:title"], "the words under who said them"
    assert card["og:description"].startswith("From ")
    episode = page.select_one("nav.crumbs a")
    assert episode.get_text() in card["og:description"]
    back = page.select_one("main .meta a")["href"]
    assert back.startswith("../../../") and "#" in back

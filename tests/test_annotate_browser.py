"""The annotation toolbar in Chromium, in `gloss serve` on a copy of the example
site (issue #27): select words, make each kind of entry, then check the YAML
file (the new entry there, its quote unique, every other byte as it was) and
the page as it reloads after the rebuild; and the refusals, shown in the page.
Skips with a reason without Chromium or Playwright (fails under CI)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
import yaml

from gloss import anchor, load, page, shared
from gloss.config import load_config
from gloss.errors import Diagnostics

from .conftest import copy_example
from .serving import Server, free_port, wait_for
from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)
from .test_sidecar_write import one_insert

SLUG = "kaiser-unsupervised-learning"
WAIT = 30_000
"""Milliseconds for a rebuild and reload on a busy machine."""
SELECT = """([para, words]) => {
  const p = document.getElementById(para);
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    const i = t.textContent.indexOf(words);
    if (i >= 0) {
      const r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + words.length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return true;
    }
  }
  return false;
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_example(tmp_path_factory.mktemp("toolbar"))
    srv = Server(project, free_port())
    srv.started()
    yield project, srv
    srv.stop()


@pytest.fixture
def tab(browser, served):  # noqa: F811
    _, srv = served
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(srv.url + SLUG + "/")
    yield tab
    context.close()
    assert errors == []


def select(tab, para: str, words: str) -> None:
    """Select `words` in paragraph `para`, once the toolbar's script listens."""
    tab.locator("#gloss-toolbar").wait_for(state="attached", timeout=WAIT)
    assert tab.evaluate(SELECT, [para, words]), f"{words!r} not in #{para}"
    tab.locator("#gloss-toolbar").wait_for(state="visible", timeout=WAIT)


def act(tab, kind: str, **fill: str) -> None:
    """Press the toolbar's `kind` button, fill its form and write."""
    tab.click(f"#gloss-toolbar [data-kind={kind}]")
    for name, value in fill.items():
        field = tab.locator(f"#gloss-toolbar [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.check()
        else:
            field.fill(value)
    if fill or kind not in ("highlight", "join"):
        tab.click("#gloss-toolbar button[type=submit]")


def refused(tab, kind: str, **fill: str) -> str:
    """What the toolbar says when the server refuses the entry."""
    act(tab, kind, **fill)
    error = tab.locator("#gloss-toolbar .gt-error")
    error.wait_for(timeout=WAIT)
    return error.inner_text()


def unique(project: Path, quote: object) -> None:
    """The quote finds one place in the page as made now (or says which of several)."""
    if isinstance(quote, dict):
        assert quote["occurrence"] >= 1
        return
    config = load_config(project / "config.yaml")
    content = load.load_content(config, Diagnostics())
    source = load.filled(next(s for s in content.sources if s.slug == SLUG))
    made = page.make_page(source, shared.read_site_files(content.site_files, Diagnostics()), config)
    assert len(anchor.Index(made.transcript).matches(str(quote))) == 1, quote


def written(project: Path, before: bytes, name: str = f"{SLUG}.yaml") -> tuple[str, dict]:
    """The text the toolbar added to the file (all else unchanged) and the file read."""
    path = project / "content" / name
    wait_for(lambda: path.exists() and path.read_bytes() != before)
    after = path.read_text("utf-8")
    return one_insert(before.decode(), after), yaml.safe_load(after)


def sidecar(project: Path) -> bytes:
    return (project / "content" / f"{SLUG}.yaml").read_bytes()


def test_a_highlight(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "anthropic-made-this-very-good", "OpenAI was like, we're doing ChatGPT")
    act(tab, "highlight")
    added, doc = written(project, before)
    assert added == '  - "OpenAI was like, we\'re doing ChatGPT"\n'
    unique(project, doc["highlights"][-1])
    tab.locator("mark", has_text="OpenAI was like, we're doing ChatGPT").wait_for(timeout=WAIT)


def test_a_note(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "there-is-now-like-a", "There is certainly interesting things out there")
    act(tab, "note", text="Labs such as *Sakana* publish post-Transformer work.")
    added, doc = written(project, before)
    assert added.startswith("  - at: ") and doc["notes"][-1]["text"].startswith("Labs such as")
    unique(project, doc["notes"][-1]["at"])
    tab.locator("aside.note", has_text="publish post-Transformer work").wait_for(timeout=WAIT)


def test_a_chapter_goes_in_transcript_order(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "thank-you-very-much-thank", "Thank you for having me")
    act(tab, "chapter", title="Thanks")
    _, doc = written(project, before)
    assert [c["title"] for c in doc["chapters"]] == ["Cold open", "Introduction", "Thanks",
                                                      "Is reasoning enough to generalize?"]
    unique(project, doc["chapters"][2]["at"])
    tab.locator("h3.chapter", has_text="Thanks").wait_for(timeout=WAIT)


def test_a_topic_new_to_the_site(tab, served):
    project, _ = served
    before, topics = sidecar(project), (project / "content" / "topics.yaml").read_bytes()
    select(tab, "its-a-pleasure-to-have", "It's a pleasure to have a Transformer paper co-author")
    act(tab, "topic", topic="", newtopic="gratitude", title="Gratitude")
    added, doc = written(project, before)
    assert added.startswith("  - topic: gratitude\n    from: ")
    unique(project, doc["topics"][-1]["from"])
    unique(project, doc["topics"][-1]["to"])
    assert written(project, topics, "topics.yaml")[0] == "gratitude:\n  title: Gratitude\n"
    tab.locator("#its-a-pleasure-to-have[data-topics~=gratitude]").wait_for(timeout=WAIT)


def test_corrections_for_this_transcript_and_for_the_site(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "anthropic-made-this-very-good", "Hard way")
    act(tab, "correction", meant="Part of why")
    assert written(project, before)[0] == "corrections:\n  Hard way: Part of why\n"
    tab.locator(".chg.fix .c", has_text="Part of why").wait_for(timeout=WAIT)
    select(tab, "and-i-think-in-november", "dog years")
    act(tab, "correction", meant="dog-years", glossary="on")
    assert written(project, b"", "glossary.yaml")[0] == "dog years: dog-years\n"
    tab.locator(".chg.fix .c", has_text="dog-years").wait_for(timeout=WAIT)


def test_a_cut(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "so-both-sides-in-this", "So both sides in this time have grown, right?")
    act(tab, "cut", reason="an aside")
    added, doc = written(project, before)
    assert doc["cut"][-1]["reason"] == "an aside" and added.startswith("cut:\n  - from: ")
    unique(project, doc["cut"][-1]["from"])
    unique(project, doc["cut"][-1]["to"])
    tab.locator("details.cut summary", has_text="an aside").wait_for(timeout=WAIT)


def test_a_new_turn_a_join_and_who_a_label_is(tab, served):
    project, _ = served
    before = sidecar(project)
    select(tab, "and-i-think-in-november", "How is your thinking on that question evolved")
    act(tab, "turn", person="lukasz-kaiser")
    added, doc = written(project, before)
    assert added.startswith(("turns:\n  - at: ", "  - at: "))
    assert doc["turns"][-1]["speaker"] == "lukasz-kaiser"
    unique(project, doc["turns"][-1]["at"])
    split = tab.locator(".turn:has(#how-is-your-thinking-on) cite")
    split.wait_for(timeout=WAIT)
    assert split.inner_text() == "Lukasz Kaiser"

    before = sidecar(project)
    select(tab, "why-do-you-think-anthropic", "successful on the coding side")
    act(tab, "join")
    _, doc = written(project, before)
    assert doc["turns"][-1]["join"] is True
    tab.locator("#it-does-feel-like-there", has_text="Why do you think Anthropic").wait_for(timeout=WAIT)

    before = sidecar(project)
    select(tab, "i-think-its-a-fair", "fair question")
    act(tab, "speaker", person="jacob-effron")
    wait_for(lambda: sidecar(project) != before)
    after = sidecar(project)
    assert after == before.replace(b"SPEAKER_3: lukasz-kaiser", b"SPEAKER_3: jacob-effron")
    tab.locator(".turn:has(#i-think-its-a-fair) cite", has_text="Jacob Effron").wait_for(timeout=WAIT)


def test_what_gloss_check_refuses_is_shown_in_the_page_and_nothing_written(tab, served):
    project, _ = served
    before, topics = sidecar(project), (project / "content" / "topics.yaml").read_bytes()
    select(tab, "there-is-now-like-a", "who wins")
    said = refused(tab, "topic", topic="", newtopic="Who Wins", title="Who wins")
    assert "content/topics.yaml:" in said and "topic id `Who Wins` must be lowercase" in said
    assert tab.locator("#gloss-toolbar .gt-error").get_attribute("role") == "alert"
    assert (sidecar(project), (project / "content" / "topics.yaml").read_bytes()) == (before, topics)


def test_a_file_changed_on_disk_since_the_page_loaded_asks_to_reload(browser, served):  # noqa: F811
    project, srv = served
    context = browser.new_context()
    tab = context.new_page()
    tab.route("**/__gloss/events*", lambda route: route.abort())  # no reload by itself
    tab.goto(srv.url + SLUG + "/")
    edited = sidecar(project) + b"# saved in an editor meanwhile\n"
    (project / "content" / f"{SLUG}.yaml").write_bytes(edited)
    select(tab, "anthropic-made-this-very-good", "focus on code")
    said = refused(tab, "highlight")
    assert "changed on disk since this page was made" in said
    assert tab.locator("#gloss-toolbar .gt-error button", has_text="Reload").is_visible()
    assert sidecar(project) == edited
    context.close()


class _Elsewhere(http.server.BaseHTTPRequestHandler):
    """Another site in the browser, which knows the token and posts anyway."""

    def do_GET(self) -> None:
        body = b"<!doctype html><title>elsewhere</title><body>elsewhere</body>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_another_site_and_a_wrong_token_are_refused(tab, served):
    project, srv = served
    before = sidecar(project)
    token = tab.evaluate("JSON.parse(document.getElementById('gloss-annotate').textContent).token")
    post = """async ([url, token]) => {
      try {
        const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json",
          "X-Gloss-Token": token}, body: JSON.stringify({kind: "highlight"})});
        return r.status;
      } catch (e) { return "blocked"; }
    }"""
    endpoint = srv.url + "__gloss/annotate"
    assert tab.evaluate(post, [endpoint, "wrong"]) == 403
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        tab.goto(f"http://127.0.0.1:{other.server_address[1]}/")
        assert tab.evaluate(post, [endpoint, token]) in (403, "blocked")
    finally:
        other.shutdown()
        other.server_close()
    assert sidecar(project) == before


def test_the_toolbar_is_reached_by_keyboard_and_fits_a_phone(browser, served):  # noqa: F811
    _, srv = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    tab = context.new_page()
    tab.goto(srv.url + SLUG + "/")
    select(tab, "there-is-now-like-a", "So, you know, who wins?")
    box = tab.locator("#gloss-toolbar").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    tab.locator("body").focus()
    tab.keyboard.press("a")
    assert tab.evaluate("document.activeElement.dataset.kind") == "highlight"
    tab.keyboard.press("ArrowRight")
    assert tab.evaluate("document.activeElement.dataset.kind") == "note"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.name") == "text"
    tab.keyboard.press("Escape")
    tab.locator("#gloss-toolbar").wait_for(state="hidden", timeout=WAIT)
    context.close()

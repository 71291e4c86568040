"""Render the site model with the theme's Jinja2 templates into `{relpath: bytes}`.

One place builds the Jinja environment: autoescape on (every string from
content is escaped), `StrictUndefined` so a misspelt variable in a theme fails
loudly, and Markdown from content rendered by markdown-it-py with raw HTML off
and only http(s), mailto and relative links allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import exports, publish, transcript_html
from .captioning import cue_marks
from .code import code_digest
from .config import Config
from .errors import SourcePos, ThemeError
from .formats.common import clock, span_length
from .model import Page, Paragraph, Passage, Site, SiteModel, Topic
from .page import paragraph_id
from .theme import Theme
from .theme import resolve as resolve_theme
from .transcript_html import iso_duration, spans_html
from .write import digest

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _validate_link(url: str) -> bool:
    """Only http(s), mailto and relative links; no javascript:, data:, file: ...,
    and no protocol-relative `//host` (a relative-looking link to another site)."""
    lowered = url.strip().lower()
    if lowered.startswith(("//", "\\")):
        return False
    head = lowered.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head or lowered.startswith(SAFE_SCHEMES)


def markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_MD = markdown_renderer()


def markdown(text: str) -> Markup:
    return Markup(_MD.render(text))


def spans(para: Paragraph) -> Markup:
    """A paragraph's text as HTML (the `spans` filter). Removed words are in
    `<del class="rm">`; changed ones (corrections, capitals) carry both forms,
    `.v` verbatim and `.c` clean, and CSS shows one or the other by the verbatim
    switch; corrections show what was heard on hover; highlights are `<mark>`.
    Made in Python, not a template loop: a long transcript has thousands of spans."""
    return Markup(spans_html(para))


def turns(page: Page, root: str, topics: Mapping[str, Topic]) -> Markup:
    """Every turn of the page as HTML (the `turns` filter: `transcript_html.turns`)."""
    return transcript_html.turns(page, root, topics, markdown)


def count(n: int, noun: str, plural: str = "") -> str:
    """`1 word`, `2 words`, `1,204 words`: every count a page shows is grammatical."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def long_date(day: dt.date) -> str:
    """`28 November 2025`, the same on every platform (unlike strftime's `%-d`)."""
    return f"{day.day} {day:%B %Y}"


def make_env(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(t) for t in theme.templates()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown, clock=clock, iso_duration=iso_duration,
                       long_date=long_date, count=count, spans=spans, span_length=span_length,
                       cue_marks=cue_marks, turns=turns)
    env.globals.update(paragraph_id=paragraph_id, downloads=exports.downloads)
    return env


def _theme_error(exc: Exception, theme: Theme) -> ThemeError:
    """Point at the template line that failed, from Jinja's rewritten traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or f"themes/{theme.name}"
        return ThemeError(SourcePos(path, exc.lineno or 0), f"template syntax: {exc.message}",
                          source_line=(exc.source or "").splitlines()[exc.lineno - 1]
                          if exc.source and exc.lineno else "")
    if isinstance(exc, jinja2.TemplateNotFound):
        return ThemeError(SourcePos(f"themes/{theme.name}/templates"), f"template not found: {exc.name}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if theme.owns(f.filename)]
    if frames:
        where = frames[-1]
        return ThemeError(SourcePos(where.filename, where.lineno or 0), f"template: {exc}",
                          source_line=where.line or "")
    return ThemeError(SourcePos(f"themes/{theme.name}"), f"template: {exc}")


def _relative_root(relpath: str) -> str:
    return "../" * relpath.count("/")


@dataclass
class RenderCache:
    """What the last render produced and from what, so a rebuild re-renders only
    outputs whose inputs changed.

    The dependency record: each template's closure of `extends`/`include`/
    `import`ed templates, read from the template source, and for each output the
    key of the data it was rendered from. An output is re-rendered when the
    sources of its templates or its data key differ from last time."""

    sources: dict[str, str] = field(default_factory=dict)
    """Template name -> source text, as of the last render."""
    env: jinja2.Environment | None = None
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    outputs: dict[str, tuple[object, bytes | None, str, str]] = field(default_factory=dict)
    """Output path -> (the key it was rendered under, its bytes (None: kept as
    published, never rendered here), their digest, the key's digest)."""
    kept: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Output path -> (key digest, output digest) as the last build that recorded
    them left it (`.gloss-cache/`): a page whose key is the same, and whose
    published file is still that output, is kept without being rendered."""
    rendered: list[str] = field(default_factory=list)
    """Outputs the last render actually ran templates for."""
    static: dict[str, tuple[tuple[str, int, int], bytes, str]] = field(default_factory=dict)
    """The theme's static files as last read, by (file, mtime, size)."""
    cards: dict[str, tuple[object, Markup]] = field(default_factory=dict)
    """Each transcript's card on the home page, by what it was rendered from."""
    summaries: dict[int, tuple[Page, tuple[object, ...]]] = field(default_factory=dict)
    """id(page) -> (the page, `_summary` of it): serve's pages are the same objects
    from build to build until edited."""

    @property
    def persisted_outputs(self) -> dict[str, tuple[str, str]]:
        """What `kept` should hold for the next run: each output's key digest and
        output digest."""
        return {rel: (out[3], out[2]) for rel, out in self.outputs.items()}


def _closure(env: jinja2.Environment, sources: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Template name -> every template it needs, itself included."""
    direct: dict[str, set[str]] = {}
    for name, text in sources.items():
        try:
            ast = env.parse(text, name, str(name))
        except jinja2.TemplateSyntaxError:
            direct[name] = set()  # reported with its line when rendered
            continue
        direct[name] = {t for t in jinja2.meta.find_referenced_templates(ast) if t}
    out: dict[str, tuple[str, ...]] = {}
    for name in sources:
        seen, todo = {name}, [name]
        while todo:
            for dep in direct.get(todo.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        out[name] = tuple(sorted(seen))
    return out


def _prepare(theme: Theme, cache: RenderCache) -> jinja2.Environment:
    """Reuse the environment (and its compiled templates) while no template changed."""
    sources = {name: text for name, (_, text) in theme.sources().items()}
    if cache.env is None or sources != cache.sources:
        cache.env = make_env(theme)
        cache.sources = sources
        cache.deps = _closure(cache.env, sources)
    return cache.env


def _by_page(passages: list[Passage], by_slug: dict[str, Page]) -> list[tuple[Page, list[Passage]]]:
    """Passages grouped by the page they are on, in site order."""
    groups: dict[str, list[Passage]] = {}
    for q in passages:
        groups.setdefault(q.page_slug, []).append(q)
    return [(by_slug[slug], qs) for slug, qs in groups.items()]


def _summary(p: Page) -> tuple[object, ...]:
    """Everything the home page shows of a transcript (keep in step with card.html),
    so fixing a typo in a transcript does not re-render the home page."""
    return (p.url, p.title, p.meta.date, p.meta.description, p.words, p.minutes, p.read_minutes,
            tuple((s.name, s.role, s.color) for s in p.speakers))


class Renderer:
    """The site's theme, ready to render: transcript pages one at a time (in any
    process: they need only the site-wide files, never another page) and then
    the pages that cross transcripts. With a cache, outputs whose templates and
    data are unchanged are reused instead of rendered."""

    def __init__(self, config: Config, site: Site, cache: RenderCache | None = None) -> None:
        self.config = config
        self.theme = resolve_theme(config)
        self.cache = cache if cache is not None else RenderCache()
        self.env = _prepare(self.theme, self.cache)
        self.topics = site.topics
        self.search = config.search  # the site gets search: a box on every page, a search page
        self.site = {"title": config.title, "description": config.description,
                     "language": config.language, "base_url": config.base_url,
                     "has_topics": bool(site.topics), "has_people": bool(site.people),
                     "has_search": self.search}
        self.site_key = tuple(self.site.values())
        self.outputs: dict[str, tuple[object, bytes | None, str, str]] = {}
        self.keepable: Callable[[str, str], bool] | None = None
        """Whether the published file at a path has a digest (the writer's
        `can_keep`): set, a page recorded in `cache.kept` may be kept unrendered."""
        self.between: Callable[[], None] = lambda: None  # serve: asked before each site page
        self.cache.rendered = []
        self._template_sources: dict[str, tuple[str | None, ...]] = {}
        self._template_digests: dict[str, str] = {}
        self.unchanged: dict[str, str] = {}
        """Outputs of `site_pages` that are as last time -> their digest: the writer
        keeps them as they are published instead of hashing each again."""

    def digest(self) -> str:
        """What transcript pages depend on besides their own inputs: the theme's
        templates and the site settings they show (a cache key part)."""
        return repr((sorted(self.cache.sources.items()), self.site_key))

    def _sources(self, template: str) -> tuple[str | None, ...]:
        """The source of `template` and of every template it needs."""
        known = self._template_sources.get(template)
        if known is None:
            cache = self.cache
            known = tuple(cache.sources.get(t) for t in cache.deps.get(template, (template,)))
            self._template_sources[template] = known
        return known

    def _summaries(self, pages: list[Page]) -> dict[str, tuple[object, ...]]:
        """`_summary` of every page, by slug, made again only for pages that changed."""
        old = self.cache.summaries
        new: dict[int, tuple[Page, tuple[object, ...]]] = {}
        out: dict[str, tuple[object, ...]] = {}
        for p in pages:
            hit = old.get(id(p))
            if hit is None or hit[0] is not p:
                hit = (p, _summary(p))
            new[id(p)] = hit
            out[p.slug] = hit[1]
        self.cache.summaries = new
        return out

    def _cards(self, summaries: dict[str, tuple[object, ...]]) -> Any:
        """`card(p)` for index.html: a transcript's card (card.html), rendered again
        only when what it shows changed. A home page of 1,000 episodes is 1,000
        cards, and an edit changes one of them."""
        sources = self._sources("card.html")
        # Pages that went take their cards with them; the rest are kept even when
        # the home page itself is not rendered this time.
        cards = {slug: c for slug, c in self.cache.cards.items() if slug in summaries}
        self.cache.cards = cards

        def card(p: Page) -> Markup:
            key = (sources, self.site_key, summaries.get(p.slug) or _summary(p))
            hit = cards.get(p.slug)
            if hit is None or hit[0] != key:
                try:
                    html = self.env.get_template("card.html").render(p=p, root="", site=self.site)
                except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
                    raise _theme_error(exc, self.theme) from None
                hit = cards[p.slug] = (key, Markup(html))
            return hit[1]

        return card

    def _key_digest(self, template: str, data_key: object) -> str:
        """A key as it can be compared across runs: gloss's code, the templates'
        digest, the site settings and the data, as text."""
        sources = self._template_digests.get(template)
        if sources is None:  # once per template, not once per page (tens of KB each)
            sources = hashlib.blake2b(repr(self._sources(template)).encode("utf-8", "surrogatepass"),
                                      digest_size=16).hexdigest()
            self._template_digests[template] = sources
        text = repr((code_digest(), sources, self.site_key, data_key))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _render(self, template: str, relpath: str, data_key: object, root: str = "",
                **context: Any) -> bytes:
        """The page's bytes; b"" for a page kept as published (in `unchanged`)."""
        self.between()
        cache = self.cache
        key = (self._sources(template), self.site_key, data_key)
        old = cache.outputs.get(relpath)
        if old is not None and old[0] == key and (old[1] is not None or self._keep(relpath, old[2])):
            self.outputs[relpath] = old
            self.unchanged[relpath] = old[2]
            return old[1] or b""
        kd = self._key_digest(template, data_key)
        was = cache.kept.get(relpath)
        if was is not None and was[0] == kd and self._keep(relpath, was[1]):
            self.outputs[relpath] = (key, None, was[1], kd)
            self.unchanged[relpath] = was[1]
            return b""
        url = relpath.removesuffix("index.html")
        context.setdefault("social", None)
        if callable(context["social"]):  # made only for a page that is rendered
            context["social"] = context["social"]()
        context.setdefault("jsonld", "")
        context.update(site=self.site, root=root or _relative_root(relpath),
                       canonical=self.config.base_url + url if self.config.base_url else "")
        try:
            html = self.env.get_template(template).render(context).encode("utf-8")
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise _theme_error(exc, self.theme) from None
        self.outputs[relpath] = (key, html, digest(html), kd)
        cache.rendered.append(relpath)
        return html

    def _keep(self, relpath: str, known: str) -> bool:
        return self.keepable is not None and self.keepable(relpath, known)

    def transcript(self, page: Page, shown: Callable[[str, bytes], None] | None = None,
                   ) -> dict[str, bytes]:
        """A transcript's page and its downloads. Rendered afresh: the page is only
        rendered when it was just made (its result is cached, not its render).
        `shown` (serve) is given the page before its downloads are made."""
        url = page.url + "index.html"
        titles = {tid: t.title for tid, t in self.topics.items()}
        context = {"page": page, "topics": self.topics,
                   "social": publish.social(self.config, url, page.title, page.meta.description,
                                            "article"),
                   "jsonld": publish.transcript_ld(self.config, page, titles)}
        try:
            html = self.env.get_template("transcript.html").render(
                site=self.site, root=_relative_root(url),
                canonical=self.config.base_url + page.url if self.config.base_url else "",
                **context).encode("utf-8")
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise _theme_error(exc, self.theme) from None
        self.cache.rendered.append(url)
        if shown is not None:
            shown(url, html)
        return {url: html, **exports.files(page, self.config.language)}

    def site_pages(self, model: SiteModel, exported: Mapping[str, Collection[str]]) -> dict[str, bytes]:
        """The home page, the topic and people indexes, the 404 page, the sitemap, the feed
        (linking the downloads among `exported`, each page's files) and the theme's static files."""
        files: dict[str, bytes] = {}
        page = self._render
        by_slug = {p.slug: p for p in model.pages}
        topics = model.topics
        config = self.config
        summaries = self._summaries(model.pages)
        card = self._cards(summaries)
        files["index.html"] = page("index.html", "index.html",
                                   (self._sources("card.html"), tuple(summaries.values())),
                                   pages=model.pages, card=card, cards=_Joined(card, model.pages),
                                   social=partial(publish.social, config, "index.html", config.title,
                                                  config.description))
        if topics:
            counts = {tid: (len(qs), len({q.page_slug for q in qs}))
                      for tid, qs in model.topic_passages.items()}
            files["topics/index.html"] = page(
                "topics.html", "topics/index.html", (tuple(topics.values()), tuple(counts.items())),
                topics=topics, counts=counts,
                social=partial(publish.social, config, "topics/index.html", f"Topics · {config.title}", ""))
            for tid, topic in topics.items():
                passages = model.topic_passages.get(tid, [])
                rel = f"topics/{tid}/index.html"
                files[rel] = page("topic.html", rel, (topic, tuple(passages)),
                                  topic=topic, groups=_by_page(passages, by_slug),
                                  social=partial(publish.social, config, rel, topic.title, topic.description))
        if model.people:
            people = {pid: person for pid, person in model.people.items() if pid in model.person_pages}
            # By what people.html shows of each person (keep in step): a new title
            # does not render it again.
            files["people/index.html"] = page(
                "people.html", "people/index.html",
                tuple((person, len(model.person_pages[pid])) for pid, person in people.items()),
                people=people, person_pages=model.person_pages,
                social=partial(publish.social, config, "people/index.html", f"People · {config.title}", ""))
            for pid, person in people.items():
                pages, quotes = model.person_pages[pid], model.person_quotes.get(pid, [])
                rel = f"people/{pid}/index.html"
                files[rel] = page("person.html", rel,
                                  (person, tuple(summaries[p.slug] for p in pages), tuple(quotes)),
                                  person=person, pages=pages, quotes=quotes,
                                  quote_groups=_by_page(quotes, by_slug),
                                  social=partial(publish.social, config, rel, person.name,
                                                 person.bio or person.role),
                                  jsonld=publish.person_ld(config, person))
        for p in model.pages:
            for q in p.highlights:
                rel = q.share + "index.html"
                files[rel] = page("quote.html", rel, (q, p.url, p.title, p.meta.date), quote=q, page=p,
                                  social=partial(_quote_social, config, rel, q, p.title))
        static = self.theme.static()
        css = static.get("static/style.css")
        inline_css = css.read_text("utf-8") if css else ""
        if self.search and model.pages:
            files["search/index.html"] = page("search.html", "search/index.html", (),
                                              social=partial(publish.social, config, "search/index.html",
                                                             f"Search · {config.title}", ""))
        home = _404_home(self.config)
        files["404.html"] = page("404.html", "404.html", (inline_css, home), root=home, home=home,
                                 inline_css=Markup(inline_css))
        self.cache.outputs = self.outputs
        files[".nojekyll"] = b""
        files["robots.txt"] = publish.robots(config)
        if config.base_url:
            files["sitemap.xml"] = publish.sitemap(config, _sitemap_entries(model, files))
            files["feed.xml"] = publish.feed(config, model, exported, static)
        files.update(self._static(static))
        return files

    def _static(self, static: dict[str, Path]) -> dict[str, bytes]:
        """The theme's static files, read again only when changed on disk."""
        out: dict[str, bytes] = {}
        kept: dict[str, tuple[tuple[str, int, int], bytes, str]] = {}
        for rel, path in static.items():
            st = path.stat()
            stamp = (str(path), st.st_mtime_ns, st.st_size)
            old = self.cache.static.get(rel)
            if old is not None and old[0] == stamp:
                kept[rel] = old
                self.unchanged[rel] = old[2]
            else:
                data = path.read_bytes()
                kept[rel] = (stamp, data, digest(data))
            out[rel] = kept[rel][1]
        self.cache.static = kept
        return out


class _Joined:
    """`cards` in index.html: every page's card, joined only when the template shows
    it (one call from the template, not one per card: at 1,000 cards the calls
    alone took longer than reusing the cards)."""

    def __init__(self, card: Any, pages: list[Page]) -> None:
        self.card, self.pages = card, pages

    def __html__(self) -> str:
        return "\n".join(self.card(p) for p in self.pages)


def _quote_social(config: Config, rel: str, quote: Passage, title: str) -> publish.Social:
    return publish.social(config, rel, publish.quote_title(quote), f"From {title}", "article")


def _404_home(config: Config) -> str:
    """GitHub Pages serves 404.html at any depth, so relative links cannot work there.
    One leading slash: "//host/" would be another site's address."""
    if config.base_url:
        return "/" + config.base_url.split("://", 1)[1].partition("/")[2].lstrip("/")
    return "/"


def _sitemap_entries(model: SiteModel, files: dict[str, bytes]) -> list[tuple[str, dt.date | None]]:
    """Every page of the site with when it last changed: a transcript by its date
    or file, a page that lists transcripts by the newest of them."""
    days = {p.url: publish.lastmod(p) for p in model.pages}
    newest = max(days.values(), default=None)
    entries: list[tuple[str, dt.date | None]] = [("", newest)]
    entries += [(p.url, days[p.url]) for p in model.pages]
    for tid, passages in model.topic_passages.items():
        entries.append((f"topics/{tid}/", max((days[q.page_slug + "/"] for q in passages), default=None)))
    for pid, pages in model.person_pages.items():
        if f"people/{pid}/index.html" in files:
            entries.append((f"people/{pid}/", max(days[p.url] for p in pages)))
    for name in ("topics/", "people/"):
        if name + "index.html" in files:
            entries.append((name, newest))
    for p in model.pages:
        entries += [(q.share, days[p.url]) for q in p.highlights]
    return entries

"""Render the site model with the theme's Jinja2 templates into `{relpath: bytes}`.

One place builds the Jinja environment: autoescape on (every string from
content is escaped), `StrictUndefined` so a misspelt variable in a theme fails
loudly, and Markdown from content rendered by markdown-it-py with raw HTML off
and only http(s), mailto and relative links allowed.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.meta
from markdown_it import MarkdownIt
from markupsafe import Markup

from .config import Config
from .errors import SourcePos, ThemeError
from .model import Page, Passage, SiteModel, Speaker
from .site import paragraph_id
from .theme import Theme
from .theme import resolve as resolve_theme

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


def _hms(seconds: float) -> tuple[int, int, int]:
    s = int(seconds)
    return s // 3600, s % 3600 // 60, s % 60


def clock(seconds: float | None) -> str:
    """3723 -> `1:02:03`, 87 -> `1:27`."""
    if seconds is None:
        return ""
    h, m, sec = _hms(seconds)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def iso_duration(seconds: float | None) -> str:
    """The `datetime` of a `<time>` that marks an offset: 87 -> `PT1M27S`."""
    if seconds is None:
        return ""
    h, m, sec = _hms(seconds)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + f"{sec}S"


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
                       long_date=long_date)
    env.globals.update(paragraph_id=paragraph_id)
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
    outputs: dict[str, tuple[object, bytes]] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    """Outputs the last render actually ran templates for."""


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
    """Everything the home page shows of a transcript (keep in step with index.html),
    so fixing a typo in a transcript does not re-render the home page."""
    return (p.url, p.title, p.meta.date, p.words, p.minutes, p.read_minutes,
            tuple((s.name, s.role, s.color) for s in p.speakers))


def render_site(
    model: SiteModel, config: Config, cache: RenderCache | None = None, search: bool = False,
) -> dict[str, bytes]:
    """Every output file of the site, in memory. With a cache, outputs whose
    templates and data are unchanged are reused instead of rendered. With `search`
    (the site has a search index), a search page and a search box on every page."""
    theme = resolve_theme(config)
    cache = cache if cache is not None else RenderCache()
    env = _prepare(theme, cache)
    site = {"title": config.title, "description": config.description,
            "language": config.language, "base_url": config.base_url,
            "has_topics": bool(model.topics),
            "has_people": any(pid in model.person_pages for pid in model.people),
            "has_search": search}
    site_key = tuple(site.values())
    files: dict[str, bytes] = {}
    outputs: dict[str, tuple[object, bytes]] = {}
    cache.rendered = []

    def page(template: str, relpath: str, data_key: object, root: str = "", **context: Any) -> None:
        key = (tuple(cache.sources.get(t) for t in cache.deps.get(template, (template,))),
               site_key, data_key)
        old = cache.outputs.get(relpath)
        if old is not None and old[0] == key:
            files[relpath] = old[1]
            outputs[relpath] = old
            return
        url = relpath.removesuffix("index.html")
        context.update(site=site, root=root or _relative_root(relpath),
                       canonical=config.base_url + url if config.base_url else "")
        try:
            html = env.get_template(template).render(context)
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise _theme_error(exc, theme) from None
        files[relpath] = html.encode("utf-8")
        outputs[relpath] = (key, files[relpath])
        cache.rendered.append(relpath)

    by_slug = {p.slug: p for p in model.pages}

    def who(passage: Passage) -> Speaker:
        return by_slug[passage.page_slug].speaker(passage.speaker)

    def cited(passages: list[Passage]) -> tuple[object, ...]:
        return tuple((q, who(q)) for q in passages)

    topics = model.topics
    page("index.html", "index.html", tuple(_summary(p) for p in model.pages), pages=model.pages)
    for p in model.pages:
        page("transcript.html", p.url + "index.html",
             (p.version, tuple(s.color for s in p.speakers), tuple(topics.values())),
             page=p, topics=topics)
    if topics:
        counts = {tid: (len(qs), len({q.page_slug for q in qs}))
                  for tid, qs in model.topic_passages.items()}
        page("topics.html", "topics/index.html", (tuple(topics.values()), tuple(counts.items())),
             topics=topics, counts=counts)
        for tid, topic in topics.items():
            passages = model.topic_passages.get(tid, [])
            page("topic.html", f"topics/{tid}/index.html", (topic, cited(passages)),
                 topic=topic, groups=_by_page(passages, by_slug), who=who)
    people = {pid: person for pid, person in model.people.items() if pid in model.person_pages}
    if people:
        page("people.html", "people/index.html",
             tuple((person, tuple(_summary(p) for p in model.person_pages[pid]))
                   for pid, person in people.items()),
             people=people, person_pages=model.person_pages)
        for pid, person in people.items():
            pages, quotes = model.person_pages[pid], model.person_quotes.get(pid, [])
            page("person.html", f"people/{pid}/index.html",
                 (person, tuple(_summary(p) for p in pages), cited(quotes)),
                 person=person, pages=pages, quotes=quotes, by_slug=by_slug)
    if search:
        page("search.html", "search/index.html", ())
    static = theme.static()
    css = static.get("static/style.css")
    inline_css = css.read_text("utf-8") if css else ""
    home = _404_home(config)
    page("404.html", "404.html", (inline_css, home), root=home, home=home,
         inline_css=Markup(inline_css))
    cache.outputs = outputs
    files[".nojekyll"] = b""
    if config.base_url:
        files["sitemap.xml"] = _sitemap(config.base_url, ["", *[p.url for p in model.pages]])
    files.update({rel: path.read_bytes() for rel, path in static.items()})
    return files


def _404_home(config: Config) -> str:
    """GitHub Pages serves 404.html at any depth, so relative links cannot work there."""
    if config.base_url:
        return "/" + config.base_url.split("://", 1)[1].partition("/")[2]
    return "/"


def _sitemap(base: str, urls: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    rows = "".join(f"  <url><loc>{escape(base + u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>\n").encode()

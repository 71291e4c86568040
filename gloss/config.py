"""Site settings from `config.yaml`, each field documented where it is declared."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import yamlfile
from .errors import ConfigError, Problems, SourcePos, raise_all
from .fsutil import read_text


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Cleaning (the `clean:` section of config.yaml, and of a sidecar for one transcript)."""

    level: str = "clean"
    """`clean`: apply the rules below; `edited` (opt-in): those and what clean-verbatim
    transcription removes too (discourse "you know", "I mean", filler "like", "well",
    "so", "oh" opening a sentence, restarts at a cut-off word); `verbatim`: show the
    words exactly as transcribed (no filler, stutter or correction changes; cuts and
    paragraphs still apply)."""
    fillers: bool = True
    """Remove uh, um, er, ah, hmm."""
    stutters: bool = True
    """Collapse words and short phrases said twice in a row ("I I I think")."""
    corrections: bool = True
    """Apply the glossary's and the sidecar's `corrections`."""
    boilerplate: bool = True
    """Fold away text a transcript vendor appends that is not speech."""
    paragraph_words: int = 110
    """Split turns longer than this many words into paragraphs at sentence ends."""
    paragraph_pause: float = 2.0
    """In timed captions (WebVTT, SRT, JSON), start a new paragraph where the
    speaker pauses this many seconds or more after a sentence."""

    def on(self, rule: str) -> bool:
        """Whether a rule applies at this level."""
        return self.level != "verbatim" and bool(getattr(self, rule))


LEVELS = ("clean", "edited", "verbatim")


def _seconds(doc: yamlfile.YamlDoc, node: yaml.Node, what: str) -> float:
    """A number of seconds, 0 or more (`2`, `1.5`)."""
    text = yamlfile.string(doc, node, what)
    if not re.fullmatch(r"\d{1,6}(?:\.\d{1,3})?", text.strip()):
        raise doc.fail(node, f"{what} must be a number of seconds, like 2 or 1.5")
    return float(text)


@dataclass(frozen=True, slots=True)
class Config:
    """The site's settings. Paths are resolved against the config file's folder."""

    title: str = "Transcripts"
    """Site title, shown in every page header and the browser tab."""
    description: str = ""
    """One sentence about the site, shown on the home page and in search results."""
    image: str = ""
    """An image for social cards (Open Graph, Twitter): an address, or a path in
    the site such as `static/card.png`; needs `base_url` to be absolute."""
    base_url: str = ""
    """Absolute URL the site is published at, e.g. `https://user.github.io/repo/`.
    Only used where the web needs absolute URLs (canonical links, sitemap)."""
    language: str = "en"
    """The `lang` of every page."""
    theme: str = "default"
    """Folder under `themes/` with `templates/` and `static/`."""
    content_dir: str = "content"
    """Where transcripts and their YAML annotations live."""
    output_dir: str = "site"
    """Where the built site is written."""
    ignore: tuple[str, ...] = ()
    """Files in the content folder to leave out on purpose: glob patterns such as
    `drafts/**` or `*.mp3` (a pattern without `/` matches a name in any folder)."""
    drafts: bool = False
    """Build transcripts whose annotations say `draft: true` (serve does; build
    does with --drafts). Not a YAML key."""
    jobs: int = 0
    """Processes to make transcripts in; 0: one per core (`--jobs`). Not a YAML key."""
    searchable: bool = True
    """`search: false` leaves search out of the site: no search box, page or index."""
    search: bool = False
    """Make the search index (the command line's build and serve do). Not a YAML key."""
    cache: bool = True
    """Keep what each transcript made in `.gloss-cache/` beside the config, so a
    build makes again only what changed (`--no-cache` turns it off). Not a YAML key."""
    clean: CleanConfig = CleanConfig()
    root: Path = Path(".")
    """Folder of the config file (not a YAML key)."""
    path: str = "config.yaml"
    """The config file as named to the user (not a YAML key)."""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def theme_path(self) -> Path:
        return self.root / "themes" / self.theme


_KEYS = {
    "title": "title",
    "description": "description",
    "image": "image",
    "base_url": "base_url",
    "language": "language",
    "theme": "theme",
    "content": "content_dir",
    "output": "output_dir",
    "ignore": "ignore",
    "clean": "clean",
    "search": "searchable",
}


UNSAFE_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\"<>\\^`{|}]")
"""What no address written into robots.txt, the sitemap, the feed or a page may
hold: a line break would write lines of its own (`Disallow: /`)."""


def base_url_problem(url: str) -> str:
    """Why `url` cannot be the site's address, or "" when it can: it lands in
    robots.txt, the sitemap, the feed and every page's head, so it must be one
    plain http(s) address."""
    if not url.startswith(("http://", "https://")):
        return "must start with http:// or https://"
    if UNSAFE_URL.search(url):
        return "must be one address, without spaces, line breaks or any of \" < > \\ ^ ` { | }"
    if not urlsplit(url).netloc:
        return "must name a host, like https://you.github.io/repo/"
    return ""


def load_config(path: Path, *, required: bool = True) -> Config:
    """Read `config.yaml`; a missing file gives the defaults unless `required`.
    Every mistake in the file is reported at once, as for sidecars."""
    shown = str(path)
    base = Config(root=path.parent, path=shown)
    if not path.exists():
        if required:
            raise ConfigError(SourcePos(shown), "config file not found")
        return base
    doc = yamlfile.parse(shown, read_text(path, ConfigError), ConfigError)
    if doc.root is None:
        return base
    problems = Problems()
    values = yamlfile.mapping(doc, doc.root, _KEYS, "config.yaml", problems)
    changes: dict[str, object] = {}
    for key, node in values.items():
        with problems.each():
            changes[_KEYS[key]] = _setting(doc, key, node, problems)
    base_url = str(changes.get("base_url", ""))
    if base_url:
        problem = base_url_problem(base_url)
        if problem:
            problems.add(doc.fail(values["base_url"], f"`base_url` {problem}"))
        changes["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    theme = str(changes.get("theme", base.theme))
    if "/" in theme or "\\" in theme or theme.startswith("."):
        problems.add(doc.fail(values["theme"], "`theme` must be a folder name under themes/"))
    raise_all(sorted(problems.errors, key=lambda e: (e.pos.line, e.pos.col)))
    return replace(base, **changes)  # type: ignore[arg-type]


def _setting(doc: yamlfile.YamlDoc, key: str, node: yaml.Node, problems: Problems) -> object:
    """One setting's value, as its field in `Config` holds it."""
    name = _KEYS[key]
    if name == "clean":
        return read_clean(doc, node, CleanConfig(), problems)
    if name == "ignore":
        return tuple(yamlfile.string_list(doc, node, "`ignore`"))
    if name == "title":
        return yamlfile.one_line(doc, node, "`title`")
    if name == "searchable":
        return yamlfile.boolean(doc, node, "`search`")
    return yamlfile.string(doc, node, f"`{key}`")


def read_clean(doc: yamlfile.YamlDoc, node: yaml.Node, base: CleanConfig,
               problems: Problems | None = None) -> CleanConfig:
    """A `clean:` mapping over `base`: config.yaml's over the defaults, a sidecar's
    over config.yaml's. Given `problems`, each bad setting is reported there and
    the others still apply."""
    names = [f.name for f in fields(CleanConfig)]
    problems = problems if problems is not None else Problems(collect=False)
    values = yamlfile.mapping(doc, node, names, "`clean`", problems)
    out: dict[str, object] = {}
    for key, value in values.items():
        with problems.each():
            out[key] = _clean_setting(doc, key, value)
    return replace(base, **out)  # type: ignore[arg-type]


def _clean_setting(doc: yamlfile.YamlDoc, key: str, value: yaml.Node) -> object:
    if key == "paragraph_words":
        return yamlfile.positive(doc, value, f"`clean.{key}`")
    if key == "paragraph_pause":
        return _seconds(doc, value, f"`clean.{key}`")
    if key == "level":
        level = yamlfile.string(doc, value, "`clean.level`")
        if level not in LEVELS:
            raise doc.fail(value, "`clean.level` must be `clean`, `edited` or `verbatim`")
        return level
    return yamlfile.boolean(doc, value, f"`clean.{key}`")


def with_search(config: Config, search: bool = True) -> Config:
    """The settings a build with `search` (the command line's build and serve) makes
    pages with: search on when asked for and the site can have it."""
    return replace(config, search=(config.search or search) and config.searchable)

"""Annotate from the preview: `POST /__gloss/annotate` writes the entry an
editor made with the toolbar (`toolbar/annotate.js`) into the YAML beside the
transcript, and the usual rebuild and reload show it.

Only `gloss serve` has this, and it is safe by construction:

- it answers only the pages serve itself served: each run has a secret token,
  put into served transcript pages (never into files), which a request must
  carry in `X-Gloss-Token`; its `Host` must be this server (against DNS
  rebinding) and its `Origin` this server's own (against other sites);
- it writes only a transcript's sidecar and the site's topics.yaml and
  glossary.yaml, at the paths the last build read them from (or would have),
  inside content/: a path that leads elsewhere, or through a symbolic link, is
  refused;
- one save at a time (a lock), and never over a file that changed on disk
  since the page was made (each page carries the digests of its files; a
  changed file is answered with "reload");
- the new text is checked by the code `gloss check` runs for the transcript
  (`page.make_page`), and refused with its very messages, the file untouched.

The entry written is printed to the terminal, so `git diff` shows it and undoes it.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TextIO

from . import load, page, starter
from .config import Config
from .errors import Diagnostics, FormatError, SiteError, SiteErrors
from .fsutil import MAX_FILE_BYTES, read_text
from .live import page_of
from .model import Page
from .quickpage import Alone
from .quoting import SelectionError
from .selection_entry import GLOSSARY, SIDECAR, TOPICS, plan
from .shared import read_site_files
from .sidecar_write import WriteError

ENDPOINT = "/__gloss/annotate"
ASSETS = {"/__gloss/annotate.js": ("annotate.js", "text/javascript"),
          "/__gloss/annotate.css": ("annotate.css", "text/css")}
"""The toolbar's files, served by serve only: they are never copied into a site."""
TRANSCRIPT = "transcript"
TOOLBAR = Path(__file__).resolve().parent / "toolbar"
MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Built:
    """What a transcript page was made from, as the last good build read it."""

    slug: str
    transcript: Path
    sidecar: Path
    """Where its sidecar is, or would be made."""
    digest: str
    """Of the sidecar's text; empty when it has none."""
    transcript_digest: str


@dataclass(frozen=True, slots=True)
class Reply:
    status: HTTPStatus
    body: dict[str, object]


def refuse(status: HTTPStatus, message: str, **more: object) -> Reply:
    return Reply(status, {"ok": False, "error": message, **more})


@dataclass
class Annotator:
    """The annotation endpoint's state for one run of `serve`."""

    out: TextIO
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    config: Config | None = None
    pages: dict[str, Built] = field(default_factory=dict)
    """Page (`/slug/`) -> what it was made from."""
    site_digests: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """People and topics to offer: (id, name or title)."""
    shown_at: dict[str, tuple[Built, int]] = field(default_factory=dict)
    """Page -> what it was made from at a save, and that save's number
    (quickpage.py): kept over what a build that had not read the save says."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _choices: str = ""
    """`choices` as the inside of a JSON object, ready to send."""

    def built(self, memory: load.Remembered, config: Config, upto: int) -> None:
        """Note what the last good build made each page from; it read the saves up
        to `upto`, and a page shown at a later save keeps what that save read (the
        open page carries its digests, and a build need not reload it)."""
        content = memory.content
        if content is None:
            return
        pages: dict[str, Built] = {}
        for source in content.sources:
            transcript, side = memory.pages.get(source.slug, (None, None))
            if transcript is None:
                continue
            pages[page_of(source.slug + "/")] = Built(
                source.slug, transcript, side or transcript.with_suffix(".yaml"),
                source.sidecar.digest if source.sidecar else "", source.transcript.digest)
        site = read_site_files(content.site_files, Diagnostics())
        with self.lock:
            self.shown_at = {page: held for page, held in self.shown_at.items() if held[1] > upto}
            pages.update((page, held[0]) for page, held in self.shown_at.items())
            self.config = config
            self.pages = pages
            self.site_digests = {name: f.digest for name, f in content.site_files.items()}
            self.choices = {"people": [(p.id, p.name) for p in site.people.values()],
                            "topics": [(t.id, t.title) for t in site.topics.values()]}
            self._choices = _script_json(self.choices)[1:-1]

    def shown(self, alone: Alone, save: int) -> None:
        """A page made the moment its file was saved (quickpage.py), before any build:
        `save`, its number (`QuickPages.saves`)."""
        source = alone.source
        built = Built(source.slug, alone.transcript, alone.sidecar or alone.transcript.with_suffix(".yaml"),
                      source.sidecar.digest if source.sidecar else "", source.transcript.digest)
        page = page_of(source.slug + "/")
        with self.lock:
            self.pages[page] = built
            self.shown_at[page] = (built, save)

    def inject(self, url_path: str) -> str:
        """What a transcript page gets besides the reload script: the toolbar and
        what it must send back (token, digests). Other pages get nothing."""
        with self.lock:
            built = self.pages.get(page_of(url_path))
            if built is None:
                return ""
            data = {"token": self.token, "page": page_of(url_path), "endpoint": ENDPOINT,
                    "digests": {TRANSCRIPT: built.transcript_digest, SIDECAR: built.digest,
                                TOPICS: self.site_digests.get(TOPICS, ""),
                                GLOSSARY: self.site_digests.get(GLOSSARY, "")}}
            choices = self._choices  # made once a build: thousands of people at 1,000 episodes
        script = _script_json(data)[:-1] + (", " + choices if choices else "") + "}"
        return (f'<script type="application/json" id="gloss-annotate">{script}</script>'
                '<link rel="stylesheet" href="/__gloss/annotate.css">'
                '<script src="/__gloss/annotate.js" defer></script>')

    def handle(self, origin: str, token: str, body: bytes, port: int) -> Reply:
        """Answer one POST to the endpoint: its `Origin` and `X-Gloss-Token` headers
        (its `Host` is checked as every request's is) and its body."""
        if origin not in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            return refuse(HTTPStatus.FORBIDDEN, "only pages this preview served may annotate")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return refuse(HTTPStatus.FORBIDDEN, "this page is from an earlier run of gloss serve: reload it")
        try:
            request = json.loads(body)
        except ValueError:
            return refuse(HTTPStatus.BAD_REQUEST, "the request is not JSON")
        if not isinstance(request, dict):
            return refuse(HTTPStatus.BAD_REQUEST, "the request is not a JSON object")
        with self.lock:
            return self._annotate(request)

    def _annotate(self, request: dict[str, object]) -> Reply:
        config = self.config
        built = self.pages.get(str(request.get("page", "")))
        if config is None or built is None:
            return refuse(HTTPStatus.NOT_FOUND, "not a transcript page of this site")
        digests = request.get("digests")
        if not isinstance(digests, dict):
            return refuse(HTTPStatus.BAD_REQUEST, "the request has no digests")
        try:
            paths = self._paths(config, built)
            raw = {name: _raw(path) for name, path in paths.items()}
            texts = {name: _read(path) for name, path in paths.items()}
            # The quote is found in the page as it was made: its transcript and
            # sidecar must still be what the page was made from.
            _unchanged(built.transcript, _digest(_read(built.transcript)), digests.get(TRANSCRIPT))
            _unchanged(paths[SIDECAR], _digest(texts[SIDECAR]), digests.get(SIDECAR))
            made = _make(config, built, texts)
            starting = raw[SIDECAR] or _starter(built)
            edits = plan(str(request.get("kind", "")), request, made, {**raw, SIDECAR: starting})
            for edit in edits:
                _unchanged(paths[edit.file], _digest(texts[edit.file]), digests.get(edit.file))
            _check(config, built, {**texts, **{e.file: _normal(e.text) for e in edits}})
            written = []
            for edit in edits:  # a save meanwhile is not overwritten
                _unchanged(paths[edit.file], _digest(_read(paths[edit.file])), digests.get(edit.file))
                _write(paths[edit.file], edit.text)
                before = raw[edit.file] or (starting if edit.file == SIDECAR else "")
                written.append(self._said(paths[edit.file], added(before, edit.text)))
        except _Refused as refused:
            return refused.reply
        except (SelectionError, WriteError, SiteError) as err:
            return refuse(HTTPStatus.UNPROCESSABLE_ENTITY, str(err))
        return Reply(HTTPStatus.OK, {"ok": True, "written": written})

    def _said(self, path: Path, entry: str) -> dict[str, str]:
        """Print what was written, so the terminal (and `git diff`) show it."""
        shown = load.shown_path(path)
        print(f"annotated {shown}:\n{entry}", file=self.out, flush=True)
        return {"file": shown, "entry": entry}

    def _paths(self, config: Config, built: Built) -> dict[str, Path]:
        """The files this page's entries may go to, each checked to be in content/."""
        content = Path(os.path.realpath(config.content_path))
        return {SIDECAR: _inside(content, built.sidecar), TOPICS: _inside(content, content / TOPICS),
                GLOSSARY: _inside(content, content / GLOSSARY)}


def _script_json(value: object) -> str:
    """JSON to put inside a `<script>`: no `<` or `&` that HTML would read."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace("&", "\\u0026")


class _Refused(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.body.get("error"))
        self.reply = reply


def _inside(content: Path, path: Path) -> Path:
    """`path`, if it is a plain file (or none yet) inside `content`, not a link."""
    real = Path(os.path.realpath(path.parent)) / path.name
    if real.is_symlink() or content not in real.parents or (real.exists() and not real.is_file()):
        raise _Refused(refuse(HTTPStatus.FORBIDDEN, f"{load.shown_path(path)} is not a file inside "
                              "the content folder: gloss writes only there"))
    return real


def _raw(path: Path) -> str:
    """A file's text exactly as it is (line endings and all); empty when there is none."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise _Refused(refuse(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{load.shown_path(path)}: cannot read file: {exc.strerror}")) from None
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(refuse(HTTPStatus.UNPROCESSABLE_ENTITY, f"{load.shown_path(path)} is too large"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(refuse(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{load.shown_path(path)} is not UTF-8 text")) from None


def _normal(text: str) -> str:
    """The text as the build reads it (`fsutil.read_text`): no byte-order mark, `\n` lines."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read(path: Path) -> str:
    """A file's text as the build reads it (`fsutil.read_text`); empty when there is none."""
    if not path.exists():
        return ""
    try:
        return read_text(path, FormatError, load.shown_path(path))
    except SiteError as err:
        raise _Refused(refuse(HTTPStatus.UNPROCESSABLE_ENTITY, str(err))) from None


def _digest(text: str) -> str:
    """As the build's `TextFile.digest`; empty for a file that is not there."""
    return load.text_digest(text) if text else ""


def _unchanged(path: Path, now: str, then: object) -> None:
    """Refuse when the file is not what the page was made from."""
    if now != then:
        raise _Refused(refuse(HTTPStatus.CONFLICT, f"{load.shown_path(path)} changed on disk since "
                              "this page was made: reload the page and select again", reload=True))


def _starter(built: Built) -> str:
    """The sidecar `gloss new` would write, for a transcript that has none."""
    shown = load.shown_path(built.transcript)
    text = read_text(built.transcript, FormatError, shown)
    return starter.starter(shown, text, built.transcript.stem, starter.schema_comment(built.sidecar))


def _source(config: Config, built: Built, texts: Mapping[str, str]) -> tuple[load.Source, load.Content]:
    shown = load.shown_path(built.transcript)
    transcript = load.TextFile(shown, read_text(built.transcript, FormatError, shown))
    side = load.TextFile(load.shown_path(built.sidecar), texts[SIDECAR]) if texts[SIDECAR] else None
    site_files = {name: load.TextFile(load.shown_path(config.content_path / name), texts[name])
                  for name in (TOPICS, GLOSSARY) if texts[name]}
    people = config.content_path / "people.yaml"
    if people.exists():
        site_files["people.yaml"] = load.TextFile(load.shown_path(people),
                                                  read_text(people, FormatError, load.shown_path(people)))
    return load.Source(built.slug, transcript, side), load.Content([], site_files)


def _make(config: Config, built: Built, texts: Mapping[str, str]) -> Page:
    """The page as `gloss check` makes it from these texts; its errors raised."""
    source, content = _source(config, built, texts)
    diag = Diagnostics()
    site = read_site_files(content.site_files, diag)
    if diag.errors:
        raise SiteErrors(diag.errors)
    return page.make_page(source, site, config)


def _check(config: Config, built: Built, texts: Mapping[str, str]) -> None:
    """Raise `gloss check`'s errors for the transcript with these new texts."""
    _make(config, built, texts)


def _write(path: Path, text: str) -> None:
    """Replace the file at once (a new copy renamed over it), keeping its mode,
    so the watcher sees one finished save and no reader sees half a file."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gloss-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def added(before: str, after: str) -> str:
    """The lines of `after` that the edit added or changed, as printed."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    first = after.rfind("\n", 0, start) + 1
    last = after.find("\n", len(after) - end)
    return after[first : len(after) if last < 0 else last].rstrip("\r\n")

"""Live preview: build, serve on 127.0.0.1 (`preview.py`), rebuild on change,
reload open pages (`live.py`).

One build loop owns every build; watchdog only records what changed, and the
loop waits until events stop (editors save several files, or write a temp file
and rename it) before rebuilding. Pages are read from the output folder, which
the writer only ever replaces whole, so requests never see a half-written site;
a path that leads outside it is refused. While the first build runs, pages are
served from its staging copy as they are made, and the home page says how far
it has got. Each build, good or bad, bumps an epoch; open pages listen on
server-sent events and reload when it moves. A failed build keeps the last good
site and shows its errors in the terminal and over every page until fixed.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from watchdog.observers.api import BaseObserver

from . import pipeline, watch, write
from . import search as site_search
from .annotating import Annotator
from .config import Config, load_config
from .connections import PreviewServer
from .errors import BuildFailed, SiteError
from .live import LiveSite, page_of
from .preview import bind, make_handler
from .quickpage import QuickPages

DEBOUNCE = 0.1
"""Seconds without file events before a rebuild starts, unless every change is a
save that is over (see watch.Changes.saved): then at once."""
SETTLE = 0.5
"""After a folder appears, build once more this much later (see watch.Changes)."""
SWITCH = 0.0005
"""Seconds a thread runs before another waiting for the processor gets it (see serve)."""
SEARCH_READY = Path("<search index ready>")
"""Not a file: the change the search indexer reports when a new index is ready."""


class Builder:
    """Runs builds for serve, keeping caches between them."""

    def __init__(self, config_path: Path, config: Config, live: LiveSite, out: TextIO,
                 changes: watch.Changes | None = None) -> None:
        self.config_path = config_path
        self.config = config
        self.live = live
        self.out = out
        self.caches = pipeline.Caches(keep_staging=True)
        self.changes = changes
        self.quick = QuickPages(live, self.caches.pages)
        self.annotator: Annotator | None = None
        """Told what each page was made from after every good build, and each page
        shown at a save (toolbar writes)."""
        self.quick.told = lambda alone, save: self.annotator.shown(alone, save) if self.annotator else None

    def checkpoint(self) -> None:
        """Between the steps of a build, and before it: show the pages of the saves
        that are over, made from those files alone (quickpage.py)."""
        if self.changes is None or not self.changes.only_content():
            return  # a theme or settings edit: the build makes every page anew
        paths = self.changes.saved_content()
        if not paths:
            return
        search = self.caches.search
        search.hold()
        try:
            shown = self.quick.make(self.config, paths)
        finally:
            search.release()
        if shown:
            print(f"shown in {self.quick.spent * 1000:.0f} ms: {', '.join(shown)}", file=self.out,
                  flush=True)

    def failed(self, text: str) -> None:
        """Show a build's errors; the last good site (if any) stays up."""
        print(text, file=self.out)
        self.live.building = None  # a failed first build's pages are not a site
        self.live.publish(None, text)

    def progress(self, done: int, total: int, name: str) -> None:
        self.live.done = (done, total)

    def _wrote(self, early: dict[str, bool], upto: int, rel: str, data: bytes) -> None:
        """A page written in place mid-build: open copies of it reload now, not when
        the rest of the site (the home page, downloads, search) is done; and not at
        all when they show these very bytes already, or a later save's page
        (`LiveSite.written`). `early`: each page seen so far -> whether it was
        reloaded; `upto`: the saves this build read."""
        if rel.endswith(".html"):
            page = page_of(rel)
            if not self.live.written(rel, data, upto):
                early[page] = False
                return
            if not any(early.values()) and self.annotator is not None:  # it reloads with its new digests
                self.annotator.built(self.caches.content, self.config, upto)
            early[page] = True
            self.live.publish(None, self.live.errors, pages=[page])

    @staticmethod
    def _pages(paths: list[str]) -> set[str] | None:
        """The pages to reload for these changed output paths; None (all of them)
        when a style sheet, script or other file of the theme changed."""
        if any(p.startswith("static/") for p in paths):
            return None
        return {page_of(p) for p in paths if p.endswith(".html")}

    @staticmethod
    def _content_changed(changed: dict[Path, watch.Change]) -> frozenset[Path] | None:
        """The content paths the watcher named, or None when this build was not
        started by the watcher (the first, or a look again): then content/ is walked."""
        if not changed:
            return None
        return frozenset(p for p, kind in changed.items()
                         if kind is watch.Change.CONTENT and p != SEARCH_READY)

    def build(self, changed: dict[Path, watch.Change], verb: str = "rebuilt") -> None:
        started = time.perf_counter()
        for path in changed:  # do not trust mtimes alone on coarse file systems
            self.caches.files.pop(path, None)
        if any(kind is not watch.Change.CONTENT for kind in changed.values()):
            self.quick.forget()
        shown = self.quick.saves  # the pages shown so far are of saves this build reads
        self.caches.search.hold()
        try:
            if watch.Change.CONFIG in changed.values():
                fresh = load_config(self.config_path, required=False)
                self.config = replace(fresh, output_dir=self.config.output_dir,
                                      drafts=self.config.drafts)
                self.caches.clear()
            if self.live.folder is None:  # the first build: show its pages as they come
                self.live.output = self.config.output_path
                self.live.building = write.sibling(Path(os.path.realpath(self.config.output_path)),
                                                   "staging")
            first = self.live.folder is None
            early: dict[str, bool] = {}
            if self.quick.prepared is None and not first:
                # Ready for a save made while this build brings the site up to date
                # (a first build of a new site shows its pages as it makes them).
                self.quick.warm(self.config)
            render, quick = self.caches.render, self.quick.prepared
            if render.env is None and quick is not None:
                # The templates pages shown at a save are made with, parsed and
                # compiled before serving: the first build need not do it again
                # (0.1-0.2 s in which a save would wait).
                shared = quick.renderer.cache
                render.env, render.sources, render.deps = shared.env, shared.sources, shared.deps
            self.checkpoint()
            result = pipeline.build(self.config, self.progress, caches=self.caches, search=True,
                                    changed=self._content_changed(changed),
                                    wrote=None if first else functools.partial(self._wrote, early, shown),
                                    between=self.checkpoint)
            if write.InPlaceWriter.usable(self.config.output_path, self.caches.written):
                write.retire_staging(self.config.output_path)  # the next builds write in place
        except BuildFailed as failed:
            self.failed("\n".join(str(e) for e in failed.diagnostics.sorted()))
            return
        except SiteError as err:
            self.failed(str(err))
            return
        except Exception:  # a bug in gloss must not kill the preview either
            self.failed("internal error (please report it):\n" + traceback.format_exc())
            return
        finally:
            self.caches.search.release()
        # A new search index alone (made in the background) needs no page reloaded.
        index_only = bool(result.written) and all(w.startswith(f"{site_search.BUNDLE}/")
                                                  for w in result.written)
        pages = self._pages(result.written + result.deleted)
        if self.annotator is not None:
            self.annotator.built(self.caches.content, self.config, shown)
        self.live.publish(self.config.output_path, "", reload=not index_only,
                          pages=None if first or pages is None else pages - early.keys())
        self.live.settle(shown)
        for warning in result.diagnostics.warnings:
            print(warning, file=self.out)
        for note in result.notes:
            print(note, file=self.out)
        if index_only:
            print(f"search index updated: {len(result.written)} file(s) written, "
                  f"{len(result.deleted)} removed", file=self.out, flush=True)
            return
        ms = (time.perf_counter() - started) * 1000
        rendered = ", ".join(result.rendered[:4]) + (" ..." if len(result.rendered) > 4 else "")
        print(f"{verb} in {ms:.0f} ms: {len(result.rendered)} page(s) rendered"
              f"{' (' + rendered + ')' if rendered else ''}, {len(result.written)} file(s) "
              f"written, {len(result.deleted)} removed", file=self.out, flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(config_path: Path, config: Config, port: int, explicit_port: bool, open_browser: bool,
          out: TextIO = sys.stderr) -> int:
    """Build, then serve and rebuild until Ctrl-C (or SIGTERM). Content errors never
    end it; only a port that cannot be had does."""
    live = LiveSite()
    # Python hands the processor between threads every 5 ms by default: a reload's
    # request, served on a thread of its own, waited that long at every step
    # (accept, read, send) while the build went on making the save's downloads.
    sys.setswitchinterval(SWITCH)
    # Watch before the first build and before serving: an edit made the
    # moment the page is up (or during the build) must not go unseen.
    changes = watch.Changes()
    builder = Builder(config_path, config, live, out, changes)
    builder.annotator = Annotator(out)
    server: PreviewServer | None = None
    observer: BaseObserver | None = None
    thread: threading.Thread | None = None
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = bind(port, explicit_port, make_handler(live, builder.annotator), out)
        # The search index is made on a thread; when it is ready, build once more to publish it.
        builder.caches.search.on_ready = lambda: changes.add(SEARCH_READY, watch.Change.CONTENT,
                                                             time.monotonic(), saved=True)
        content_there = config.content_path.is_dir()
        observer = watch.start(config, changes)
        if (config.output_path / "index.html").is_file():
            # A site built before is whole (the writer replaces it in one step):
            # show it at once; the build below brings it up to date and reloads it.
            live.folder = config.output_path
            # Ready for the first save before serving: compiling the templates
            # (60-100 ms) is the most a save made at once would wait for.
            builder.quick.warm(config)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"serving {url} (Ctrl-C to stop); watching {config.content_dir}/, themes/, "
              f"{config_path.name}", file=out, flush=True)
        if open_browser:
            webbrowser.open(url)
        builder.build({}, verb="built")
        # What the first build keeps (a page model per episode: 130,000 objects at
        # 1,000) lives as long as serve: out of the collector's full passes, which
        # took 0.15-0.2 s each and fall at random, on a save as often as not.
        gc.freeze()
        while True:
            if not changes.wait(timeout=1.0):
                continue
            builder.checkpoint()  # a save's page first, then the rest
            # A save that is over is built at once; anything else once events pause.
            while (quiet := DEBOUNCE - (time.monotonic() - changes.last_event)) > 0 \
                    and not changes.saved(timeout=quiet):
                pass
            # Most editors write a file in place: the first event (a write) woke
            # the loop before the save was over (the file closed).
            builder.checkpoint()
            changed = changes.take()
            builder.build(changed)
            watched = (config.content_path.resolve(), content_there)
            if (builder.config.content_path.resolve(), builder.config.content_path.is_dir()) != watched:
                # config.yaml moved the content folder, or it has just been made:
                # watch the folder that is there now.
                observer.stop()
                config = builder.config
                content_there = config.content_path.is_dir()
                observer = watch.start(config, changes)
                # Edits made before the new watch began raised no events: look again.
                builder.build({})
            if changes.take_new_folder():
                time.sleep(SETTLE)
                builder.build({**changed, **changes.take()})
    except KeyboardInterrupt:
        print("\nstopped", file=out)
    finally:
        live.stop()
        builder.caches.search.stop()
        if observer is not None:
            observer.stop()
        if server is not None:
            if thread is not None:
                server.shutdown()  # only returns once serve_forever has been running
            server.server_close()
        write.drop_staging(builder.config.output_path)
    return 0

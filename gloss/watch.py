"""Watch content, themes and config with watchdog, and say what kind of thing changed.

The watchdog callback only records the change; the serve loop decides when to
rebuild (after events stop for a moment), so a burst of saves is one build.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .config import Config


class Change(enum.Enum):
    CONTENT = "content"
    THEME = "theme"
    CONFIG = "config"


def is_temp_file(name: str) -> bool:
    """Editor droppings: swap files, backups, lock files, vim's write test file."""
    return (
        name.startswith((".#", "#", "~$")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp",
                                                               ".part", ".crdownload"))
        or (name.startswith(".") and name.endswith(".swp")) or name == "4913"
        or name.startswith(".goutputstream")
    )


def classify(path: Path, config: Config) -> Change | None:
    """What a changed path means for the build, or None to ignore it."""
    path = path.resolve()
    if is_temp_file(path.name):
        return None
    if path == (config.root / Path(config.path).name).resolve():
        return Change.CONFIG
    for folder, kind in ((config.content_path, Change.CONTENT), (config.root / "themes", Change.THEME)):
        folder = folder.resolve()
        if path == folder:
            return kind  # the folder itself appeared or went
        if folder in path.parents:
            # Hidden files and folders below it (.git, .DS_Store) are not input;
            # the project itself may live in a hidden folder (~/.blog).
            hidden = any(p.startswith(".") for p in path.relative_to(folder).parts)
            return None if hidden else kind
    return None


class Changes:
    """What changed since the last build, filled from watchdog's thread."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._changed: dict[Path, Change] = {}
        self._writing: set[Path] = set()
        """Paths whose last event was not the end of a save (a write still going, a
        file renamed away that its new copy will replace)."""
        self.last_event = 0.0
        self.new_folder = False
        """A folder appeared: files written into it at once may have no events
        (the watch on it starts a moment later), so build again shortly after."""

    def add(self, path: Path, kind: Change, when: float, saved: bool = False) -> None:
        """Note a change; `saved`: the event ends a save (the file was closed after
        writing, or a new copy was renamed into place)."""
        with self._lock:
            self._changed[path] = kind
            if saved:
                self._writing.discard(path)
            else:
                self._writing.add(path)
            self.last_event = when
            self._lock.notify_all()

    def saved(self, timeout: float = 0.0) -> bool:
        """Whether every change so far ends in a finished save (waiting up to
        `timeout` for it): the build need not wait for the events to stop."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._writing, timeout)

    def saved_content(self) -> list[Path]:
        """The content files changed since the last build whose saves are over,
        without taking them: serve shows their pages before the build (quickpage.py)."""
        with self._lock:
            return [p for p, kind in self._changed.items()
                    if kind is Change.CONTENT and p not in self._writing]

    def only_content(self) -> bool:
        """Whether every change so far is to content (not the theme nor the settings)."""
        with self._lock:
            return all(kind is Change.CONTENT for kind in self._changed.values())

    def wait(self, timeout: float) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: bool(self._changed), timeout)

    def take(self) -> dict[Path, Change]:
        """Every path changed since the last call, with what kind of input it is."""
        with self._lock:
            changed, self._changed = self._changed, {}
            self._writing.clear()
            return changed

    def take_new_folder(self) -> bool:
        with self._lock:
            seen, self.new_folder = self.new_folder, False
            return seen


class _Handler(FileSystemEventHandler):
    def __init__(self, config: Config, changes: Changes) -> None:
        self.config = config
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return

        src, dest = (Path(os.fsdecode(raw)) if raw else None
                     for raw in (event.src_path, getattr(event, "dest_path", "")))
        kinds = {path: classify(path, self.config) for path in (src, dest) if path is not None}
        # A folder's own events come with its files'. A file is saved when closed
        # after writing, or when a copy is renamed into its place; not when it is
        # renamed away (to a backup name), as some editors do before writing anew.
        saved = (event.is_directory and event.event_type == "modified") or event.event_type == "closed" \
            or (event.event_type == "moved" and dest is not None and kinds[dest] is not None)
        for path, kind in kinds.items():
            if kind:
                if event.is_directory and event.event_type in ("created", "moved"):
                    self.changes.new_folder = True
                self.changes.add(path.resolve(), kind, time.monotonic(), saved)


def start(config: Config, changes: Changes) -> BaseObserver:
    """Watch content/, themes/ and the config file's folder (not recursively)."""
    observer = Observer()
    handler = _Handler(config, changes)
    for folder, recursive in ((config.content_path, True), (config.root / "themes", True),
                              (config.root, False)):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=recursive)
    observer.daemon = True
    observer.start()
    return observer

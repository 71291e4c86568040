"""Watch content, themes and config with watchdog, and say what kind of thing changed.

The watchdog callback only records the change; the serve loop decides when to
rebuild (after events stop for a moment), so a burst of saves is one build.
"""

from __future__ import annotations

import enum
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
        self.last_event = 0.0
        self.new_folder = False
        """A folder appeared: files written into it at once may have no events
        (the watch on it starts a moment later), so build again shortly after."""

    def add(self, path: Path, kind: Change, when: float) -> None:
        with self._lock:
            self._changed[path] = kind
            self.last_event = when
            self._lock.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: bool(self._changed), timeout)

    def take(self) -> dict[Path, Change]:
        """Every path changed since the last call, with what kind of input it is."""
        with self._lock:
            changed, self._changed = self._changed, {}
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

        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw.decode() if isinstance(raw, bytes) else raw)
            kind = classify(path, self.config)
            if kind:
                if event.is_directory and event.event_type in ("created", "moved"):
                    self.changes.new_folder = True
                self.changes.add(path.resolve(), kind, time.monotonic())


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

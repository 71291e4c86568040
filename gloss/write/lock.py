"""One build into an output folder at a time: the lock beside it.

`.<out>.gloss-lock` is held (flock; msvcrt on Windows) from before a build
recovers what an earlier one left until its swap is done; a second build waits,
saying so once, and gives up with a clear error after `LOCK_WAIT` seconds.

A crash at any moment leaves the lock file, empty and free: the system drops the
lock of a process that dies, so no build ever waits on a dead one, and the next
takes the same file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import SiteError, SourcePos

LOCK_WAIT = 120.0
"""Seconds a build waits for another build into the same folder to finish."""


class Lock:
    """An exclusive lock on a file, released by the system if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def try_lock(self) -> bool:
        if self.fd < 0:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                return False
            raise
        return True

    def acquire(self, wait: float, waiting: Callable[[], None]) -> bool:
        """Take the lock, waiting up to `wait` seconds (`waiting` is called once)."""
        deadline = time.monotonic() + wait
        told = False
        while not self.try_lock():
            if not told:
                waiting()
                told = True
            if time.monotonic() >= deadline:
                self.release()
                return False
            time.sleep(0.05)
        return True

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops flock and msvcrt locks alike
            self.fd = -1


def take(lock: Lock, wait: float, notice: Callable[[str], None], shown: str) -> None:
    """Hold the output folder's lock, saying once that another build has it."""
    waiting = functools.partial(notice, f"waiting for another build into {shown} to finish")
    if not lock.acquire(wait, waiting):
        raise SiteError(SourcePos(shown), f"another build into {shown} is still running "
                        f"(waited {wait:g} s)", f"if none is, delete {lock.path.name} beside it")


@contextlib.contextmanager
def if_free(path: Path) -> Iterator[bool]:
    """Hold the lock at `path` for the block, without waiting, if no build holds it:
    yields whether this one does. OSError if the lock file cannot be opened."""
    lock = Lock(path)
    try:
        yield lock.try_lock()
    finally:
        lock.release()

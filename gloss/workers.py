"""Worker processes that end with the gloss process that started them.

A build makes transcripts in a pool, and serve makes the search index in a
process of its own; none of them may outlive gloss, even when it is killed
outright (SIGKILL gives it no chance to stop them)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys


def die_with(parent: int) -> None:
    """Called first in a worker: on Linux the kernel is asked to kill it when its
    parent dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def background(parent: int) -> None:
    """A worker for work nobody is waiting on (serve's search index): it dies
    with gloss and yields the processor to the rebuilds an editor waits for."""
    die_with(parent)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)

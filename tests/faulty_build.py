"""`build.py` with faults, for test_faults.py: run as `python faulty_build.py ARGS...`.

From the moment the writer starts (before it takes its lock), every file-system
call it can make is a numbered step. Environment variables choose the fault:

- FAULT_KILL_AT=N   SIGKILL this process just before step N (a real kill: no
                    cleanup, no finally blocks, as a power-off of the process);
- FAULT_SLOW=S      sleep S seconds at every step (a slow disk), so another
                    process can act in the middle of the write;
- FAULT_NO_EXCHANGE=1  pretend renameat2 is missing: the two-rename swap is used.

It prints `FAULT: writing` when the writer starts, `FAULT: locked` once it holds
the lock and `FAULT: steps N` at the end, on stderr.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from gloss import cli, write

STEPS = ("open", "write", "close", "link", "rename", "replace", "unlink", "rmdir", "mkdir",
         "fsync", "symlink", "chmod")


def main() -> int:
    kill_at = int(os.environ.get("FAULT_KILL_AT", "0"))
    slow = float(os.environ.get("FAULT_SLOW", "0"))
    count = 0
    active = False

    def step(fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            if active:
                count += 1
                if count == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                if slow:
                    time.sleep(slow)
            return fn(*args, **kwargs)
        return run

    for name in STEPS:
        setattr(os, name, step(getattr(os, name)))
    if os.environ.get("FAULT_NO_EXCHANGE"):
        def unsupported(a: object, b: object) -> None:
            raise OSError(errno.ENOSYS, "Function not implemented")
        write.swap._exchange = unsupported
    write.swap._exchange = step(write.swap._exchange)  # type: ignore[method-assign]

    enter = write.SiteWriter.__enter__

    def entering(self: write.SiteWriter) -> write.SiteWriter:
        nonlocal active
        print("FAULT: writing", file=sys.stderr, flush=True)
        active = True
        return enter(self)

    write.SiteWriter.__enter__ = entering  # type: ignore[method-assign]
    acquire = write.lock.Lock.acquire

    def acquiring(self: write.lock.Lock, wait: float, waiting: Callable[[], None]) -> bool:
        got = acquire(self, wait, waiting)
        print("FAULT: locked", file=sys.stderr, flush=True)
        return got

    write.lock.Lock.acquire = acquiring  # type: ignore[method-assign]
    code = cli.main(sys.argv[1:])
    print(f"FAULT: steps {count}", file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())

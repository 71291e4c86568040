"""The staging copy serve keeps between builds, and its end.

serve's swapped builds keep the old site in the staging folder for the next to
bring in line; once serve writes in place (`InPlaceWriter`) the copy is of no
more use, and at exit it goes. Both are done only while no build holds the
folder's lock, so a build's staging folder is never pulled from under it.

A crash at any moment leaves the staging folder, or a `.<out>.gloss-retired-*`
folder renamed aside and partly deleted: neither is ever published, the next
build brings a staging folder in line (it trusts none), and serve's next exit
deletes any retired one.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

from .disk import remove
from .folder import sibling
from .lock import if_free


def drop_staging(out: Path) -> None:
    """Remove the staging folder serve kept, and any it set aside (`retire_staging`),
    unless another build is using it now (then that build removes it)."""
    real = Path(os.path.realpath(out))
    try:
        with if_free(sibling(real, "lock")) as free:
            if free:
                remove(sibling(real, "staging"))
                for retired in real.parent.glob(sibling(real, "retired-*").name):
                    remove(retired)
    except OSError:
        pass


def retire_staging(out: Path) -> None:
    """serve, once it writes in place (`InPlaceWriter`): the staging copy is of no
    more use. It is renamed aside at once, under the lock, and deleted on a
    thread, so neither the next edit nor Ctrl-C waits for a whole site's files to
    go (8 s at 5,000 episodes); `drop_staging` finishes the job at exit."""
    real = Path(os.path.realpath(out))
    staging = sibling(real, "staging")
    if not staging.is_dir():
        return
    retired = sibling(real, f"retired-{os.getpid()}-{time.monotonic_ns()}")
    try:
        with if_free(sibling(real, "lock")) as free:
            if not free:
                return  # a build is running: try again after the next one
            os.rename(staging, retired)
    except OSError:
        return
    threading.Thread(target=shutil.rmtree, args=(retired,), kwargs={"ignore_errors": True},
                     name="gloss-retire", daemon=True).start()

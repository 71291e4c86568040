"""Publish the rendered site: the output folder is always one complete build.

A build that is killed, runs out of disk, meets a permission error or races
another build must leave `site/` as the complete previous site or the complete
new one, and the next build must clean up whatever the earlier one left. The
parts, each with what a crash at any moment leaves in its own docstring:

- `staging` (`SiteWriter`, `write_site`): stage a whole copy of the new site
  beside the output folder, unchanged pages hard-linked, the user's own files
  carried over, then record and swap. Killed at any moment: `site/` is the
  whole old site or the whole new one.
- `swap`: exchange the staged and the published folders in one step
  (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames with a journal
  fsynced first, so a build killed between them is finished by the next).
- `manifest`: `.<out>.gloss-manifest.json` lists the files gloss wrote, with
  each one's digest, size and time, so stale pages are removed and the user's
  files never are. Rewritten atomically; before a swap it lists the old pages
  and the new, so a kill at any moment leaves one that names every page
  published.
- `recorded` (`Remembered`): whether a published file is still the one the
  manifest records, and serve's memory of the manifest it wrote, trusted only
  while the file on disk is that very one.
- `inplace` (`InPlaceWriter`): serve, after its first build, writes only what
  changed, each file whole (a temporary renamed over it), noting files no
  manifest lists yet before writing them, so a kill leaves none unknown.
- `kept` (`retire_staging`, `drop_staging`): the staging copy serve keeps, set
  aside and deleted when no build holds the lock.
- `lock`: `.<out>.gloss-lock` (flock; msvcrt on Windows), one build at a time;
  a second waits, saying so once, up to `LOCK_WAIT` seconds. The system drops
  a dead process's lock.
- `folder` and `disk`: the folder's names and errors, and the file operations
  the writers are made of.

Nothing of gloss's bookkeeping is inside the output folder. Errors name the
output folder (`site/: error: cannot write the site: ...`), never a staging file.
Pages are not fsynced one by one (that would cost seconds on large sites): the
guarantee is against the process dying or failing, not against a power cut.
"""

from __future__ import annotations

from .disk import digest, walk_tree
from .folder import LEGACY, safe_relpath, shown_folder, sibling
from .inplace import InPlaceWriter
from .kept import drop_staging, retire_staging
from .lock import LOCK_WAIT
from .manifest import Encoded
from .recorded import Remembered
from .staging import SiteWriter, write_site

__all__ = [
    "LEGACY", "LOCK_WAIT", "Encoded", "InPlaceWriter", "Remembered", "SiteWriter", "digest",
    "drop_staging", "retire_staging", "safe_relpath", "shown_folder", "sibling", "walk_tree", "write_site",
]

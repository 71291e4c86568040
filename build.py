#!/usr/bin/env python3
"""The example site's command line: `python build.py --help`. The engine is the
`gloss` package; installed, the same commands are `gloss build`, `gloss serve`..."""

import sys

from gloss.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="build.py"))

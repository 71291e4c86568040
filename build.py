#!/usr/bin/env python3
"""gloss command line: `python build.py --help`. The engine is the `gloss` package."""

import sys

from gloss.cli import main

if __name__ == "__main__":
    sys.exit(main())

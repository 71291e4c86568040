"""`python -m gloss`: the same command line as `gloss`."""

import sys

from gloss.cli import main

sys.exit(main(prog="python -m gloss"))

"""`python -m gloss`: the same command line as `gloss`."""

import sys

from gloss.cli import main

if __name__ == "__main__":  # not when a worker process imports it
    sys.exit(main(prog="python -m gloss"))

"""gloss: a static site generator for annotated interview and podcast transcripts."""

from __future__ import annotations

__version__ = "0.1.0"

#!/usr/bin/env python3
"""What word times cost a page: a 10,000-word WhisperX transcript built with
and without its `words`, the transcript page's size raw and gzipped.

    .venv/bin/python bench/page_weight.py [--words 10000]

Each word's time reaches the page as two small numbers in its paragraph's
`data-cues` (see `captioning.cue_marks`), not a span per word; this says
what that adds."""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import sentence  # noqa: E402
from gloss import pipeline  # noqa: E402
from gloss.config import load_config  # noqa: E402


def whisperx(n: int, words: bool) -> str:
    """About `n` words in 15-second segments of two alternating speakers, a
    word every 0.35 s, with WhisperX's `words` or without."""
    rng = random.Random(7)
    segments, said, t = [], 0, 0.0
    while said < n:
        text = " ".join(sentence(rng) for _ in range(3))
        tokens = text.split()
        seg = {"start": round(t, 3), "end": round(t + 0.35 * len(tokens), 3),
               "speaker": f"SPEAKER_0{len(segments) // 4 % 2}", "text": " " + text}
        if words:
            seg["words"] = [{"word": w, "start": round(t + 0.35 * k, 3), "end": round(t + 0.35 * k + 0.3, 3),
                             "score": 0.9} for k, w in enumerate(tokens)]
        segments.append(seg)
        said += len(tokens)
        t += 0.35 * len(tokens) + 0.4
    return json.dumps({"segments": segments})


def page_size(text: str) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "content").mkdir()
        (root / "content" / "talk.json").write_text(text, "utf-8")
        (root / "config.yaml").write_text("title: Weight\n", "utf-8")
        pipeline.build(load_config(root / "config.yaml"))
        page = (root / "site" / "talk" / "index.html").read_bytes()
        return len(page), len(gzip.compress(page, 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args()
    without = page_size(whisperx(args.words, False))
    with_words = page_size(whisperx(args.words, True))
    print(f"{args.words:,}-word WhisperX transcript, its page:")
    print(f"  segment times only  {without[0] / 1024:7.1f} KB, gzipped {without[1] / 1024:6.1f} KB")
    raw, packed = (with_words[0] / without[0] - 1) * 100, (with_words[1] / without[1] - 1) * 100
    print(f"  with word times     {with_words[0] / 1024:7.1f} KB, gzipped {with_words[1] / 1024:6.1f} KB "
          f"(+{raw:.0f}%, gzipped +{packed:.0f}%)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How long cleaning takes on an hour-long transcript (~10,000 words).

Times `clean.clean` (every cleaning step) and `disfluency.find_edits` alone
(fillers and stutters, the costly part) on realistic transcripts, for the
cleaner as it is and for the reference algorithm kept in
tests/reference_disfluency.py (the same edits, found the slow way), and
prints milliseconds of CPU time per 10,000 words: the median over the runs,
with the fastest and slowest.

The transcripts come from ../shared/bench/gen_corpus.py when it is there (the
corpus the archive benchmarks use) and otherwise from the generator below:
deterministic, ~10,000 words in ~150 turns, with fillers, stutters, phrase
repeats, commas, dashes, quotes and numbers in caption and Whisper styles.
The edit cache is emptied before every run: each one cleans from cold.

    .venv/bin/python bench/clean_speed.py [--transcripts 5] [--runs 5] [--own] [--no-reference]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss import clean as clean_stage  # noqa: E402
from gloss import disfluency, formats  # noqa: E402
from gloss.clean import Options  # noqa: E402
from gloss.model import Transcript  # noqa: E402
from tests import reference_disfluency  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench" / "gen_corpus.py"

WORDS = str.split(
    "the of and to a in that it is was I for on you he be with as by at have are this not but had his "
    "they from she which or we an there her were one do been all their has would will what if can when "
    "so no said who more about up them some could him into its then two time like other only my over "
    "also new than just way people think know because good very see make well even back work first year "
    "much get out how now these any say where most us thing really right going actually something lot "
    "kind sort mean yeah okay pretty things little different whole point question interesting probably "
    "always never maybe those through before after still while should same again course since today "
    "problem part doing started being might between long great thought feel years world important "
    "patients model data team season field crop harvest court client witness lesson students engine "
    "tires budget hospital nurse shift training game coach players city village river farm market"
)
FUNCTION_STARTS = ["I", "the", "and", "we", "it", "so", "that", "to", "in", "you", "they", "but", "is"]
PHRASES = ["and then", "in the", "I think", "it was", "we were", "you know", "one of the", "going to"]
OPENERS = {True: ["Um,", "Uh,", "So,", "Well,", "Yeah,"], False: ["um", "uh", "so"]}
FILLERS = {True: [", uh,", ", um,", "—um—", "uh", "um"], False: ["uh", "um"]}
"""Whisper style (True) writes commas and dashes around fillers; captions (False) none."""
NAMES = ["Ana Ruiz", "Ben Okafor", "Chloe Park", "Dev Patel", "Elena Rossi", "Femi Adeyemi"]


def _sentence(rng: random.Random, whisper: bool) -> str:
    """One spoken sentence of 6-24 words with the disfluencies speech has."""
    out: list[str] = []
    if rng.random() < 0.2:
        out.append(rng.choice(OPENERS[whisper]))
    for _ in range(rng.randint(6, 24)):
        r = rng.random()
        if r < 0.03:
            out.append(rng.choice(FILLERS[whisper]))
        elif r < 0.045:
            w = rng.choice(FUNCTION_STARTS)
            sep = rng.choice([" ", ", ", "—"]) if whisper else " "
            out.append(sep.join([w] * rng.choice((2, 2, 3))))
        elif r < 0.052:
            out.append(" ".join([rng.choice(PHRASES)] * 2))
        elif r < 0.06:
            out.append(str(rng.randint(2, 2030)))
        elif r < 0.065:
            out.append(f'"{rng.choice(WORDS)} {rng.choice(WORDS)}"')
        out.append(rng.choice(WORDS))
        if whisper and rng.random() < 0.08:
            out[-1] += ","
    text = " ".join(out).replace(" ,", ",").strip(", ")
    if not whisper:
        return text  # captions: no capitals, no full stops
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?"])


def own_transcript(i: int) -> str:
    """Transcript i of the built-in corpus, `**Name** (m:ss)` turns, ~10,000 words."""
    rng = random.Random(f"clean-speed:{i}")
    speakers = rng.sample(NAMES, 3)
    whisper = i % 2 == 0
    parts: list[str] = []
    words = 0
    clock = 0
    while words < 10_000:
        para = " ".join(_sentence(rng, whisper) for _ in range(rng.randint(2, 9)))
        words += len(para.split())
        parts.append(f"**{rng.choice(speakers)}** ({clock // 60}:{clock % 60:02d})\n{para}\n")
        clock += rng.randint(5, 60)
    return "\n".join(parts)


def shared_transcript(i: int) -> str:
    """Transcript i of the shared archive corpus (its `# Episode` heading left out)."""
    spec = importlib.util.spec_from_file_location("gen_corpus", SHARED)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.transcript(i, 1)[3])


def _parse(text: str) -> Transcript:
    return formats.parse("t.md", text)


def _paragraphs(text: str) -> list[str]:
    """The paragraphs the fillers-and-stutters step sees (after long turns are split)."""
    t = clean_stage.paragraphs(clean_stage.boilerplate(_parse(text), Options()), Options())
    return [p.verbatim for turn in t.turns for p in turn.paragraphs]


def _time(run: Callable[[], object], prepare: Callable[[], object]) -> float:
    """Seconds of CPU time (what this process used: other work on a shared
    machine does not count), from an emptied edit cache and a collected heap."""
    prepare()
    gc.collect()
    start = time.process_time()
    run()
    return time.process_time() - start


def measure(texts: list[str], runs: int, module: ModuleType) -> dict[str, list[float]]:
    """Milliseconds per 10,000 words, per run, for the whole clean stage and
    for find_edits alone, with `module` as the fillers-and-stutters step."""
    words = sum(len(t.split()) for t in texts)
    per = 10_000 / words * 1000
    paras = [p for t in texts for p in _paragraphs(t)]
    whole: list[float] = []
    alone: list[float] = []
    saved = clean_stage.disfluency
    clean_stage.disfluency = module  # type: ignore[assignment]
    try:
        for _ in range(runs):
            parsed = [_parse(t) for t in texts]
            whole.append(per * _time(lambda ts=parsed: [clean_stage.clean(t, Options()) for t in ts],
                                     module.edits_of.cache_clear))
            alone.append(per * _time(lambda: [module.find_edits(p) for p in paras],
                                     module.edits_of.cache_clear))
    finally:
        clean_stage.disfluency = saved
    return {"clean.clean": whole, "find_edits": alone}


def _row(name: str, ms: list[float]) -> str:
    return f"  {name:<28} {statistics.median(ms):8.1f} ms  ({min(ms):.1f}-{max(ms):.1f})"


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--transcripts", type=int, default=5)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--own", action="store_true",
                    help="use the built-in generator even if ../shared is there")
    ap.add_argument("--no-reference", action="store_true", help="time only the cleaner as it is")
    args = ap.parse_args(argv)
    shared = SHARED.exists() and not args.own
    make = shared_transcript if shared else own_transcript
    texts = [make(i) for i in range(args.transcripts)]
    words = sum(len(t.split()) for t in texts)
    print(f"{args.transcripts} transcripts, {words / args.transcripts:,.0f} words each "
          f"({'../shared/bench/gen_corpus.py' if shared else 'built-in generator'}); "
          f"ms per 10,000 words, median (min-max) of {args.runs} runs")
    modules = [("now", disfluency)] + ([] if args.no_reference else [("reference", reference_disfluency)])
    for label, module in modules:
        for stage, ms in measure(texts, args.runs, module).items():
            print(_row(f"{stage} ({label})", ms))


if __name__ == "__main__":
    main(sys.argv[1:])

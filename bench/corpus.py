#!/usr/bin/env python3
"""A realistic archive to measure on: N hour-long interview transcripts (~10,000
words, ~60 KB each: `# Episode N` heading, `**Name** (mm:ss)` turns, fillers,
stutters, bracketed markers), optionally a sidecar per transcript whose quotes
are copied from the text (speakers, a chapter, two topic spans, a note and a
highlight), people.yaml and topics.yaml; or the same corpus as a Hugo or an
Eleventy site, so peers render the same words.

Deterministic: transcript i is the same for any N. `bench/run.py` uses
`../shared/bench/gen_corpus.py` (the generator the peers' anchors were measured
on) when it exists, and this one otherwise (a user's clone has no ../shared).

    python bench/corpus.py --n 1000 --out /tmp/c --format transcript --sidecars
    python bench/corpus.py --n 1000 --out /tmp/h --format hugo
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

COMMON = [
    "the", "of", "and", "to", "a", "in", "that", "it", "is", "was", "I", "for", "on", "you", "he",
    "be", "with", "as", "by", "at", "have", "are", "this", "not", "but", "had", "his", "they",
    "from", "she", "which", "or", "we", "an", "there", "her", "were", "one", "do", "been", "all",
    "their", "has", "would", "will", "what", "if", "can", "when", "so", "no", "said", "who", "more",
    "about", "up", "them", "some", "could", "him", "into", "its", "then", "two", "time", "like",
    "other", "only", "my", "over", "also", "new", "than", "just", "way", "people", "think", "know",
    "because", "good", "very", "see", "make", "well", "even", "back", "work", "first", "year",
    "much", "get", "out", "how", "now", "these", "any", "say", "where", "most", "us", "thing",
    "really", "right", "going", "actually", "something", "lot", "kind", "sort", "mean", "yeah",
    "okay", "pretty", "things", "little", "different", "whole", "point", "question", "interesting",
    "probably", "always", "never", "maybe", "those", "through", "before", "after", "still", "while",
    "should", "same", "again", "course", "since", "today", "problem", "part", "doing", "started",
    "being", "might", "between", "long", "great", "thought", "feel", "years", "world", "important",
    "getting", "everything", "made", "yes", "done", "another", "each", "around", "life", "come",
    "case", "take", "down", "need", "person", "example", "working", "better", "idea", "whatever",
    "both", "many", "place", "look", "hard", "real", "own", "away", "end", "able", "trying",
    "already", "enough", "together", "else", "sense", "whether", "though", "happened", "within",
    "without", "almost", "exactly", "basically"
]
TOPIC = [
    "data", "model", "system", "process", "team", "company", "product", "market", "research",
    "software", "design", "community", "energy", "climate", "policy", "history", "science",
    "language", "music", "writing", "book", "students", "school", "university", "funding",
    "government", "network", "security", "privacy", "infrastructure", "platform", "startup",
    "founder", "engineers", "customers", "users", "experiment", "hypothesis", "evidence", "paper",
    "journal", "review", "analysis", "statistics", "algorithm", "learning", "training", "dataset",
    "benchmark", "hardware", "compiler", "database", "protocol", "standard", "library", "framework",
    "interface", "architecture", "performance", "latency", "memory", "storage", "cloud", "license",
    "contributors", "maintainers", "documentation", "release", "version", "feature", "roadmap",
    "strategy", "revenue", "investors", "capital", "regulation", "economy", "housing", "transport",
    "city", "village", "farming", "water", "ocean", "forest", "biology", "genetics", "medicine",
    "patients", "hospital", "trial", "vaccine", "chemistry", "physics", "telescope", "satellite",
    "mission", "rocket", "orbit", "mathematics", "proof", "theorem", "philosophy", "ethics",
    "journalism", "newspaper", "podcast", "interview", "documentary", "film", "camera", "editing"
]
FIRST = [
    "Alice", "Bruno", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid", "Jamal",
    "Keiko", "Lars", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Samir", "Tomoko",
    "Ursula", "Victor", "Wen", "Ximena", "Yusuf", "Zara"
]
LAST = [
    "Abara", "Becker", "Castillo", "Dubois", "Eriksen", "Fujita", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero",
    "Rahman", "Santos", "Tanaka", "Ulrich", "Varga", "Weber"
]
FILLERS = ["uh", "um", "uh,", "um,", "you know,", "like,", "I mean,"]
STUTTER = ["I", "so", "the", "and", "it", "we", "that", "but", "you", "to"]
OPENERS = ["So", "And", "Yeah,", "Right,", "Well,", "Okay, so", "I think", "But", "Um,", "Uh,"]
MARKERS = ["[crosstalk]", "[laughs]", "[inaudible]"]
SUBJECTS = ["Open Source Sustainability", "Energy Storage", "Compilers and Craft", "Local News",
            "Privacy by Design", "Ocean Carbon", "Teaching Statistics", "Error Correction",
            "Urban Transport", "Clinical Trials", "A First Novel", "Housing", "Satellites",
            "Documentary Film", "Database Internals", "Hardware Startups", "Rural Broadband"]
WEIGHTS = [1.0 / (r + 1) ** 0.9 for r in range(len(COMMON))] + [0.035] * len(TOPIC)
VOCAB = COMMON + TOPIC


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sentence(rng: random.Random) -> str:
    out: list[str] = [rng.choice(OPENERS)] if rng.random() < 0.35 else []
    for w in rng.choices(VOCAB, weights=WEIGHTS, k=rng.randint(6, 22)):
        r = rng.random()
        if r < 0.035:
            out.append(rng.choice(FILLERS))
        elif r < 0.05:
            out.extend([rng.choice(STUTTER)] * rng.choice((2, 2, 3)))
        out.append(w)
    if rng.random() < 0.02:
        out.insert(rng.randrange(len(out)), rng.choice(MARKERS))
    text = " ".join(out)
    return text[0].upper() + text[1:].rstrip(",") + rng.choice([".", ".", ".", "?", " --"])


def episode(i: int) -> tuple[str, str, dt.date, list[str], list[tuple[str, int, list[str]]]]:
    """(slug, title, date, speakers, turns as (speaker, seconds, paragraphs))."""
    rng = random.Random(f"gloss-bench:{i}")
    names: list[str] = []
    while len(names) < rng.choice((2, 2, 3)):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in names:
            names.append(name)
    title = f"Episode {i + 1}: {rng.choice(SUBJECTS)} with {names[1]}"
    turns: list[tuple[str, int, list[str]]] = []
    words, at, who = 0, 4, 0
    while words < rng.randint(9_500, 10_500):
        paras = [" ".join(sentence(rng) for _ in range(rng.randint(2, 7)))
                 for _ in range(rng.choice((1, 1, 2, 3)))]
        turns.append((names[who], at, paras))
        n = sum(len(p.split()) for p in paras)
        words += n
        at += int(n / 2.6) + rng.randint(1, 4)
        who = 0 if who else rng.randint(1, len(names) - 1)
    return (f"{i + 1:05d}-{slug(title)[:40]}", title, dt.date(2020, 1, 1) + dt.timedelta(days=i),
            names, turns)


def clock(seconds: int) -> str:
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def body(turns: list[tuple[str, int, list[str]]]) -> str:
    return "".join(f"**{who}** ({clock(at)})\n\n" + "".join(p + "\n\n" for p in paras)
                   for who, at, paras in turns)


def quote(rng: random.Random, paragraph: str) -> str:
    """Ten words copied from a paragraph, as an editor would select them."""
    words = paragraph.split()
    k = rng.randrange(max(1, len(words) - 10))
    return " ".join(words[k : k + 10]).replace('"', "")


def sidecar(i: int, title: str, date: dt.date, names: list[str],
            turns: list[tuple[str, int, list[str]]]) -> str:
    rng = random.Random(f"gloss-bench-sidecar:{i}")
    paras = [p for _, _, ps in turns for p in ps]
    picks = sorted(rng.sample(range(len(paras)), 5))
    q = [quote(rng, paras[k]) for k in picks]
    topics = rng.sample([slug(s) for s in SUBJECTS], 2)
    speakers = "".join(f'  "{n}": {slug(n)}\n' for n in names)
    return (f'title: "{title}"\ndate: {date.isoformat()}\nspeakers:\n{speakers}'
            f'chapters:\n  - at: "{q[1]}"\n    title: The middle part\n'
            f'topics:\n  - topic: {topics[0]}\n    from: "{q[1]}"\n    to: "{q[2]}"\n'
            f'  - topic: {topics[1]}\n    from: "{q[3]}"\n'
            f'notes:\n  - at: "{q[2]}"\n    text: "A note with a [link](https://example.org/)."\n'
            f'highlights:\n  - "{q[4]}"\n')


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


HUGO = {"hugo.toml": 'baseURL = "https://example.org/"\nlanguageCode = "en"\ntitle = "Transcripts"\n'
                     'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n',
        "layouts/_default/single.html": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main>"
        "</body></html>\n",
        "layouts/_default/list.html": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Transcripts</title></head><body><ul>{{ range .RegularPagesRecursive }}<li><a href="
        "\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n"}
ELEVENTY = {"_includes/layout.njk": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>{{ content | safe }}"
            "</main></body></html>\n",
            "index.njk": "---\nlayout: layout.njk\ntitle: Transcripts\n---\n<ul>{%- for post in "
            "collections.posts %}<li><a href=\"{{ post.url }}\">{{ post.data.title }}</a></li>"
            "{%- endfor %}</ul>\n",
            "posts/posts.json": '{"layout": "layout.njk", "tags": "posts"}\n'}


def generate(n: int, out: Path, fmt: str = "transcript", sidecars: bool = False) -> None:
    people: dict[str, str] = {}
    for i in range(n):
        name, title, date, names, turns = episode(i)
        text = body(turns)
        if fmt == "transcript":
            write(out / f"{name}.md", f"# {title}\n\n{text}")
            if sidecars:
                write(out / f"{name}.yaml", sidecar(i, title, date, names, turns))
                people.update({slug(n): n for n in names})
        else:
            front = f'---\ntitle: "{title}"\ndate: {date.isoformat()}\n---\n\n'
            write(out / ("content/posts" if fmt == "hugo" else "posts") / f"{name}.md", front + text)
    if fmt == "transcript" and sidecars:
        write(out / "people.yaml", "".join(f"{k}: {v}\n" for k, v in sorted(people.items())))
        write(out / "topics.yaml", "".join(f"{slug(s)}: {s}\n" for s in SUBJECTS))
    for rel, text in {"hugo": HUGO, "eleventy": ELEVENTY}.get(fmt, {}).items():
        write(out / rel, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=("transcript", "hugo", "eleventy"), default="transcript")
    parser.add_argument("--sidecars", action="store_true")
    args = parser.parse_args()
    generate(args.n, args.out, args.format, args.sidecars)


if __name__ == "__main__":
    main()

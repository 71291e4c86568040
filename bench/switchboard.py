#!/usr/bin/env python3
"""The cleaner against the Switchboard Dialog Act Corpus's disfluency markup.

Reads `swb1_dialogact_annot` (Switchboard DAMSL, 1997: 1,155 telephone
conversations) from the path given: the corpus may not be redistributed, so
nothing of it is kept in this repository. Each conversation's speech is
rebuilt as plain text, every word labelled with what the transcribers
marked it as, the text is cleaned with `gloss.disfluency`, and the words the
cleaner removes are compared with the labels.

What the text is. Each speaker's lines are read in order (a repair that
opens in one line may close in a later one of the same speaker, across the
other speaker's lines), and the markup is taken off: `{F uh, }` filler,
`{D you know, }` discourse marker, `{E I mean, }` editing term, `{C and }`
conjunction and `{A ...}` aside (these two are fluent), `[ reparandum +
repair ]` (nested; `[ when, + ]` abandoned), noises (`<laughter>`,
`<<long pause>>`), overlap marks `#`, `((` `))` around doubtful words,
`--` (speech going on across the other speaker's turn) and the slash-unit
marks `/` and `-/`. Words keep their case and the punctuation the
transcribers wrote (commas, full stops, question marks); `/` adds nothing,
since the transcribers already end most sentences with a full stop or a
question mark and end clause-like units with a comma, much as Whisper
does. Cut-off words keep their hyphen ("fam-"). With `--lowercase` the
same words are lowercased and every mark but an apostrophe inside a word
and a cut-off's hyphen is dropped, as in raw captions. One paragraph is
one turn: the lines of one speaker until the other speaks.

The labels: F (a filler: fillers the cleaner claims are uh, um and the like,
not "oh"), D, E, R (in a reparandum, at any depth), or fluent. A
reparandum is a *repeat* when its words, leaving out fillers, discourse
markers and editing terms inside it, are one to four words that the repair
starts with ("[ I, + I ]", "[ in the, + {F uh, } in the ]"); otherwise it
is a *restart*.

What is counted:
- precision: a removed word is right when the gold marks it F, D, E or R,
  or when an identical word within six words of it is marked and kept (the
  cleaner keeps the first copy of "I I" where the gold marks the first as
  the reparandum: the same words are left). Every other removal is listed.
- recall by kind: fillers (uh, um...), repeats, discourse markers, editing
  terms, restarts: the share of gold words of each kind the cleaner removed
  (or whose identical twin it removed instead). "Claimed repeats" are the
  repeats the `clean` level claims to remove: copies holding a function
  word, the repair starting with them at once (fillers aside, no discourse
  marker or editing term before them).
- exact turns: the cleaned words equal the words the `clean` level claims
  to remove taken away (fillers and repeats), and, for the later `edited`
  level, all of F, D, E and R taken away. Words are compared lowercased,
  without punctuation.
- every unmarked removal, with a hint: "stutter" (function words said
  twice in a row, fillers aside, with no sentence end between),
  "doubled marker" (a copy of a discourse marker or editing term),
  "filler" (uh or um the transcribers did not mark), or "READ" (nothing
  explains it, the words repeated hold a content word, or the copies stand
  on either side of a sentence end or of an utterance's end `/`, which
  lowercase text no longer shows). A person reads each: a stutter hint can
  still be a word doing two jobs.

With `--level edited` the `edited` level is scored (`gloss.disfluency.edited_of`):
a removed "oh" (marked F, not claimed by `clean`) counts as right too, and
precision is also given by the kind of edit that removed each word (filler,
repeat, discourse marker, restart), with each unmarked removal's kind.

Test conversations are numbers 4004 to 4153 (`sw_XXXX_NNNN.utt`); the
rules were tuned on conversations 2000 to 3999 only. The 24 conversations
without any disfluency markup (most of sw13utt, test conversation 4102
among them) are left out: their fillers and repeats are unmarked.

    .venv/bin/python bench/switchboard.py /tmp/swda-corpus/swb1_dialogact_annot \
        [--split test|tune|all] [--lowercase] [--level clean|edited] [--show N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gloss import disfluency  # noqa: E402
from gloss.disfluency.words import DISCOURSE, DISCOURSE_PHRASES, is_function  # noqa: E402

TEST = range(4004, 4154)
TUNE = range(2000, 4000)
LINE = re.compile(r"^(\S*)\s+@?([AB])\.(\d+)\s+utt\d+:\s?(.*)$")
NOISE = re.compile(r"<<[^>]*>>|<[^>]*>")
PIECE = re.compile(r"\{[FDECA]|\}|\[|\]|\+|-/|/|--|\(\(|\)\)|#|[^\s{}\[\]+#/]+(?:/(?!\S))?")
DISFLUENT = frozenset("FDER")
KINDS = ("fillers", "repeats", "claimed repeats", "discourse markers", "editing terms", "restarts",
         "other fillers")
KIND_OF = {"F": "fillers", "D": "discourse markers", "E": "editing terms", "f": "other fillers"}
MARKS = ".,?!;:\"()"
EDIT_KINDS = ("filler", "repeat", "discourse", "restart")
"""The kinds of edit that remove words (`gloss.disfluency.Edit.kind`)."""


@dataclass
class Word:
    text: str
    label: str = ""
    """F, D, E, R or "" (fluent)."""
    kind: str = ""
    """For R: "repeats" or "restarts"."""
    brace: str = ""
    """The innermost brace the word stands in (F, D, E, C, A), even inside a reparandum."""
    claimed: bool = False
    """In a repeat the `clean` level claims: copies with a function word,
    said again at once (fillers aside, no "you know" between)."""
    turn: int = 0
    """Which turn of the conversation the word is in."""
    ends: bool = False
    """The last word of an utterance (a line ending in "/"): a sentence end
    that lowercase text without punctuation no longer shows."""


@dataclass
class Frame:
    """An open `[ reparandum + repair ]`."""

    reparandum: list[Word] = field(default_factory=list)
    repair: list[Word] = field(default_factory=list)
    in_repair: bool = False


def norm(word: str) -> str:
    return word.lower().strip(MARKS).rstrip("-")


class Speaker:
    """What stays open across a speaker's lines: braces and repairs."""

    def __init__(self) -> None:
        self.braces: list[str] = []
        self.frames: list[Frame] = []
        self.turn = 0
        """The turn the words read next are in."""

    def words(self, text: str) -> list[Word]:
        out: list[Word] = []
        text = NOISE.sub(" ", text.split("*[[")[0])
        for piece in PIECE.findall(text):
            if piece.startswith("{"):
                self.braces.append(piece[1])
            elif piece == "}":
                if self.braces:
                    self.braces.pop()
            elif piece == "[":
                self.frames.append(Frame())
            elif piece == "+":
                if self.frames:
                    self.frames[-1].in_repair = True
            elif piece == "]":
                if self.frames:
                    self._close(self.frames.pop())
            elif piece in ("/", "-/", "--", "((", "))", "#"):
                continue
            elif not any(c.isalnum() for c in piece):
                if out and piece.strip("-"):
                    out[-1].text += piece  # a mark standing alone (" . ") goes with the word before
            else:
                word = Word(piece.rstrip("/"), turn=self.turn)
                brace = next((b for b in reversed(self.braces) if b in "FDECA"), "")
                word.brace = brace
                if brace in "FDE" and brace:
                    word.label = brace
                if any(not f.in_repair for f in self.frames):
                    word.label = word.label or "R"
                for f in self.frames:
                    (f.repair if f.in_repair else f.reparandum).append(word)
                out.append(word)
        return out

    def _close(self, frame: Frame) -> None:
        plain = [w for w in frame.reparandum if w.brace not in ("F", "D", "E")]
        start = [norm(w.text) for w in frame.repair if w.brace not in ("F", "D", "E")][: len(plain)]
        repeat = 1 <= len(plain) <= 4 and [norm(w.text) for w in plain] == start
        direct = [w for w in frame.repair if w.brace != "F"][: len(plain)]
        claimed = repeat and not any(w.brace in ("D", "E") or w.turn != plain[0].turn for w in direct) \
            and [norm(w.text) for w in direct] == [norm(w.text) for w in plain] \
            and any(is_function(norm(w.text)) for w in plain)
        for w in frame.reparandum:
            if w.label == "R" and not w.kind:
                w.kind = "repeats" if repeat else "restarts"
                w.claimed = claimed

    def end(self) -> None:
        for frame in reversed(self.frames):
            self._close(frame)
        self.frames, self.braces = [], []


def conversation(path: Path) -> list[list[Word]]:
    """The turns of one conversation, each a list of labelled words."""
    speakers = {"A": Speaker(), "B": Speaker()}
    turns: list[list[Word]] = []
    current = None
    body = False
    for line in path.read_text(encoding="latin-1").splitlines():
        if not body:
            body = line.startswith("=====")
            continue
        m = LINE.match(line)
        if not m:
            continue
        _, who, turn, text = m.groups()
        if current != (who, turn):
            turns.append([])
        speakers[who].turn = len(turns)
        words = speakers[who].words(text)
        if words and text.rstrip().endswith("/"):
            words[-1].ends = True
        current = (who, turn)
        turns[-1].extend(words)
    for s in speakers.values():
        s.end()
    for words in turns:
        for w in words:
            if w.label == "F" and norm(w.text) not in disfluency.FILLERS:
                w.label = "f"  # "oh", "huh": marked as fillers, not claimed by the cleaner
    return [t for t in turns if t]


def number(path: Path) -> int:
    m = re.search(r"_(\d+)\.utt$", path.name)
    return int(m.group(1)) if m else -1


def annotated(path: Path) -> bool:
    """Whether the conversation has disfluency markup: 24 (in sw13utt) have none."""
    text = path.read_text(encoding="latin-1")
    return "{F" in text or "[ " in text


def files(root: Path, split: str) -> list[Path]:
    out = sorted(p for p in root.glob("sw*utt/*.utt") if number(p) >= 0 and annotated(p))
    if split == "test":
        return [p for p in out if number(p) in TEST]
    if split == "tune":
        return [p for p in out if number(p) in TUNE]
    return out


def spoken(words: list[Word], lowercase: bool) -> list[str]:
    if not lowercase:
        return [w.text for w in words]
    out = []
    for w in words:
        t = w.text.lower().strip(MARKS + "'")
        t = "".join(c for c in t if c.isalnum() or c in "'-")
        out.append(t or w.text.lower())
    return out


@dataclass
class Totals:
    words: int = 0
    removed: int = 0
    right: int = 0
    turns: int = 0
    exact_clean: int = 0
    exact_edited: int = 0
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    hints: Counter[str] = field(default_factory=Counter)
    removed_by: Counter[str] = field(default_factory=Counter)
    """Removed words by the kind of edit that removed them..."""
    wrong_by: Counter[str] = field(default_factory=Counter)
    """...and those of them the markup does not explain."""
    unmarked: list[str] = field(default_factory=list)


def kind_of(w: Word) -> str:
    if w.label == "R":
        return w.kind
    return KIND_OF.get(w.label, "")


def score_turn(words: list[Word], texts: list[str], name: str, totals: Totals, level: str = "clean") -> None:
    text = " ".join(texts)
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    edits = disfluency.edited_of(text) if level == "edited" else disfluency.edits_of(text)
    disfluent = DISFLUENT | {"f"} if level == "edited" else DISFLUENT
    gone = bytearray(len(text))
    for e in edits:
        if not e.replacement.strip():
            gone[e.start : e.end] = bytes([EDIT_KINDS.index(e.kind) + 1]) * (e.end - e.start)
    removed = []
    by = []
    """The kind of edit that removed each word."""
    for k, t in enumerate(texts):
        core = [c for c in range(starts[k], starts[k] + len(t)) if text[c].isalnum()] or [starts[k]]
        removed.append(all(gone[c] for c in core))
        by.append(EDIT_KINDS[gone[core[-1]] - 1] if removed[-1] else "")
    keys = [norm(t) for t in texts]
    n = len(words)
    credited = [False] * n
    """Gold words whose removal (or whose twin's) is counted."""
    wrong = []
    for k in range(n):
        if not removed[k]:
            continue
        if words[k].label in disfluent:
            credited[k] = True
            continue
        twin = next((j for d in range(1, 7) for j in (k - d, k + d)
                     if 0 <= j < n and keys[j] == keys[k] and words[j].label in disfluent
                     and not removed[j] and not credited[j]), None)
        if twin is not None:
            credited[twin] = True
            continue
        wrong.append(k)
    totals.words += n
    totals.turns += 1
    totals.removed += sum(removed)
    totals.right += sum(removed) - len(wrong)
    totals.removed_by.update(b for b in by if b)
    totals.wrong_by.update(by[k] for k in wrong)
    for k, w in enumerate(words):
        kind = kind_of(w)
        if kind:
            totals.gold[kind] += 1
            totals.found[kind] += credited[k]
        if w.claimed and w.label == "R":
            totals.gold["claimed repeats"] += 1
            totals.found["claimed repeats"] += credited[k]
    kept = [keys[k] for k in range(n) if not removed[k] and keys[k]]
    claim = [keys[k] for k in range(n) if keys[k] and words[k].label != "F"
             and not (words[k].label == "R" and words[k].kind == "repeats")]
    fluent = [keys[k] for k in range(n) if keys[k] and words[k].label not in disfluent]
    totals.exact_clean += kept == claim
    totals.exact_edited += kept == fluent
    for k in wrong:
        hint = _hint(words, texts, keys, removed, k)
        totals.hints[hint] += 1
        lo, hi = max(0, k - 10), min(n, k + 8)
        shown = " ".join(f"[{texts[j]}]" if removed[j] else texts[j] for j in range(lo, hi))
        marked = " ".join(f"{words[j].label}:{texts[j]}" if words[j].label else texts[j]
                          for j in range(lo, hi))
        totals.unmarked.append(f"{hint:15} {name} word {k} ({by[k]}): …{shown}…\n{'':15} gold: …{marked}…")


def _hint(words: list[Word], texts: list[str], keys: list[str], removed: list[bool], k: int) -> str:
    """Why an unmarked removal may be harmless: a filler the transcribers left
    unmarked, or its twin beside it (fillers between left out)."""
    if keys[k] in disfluency.FILLERS:
        return "filler"
    near = [j for j in range(max(0, k - 12), min(len(keys), k + 13))
            if keys[j] not in disfluency.FILLERS and words[j].label != "F"]
    at = near.index(k)
    for size in range(1, 5):
        for lo in range(at - size + 1, at + 1):
            if lo < 0 or lo + size > len(near):
                continue
            block = near[lo : lo + size]
            for o in (lo - size, lo + size):
                if o < 0 or o + size > len(near):
                    continue
                other = near[o : o + size]
                if [keys[j] for j in block] != [keys[j] for j in other]:
                    continue
                if len(block) > 1 and _marker([keys[j] for j in block]):
                    return "doubled marker"  # "of course, of course": a marker either way
                first = min(block[0], other[0])
                if any(w.text.rstrip("'\"").endswith((".", "?", "!")) or w.ends
                       for w in words[first : max(block[-1], other[-1])]):
                    continue  # across a sentence end, shown or not: read it
                if any(words[j].label in ("D", "E") for j in other) or _marker([keys[j] for j in block]):
                    return "doubled marker"
                if all(is_function(keys[j]) for j in block):
                    return "stutter"
    return "READ"


def _marker(block: list[str]) -> bool:
    """Words that make a discourse marker ("of course", "you know", "well")."""
    return tuple(block) in DISCOURSE_PHRASES or (len(block) == 1 and block[0] in DISCOURSE)


def run(root: Path, split: str, lowercase: bool, level: str = "clean") -> tuple[Totals, float, int]:
    totals = Totals()
    paths = files(root, split)
    started = time.process_time()
    for path in paths:
        for i, words in enumerate(conversation(path)):
            score_turn(words, spoken(words, lowercase), f"{number(path)}#{i}", totals, level)
    return totals, time.process_time() - started, len(paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the swb1_dialogact_annot directory")
    parser.add_argument("--split", choices=("test", "tune", "all"), default="test")
    parser.add_argument("--lowercase", action="store_true", help="lowercase, no punctuation")
    parser.add_argument("--level", choices=("clean", "edited"), default="clean",
                        help="the cleaning level scored (edited: also discourse markers and restarts)")
    parser.add_argument("--show", type=int, default=-1, help="unmarked removals to list (default all)")
    args = parser.parse_args(argv)
    totals, took, count = run(args.corpus, args.split, args.lowercase, args.level)
    style = "lowercase, no punctuation" if args.lowercase else "cased, punctuated"
    t = totals
    print(f"Switchboard {args.split}, level {args.level}: {count} conversations, {t.turns} turns, "
          f"{t.words} words ({style}); {took:.1f} s CPU")
    precision = t.right / t.removed if t.removed else 1.0
    print(f"  precision  {precision:.4f}  ({t.right} of {t.removed} removals marked disfluent; "
          f"{t.removed - t.right} unmarked)")
    for kind in EDIT_KINDS:
        if t.removed_by[kind]:
            r = t.removed_by[kind]
            print(f"  precision of {kind} removals {(r - t.wrong_by[kind]) / r:.4f}  "
                  f"({r - t.wrong_by[kind]} of {r})")
    for kind in KINDS:
        g = t.gold[kind]
        print(f"  recall {kind:18} {t.found[kind] / g if g else 1:.3f}  ({t.found[kind]} of {g})")
    for what, exact in (("clean (fillers, repeats)  ", t.exact_clean),
                        ("edited (all of F, D, E, R)", t.exact_edited)):
        print(f"  exact turns, {what} {exact / t.turns:.3f}  ({exact} of {t.turns})")
    print("  unmarked removals by hint: " + ", ".join(f"{h} {c}" for h, c in sorted(t.hints.items())))
    shown = t.unmarked if args.show < 0 else t.unmarked[: args.show]
    for line in shown:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Who says each turn, and where turns really begin and end.

First the sidecar's structural fixes are applied to the parsed transcript: a
turn fix splits a turn at a quote (or sets who says a turn that starts there),
or joins a false turn change into the turn before; a cut marks the passage
between two quotes as not shown. Then every turn gets a speaker: a person set
by a fix, a person the label maps to, or for `>>` turns the next person in the
alternation after whoever spoke before (so fixing one turn fixes the ones after).
With no annotations: `SPEAKER_3` reads "Speaker 3", `>>` turns alternate
"Speaker 1" and "Speaker 2", speech before the first mark is "Unattributed".
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from . import anchor
from .disfluency import FILLERS
from .errors import AnnotationError, SiteError
from .model import Meta, Paragraph, Person, Speaker, Transcript, Turn

UNATTRIBUTED = Speaker("unattributed", "Unattributed")


def label_name(label: str) -> str:
    """`SPEAKER_3` -> `Speaker 3`; real names are kept as written."""
    m = re.fullmatch(r"(?i)speaker[ _-]?(\d+)", label)
    return f"Speaker {int(m[1])}" if m else label


def label_key(label: str) -> str:
    """One key per distinct label as written (张伟 and Борис, Bob and BOB stay apart)."""
    return "label:" + label


def person_speaker(person: Person) -> Speaker:
    return Speaker("person-" + person.id, person.name, person.role, person=person.id)


def _person(people: dict[str, Person], pid: str) -> Speaker:
    """The speaker for a person id; an id people.yaml could not define (its own
    error is reported) still gives a speaker, so the rest can be checked."""
    return person_speaker(people.get(pid) or Person(pid, pid))


# Structure: splits, joins and cuts, on verbatim text before cleaning.


def _has_words(text: str) -> bool:
    """Any word that counts: fillers alone ("uh") do not make a turn start later."""
    return any(w.lower() not in FILLERS for w in anchor.WORD.findall(text))


def cut_paragraph(para: Paragraph, offset: int) -> tuple[Paragraph, Paragraph]:
    """Cut a paragraph in two at a character offset of its verbatim text."""
    return para.piece(0, offset), para.piece(offset, len(para.verbatim))


def split_at(turn: Turn, para: int, offset: int) -> int:
    """Make a paragraph boundary at `offset` of paragraph `para`; return the index
    of the paragraph that now starts there (== len(paragraphs) at the very end)."""
    text = turn.paragraphs[para].verbatim
    if not _has_words(text[:offset]):
        return para
    if not _has_words(text[offset:]):
        return para + 1
    turn.paragraphs[para : para + 1] = cut_paragraph(turn.paragraphs[para], offset)
    return para + 1


def _with_opening(text: str, start: int) -> int:
    """Move a split back over an opening quote or bracket that belongs to the new
    turn, and over copies of its first word said just before it: in "the
    future. I I think", a turn fix at "I think" starts at the first "I", the
    new speaker's stutter, not the last word of the turn before."""
    while start > 0 and text[start - 1] in "\"“‘'([":
        start -= 1
    first = WORD.match(text, start)
    while first:
        before = STUTTER_BEFORE.search(text, 0, start)
        if not before or before.group(1).lower() != first.group().lower():
            break
        start = before.start()
    return start


WORD = re.compile(r"\w[\w'’]*")
"""A word as a turn's edges are compared: letters, digits, apostrophes."""
STUTTER_BEFORE = re.compile(rf"(?<![\w'’])({WORD.pattern})[ \t,—–-]*$")
"""The word just before a point, with only spaces, commas or dashes between."""


DANGLING = re.compile(rf"[.?!…][\"”’)]*\s+({WORD.pattern})\s*$")
"""A turn's last word standing alone after its last sentence."""


def _dangling_stutters(turns: list[Turn]) -> None:
    """Captions cut mid-stutter ("...in the future. I" / ">> I think there is"):
    a word left alone after a turn's last sentence, said again first thing in
    the next turn, is the next speaker's, so it moves there. Only where the
    source marks a change of speaker without naming anyone (`>>`), which a
    captioner places by ear: a source that names each speaker (a diarized
    `SPEAKER_00:` and `SPEAKER_01:` both saying "and") is taken at its word."""
    for turn, nxt in pairwise(turns):
        if not turn.paragraphs or not nxt.paragraphs or nxt.label != ">>":
            continue
        last = len(turn.paragraphs) - 1
        found = DANGLING.search(turn.paragraphs[last].verbatim)
        first = WORD.search(nxt.paragraphs[0].verbatim)
        if not found or not first or found.group(1).lower() != first.group().lower() \
                or not _has_words(turn.paragraphs[last].verbatim[: found.start()]):
            continue  # not the same word, or no sentence before it: the turn's own
        moved = turn.paragraphs.pop(split_at(turn, last, found.start(1)))
        nxt.paragraphs[0] = replace(Paragraph.joined(moved, nxt.paragraphs[0]), start=nxt.paragraphs[0].start)


def apply_fixes(transcript: Transcript, meta: Meta) -> tuple[Transcript, list[SiteError]]:
    """Apply turn fixes, then cuts; return every anchoring error with the result
    of the fixes that did anchor."""
    turns = [replace(t, paragraphs=list(t.paragraphs)) for t in transcript.turns]
    transcript = replace(transcript, turns=turns)
    errors: list[SiteError] = []
    _dangling_stutters(turns)
    if not (meta.turns or meta.cuts):
        return transcript, errors
    index = anchor.Index(transcript) if meta.turns else None
    located = []
    for fix in meta.turns:
        assert index is not None
        try:
            located.append((anchor.find(index, fix.at)[0], fix))
        except SiteError as err:
            errors.append(err)
    located.sort(key=lambda item: item[0].key, reverse=True)
    for (loc, fix), (after, _) in zip(located, [(None, None), *located], strict=False):
        if after is not None and after.key == loc.key:
            errors.append(AnnotationError(fix.at.pos, "two turn fixes start at the same words",
                                          "keep one of them", fix.at.source_line))
            continue
        turn = turns[loc.turn]
        at_turn_start = loc.para == 0 and not _has_words(turn.paragraphs[0].verbatim[: loc.start])
        if fix.join:
            if not at_turn_start:
                errors.append(AnnotationError(
                    fix.at.pos, "`join: true` must quote the first words of a turn",
                    f"this quote is inside the turn at transcript line {turn.pos.line}",
                    fix.at.source_line))
                continue
            if loc.turn == 0:
                errors.append(AnnotationError(fix.at.pos, "the first turn has no turn before it to "
                                              "join", source_line=fix.at.source_line))
                continue
            before = turns[loc.turn - 1]
            last = before.paragraphs[-1]
            first, *rest = turn.paragraphs
            before.paragraphs[-1:] = [Paragraph.joined(last, first), *rest]
            del turns[loc.turn]
            continue
        if at_turn_start:
            turn.person = fix.speaker
            continue
        cut = split_at(turn, loc.para, _with_opening(turn.paragraphs[loc.para].verbatim, loc.start))
        new = Turn(turn.label, turn.paragraphs[cut].pos, turn.paragraphs[cut:],
                   start=turn.paragraphs[cut].start, person=fix.speaker)
        del turn.paragraphs[cut:]
        turns.insert(loc.turn + 1, new)
    errors += _cuts(transcript, meta)
    return transcript, errors


def _cuts(transcript: Transcript, meta: Meta) -> list[SiteError]:
    """Mark cut passages (whole paragraphs after splitting at the quotes)."""
    errors: list[SiteError] = []
    if not meta.cuts:
        return errors
    index = anchor.Index(transcript)
    spans = []
    for cut in meta.cuts:
        try:
            start = anchor.find(index, cut.start)[0]
            end = anchor.find(index, cut.end)[1] if cut.end else None
        except SiteError as err:
            errors.append(err)
            continue
        if end and cut.end and end.key < start.key:
            errors.append(AnnotationError(cut.end.pos, "a cut's `to` comes before its `from`",
                                          source_line=cut.end.source_line))
            continue
        spans.append((start, end, cut))
    spans.sort(key=lambda s: s[0].key, reverse=True)
    limit: tuple[int, int, int] | None = None
    for start, end, cut in spans:
        here = start.key
        stop = (end.turn, end.para, end.end) if end else (1 << 30, 0, 0)
        if limit is not None and stop >= limit:
            errors.append(AnnotationError(cut.start.pos, "this cut overlaps the next one",
                                          source_line=cut.start.source_line))
            continue
        limit = here
        turns = transcript.turns
        if end is None:
            last_turn, last_para = len(turns) - 1, len(turns[-1].paragraphs)
        else:
            text = turns[end.turn].paragraphs[end.para].verbatim
            last_turn = end.turn
            last_para = split_at(turns[end.turn], end.para, anchor.word_end(text, end.end))
        first_para = split_at(turns[start.turn], start.para, start.start)
        if start.turn == last_turn and start.para != first_para:
            last_para += 1  # the split at the start moved the end one paragraph on
        for _, _, para in anchor.between(transcript, (start.turn, first_para),
                                         (last_turn, last_para - 1)):
            para.cut = cut.reason or "cut"
    return errors


# Speakers.


def _cycle(meta: Meta, people: dict[str, Person], labels: set[str]) -> list[Speaker]:
    """Who `>>` turns alternate between: the sidecar's people, or two numbered
    speakers whose names no label of the transcript already shows."""
    mapped = meta.speakers.get(">>")
    if isinstance(mapped, tuple) and mapped:
        return [_person(people, pid) for pid in mapped]
    if isinstance(mapped, str):
        return [_person(people, mapped)]
    taken = {label_name(label) for label in labels}
    numbers = [n for n in range(1, len(taken) + 3) if f"Speaker {n}" not in taken][:2]
    return [Speaker(f"speaker-{n}", f"Speaker {n}") for n in numbers]


def attribute(
    transcript: Transcript, meta: Meta, people: dict[str, Person]
) -> tuple[Transcript, list[Speaker]]:
    """Set every turn's speaker; return the speakers in order of first appearance,
    each with its palette colour."""
    cycle = _cycle(meta, people, {t.label for t in transcript.turns if t.label not in ("", ">>")})
    seen: dict[str, Speaker] = {}
    turns: list[Turn] = []
    previous: Speaker | None = None
    for turn in transcript.turns:
        mapped = meta.speakers.get(turn.label)
        if turn.person:
            speaker = _person(people, turn.person)
        elif turn.label == ">>":
            keys = [s.key for s in cycle]
            after = keys.index(previous.key) + 1 if previous and previous.key in keys else 0
            speaker = cycle[after % len(cycle)]
        elif isinstance(mapped, str):
            speaker = _person(people, mapped)
        elif turn.label == "":
            speaker = UNATTRIBUTED
        else:
            speaker = Speaker(label_key(turn.label), label_name(turn.label))
        seen.setdefault(speaker.key, speaker)
        turns.append(replace(turn, speaker=speaker.key))
        previous = speaker
    return replace(transcript, turns=turns), colour(list(seen.values()), list(people))


PALETTE = 8
"""How many speaker colours the theme defines (`.c0` to `.c7`)."""


def colour(speakers: list[Speaker], people: list[str]) -> list[Speaker]:
    """Each person keeps one colour across the whole site (by their place in
    people.yaml, so a page's colours need no other page), unless someone who
    speaks before them on the page has it already (a site of more people than
    colours): then they take a colour no one on the page wants, since two
    voices of one colour on a page read as one. Bare labels take the colours
    left, in order of appearance."""
    wanted = {s.person: people.index(s.person) % PALETTE for s in speakers if s.person in people}
    used: set[int] = set()
    out: list[Speaker] = []
    for s in speakers:
        if s.person in wanted:
            c = wanted[s.person]
            if c in used:
                c = _free(used, set(wanted.values()), len(out))
            out.append(replace(s, color=c))
            used.add(c)
        else:
            out.append(s)
    for k, s in enumerate(out):
        if s.person not in wanted:
            c = _free(used, set(wanted.values()), k)
            out[k] = replace(s, color=c)
            used.add(c)
    return out


def _free(used: set[int], wanted: set[int], k: int) -> int:
    """A colour no one on the page has, nor wants if it can be helped; past
    eight voices, the k-th speaker's place in the palette."""
    for avoid in (used | wanted, used):
        free = [c for c in range(PALETTE) if c not in avoid]
        if free:
            return free[0]
    return k % PALETTE

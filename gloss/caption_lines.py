"""Caption lines: a caption's text filled into lines of 42 characters, and a
long stretch of one speaker's text cut into captions of two lines
(`chunks`), by the rules broadcasters use. No line after the first reads as
a speaker mark, a timing or punctuation alone (`no_false_starts`). Which text
goes in which caption, and when, is captioning.py's; the files, exports.py's.

Lines are found over the text's characters (`line_end`: one `str.rfind` a
line), never word by word: an hour's transcript is wrapped thousands of times.
"""

from __future__ import annotations

import re

from .formats import srt as subrip
from .formats.common import CLOSING, OPENERS, speaker_prefix

LINE = 42
"""Characters a caption line holds (the common subtitling limit)."""
LINES = 2
"""Lines a caption shows, where the source's cues are short enough to allow it."""
OTHER_SPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
"""Every character but the space that `str.split()` splits at (`str.isspace`)."""
ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""`OTHER_SPACE`'s characters below 128."""


def has_any(text: str, chars: str) -> bool:
    """Whether `text` holds any of `chars`: a `str.__contains__` (memchr) a
    character, over a long text many times faster than a regular
    expression's character class, which looks at a character at a time."""
    return any(map(text.__contains__, chars))


def other_space(text: str) -> bool:
    """Whether `text` holds whitespace other than the space."""
    return has_any(text, ASCII_SPACE) if text.isascii() else bool(OTHER_SPACE.search(text))


def single_spaced(text: str) -> bool:
    """Whether `text` is as `squash` leaves it: no whitespace but single spaces
    between words."""
    return not ("  " in text or text[:1] == " " or text[-1:] == " " or other_space(text))


def squash(text: str) -> str:
    """`formats.common.squash`: whitespace runs collapsed to one space; a text
    that is single-spaced already (most are) is told so by a few scans,
    without splitting it into words and joining them again."""
    return text if single_spaced(text) else " ".join(text.split())


def wrap(text: str, width: int = LINE, indent: int = 0) -> list[str]:
    """Lines of at most `width` characters, broken between words (a longer word
    has a line of its own). `indent` characters of the first line are taken by
    an SRT speaker label, which can push a caption to a third line there (the
    captions are the same in every format, and WebVTT names the speaker in a tag).
    No line after the first starts like a speaker mark (`Name: `, `- `, `>> `),
    which caption readers take for a new speaker, reads as a cue timing, or
    opens with punctuation alone (which readers join to the word before), and
    the last is not a bare number, which SRT readers take for the next cue's:
    such a line's first word moves up to the line before."""
    text = " ".join(text.split())
    if not text:
        return []
    return no_false_starts(fill(text, 0, len(text), width - indent, width))


def fill(text: str, pos: int, stop: int, first: int = LINE, width: int = LINE) -> list[str]:
    """Single-spaced text[pos:stop] (a word at each end) filled greedily into
    lines of `width` characters, the first of `first` (a width under one is
    one): as much as fits, ending before a space; or one word that fits no
    line. Found with `str.rfind`, not word by word: a long transcript's
    captions are wrapped many times over."""
    end = line_end(text, pos, stop, first)
    lines = [text[pos:end]]
    while end < stop:
        pos = end + 1
        end = line_end(text, pos, stop, width)
        lines.append(text[pos:end])
    return lines


def line_end(text: str, pos: int, stop: int, width: int) -> int:
    """Where a line of at most `width` characters from `pos` ends: at `stop`
    where the rest fits, else at the last space that lets it, else (one word
    longer than a line) after that word."""
    if stop - pos <= width:
        return stop
    space = text.rfind(" ", pos + 1, pos + max(width, 1) + 1)
    if space > 0:
        return space
    space = text.find(" ", pos, stop)
    return stop if space < 0 else space


def no_false_starts(lines: list[str]) -> list[str]:
    """`lines` with the first word of each line after the first that reads as a
    speaker mark, and of a last line that is a bare number, moved up a line.
    The line a word moves onto is looked at again (unless it is the first):
    `Ann` + `Lee: so` makes `Ann Lee:`, and `-` + a last `1` makes `- 1`, each
    a speaker's mark. Every move takes a word off the lines after the first,
    so this ends, after one look per line and at most two per word moved."""
    k = 1
    while k < len(lines):
        line = lines[k]
        if line[:1] not in RISKY_FIRST and ":" not in line:
            k += 1  # most lines: nothing a reader could take for a mark
            continue
        risky = reads_as_speaker(line) or reads_as_timing(line) or \
            (k == len(lines) - 1 and line.isdigit()) or \
            (line[:1] in CLOSING_FIRST and bool(CLOSING.fullmatch(line.split(" ", 1)[0])))
        if not risky:
            k += 1
            continue
        head, _, rest = lines[k].partition(" ")
        lines[k - 1] += " " + head
        if rest:
            lines[k] = rest
        else:
            del lines[k]
        k = max(1, k - 1)  # the line before has a new end: it may read as a mark now
    return lines


CLOSING_FIRST = frozenset(".,;:!?…)]}”’»%")
"""The first characters `CLOSING` can match: most lines start with none of them."""
RISKY_FIRST = CLOSING_FIRST | frozenset(">-[<{0123456789")
"""First characters of a line that might read as a mark, a timing, a number or
punctuation alone (a line with a `:` in it is looked at too)."""


def reads_as_timing(line: str) -> bool:
    """Whether a caption reader would take this line for a cue's timing (speech
    that says `00:09:00,000 --> 00:09:05,000` must not start a cue of its own)."""
    return "-->" in line and line.lstrip()[:1].isdigit()


def reads_as_speaker(line: str) -> bool:
    """Whether a caption reader could take the start of this line for a speaker:
    `>> `, `- `, `[Name]: `, or `Name: ` of any shape but a word that opens
    sentences (`So: `): in a file whose cues are labelled, gloss takes any such
    label (`common.count_labels`)."""
    if line[:1] not in ">-[<{" and ":" not in line:
        return False  # most lines: no mark and no colon
    named, _, bare = speaker_prefix(subrip.TAG.sub("", line))  # as SubRip readers see it, tags gone
    return named is not None and (not bare or named.lower() not in OPENERS)


def chunks(text: str, room: int) -> tuple[list[str], list[list[str]]]:
    """Single-spaced `text` (as `squash` leaves it) in pieces of at most two
    caption lines (the first `room` shorter). Each piece ends at the last
    sentence end that leaves it a third full, else the last clause end (a
    comma, a dash, a semicolon) that leaves it half full, else after the last
    word that fits (or halfway through what is left, when that would leave a
    few words alone). Found over the text's characters (`line_end`, and a
    search for the last break backwards): a turn of an hour's transcript is
    cut without a step per word. Each piece comes with its lines (wrapped
    without `room`): the pieces, and the lines of each."""
    out: list[str] = []
    filled: list[list[str]] = []
    pos, size = 0, len(text)
    backwards = ""
    width = LINE - room  # the first line's, then a full one
    # `line_end` is written out here: this runs once a caption.
    while pos < size:
        first = size if size - pos <= width else text.rfind(" ", pos + 1, pos + max(width, 1) + 1)
        if first < 0:
            first = line_end(text, pos, size, width)  # a word longer than a line
        end = first
        if end < size:
            end = size if size - first - 1 <= LINE else text.rfind(" ", first + 2, first + LINE + 2)
            if end < 0:
                end = line_end(text, first + 1, size, LINE)
            if end < size:
                # The last sentence end a third in, else the last clause end
                # halfway: the first found searching the text backwards from `end`.
                backwards = backwards or text[::-1]
                found = SENTENCE_BACK.search(backwards, size - end - 1, size - pos - (end - pos) // 3) \
                    or CLAUSE_BACK.search(backwards, size - end - 1, size - pos - (end - pos) // 2)
                if found:
                    cut = size - found.start() - 1
                elif size - end < (end - pos) // 2:
                    # Little would be left for the last piece: share the rest
                    # evenly between two rather than leave three words alone.
                    cut = text.rfind(" ", pos + 1, pos + (size - pos) // 2 + 1)
                else:
                    cut = 0
                if cut > pos:
                    end = cut
        chunk = text[pos:end]
        # Its lines as `wrap` fills them: the first ends where a full line
        # from `pos` does (the one found, unless the first was narrower), or
        # the piece ends before it.
        if width != LINE:
            first = end if end - pos <= LINE else text.rfind(" ", pos + 1, pos + LINE + 1)
            width = LINE
        if end <= first:
            lines = [chunk]
        elif first > 0 and end - first - 1 <= LINE:
            second = text[first + 1 : end]
            lines = [text[pos:first], second]
            if second[:1] in RISKY_FIRST or ":" in second:
                lines = no_false_starts(lines)  # (the test it starts with, made first)
        else:
            lines = no_false_starts(fill(text, pos, end))
        # The piece ends at a word's end no later than the two lines found, so
        # it fills two lines at most, with the label's room or without (lines
        # filled greedily from the same start end no earlier, however wide the
        # first), and moving words up never adds a line: no piece is
        # shortened to fit (as an earlier version checked for).
        assert len(lines) <= LINES
        out.append(chunk)
        filled.append(lines)
        pos = end + 1
    return out, filled


SENTENCE_BACK = re.compile(r" [\"”’)]*[.!?…]")
CLAUSE_BACK = re.compile(r" [,;:—–-]")
"""A sentence's end (its punctuation, and closing quotes or brackets:
`[.!?…][\"”’)]*(?= |$)` forwards) and a clause's (a comma, colon,
semicolon or dash: `[,;:—–-](?= |$)`), written for the text reversed, with
the space after them: the last break within text[lo:hi] (`hi` followed by a
space) is the first match in the reversed text from that space on, ending by
`lo`. No break can be inside another (its punctuation is none of the closing
marks), so the first found backwards is the last `re.finditer` finds
forwards."""

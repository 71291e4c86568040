"""Transcripts that name each speaker in bold, as vendors deliver them and as
podcasts publish them in Markdown:

    **Jacob Effron** (0:00)              a vendor's header; speech on the lines below
    **Jerod Santo:** Chris, welcome.     the Changelog and Go Time
    **Emma** [0:00] Welcome to...        the time after the name
    **Ali**  0:00                        Otter, in bold; speech on the lines below
    **Michaela:** [00:00:00] Hello,      Descript, hard-wrapped
    [00:00:00] **Michaela:** Hello,      Descript, the time first
    **[00:00] SPEAKER_00:** Hi.          AssemblyAI

Speech runs from the name to the next speaker. Where the file separates
paragraphs with blank lines (Markdown), the lines between two blank lines are
one paragraph, however the file wraps them; where it has no blank lines (a
vendor's export), each line is a paragraph.

A bold name starts a turn only if it looks like one: it has a time, or its
name recurs, or it looks like a name and has a colon or the file's names carry
no times; so `**Applause**` among timed headers stays text. Speech on the name's own
line needs a colon or a time between them: `**Python** is great` is prose. A
name with no speech after it is a separator (`**Break:** [30:07]`) and starts
no turn. A time in the speech (`[34:04] But...`) starts a paragraph with that
time. In a Markdown file, backslash escapes are read as Markdown reads them
(`\\[laughs\\]` is `[laughs]`).
"""

from __future__ import annotations

import re

from ..errors import SiteError, SourcePos, note
from ..model import Transcript, Turn
from .common import TIME, add_lines, finish, first_line, name_like, seconds

OPEN, CLOSE = r"\\?[\[(]", r"\\?[\])]"
"""A time's brackets, escaped or not: the Changelog writes `\\[04:33\\]`."""
HEADER = re.compile(
    rf"^\s*(?:{OPEN}(?P<t1>{TIME}){CLOSE}\s*)?"
    rf"\*\*\s*(?:{OPEN}(?P<t2>{TIME}){CLOSE}\s*)?"
    rf"(?P<name>(?:\\.|[^*\s\\])(?:(?:\\.|[^*\n\\]){{0,78}}?(?:\\.|[^*\s:\\]))?)"
    rf"\s*(?:{OPEN}(?P<t3>{TIME}){CLOSE})?\s*(?P<c1>:)?\s*\*\*"
    rf"\s*(?P<c2>:)?\s*(?:{OPEN}(?P<t4>{TIME}){CLOSE}|(?P<t5>{TIME})(?=\s*$))?\s*(?P<c3>:)?(?=\s|$)"
    rf"(?P<rest>.*)$"
)
"""A bold speaker name with its time before, inside or after the bold, and the
speech that follows on the same line (`rest`), if any."""
MARK = re.compile(rf"(?:^|(?<=\s)){OPEN}(?P<time>{TIME}){CLOSE}(?:\s+|$)")
"""A time in the speech (`\\[34:04\\] But the burnout`): a new paragraph starts
there, with that time."""
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape: `\\[laughs\\]` reads `[laughs]`."""


def stamp(m: re.Match[str]) -> str | None:
    return m["t1"] or m["t2"] or m["t3"] or m["t4"] or m["t5"]


def sniff(text: str) -> bool:
    """The file opens with something bold in a speaker's place, and some bold
    name in it starts a turn."""
    if not HEADER.match(first_line(text)):
        return False
    lines = text.splitlines()
    headers = _headers(lines)
    return any(_speaks(lines, headers, i, m) for i, m in headers.items())


def _headers(lines: list[str]) -> dict[int, re.Match[str]]:
    """The lines that start turns, by index; those with no speech after them
    (`**Break:** [30:07]`, a separator) too, with `silent`.

    In a file whose headers carry times, a name alone in bold with no time
    (`**Ben Ross**`) starts a turn when speech follows it: read as text, Ben's
    words would be printed under the speaker before him. Followed by another
    header (`**Applause**`), it stays text."""
    found = {i: m for i, line in enumerate(lines) if "**" in line and (m := HEADER.match(line))}
    timed = any(stamp(m) for m in found.values())
    counts: dict[str, int] = {}
    for m in found.values():
        counts[m["name"]] = counts.get(m["name"], 0) + 1
    chosen = {i: m for i, m in found.items()
              if (stamp(m) or counts[m["name"]] > 1
                  or (name_like(m["name"]) and (not timed or m["c1"] or m["c2"] or m["c3"])))
              and (stamp(m) or m["c1"] or m["c2"] or m["c3"] or not m["rest"].strip())}
    if not timed:
        return chosen
    alone = {i: m for i, m in found.items()
             if i not in chosen and name_like(m["name"]) and not m["rest"].strip()}
    every = chosen | alone
    chosen.update((i, m) for i, m in alone.items() if _speaks(lines, every, i, m))
    return chosen


def untimed(headers: dict[int, re.Match[str]], quiet: set[int]) -> list[int]:
    """The headers with no time, with speech, in a file whose others have times:
    read as turns, with a note, since a bold heading there would read the same."""
    if not any(stamp(m) for m in headers.values()):
        return []
    return [i for i, m in headers.items()
            if i not in quiet and not stamp(m) and not (m["c1"] or m["c2"] or m["c3"])]


def _unescape(text: str, markdown: bool) -> str:
    return ESCAPE.sub(r"\1", text) if markdown and "\\" in text else text


def silent(lines: list[str], headers: dict[int, re.Match[str]]) -> set[int]:
    """Headers with no speech: none on their line, and another header (or the
    end) next: separators like the Changelog's `**Break:** \\[30:07\\]`, where
    nobody speaks. They start no turn and hold no words."""
    return {i for i, m in headers.items() if not _speaks(lines, headers, i, m)}


def _speaks(lines: list[str], headers: dict[int, re.Match[str]], i: int, m: re.Match[str]) -> bool:
    """Whether the header at line `i` has speech: on its line, or on the next
    non-blank line when that is not another header."""
    if m["rest"].strip():
        return True
    after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    return after is not None and after not in headers


def parse(path: str, text: str) -> Transcript:
    lines = text.splitlines()
    headers = _headers(lines)
    quiet = silent(lines, headers)
    markdown = path.lower().endswith((".md", ".markdown"))
    wrapped = any(not line.strip() for line in lines[min(headers, default=0):])
    turns: list[Turn] = [Turn("", SourcePos(path, 1, 1))]
    pending: list[tuple[str, int, int]] = []
    start: float | None = None

    def flush() -> None:
        """The pending lines as one paragraph, with the time it starts at, if any."""
        nonlocal start
        if pending:
            add_lines(turns[-1], pending, path)
            if start is not None and turns[-1].paragraphs:
                turns[-1].paragraphs[-1].start = start
            pending.clear()
        start = None

    for i, line in enumerate(lines):
        n, col = i + 1, 1
        header = headers.get(i)
        if header and i in quiet:
            flush()  # a separator (`**Break:** [30:07]`): nobody speaks there
            continue
        if header:
            flush()
            time = stamp(header)
            turns.append(Turn(_unescape(header["name"], markdown),
                              SourcePos(path, n, header.start("name") + 1),
                              start=seconds(time) if time else None))
            line, col = header["rest"], header.start("rest") + 1
        if not line.strip():
            flush()
            continue
        while ("[" in line or "(" in line) and (mark := MARK.search(line)):
            if line[: mark.start()].strip():
                pending.append((_unescape(line[: mark.start()], markdown), n, col))
            flush()
            start = seconds(mark["time"])
            line, col = line[mark.end():], col + mark.end()
        if line.strip():
            pending.append((_unescape(line, markdown), n, col))
        if not wrapped:
            flush()
    flush()
    return Transcript(path, "speaker-md", finish(turns), problems=_untimed_note(path, headers, quiet))


def _untimed_note(path: str, headers: dict[int, re.Match[str]], quiet: set[int]) -> list[SiteError]:
    """One note for the file's headers without a time among timed ones: a bold
    heading in that place would be read as a speaker too, so the editor should know."""
    found = untimed(headers, quiet)
    if not found:
        return []
    first = headers[found[0]]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return [note(SourcePos(path, found[0] + 1, first.start("name") + 1),
                 f"read `**{first['name']}**`{more} as a speaker with no time, "
                 "among headers that have times",
                 "if it is a heading and not a speaker, write it without the bold")]

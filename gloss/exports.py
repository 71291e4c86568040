"""Downloads of a transcript: what readers see on the page, in the formats podcast
apps, caption tools and editors read.

One edited source: every export is made from the page's paragraphs as cleaning,
corrections and attribution left them (`Paragraph.text`), each word under the
name of who says it, cut passages left out. A transcript built with
`clean: {level: verbatim}` therefore exports its verbatim words.

The captions (which text, which times) are made in captioning.py; here each
format writes them. A transcript with no times at all, or too few to place
captions, gets no WebVTT or SRT (nothing could be placed), and the page says
so; it gets the Podcasting 2.0 HTML transcript instead, the form the
namespace gives for a transcript with "no or limited timecode data".
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import chain, repeat

from .caption_lines import has_any, reads_as_speaker, reads_as_timing
from .captioning import (
    Caption,
    Piece,
    Shown,
    captions,
    pieces,
    shown,
    timed,
    wrap,
)
from .formats import colon
from .formats import srt as subrip
from .formats.common import name_like, speaker_prefix, squash
from .model import Page


@dataclass(frozen=True, slots=True)
class Download:
    """One export as the page links it."""

    href: str
    """The file, relative to the page."""
    ext: str
    label: str
    type: str
    """Its MIME type, for the link's `type` and a feed's `podcast:transcript`."""


@dataclass(frozen=True, slots=True)
class Turn:
    """A turn as the text exports write it: speaker, start, paragraphs."""

    speaker: str
    start: float | None
    paragraphs: list[str]


def basename(page: Page) -> str:
    """Exports are named after the page: `season-2/ep13/` has `ep13.vtt` and so on."""
    return page.slug.rpartition("/")[2]


def _clock(seconds: float) -> str:
    """87 -> `1:27`, 3723 -> `1:02:03`: the time as the page shows it."""
    s = int(seconds)
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def turns(page: Page, view: Shown | None = None) -> list[Turn]:
    """The turns readers see: cut paragraphs and turns left with no words are out.
    A turn starts when its first shown paragraph does (the time beside the
    speaker's name, unless the turn opens with a cut passage). `view`: the
    page's `captioning.shown`, when the caller has it."""
    out: list[Turn] = []
    for turn, name, paras in shown(page) if view is None else view:
        first, para, _ = paras[0]
        start = turn.start if first == 0 else para.start
        out.append(Turn(name, start, [text for _, _, text in paras]))
    return out


def timestamp(seconds: float, comma: bool = False) -> str:
    """A caption time: `00:01:02.500` (WebVTT), with `comma`, `00:01:02,500` (SubRip)."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stamps(caps: list[Caption]) -> list[str]:
    """Each caption's `start --> end` as WebVTT writes it (SubRip's is the same
    with commas): made once for both files, as `timestamp` writes each time;
    a start that is the caption before's end (most are) is not written again."""
    out = []
    heads: dict[int, str] = {}
    before, written = None, ""
    for cap in caps:
        start = cap.start
        begin = written if start == before else _stamp(start, heads)
        before = end = cap.end or start
        written = _stamp(end, heads)
        out.append(f"{begin} --> {written}")
    return out


def _stamp(seconds: float, heads: dict[int, str]) -> str:
    """`timestamp(seconds)`, its hours and minutes kept in `heads` by the minute
    and its seconds and milliseconds looked up (formatting an int to a width
    is slow)."""
    ms = round(seconds * 1000)
    if not 0 <= ms < 360_000_000:
        return timestamp(seconds)  # before 0 or after 99 hours
    minute, ms = divmod(ms, 60_000)
    head = heads.get(minute)
    if head is None:
        head = heads[minute] = f"{_TWO[minute // 60]}:{_TWO[minute % 60]}:"
    s, ms = divmod(ms, 1000)
    return f"{head}{_TWO[s]}.{_THREE[ms]}"


_TWO = [f"{n:02d}" for n in range(100)]
_THREE = [f"{n:03d}" for n in range(1000)]
"""Numbers as a caption time writes them."""


def webvtt(page: Page, caps: list[Caption], timings: list[str] | None = None) -> str:
    """WebVTT with a `<v Name>` voice on every caption (Apple Podcasts shows
    speaker names from these). Joined in C from every caption's timing,
    voice and lines (`_blocks`)."""
    if not caps:
        return "WEBVTT\n"
    _, _, speakers, _, lines = zip(*caps, strict=True)
    voices = {speaker: f"<v {_vtt_escape(speaker)}>" for speaker in set(speakers)}
    bodies = list(map("\n".join, lines))
    if has_any("".join(bodies), "&<>"):
        # Escaping the lines joined is escaping each: no escape spans a line break.
        bodies = [_vtt_escape(body) for body in bodies]
    return "WEBVTT\n\n" + _blocks("\n\n", timings or stamps(caps), "\n", map(voices.__getitem__, speakers),
                                   bodies) + "\n"


def _blocks(between: str, *parts: Iterable[str]) -> str:
    """The parts of each block (an iterable of each part's texts, or a text
    every block has) joined, and the blocks joined `between`: all in C, no
    string built a block at a time in Python."""
    # (Not `strict`: the texts every block has repeat without end.)
    return between.join(map("".join, zip(*(repeat(p) if isinstance(p, str) else p for p in parts),
                                         strict=False)))


@functools.lru_cache(maxsize=256)
def srt_label(name: str) -> str:
    """`Name: `, as SRT readers (ours too) take a speaker, or `[Name]: ` for a
    name that would not read as one (too many words, a lowercase start)."""
    found, _, bare = speaker_prefix(f"{name}: x")
    if found == name and bare and name_like(name):
        return f"{name}: "
    bracketed = f"[{name}]: "
    return bracketed if speaker_prefix(bracketed + "x")[0] == name else f"{name}: "


def srt(page: Page, caps: list[Caption], timings: list[str] | None = None) -> str:
    """SubRip, the speaker named where it changes, as `Name: ` before the text.
    Joined in C from every caption's number, timing, label and lines."""
    if not caps:
        return "\n"
    # WebVTT's timings with commas, made in one pass: nothing else in them has a dot.
    commas = "\n".join(timings or stamps(caps)).replace(".", ",").split("\n")
    labels = [""] * len(caps)
    bodies = ["\n".join(cap.lines) for cap in caps]
    previous = ""
    for k, cap in enumerate(caps):
        speaker, first = cap.speaker, cap.lines[0]
        # A label where the speaker changes, and where text opens like a label or
        # a timing (each test's own first check made here: most lines pass neither).
        if speaker != previous or ((first[:1] in ">-[<{" or ":" in first) and reads_as_speaker(first)) \
                or ("-->" in first and reads_as_timing(first)):
            labels[k] = label = srt_label(speaker)
            body = wrap(cap.text, indent=len(label))
            if len(body) > 1 and not subrip.TAG.sub("", body[0]).strip():
                # A label whose line holds only a tag (`<b>`) reads as no label
                # once a reader drops the tag: the next word joins it.
                head, _, rest = body[1].partition(" ")
                body = [f"{body[0]} {head}", *([rest] if rest else []), *body[2:]]
            bodies[k] = "\n".join(body)
        previous = speaker
    return _blocks("\n\n", map(str, range(1, len(caps) + 1)), "\n", commas, "\n", labels, bodies) + "\n"


_json = json.JSONEncoder(ensure_ascii=False).encode
"""json's own encoder, for a time `_time` does not write itself."""
_string: Callable[[str], str] = json.encoder.encode_basestring
"""A JSON string as that encoder writes it (its C function)."""


def _time(seconds: float) -> str:
    """A time as json writes it rounded to milliseconds: `repr(round(seconds,
    3))` (its encoder's `repr`; json's own spelling of an infinity or NaN).
    A float's `round` and `%.3f` round alike (correctly, from its exact
    value), and below 10⁹ every number of three decimals is a float of its
    own, written shortest by `repr` as by `%.3f` without its last zeros: that
    way is twice as fast."""
    if seconds.__class__ is float and -1e9 < seconds < 1e9:
        text = f"{seconds:.3f}".rstrip("0")
        return text + "0" if text[-1] == "." else text
    value = round(seconds, 3)
    text = repr(value)
    return text if text[-1].isdigit() else _json(value)


Segments = tuple[list[str], list[float], list[float], list[str]]
"""Timed segments of the JSON export, field by field: speakers, starts, ends
(unrounded), texts."""


def word_pieces(said: list[Piece]) -> Segments | None:
    """A segment a word, with its own times, where the source times every word
    (ten cues or more, each timed, a word and a half a cue at most): a word the
    cleaning removed has no text left and is left out, and each word ends when
    the next begins, or at its own end. None where the source times less
    finely, or leaves any speech without a time (it would have no segment)."""
    if len(said) < 10 or any(p.start is None for p in said) \
            or sum(p.text.count(" ") + 1 for p in said) > 1.5 * len(said):
        return None
    starts = [p.start or 0.0 for p in said]
    ends = []
    for p, start, after in zip(said, starts, [p.start for p in said[1:]] + [None], strict=True):
        end = p.end
        if end is None or (after is not None and after < end):
            end = start if after is None else after
        ends.append(start if start > end else end)  # max(end, start)
    return [p.speaker for p in said], starts, ends, [p.text for p in said]


ESCAPED = "".join(map(chr, range(32))) + '"\\'
"""What json's encoder escapes in a string (`ensure_ascii=False`): a text
without any is itself between quotes."""


def _timed_segments(speakers: Sequence[str], starts: Sequence[float], ends: Sequence[float],
                    texts: Sequence[str]) -> str:
    """The timed segments, a line each, as json's encoder writes a segment
    (`{"speaker": ..., ...}`, its separators), joined in C. Where every time
    is a float below 10⁹ (as sources give them), they are written in one
    `%`, a `%.3f` a line, each then written as json writes it rounded
    (`_time`) by taking off up to two last zeros (two passes of
    `str.replace` over them all); else one at a time. (Writing each
    different time once costs more: hashing a float is slow.)"""
    names = {speaker: _string(speaker) for speaker in set(speakers)}
    times = list(chain.from_iterable(zip(starts, ends, strict=True)))
    total = sum(times)
    if times and set(map(type, times)) == {float} and not math.isnan(total) \
            and min(times) > -1e9 and max(times) < 1e9:
        column = ("%.3f\n" * len(times)) % tuple(times)
        written = column.replace("0\n", "\n").replace("0\n", "\n").split("\n")[:-1]
    else:
        written = [_time(t) for t in times]
    # Each text as json writes it, without its quotes: most need nothing
    # escaped, told for all at once.
    bodies = texts if not has_any("".join(texts), ESCAPED) else [_string(text)[1:-1] for text in texts]
    return _blocks(",\n", ' {"speaker": ', map(names.__getitem__, speakers), ', "startTime": ', written[::2],
                   ', "endTime": ', written[1::2], ', "body": "', bodies, '"}')


def podcast_json(page: Page, caps: list[Caption], said: list[Piece] | None = None) -> str:
    """Podcasting 2.0 JSON: a segment per caption, with its speaker and times;
    a segment per word where the source times words (`word_pieces`); per
    paragraph, with neither times, when the source's times cannot place
    captions. `said`: the page's timed `pieces`, when the caller has them.
    A segment a line, written here as json's encoder would write it: readable,
    and without a dict and an encoder call a segment (an indent would send
    the whole document through json's slow encoder)."""
    words = word_pieces(pieces(page) if said is None else said) if caps else None
    if words:
        body = _timed_segments(*words)
    elif caps:
        starts, ends, speakers, texts, _ = zip(*caps, strict=True)
        if 0 in ends:  # `cap.end or cap.start`
            ends = tuple(end or start for start, end in zip(starts, ends, strict=True))
        body = _timed_segments(speakers, starts, ends, texts)
    else:
        body = ",\n".join(f' {{"speaker": {_string(t.speaker)}, "body": {_string(text)}}}'
                          for t in turns(page) for text in t.paragraphs)
    return '{"version": "1.0.0", "segments": [\n' + body + ("\n" if body else "") + "]}\n"


def _lines(paragraphs: list[str], looks_like_label: Callable[[str], object]) -> list[str]:
    """One line per paragraph; a paragraph that would read as a speaker line goes
    on the line before, so no words change speaker when the file is read back."""
    out: list[str] = []
    for text in paragraphs:
        if out and looks_like_label(text):
            out[-1] += " " + text
        else:
            out.append(text)
    return out


def markdown(page: Page, shown: list[Turn] | None = None) -> str:
    """The vendor form gloss reads: `# Title`, then `**Name** (m:ss)` and a line
    per paragraph. Where that form cannot carry the times (a turn without one,
    by someone who speaks only once, reads as text among timed headers), it
    goes without: a word under the wrong name is worse than a missing time."""
    shown = turns(page) if shown is None else shown
    turns_of = Counter(t.speaker for t in shown)
    times = all(t.start is not None or turns_of[t.speaker] > 1 for t in shown)
    out = [f"# {squash(page.title)}", ""]
    names = {speaker: md_name(speaker) for speaker in turns_of}
    for turn in shown:
        time = f" ({_clock(turn.start)})" if times and turn.start is not None else ""
        out.append(f"**{names[turn.speaker]}**{time}")
        out += [md_text(line) + "\n" for line in turn.paragraphs]
    return "\n".join(out).rstrip("\n") + "\n"


MD_SPECIAL = re.compile(r"([\\`*\[\]():])")
"""What would end a bold name early or read as a time beside it (`Q*bert`)."""


def md_name(name: str) -> str:
    """A speaker's name inside `**...**`, its Markdown specials escaped (gloss's
    reader, like any Markdown reader, takes `\\*` as `*`)."""
    return MD_SPECIAL.sub(r"\\\1", name)


MD_ESCAPED = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
CLOCK_COLON = re.compile(r"(?<=\d):(?=\d)")


def md_text(paragraph: str) -> str:
    """A paragraph as gloss's Markdown reader (and any Markdown reader) gives it
    back: a backslash before punctuation doubled, a colon between digits escaped
    (so `[00:09]` said aloud is no time mark), and a paragraph opening with `**`
    escaped (so `**no**` is no speaker's name)."""
    text = MD_ESCAPED.sub(r"\\\\", paragraph) if "\\" in paragraph else paragraph
    text = CLOCK_COLON.sub(r"\\:", text) if ":" in text else text
    opens = text.startswith("**") or (text[:1].isspace() and text.lstrip().startswith("**"))
    return "\\" + text if opens else text


def _text_label(line: str) -> bool:
    if ":" not in line:
        return False  # a label has a colon or a time, and a time has a colon
    m = colon.LINE.match(line)
    return bool(m and (m["colon"] or m["t1"] or m["t2"] or m["t3"]))


def plain_text(page: Page, shown: list[Turn] | None = None) -> str:
    """Plain text as transcription services export it: `Name (m:ss)` (or `Name:`
    with no time) on a line, then a line per paragraph, a blank line between."""
    out: list[str] = []
    for turn in turns(page) if shown is None else shown:
        out.append(f"{turn.speaker} ({_clock(turn.start)})" if turn.start is not None
                   else f"{turn.speaker}:")
        out += [line + "\n" for line in _lines(turn.paragraphs, _text_label)]
    return "\n".join(out).rstrip("\n") + "\n"


def podcast_html(page: Page, shown: list[Turn] | None = None, language: str = "en") -> str:
    """The Podcasting 2.0 HTML transcript: per paragraph `<cite>Name:</cite>`,
    a `<time>m:ss</time>` where its turn starts with a time, and the `<p>`.

    The namespace's example is a bare fragment of those elements; here they are
    the body of a whole document (doctype, `lang`, charset, title), so a browser
    shows the download as a readable page with the right encoding, while a
    reader of the fragment form still meets cite, time and p in order, each a
    child of `<body>`. Every name and word is escaped (quotes too), and a name
    is one line, so nothing a transcript says can open or close an element."""
    shown = turns(page) if shown is None else shown
    title = escape(squash(page.title) or basename(page), quote=True)
    out = ["<!DOCTYPE html>",
           f'<html lang="{escape(squash(language) or "en", quote=True)}">',
           "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>",
           "</head>",
           "<body>"]
    for turn in shown:
        # Each paragraph under its own name: readers pair each `<cite>` with the
        # `<p>` after it, so a turn's second paragraph must not read as nobody's.
        cite = f"<cite>{escape(squash(turn.speaker), quote=True)}:</cite>"
        for k, text in enumerate(turn.paragraphs):
            out.append(cite)
            if k == 0 and turn.start is not None:
                # `datetime` holds the machine-readable duration the element's text
                # (`1:27`, as the page shows times) is not, for HTML checkers.
                out.append(f'<time datetime="PT{int(turn.start)}S">{_clock(turn.start)}</time>')
            out.append(f"<p>{escape(squash(text), quote=True)}</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# What render uses.

FORMATS = (
    ("vtt", "WebVTT captions", "text/vtt"),
    ("srt", "SRT subtitles", "application/x-subrip"),
    ("json", "Podcasting 2.0 JSON", "application/json"),
    ("html", "Podcasting 2.0 HTML", "text/html"),
    ("md", "Markdown", "text/markdown"),
    ("txt", "Plain text", "text/plain"),
)
"""In the order the page lists them: captions, the Podcasting 2.0 formats, then
the text formats."""
CAPTIONS = ("vtt", "srt")
"""Formats that need times."""
UNTIMED = ("html",)
"""Formats offered only where nothing has a time: the namespace made its HTML
for transcripts with no or limited timecodes, and with times the captions and
the JSON carry them (an app offered both would be left to pick the poorer)."""


def offered(ext: str, has_times: bool) -> bool:
    """Whether a format is made for a transcript with (or without) times; the
    one answer `files` and `downloads` share, so the page links what is written."""
    return ext not in (UNTIMED if has_times else CAPTIONS)


def files(page: Page, language: str = "en") -> dict[str, bytes]:
    """Every export of a page: output path -> bytes, beside the page. `language`
    is the HTML transcript's `lang` (the page model carries none of its own)."""
    view = shown(page)
    has_times = timed(page, view)
    said = pieces(page, view) if has_times else []
    caps = captions(page, has_times, said)
    seen = turns(page, view)
    texts = {"json": podcast_json(page, caps, said), "md": markdown(page, seen),
             "txt": plain_text(page, seen)}
    if caps:
        timings = stamps(caps)
        texts.update(vtt=webvtt(page, caps, timings), srt=srt(page, caps, timings))
    if offered("html", has_times):
        texts["html"] = podcast_html(page, seen, language)
    name = basename(page)
    return {f"{page.slug}/{name}.{ext}": texts[ext].encode("utf-8") for ext, _, _ in FORMATS
            if ext in texts}


def downloads(page: Page) -> list[Download]:
    """The exports a page links, in the order it lists them."""
    has_times = timed(page)
    return [Download(f"{basename(page)}.{ext}", ext, label, mime) for ext, label, mime in FORMATS
            if offered(ext, has_times)]


def written(page: Page, paths: Collection[str]) -> list[Download]:
    """The exports of a page among `paths` (the files its making wrote), in the
    order it lists them: what the feed links, made from the page as the site
    keeps it, without the transcript's text that `downloads` reads its times
    from (`make._light`)."""
    name = basename(page)
    return [Download(f"{name}.{ext}", ext, label, mime) for ext, label, mime in FORMATS
            if f"{page.slug}/{name}.{ext}" in paths]

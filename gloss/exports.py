"""Downloads of a transcript: what readers see on the page, in the formats podcast
apps, caption tools and editors read.

One edited source: every export is made from the page's paragraphs as cleaning,
corrections and attribution left them (`Paragraph.text`), each word under the
name of who says it, cut passages left out. A transcript built with
`clean: {level: verbatim}` therefore exports its verbatim words.

Times come from the source only. A paragraph joined from timed cues (captions,
ASR segments) keeps each cue's start and end, mapped onto the cleaned text by
verbatim offsets, and short cues are joined into captions of at most two
42-character lines; a paragraph with only a start (`**Name** (m:ss)` turns)
is one caption that runs to the next start. A caption gets a time only where
the source gives one, so speech without a time of its own joins the caption
before it; the last caption, when the source gives no end, lasts as long as
its words take to say. A transcript with no times at all gets no WebVTT or
SRT (nothing could be placed), and the page says so; it gets the Podcasting 2.0
HTML transcript instead, the form the namespace gives for a transcript with "no
or limited timecode data".
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from .formats import colon
from .formats import srt as subrip
from .formats.common import CLOSING, OPENERS, SECONDS_PER_WORD, name_like, speaker_prefix, squash
from .model import Page, Paragraph

LINE = 42
"""Characters a caption line holds (the common subtitling limit)."""
LINES = 2
"""Lines a caption shows, where the source's cues are short enough to allow it."""
PAUSE = 1.0
"""Seconds of silence between two cues that keeps them in captions of their own."""


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
class Piece:
    """A stretch of cleaned speech with the times the source gives it."""

    speaker: str
    text: str
    start: float | None
    end: float | None
    paragraph: int
    """Running index of its paragraph: captions never join two paragraphs."""


@dataclass(slots=True)
class Caption:
    """A cue of the WebVTT and SRT exports (and a segment of the JSON one)."""

    start: float
    end: float | None
    pieces: list[Piece]
    runs: list[tuple[str, str, bool, list[str]]] = field(default_factory=list)
    """Once its pieces are settled (`captions`): (speaker, text, timed, lines) for
    each run of one speaker's pieces (`_runs`), the text wrapped to `lines`, for
    every format to share."""


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


# From the page to timed pieces of cleaned text.


def cue_texts(para: Paragraph) -> list[tuple[float | None, float | None, str]]:
    """The cleaned text of each of the paragraph's source cues, with the cue's
    times. Unchanged text is divided at the cues' verbatim offsets; a removed,
    corrected or recapitalised stretch goes whole to the cue it begins in, so a
    correction that spans two captions is never torn apart."""
    bounds = [c.offset for c in para.cues]
    texts = [""] * len(bounds)

    def cue_of(offset: int) -> int:
        return max(0, bisect_right(bounds, offset) - 1)

    at = 0
    for span in para.spans:
        begin, at = at, at + len(span.verbatim)
        if span.kind or span.text != span.verbatim:
            texts[cue_of(begin)] += span.text
            continue
        pos = begin
        while pos < at:
            k = cue_of(pos)
            stop = min(at, bounds[k + 1]) if k + 1 < len(bounds) else at
            texts[k] += span.text[pos - begin : stop - begin]
            pos = stop
    _reattach(texts)
    return [(c.start, c.end, squash(t)) for c, t in zip(para.cues, texts, strict=True)]


def _reattach(texts: list[str]) -> None:
    """Punctuation a cue's text opens with, written against the word before it
    in the cleaned paragraph (the repeat or filler between them removed), goes
    back to that word's cue: `for now` | `. So` is `for now.` | `So`, and a
    removed `Ah.` leaves no caption of its own reading `.`."""
    last = -1
    for k, text in enumerate(texts):
        m = CLOSING.match(text)
        if m and last >= 0 and not texts[last][-1:].isspace():
            texts[last] += m.group()
            texts[k] = text[m.end():]
        if texts[k].strip():
            last = k


def turns(page: Page) -> list[Turn]:
    """The turns readers see: cut paragraphs and turns left with no words are out.
    A turn starts when its first shown paragraph does (the time beside the
    speaker's name, unless the turn opens with a cut passage)."""
    out: list[Turn] = []
    for turn in page.transcript.turns:
        shown = [(k, p) for k, p in enumerate(turn.paragraphs) if not p.cut and p.text.strip()]
        if not shown:
            continue
        first, para = shown[0]
        start = turn.start if first == 0 else para.start
        out.append(Turn(squash(page.speaker(turn.speaker).name), start, [squash(p.text) for _, p in shown]))
    return out


def pieces(page: Page) -> list[Piece]:
    """Every shown paragraph as timed pieces: one per source cue where it has
    cues, else one piece with the paragraph's start (or none)."""
    out: list[Piece] = []
    index = 0
    for turn in page.transcript.turns:
        name = squash(page.speaker(turn.speaker).name)
        for k, para in enumerate(turn.paragraphs):
            if para.cut or not para.text.strip():
                continue
            index += 1
            if para.cues:
                out += [Piece(name, text, start, end, index)
                        for start, end, text in cue_texts(para) if text]
            else:
                start = turn.start if k == 0 and para.start is None else para.start
                out.append(Piece(name, squash(para.text), start, None, index))
    return out


def timed(page: Page) -> bool:
    """Whether the source's times can place captions: at least half the turns
    start with a time. Times every few minutes (the Changelog's `[04:33]`)
    would make captions minutes long, each holding many speakers; such a
    transcript is offered, like one with no times, as the Podcasting 2.0 HTML
    the namespace gives for transcripts with limited times."""
    turns_shown = timed_turns = 0
    for turn in page.transcript.turns:
        shown = [(k, p) for k, p in enumerate(turn.paragraphs) if not p.cut and p.text.strip()]
        if not shown:
            continue
        k, para = shown[0]
        start = para.cues[0].start if para.cues else (turn.start if k == 0 and para.start is None
                                                       else para.start)
        turns_shown += 1
        timed_turns += start is not None
    return turns_shown > 0 and timed_turns * 2 >= turns_shown


# Captions.


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
    # Greedy filling by regular expression (a line: as much as fits, ending before
    # a space or at the end; or one word that fits no line): a long transcript's
    # captions are wrapped word by word otherwise, twice over.
    first = _line(width - indent).match(text)
    if first is None:
        return []
    lines = [first.group()]
    if first.end() < len(text):
        lines += _line(width).findall(text, first.end() + 1)
    return _no_false_starts(lines)


def _no_false_starts(lines: list[str]) -> list[str]:
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
        risky = _reads_as_speaker(line) or _reads_as_timing(line) or \
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


@functools.lru_cache(maxsize=8)
def _line(room: int) -> re.Pattern[str]:
    """One line of at most `room` characters of a text whose words are single-spaced."""
    return re.compile(rf"[^ ].{{0,{max(room, 1) - 1}}}(?= |$)|[^ ]+")


CLOSING_FIRST = frozenset(".,;:!?…)]}”’»%")
"""The first characters `CLOSING` can match: most lines start with none of them."""
RISKY_FIRST = CLOSING_FIRST | frozenset(">-[<{0123456789")
"""First characters of a line that might read as a mark, a timing, a number or
punctuation alone (a line with a `:` in it is looked at too)."""


def _reads_as_timing(line: str) -> bool:
    """Whether a caption reader would take this line for a cue's timing (speech
    that says `00:09:00,000 --> 00:09:05,000` must not start a cue of its own)."""
    return "-->" in line and line.lstrip()[:1].isdigit()


def _reads_as_speaker(line: str) -> bool:
    """Whether a caption reader could take the start of this line for a speaker:
    `>> `, `- `, `[Name]: `, or `Name: ` of any shape but a word that opens
    sentences (`So: `): in a file whose cues are labelled, gloss takes any such
    label (`common.count_labels`)."""
    if line[:1] not in ">-[<{" and ":" not in line:
        return False  # most lines: no mark and no colon
    named, _, bare = speaker_prefix(subrip.TAG.sub("", line))  # as SubRip readers see it, tags gone
    return named is not None and (not bare or named.lower() not in OPENERS)


def _sentence_end(text: str) -> bool:
    return bool(re.search(r"[.!?…][\"”’)]*$", text))


def captions(page: Page, has_times: bool | None = None) -> list[Caption]:
    """Timed pieces joined into captions. Consecutive cues of one paragraph share a
    caption while it fits two lines (preferring to end one at a sentence end,
    and never across a pause);
    speech without a time of its own joins the caption before it (speech before
    the first time joins the first caption). Ends: the source's, cut back to
    the next caption's start where they overlap; where the source gives none,
    the next caption's start, and for the last caption the time its words take
    to say. Empty when the times cannot place captions (`timed`, or `has_times`
    when the caller has asked it already)."""
    out: list[Caption] = []
    if not (timed(page) if has_times is None else has_times):
        return out
    lead: list[Piece] = []
    for piece in pieces(page):
        last = out[-1] if out else None
        if piece.start is None:
            if last is None:
                lead.append(piece)
            else:
                last.pieces.append(piece)
                last.end = None  # it now runs on to the next time the source gives
            continue
        if last is not None and last.end is not None and _joins(out, piece):
            last.pieces.append(piece)
            last.end = piece.end
            continue
        out.append(Caption(piece.start, piece.end, [piece]))
        if lead:
            out[0].pieces[:0] = lead
            lead = []
    for k, cap in enumerate(out):
        following = out[k + 1].start if k + 1 < len(out) else None
        end = cap.end
        if end is None:
            words = sum(len(p.text.split()) for p in cap.pieces)
            end = following if following is not None else cap.start + words * SECONDS_PER_WORD
        elif following is not None and cap.start < following < end:
            end = following
        cap.end = max(end, cap.start)
        cap.runs = [(speaker, text, timed, wrap(text)) for speaker, text, timed in _runs(cap)]
    return out


def _joins(out: list[Caption], piece: Piece) -> bool:
    """Whether a timed piece goes on the last caption rather than starting one."""
    last = out[-1]
    before = last.pieces[-1]
    if before.paragraph != piece.paragraph or before.speaker != piece.speaker:
        return False
    if last.end is not None and piece.start is not None and piece.start - last.end >= PAUSE:
        return False
    text = " ".join(p.text for p in last.pieces)
    if _sentence_end(text) and len(text) >= LINE:
        return False
    return len(wrap(f"{text} {piece.text}")) <= LINES


def _runs(cap: Caption) -> list[tuple[str, str, bool]]:
    """(speaker, text, timed) for each run of one speaker's pieces in a caption;
    `timed` for the run with the piece whose time the caption has."""
    runs: list[tuple[str, str, bool]] = []
    anchor = next(p for p in cap.pieces if p.start is not None)
    for p in cap.pieces:
        if runs and runs[-1][0] == p.speaker:
            runs[-1] = (p.speaker, f"{runs[-1][1]} {p.text}", runs[-1][2] or p is anchor)
        else:
            runs.append((p.speaker, p.text, p is anchor))
    return runs


def _stamp(seconds: float, comma: bool = False) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(page: Page, caps: list[Caption]) -> str:
    """WebVTT with a `<v Name>` voice on every caption (Apple Podcasts shows
    speaker names from these)."""
    blocks = ["WEBVTT"]
    for cap in caps:
        lines = [f"{_stamp(cap.start)} --> {_stamp(cap.end or cap.start)}"]
        for speaker, _, _, body in cap.runs:
            lines.append(f"<v {_vtt_escape(speaker)}>{_vtt_escape(body[0])}")
            lines += [_vtt_escape(line) for line in body[1:]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@functools.lru_cache(maxsize=256)
def srt_label(name: str) -> str:
    """`Name: `, as SRT readers (ours too) take a speaker, or `[Name]: ` for a
    name that would not read as one (too many words, a lowercase start)."""
    found, _, bare = speaker_prefix(f"{name}: x")
    if found == name and bare and name_like(name):
        return f"{name}: "
    bracketed = f"[{name}]: "
    return bracketed if speaker_prefix(bracketed + "x")[0] == name else f"{name}: "


def srt(page: Page, caps: list[Caption]) -> str:
    """SubRip, the speaker named where it changes, as `Name: ` before the text."""
    blocks = []
    previous = ""
    for k, cap in enumerate(caps, 1):
        lines = [str(k), f"{_stamp(cap.start, True)} --> {_stamp(cap.end or cap.start, True)}"]
        for speaker, text, _, body in cap.runs:
            label = srt_label(speaker) if speaker != previous else ""
            if label:
                body = wrap(text, indent=len(label))
            if not label and len(lines) == 2 and (_reads_as_speaker(body[0]) or _reads_as_timing(body[0])):
                label = srt_label(speaker)  # text that opens like a label or a timing needs the label
                body = wrap(text, indent=len(label))
            lines.append(label + body[0])
            lines += body[1:]
            previous = speaker
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def podcast_json(page: Page, caps: list[Caption]) -> str:
    """Podcasting 2.0 JSON: a segment per caption (per paragraph when there are
    no times), with its speaker. Speech that shares another's caption because
    the source gives it no time of its own gets no times."""
    segments: list[dict[str, object]] = []
    if caps:
        for cap in caps:
            for speaker, text, timed, _ in cap.runs:
                seg: dict[str, object] = {"speaker": speaker}
                if timed:
                    seg.update(startTime=round(cap.start, 3), endTime=round(cap.end or cap.start, 3))
                seg["body"] = text
                segments.append(seg)
    else:
        segments = [{"speaker": t.speaker, "body": text} for t in turns(page) for text in t.paragraphs]
    # A segment a line: readable, and each made by json's fast encoder (an indent
    # would send the whole document through its slow one).
    body = ",\n".join(" " + json.dumps(seg, ensure_ascii=False) for seg in segments)
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
    for turn in shown:
        time = f" ({_clock(turn.start)})" if times and turn.start is not None else ""
        out.append(f"**{md_name(turn.speaker)}**{time}")
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
    return "\\" + text if text.lstrip().startswith("**") else text


def _text_label(line: str) -> bool:
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
    has_times = timed(page)
    caps = captions(page, has_times)
    shown = turns(page)
    texts = {"json": podcast_json(page, caps), "md": markdown(page, shown), "txt": plain_text(page, shown)}
    if caps:
        texts.update(vtt=webvtt(page, caps), srt=srt(page, caps))
    if offered("html", has_times):
        texts["html"] = podcast_html(page, shown, language)
    name = basename(page)
    return {f"{page.slug}/{name}.{ext}": texts[ext].encode("utf-8") for ext, _, _ in FORMATS
            if ext in texts}


def downloads(page: Page) -> list[Download]:
    """The exports a page links, in the order it lists them."""
    has_times = timed(page)
    return [Download(f"{basename(page)}.{ext}", ext, label, mime) for ext, label, mime in FORMATS
            if offered(ext, has_times)]

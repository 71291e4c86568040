"""Fuzzing every reader of what editors write: whatever is in a transcript, a
sidecar, people.yaml, topics.yaml, glossary.yaml or config.yaml, gloss ends in
a model or a `SiteError` a person can read (a few lines, each of bounded
length, no control characters), never another exception and never a hang.

Each target gets arbitrary text (NULs, control characters, odd line breaks,
huge lines, deep nesting) and text built to look like its format (WebVTT and
SRT with random cues, JSON with random segment shapes, speaker-labelled text,
YAML documents of random structure), so the fuzzers reach past the format
detector into the parsers, the cleaner, quote anchoring and the YAML readers.
Inputs are bounded so each example stays fast; a call that still takes longer
than `CALL_SECONDS` fails as a hang (SIGALRM, on POSIX).
"""

from __future__ import annotations

import json
import os
import re
import signal
import string
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gloss import anchor, clean, disfluency, formats, make, render, sidecar, yamlfile
from gloss.config import CleanConfig, Config, load_config
from gloss.errors import (
    AnnotationError,
    ConfigError,
    FormatError,
    SiteError,
    SiteErrors,
    SourcePos,
    ThemeError,
)
from gloss.fsutil import read_text
from gloss.load import Source, TextFile
from gloss.model import Meta, Person, Selector, Site, Topic, Transcript

EXAMPLES = int(os.environ.get("GLOSS_FUZZ_EXAMPLES", "200"))
"""Examples per fuzz target per run. `GLOSS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`
fuzzes longer."""
CALL_SECONDS = 10
"""Longer than this for one call of a reader is a hang (inputs are bounded so
each takes well under a second)."""
ERROR_LINES = 6
"""A message, the quoted source line, its caret and a hint of up to three lines."""
LINE_CHARS = 1000

fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

T = TypeVar("T")


# What every call must end in.


class Hang(Exception):
    """A call that did not return within CALL_SECONDS."""


@contextmanager
def time_limit(what: str) -> Iterator[None]:
    """Turn a call that runs past CALL_SECONDS into a failure (POSIX, main thread)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        where = "".join(traceback.format_stack(frame, limit=3))
        raise Hang(f"{what} ran for more than {CALL_SECONDS} s; it was at:\n{where}")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        yield
    except Hang as hang:
        # Raised from a signal handler, its traceback can have entries without a
        # line number, which pytest cannot show: report it from here instead.
        raise Hang(str(hang)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_clear(err: SiteError) -> None:
    """A located, short, printable message for each error it carries."""
    for one in err.errors if isinstance(err, SiteErrors) else [err]:
        assert not isinstance(one, ThemeError), f"the default theme failed: {one}"
        text = str(one)
        lines = text.split("\n")
        assert f": {one.kind}: " in lines[0], text
        assert len(lines) <= ERROR_LINES, text
        assert all(len(line) <= LINE_CHARS for line in lines), [len(line) for line in lines]
        assert not CONTROL.search(text), repr(text)


def outcome(call: Callable[..., T], *args: Any) -> T | SiteError:
    """`call(*args)`: what it returns, or the SiteError it raises (checked to be
    clear). Any other exception, or a hang, fails the test."""
    with time_limit(getattr(call, "__qualname__", repr(call))):
        try:
            return call(*args)
        except SiteError as err:
            assert_clear(err)
            return err


def as_read(name: str, text: str) -> str | SiteError:
    """`text` as gloss reads it from content/`name` (see fsutil.read_text)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return outcome(read_text, path, FormatError, f"content/{name}")


# Text of every kind.

ODD = ["\x00", "\x1b[2J", "\r", "\r\n", "\u2028", "\x85", "\ufeff", "\t", "\x0b", "\x0c", "\ufffe",
       "\U0001f600", "é", "٣", "Ⅻ", "ß", "İ", "\u200b", "\\", "&", "&amp;", "&#0;", "&#x110000;", "<", ">"]
"""Characters that break naive code: NUL, escapes, line breaks str.splitlines
knows and str.split does not, a BOM, non-ASCII digits and case changes."""
WORDS = ["I", "I", "think", "the", "model", "works", "so", "so", "uh", "um", "Um,", "er", "it", "it's",
         "we", "know", "no", "that", "is", "in", "the", "GPD", "five", "Ann", "Bob", "River", "mm", "5",
         "very", "and", "another", "said", "tell", "you", "question", "—", "...", ".", ",", "?"]
word = st.sampled_from(WORDS)
words = st.lists(word, min_size=1, max_size=12).map(" ".join)
any_text = st.text(max_size=300)  # any code point but surrogates: NULs and controls included
soup_tokens = st.sampled_from([
    "WEBVTT", "-->", " --> ", "NOTE", "STYLE", "REGION", ">>", "- ", ": ", "**", "(", ")", "[", "]",
    "<v Ann>", "<v.loud Bob Lee>", "</v>", "<i>", "</i>", "<c.x>", "<00:00:01.000>", "{\\an8}", "&amp;",
    "SPEAKER_00", "[SPEAKER_1]: ", "Ann: ", "Bob Lee: ", "So: ", "00:01.000", "00:00:01,000", "1:02",
    "[0:05] ", "(00:01:02)", "---", "# ", "title: ", "date: ", "{", "}", '"segments"', '"text"', "1",
    "\n", "\n", "\n\n", " ", "  ", "57 more minutes of transcript below", "x-api-key",
])
soup = st.lists(st.one_of(soup_tokens, word, st.sampled_from(ODD), st.text(max_size=6)),
                max_size=80).map("".join)
"""Pieces of every format, mixed: text the format detector must place or refuse."""
huge = st.builds(lambda piece, n: piece * n,
                 st.sampled_from(["I ", "uh ", "so so ", "a", ">> ", "Ann: hi ", "x" * 50, "\n", "\n\n",
                                  "00:01.000 --> ", "<v A>", "[", "- ", "**A** (0:01)\n", "in the "]),
                 st.integers(1_000, 30_000))
"""One piece repeated: a huge line, a huge stutter, thousands of lines."""
deep = st.builds(lambda open_, close, n: open_ * n + close * n,
                 st.sampled_from(["[", "{\"a\":", "- ", "<v A>", "((", "**"]),
                 st.sampled_from(["]", "}", "", "</v>", "))"]),
                 st.integers(100, 5_000))
"""Nesting far deeper than any reader should follow."""
texts = st.one_of(any_text, soup, words, huge, deep)


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in `n` draws: for the malformed variant of a plausible input."""
    return draw(st.sampled_from([False] * (n - 1) + [True]))


def vtt_stamp(draw: st.DrawFn) -> str:
    h, m, s, ms = (draw(st.integers(0, n)) for n in (99, 99, 99, 999))
    if not one_in(draw, 12):
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}" if draw(st.booleans()) else f"{m:02d}:{s:02d}.{ms:03d}"
    return draw(st.sampled_from([f"{m}:{s}.{ms}", f"{m:02d}:{s:02d},{ms:03d}", f"-{m:02d}:{s:02d}.000",
                                 f"{h}{m}:{s:02d}.{ms:03d}", "", "99:99.999", "١٢:٣٤.٥٦٧"]))


@st.composite
def webvtt(draw: st.DrawFn) -> str:
    """A WebVTT-ish file: a header, then cues, notes and styles, some malformed."""
    header = draw(st.sampled_from(["WEBVTT", "WEBVTT - Talk", "WEBVTT\tx"])) if not one_in(draw, 4) else \
        draw(st.sampled_from(["\ufeffWEBVTT", "WEBVTTX", "webvtt", ""]))
    blocks = [header + draw(st.sampled_from(["", "\nKind: captions\nLanguage: en"]))]
    payload = st.one_of(
        words, words, st.one_of(soup, any_text).map(lambda t: t.replace("\n", " ")), soup,
        st.builds(lambda v, w: f"<v{v}>{w}", st.sampled_from([" Ann", " Bob Lee", ".loud Ann", "", " ",
                                                              " A &amp; B", " <", " Ann>x"]), words),
        st.builds(lambda w: f"- {w}", words), st.builds(lambda w: f">> {w}", words),
        st.builds(lambda w: f"Ann: {w}", words),
        st.builds(lambda w: f"<00:00:01.000><c>{w}</c>", words))
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["cue"] * 8 + ["note", "style", "junk"]))
        if kind == "note":
            blocks.append("NOTE " + draw(words))
        elif kind == "style":
            blocks.append("STYLE\n::cue { color: red }")
        elif kind == "junk":
            blocks.append(draw(soup))
        else:
            ident = draw(st.sampled_from(["", "1\n", "intro\n"])) if not one_in(draw, 12) else "a-->b\n"
            settings_ = draw(st.sampled_from(["", " align:start", " line:0 position:10%"]))
            lines = draw(st.lists(payload, max_size=3))
            blocks.append(f"{ident}{vtt_stamp(draw)} --> {vtt_stamp(draw)}{settings_}\n" + "\n".join(lines))
    return draw(st.sampled_from(["\n\n", "\n\n", "\n", "\r\n\r\n", "\n\n\n"])).join(blocks) + "\n"


@st.composite
def srt(draw: st.DrawFn) -> str:
    """An SRT-ish file: numbered cues, names in the text, tags, some malformed."""
    def stamp() -> str:
        h, m, s, ms = (draw(st.integers(0, n)) for n in (999, 99, 99, 999))
        if not one_in(draw, 12):
            return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"
        return draw(st.sampled_from([f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}", f"{h}:{m:02d}:{s:02d}",
                                     f"{m:02d}:{s:02d},{ms:03d}", "x"]))

    payload = st.one_of(
        words, soup, any_text,
        st.builds(lambda n, w: f"{n}{w}", st.sampled_from(["Ann: ", "Bob Lee: ", "[SPEAKER_01]: ", "- ",
                                                           "So: ", "<i>Ann:</i> ", "{\\an8}"]), words))
    cues = []
    for k in range(draw(st.integers(0, 8))):
        number = str(k + 1) if not one_in(draw, 6) else \
            draw(st.sampled_from(["", "x", "-1", "99999999999999999999"]))
        lines = draw(st.lists(payload, max_size=3))
        cues.append(f"{number}\n{stamp()} --> {stamp()}\n" + "\n".join(lines))
    return draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"])).join(cues) + draw(st.sampled_from(["", "\n"]))


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                      st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), words)
json_any = st.recursive(json_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["segments", "text", "body", "start", "speaker"]) | st.text(max_size=5),
                    kids, max_size=4)), max_leaves=20)
times = st.one_of(st.floats(0, 10_000), st.floats(0, 10_000), st.integers(0, 10_000), json_leaf)
said_ = st.one_of(*[words] * 6, soup, soup, json_leaf)
speaker_ = st.one_of(st.sampled_from(["SPEAKER_00", "SPEAKER_01", "Ann", " ", ""]), json_leaf)
whisper_segment = st.fixed_dictionaries({"start": times, "end": times, "text": said_}, optional={
    "speaker": speaker_, "id": json_any,
    "words": st.lists(st.fixed_dictionaries({"word": words, "start": times}), max_size=3)})
podcast_segment = st.fixed_dictionaries({"body": said_}, optional={
    "speaker": speaker_, "startTime": times, "endTime": times})


@st.composite
def json_transcript(draw: st.DrawFn) -> str:
    """Whisper, WhisperX or Podcasting 2.0 JSON: segments of the format's shape
    with values of any type, some of another shape, sometimes cut short."""
    kind = draw(st.sampled_from(["whisper", "whisper", "podcast", "podcast", "bare", "other"]))
    shaped = podcast_segment if kind == "podcast" else whisper_segment
    mixed = st.one_of(shaped, whisper_segment, podcast_segment, json_any)
    segments = draw(st.lists(mixed if one_in(draw, 4) else shaped, min_size=1, max_size=8))
    doc: Any = {"segments": segments, "text": "all of it", "language": "en"} if kind == "whisper" \
        else {"version": "1.0.0", "segments": segments} if kind == "podcast" \
        else segments if kind == "bare" else draw(json_any)
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()))
    if one_in(draw, 10):
        text = text[: len(text) * draw(st.integers(1, 9)) // 10]  # cut short
    return text


names = st.sampled_from(["Ann", "Bob Lee", "SPEAKER_3", "Maria de la Cruz", "So", "Note", "ann", "A" * 300, "Ⅻ"])
clock_ = st.sampled_from(["0:01", "1:02", "01:02:03", "1:02.5", "99:99", "0:00", "٣:٠٠", "9" * 30])


@st.composite
def text_transcript(draw: st.DrawFn) -> str:
    """Speaker headers, `Name: text` lines, `>>` captions or Otter blocks, with a
    stray line of anything now and then, under optional front matter or a `# Title`."""
    style = draw(st.sampled_from(["headers", "colon", "captions", "otter", "mixed"]))
    turn = {
        "headers": st.builds(lambda n, t, w: f"**{n}** ({t})\n{w}", names, clock_, words),
        "colon": st.builds(lambda t, n, w: f"{t}{n}: {w}", st.sampled_from(["", "", "[0:05] "]), names, words),
        "captions": st.builds(lambda w, more: f">> {w}" + "".join(f"\n{x}" for x in more), words,
                              st.lists(words, max_size=2)),
        "otter": st.builds(lambda n, t, w: f"{n}  {t}\n{w}\n", names, clock_, words),
        "mixed": st.one_of(
            st.builds(lambda n, t: f"**{n}** ({t})", names, clock_), st.builds(lambda n: f"**{n}**", names),
            st.builds(lambda n, w: f"{n}: {w}", names, words), st.builds(lambda n, t: f"{n} ({t}):", names, clock_),
            st.builds(lambda w: f">> {w}", words), words, st.just("")),
    }[style]
    lines = draw(st.lists(st.one_of(*[turn] * 6, words, soup, st.just("")), max_size=12))
    head = draw(st.sampled_from(["", "", "", "# A talk\n", "#\n", "---\n", "---\n...\n"]))
    if one_in(draw, 6):
        head = "---\n" + draw(st.one_of(yaml_lines, yaml_text)) + "\n---\n"
    return head + "\n".join(lines)


# YAML of every shape.

SIDECAR_WORDS = [*sidecar.SIDECAR_KEYS, "at", "text", "from", "to", "topic", "speaker", "join", "reason",
                 "quote", "occurrence", "youtube", "audio", "video", "level", "fillers", "stutters",
                 "paragraph_words", "paragraph_pause", "name", "role", "bio", "links", "ann", "bob",
                 "maps", ">>", "SPEAKER_3", "Ann", "base_url", "theme", "output", "content", "ignore",
                 "language", "description"]
yaml_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(), st.dates(), words, clock_,
    st.text(max_size=30), st.sampled_from(SIDECAR_WORDS),
    st.sampled_from(["https://example.com/a", "javascript:alert(1)", "static/a.wav", "/etc/passwd",
                     "dQw4w9WgXcQ", "clean", "verbatim", "9" * 5000, "2024-13-45", "1e999", "-1", "0"]))
yaml_value = st.recursive(yaml_scalar, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(SIDECAR_WORDS), st.text(max_size=8)), kids, max_size=5)),
    max_leaves=30)
yaml_doc = st.one_of(st.dictionaries(st.sampled_from(SIDECAR_WORDS), yaml_value, max_size=8), yaml_value)
yaml_tokens = st.sampled_from([
    "- ", ": ", "{", "}", "[", "]", ", ", "&a ", "*a", "!!python/object/apply:os.system ", "!!binary ",
    "!!int ", "!!float ", "!!timestamp ", "!!str ", "!!set ", "!custom ", "<<: ", "? ", "|\n", ">-\n",
    "---\n", "...\n", "%YAML 1.1\n", '"\\0"', '"\\e"', '"\\x85"', "'", '"', "# ", "\n", "\n  ", "\t",
    "~", "null", "yes", "0o17", "0x1F", "1_000", ".inf", ".nan", "2024-02-30", "2024-01-01 25:00:00",
])
raw_scalar = st.sampled_from([
    "9" * 5000, "-" + "9" * 5000, "0x" + "f" * 4000, "2024-13-45", "2024-02-30", "2024-01-01 25:61:00",
    "1e999", ".inf", "-.nan", "!!float x", "!!int x", "!!int 0b2", "!!timestamp 2024-99-01", "!!binary xyz",
    "!!bool maybe", "!!null x", "!!python/name:os.system", "!!omap [a]", "!!pairs x", "!!set [a]",
    "!!merge x", "!!value x", "*nowhere", "&a [*a]", "2024-01-01", "12:30:00", "1:02", "yes", "~",
    "0o777777777777777777777", "1_000_000", "190:20:30", "[", "{a: 1, a: 2}", '"\\0"', '"\\e[2J"',
])
"""Plain scalars YAML resolves to numbers, dates, tags and aliases: PyYAML turns
some into Python values that fail (digits past Python's limit, a 13th month)."""
yaml_lines = st.lists(
    st.tuples(st.sampled_from(["", "", "  ", "    ", "- ", "  - "]),
              st.sampled_from(["title", "date", "description", "speakers", "ann", "at", "text", "name",
                               "topics", "clean", "paragraph_words", "media", "audio", ">>", "? x"]),
              st.one_of(raw_scalar, words, st.just(""))),
    min_size=1, max_size=10).map(lambda lines: "\n".join(f"{i}{k}: {v}" for i, k, v in lines))
"""Indented `key: value` lines with raw scalars: YAML as editors type it."""
yaml_soup = st.lists(st.one_of(yaml_tokens, st.sampled_from(SIDECAR_WORDS), word, st.sampled_from(ODD)),
                     max_size=60).map("".join)


def dumped(doc: object) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=80)


yaml_text = st.one_of(yaml_doc.map(dumped), yaml_doc.map(lambda d: yaml.safe_dump(d, default_flow_style=True)),
                      yaml_lines, yaml_lines, yaml_soup, any_text, deep, huge)


# The targets.


def assert_transcript(result: Transcript | SiteError) -> None:
    if isinstance(result, Transcript):
        for turn in result.turns:
            for para in turn.paragraphs:
                assert "".join(s.verbatim for s in para.spans) == para.verbatim


EXTENSIONS = st.sampled_from([".txt", ".md", ".vtt", ".srt", ".json"])
front_matter = st.builds(lambda head, body: f"---\n{head}\n---\n{body}", st.one_of(yaml_lines, yaml_text),
                         st.sampled_from(["Ann: Hello there.\n", "**Ann** (0:01)\nHi.\n", ">> Hi.\n"]))
named_transcript = st.one_of(
    st.tuples(st.sampled_from([".txt", ".md"]), front_matter),
    st.tuples(st.just(".vtt"), webvtt()), st.tuples(st.just(".srt"), srt()),
    st.tuples(st.just(".json"), json_transcript()), st.tuples(st.sampled_from([".txt", ".md"]), text_transcript()),
    st.tuples(st.sampled_from([".txt", ".md"]), st.one_of(webvtt(), srt())),  # captions saved as text
    st.tuples(EXTENSIONS, st.one_of(texts, webvtt(), srt(), json_transcript(), text_transcript())))
"""(file ending, text): mostly a format under its own ending, sometimes under another."""


@fuzz
@given(named_transcript)
def test_every_parser_gives_a_transcript_or_a_clear_error(named):
    ext, raw = named
    assert_transcript(outcome(formats.parse, f"content/talk{ext}", raw))  # as given: NULs and all
    text = as_read(f"talk{ext}", raw)  # as read_text gives it to the parsers: no control characters
    if isinstance(text, SiteError):
        event("unreadable file")
        return
    result = outcome(formats.parse, f"content/talk{ext}", text)
    event(result.format if isinstance(result, Transcript) else type(result).__name__)
    assert_transcript(result)
    if isinstance(result, Transcript):  # nor do escapes the format decodes bring any back
        shown = [result.title, *(t.label for t in result.turns), *(p.verbatim for t in result.turns
                                                                     for p in t.paragraphs)]
        assert not any(CONTROL.search(x.replace("\n", " ").replace("\t", " ")) for x in shown), shown


@fuzz
@given(st.sampled_from(["talk.txt", "talk.md", "talk.vtt", "talk.srt", "talk.json", "talk.yaml"]),
       st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300),
                 webvtt().map(lambda t: t.encode("utf-16")), srt().map(str.encode)))
def test_files_as_read_from_disk_give_text_or_a_clear_error(name, data):
    """Bytes as they come from disk: any bytes, invalid UTF-8, UTF-16, NULs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        text = outcome(read_text, path, FormatError, f"content/{name}")
    if isinstance(text, str):
        assert "\0" not in text and not re.search("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
        if name == "talk.yaml":
            for problem in outcome(sidecar.read_sidecar, f"content/{name}", text, SITE)[1]:
                assert_clear(problem)
        else:
            assert_transcript(outcome(formats.parse, f"content/{name}", text))


clean_config = st.builds(
    CleanConfig, level=st.sampled_from(["clean", "verbatim"]), fillers=st.booleans(), stutters=st.booleans(),
    corrections=st.booleans(), boilerplate=st.booleans(), paragraph_words=st.integers(1, 1_000_000),
    paragraph_pause=st.floats(0, 1_000_000))
corrections = st.lists(st.tuples(st.one_of(words, any_text, st.sampled_from(["(", "\\", "*", "[a-", "$1", "I"])),
                                 st.one_of(words, any_text)), max_size=4).map(tuple)


@fuzz
@given(st.one_of(texts, text_transcript(), webvtt()), clean_config, corrections, st.sampled_from(["en", "de"]))
def test_the_cleaner_keeps_every_verbatim_word_whatever_the_text(text, config, pairs, language):
    parsed = outcome(formats.parse, "content/talk.txt", text)
    if isinstance(parsed, SiteError):
        parsed = outcome(formats.parse, "content/talk.txt", ">> " + text.replace("\0", " "))
    if isinstance(parsed, SiteError):
        return
    before = [p.verbatim for t in parsed.turns for p in t.paragraphs]
    result = outcome(clean.clean, parsed, clean.Options(config, pairs, language))
    assert not isinstance(result, SiteError), result
    assert_transcript(result)
    after = " ".join(p.verbatim for t in result.turns for p in t.paragraphs)
    assert after.split() == " ".join(before).split(), "cleaning kept every verbatim word, in order"


@fuzz
@given(texts, st.booleans(), st.booleans())
def test_finding_fillers_and_stutters_in_any_text_gives_edits_inside_it(text, fillers, stutters):
    edits = outcome(disfluency.find_edits, text, fillers, stutters)
    assert isinstance(edits, list)
    for e in edits:
        assert 0 <= e.start <= e.end <= len(text), e
    assert edits == sorted(edits, key=lambda e: e.start)
    cleaned = outcome(disfluency.apply, text, edits)
    assert isinstance(cleaned, str)


@st.composite
def indexed(draw: st.DrawFn) -> tuple[anchor.Index, list[str]]:
    """A cleaned transcript's quote index, and the transcript's words."""
    text = draw(st.one_of(text_transcript(), webvtt(), srt(), soup))
    parsed = outcome(formats.parse, draw(st.sampled_from(["t.txt", "t.vtt", "t.srt"])), text)
    if isinstance(parsed, SiteError):
        parsed = formats.parse("t.txt", ">> " + draw(words))
    cleaned = outcome(clean.clean, parsed, clean.Options(draw(clean_config), draw(corrections)))
    assert isinstance(cleaned, Transcript)
    index = outcome(anchor.Index, cleaned)
    assert isinstance(index, anchor.Index)
    return index, [w for t in cleaned.turns for p in t.paragraphs for w in p.verbatim.split()]


@fuzz
@given(indexed(), st.data())
def test_any_quote_anchors_to_a_place_in_the_text_or_is_a_clear_error(found, data):
    index, said = found
    run = st.integers(0, max(0, len(said) - 1)).flatmap(
        lambda i: st.integers(1, 30).map(lambda n: " ".join(said[i : i + n])))
    quote = data.draw(st.one_of(run, run, texts, st.sampled_from(["", " ", "...", "uh um", "I I I I"])))
    time = data.draw(st.one_of(st.none(), st.none(), st.floats(0, 1e7)))
    occurrence = data.draw(st.integers(0, 5))
    where = outcome(anchor.find, index, Selector(SourcePos("content/t.yaml", 3, 7), quote, time, occurrence,
                                                 "  - at: " + quote[:100]))
    if not isinstance(where, SiteError):
        first, last = where
        turns = index.transcript.turns
        assert first.key <= last.end_key
        for loc in (first, last):
            assert 0 <= loc.start <= loc.end <= len(turns[loc.turn].paragraphs[loc.para].verbatim)


SITE = Site(people={"ann": Person("ann", "Ann Lee"), "bob": Person("bob", "Bob Stone")},
            topics={"maps": Topic("maps", "Maps")}, glossary=(("GPD five", "GPT-5"),))


@fuzz
@given(yaml_text)
def test_any_yaml_text_composes_or_is_a_located_error(text):
    doc = outcome(yamlfile.parse, "content/talk.yaml", text, AnnotationError)
    assert isinstance(doc, (yamlfile.YamlDoc, SiteError))


@fuzz
@given(yaml_text)
def test_any_sidecar_reads_as_annotations_and_its_problems(text):
    result = outcome(sidecar.read_sidecar, "content/talk.yaml", text, SITE, CleanConfig())
    assert not isinstance(result, SiteError), "read_sidecar returns its problems"
    meta, problems = result
    assert isinstance(meta, Meta)
    for problem in problems:
        assert isinstance(problem, SiteError)
        assert_clear(problem)


@fuzz
@given(yaml_text, st.sampled_from(["people", "topics", "glossary"]))
def test_site_wide_files_read_as_records_or_clear_errors(text, kind):
    read = {"people": sidecar.read_people, "topics": sidecar.read_topics,
            "glossary": sidecar.parse_glossary}[kind]
    result = outcome(read, f"content/{kind}.yaml", text)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
        for problem in result[1]:
            assert isinstance(problem, SiteError)
            assert_clear(problem)


@fuzz
@given(st.one_of(yaml_text.map(str.encode), st.binary(max_size=200),
                 st.dictionaries(st.sampled_from(list(string.ascii_lowercase[:3]) + SIDECAR_WORDS),
                                 yaml_value, max_size=6).map(lambda d: dumped(d).encode())))
def test_any_config_file_loads_as_settings_or_a_clear_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yaml"
        path.write_bytes(data)
        config = outcome(load_config, path)
    # Every mistake at once: several come as one SiteErrors.
    problems = config.errors if isinstance(config, SiteErrors) else [config]
    assert all(isinstance(p, (Config, ConfigError)) for p in problems), config


# The whole way, from files to a page and its downloads.

_renderer: dict[str, render.Renderer] = {}


def renderer() -> render.Renderer:
    if "r" not in _renderer:
        _renderer["r"] = render.Renderer(Config(), SITE)
    return _renderer["r"]


@st.composite
def sidecar_for(draw: st.DrawFn, said: list[str]) -> str:
    """A sidecar that quotes the transcript (and sometimes does not)."""
    run = st.integers(0, max(0, len(said) - 1)).flatmap(
        lambda i: st.integers(1, 12).map(lambda n: " ".join(said[i : i + n]) or "x"))
    quote = st.one_of(run, run, run, clock_, words,
                      st.fixed_dictionaries({"quote": run}, optional={"occurrence": st.integers(-1, 4)}))
    person = st.sampled_from(["ann", "bob", "ann", "bob", "zed"])
    markdown = st.one_of(words, st.sampled_from(["[a link](https://example.com)", "[x](javascript:alert(1))",
                                                 "<script>alert(1)</script>", "**bold** _it_", "# Heading",
                                                 "![img](x.png)", "`code`", "> quoted"]))
    junk = st.fixed_dictionaries({}, optional={
        "at": quote, "from": quote, "to": quote, "text": words, "title": words, "topic": words,
        "speaker": person, "join": st.booleans(), "reason": words})
    doc = draw(st.fixed_dictionaries({}, optional={
        "title": words, "date": st.dates(), "description": markdown, "source": st.sampled_from(
            ["https://example.com/ep", "https://example.com/?a=1&b=<2>", "javascript:alert(1)"]),
        "speakers": st.dictionaries(st.sampled_from([">>", "", "Ann", "SPEAKER_3", "SPEAKER_00", "Bob Lee"]),
                                    st.one_of(person, st.lists(person, max_size=3)), max_size=3),
        "turns": st.lists(st.one_of(st.fixed_dictionaries({"at": quote, "speaker": person}),
                                    st.fixed_dictionaries({"at": quote, "join": st.just(True)}), junk),
                          max_size=2),
        "cut": st.lists(st.one_of(st.fixed_dictionaries({"from": quote}, optional={"to": quote, "reason": words}),
                                  junk), max_size=2),
        "chapters": st.lists(st.fixed_dictionaries({"at": quote, "title": words}) | junk, max_size=2),
        "topics": st.lists(st.one_of(st.fixed_dictionaries({"topic": st.sampled_from(["maps", "maps", "nope"]),
                                                            "from": quote}, optional={"to": quote}), junk),
                           max_size=2),
        "notes": st.lists(st.fixed_dictionaries({"at": quote, "text": markdown}) | junk, max_size=2),
        "highlights": st.lists(quote, max_size=2),
        "corrections": st.dictionaries(st.one_of(run, words), words, max_size=2),
        "media": st.sampled_from([{"audio": "static/a.wav"}, {"youtube": "dQw4w9WgXcQ"},
                                  {"video": "https://example.com/v.mp4"}]),
        "clean": st.fixed_dictionaries({}, optional={"level": st.sampled_from(["clean", "verbatim"]),
                                                     "paragraph_words": st.integers(1, 300)}),
    }))
    return dumped(doc)


@fuzz
@given(st.one_of(text_transcript(), webvtt(), srt(), json_transcript()), st.data())
def test_a_transcript_and_its_sidecar_make_a_page_or_clear_errors(text, data):
    ext = ".json" if text.lstrip().startswith(("{", "[")) else \
        ".vtt" if "WEBVTT" in text[:20] else data.draw(st.sampled_from([".txt", ".md", ".srt"]))
    parsed = outcome(formats.parse, f"content/talk{ext}", text)
    said = [w for t in parsed.turns for p in t.paragraphs for w in p.verbatim.split()] \
        if isinstance(parsed, Transcript) else text.split()
    side = data.draw(st.one_of(sidecar_for(said), sidecar_for(said), sidecar_for(said), yaml_text))
    transcript, annotations = as_read(f"talk{ext}", text), as_read("talk.yaml", side)
    if isinstance(transcript, SiteError) or isinstance(annotations, SiteError):
        event("unreadable file")
        return
    source = Source("talk", TextFile(f"content/talk{ext}", transcript),
                    TextFile("content/talk.yaml", annotations))
    made = outcome(make.transcript, source, SITE, Config(), renderer())
    assert not isinstance(made, SiteError), "make reports problems, it does not raise them"
    for problem in made.errors + made.warnings:
        assert_clear(problem)
    event("a page" if made.page is not None else "errors")
    if made.page is not None:
        page = made.files["talk/index.html"].decode("utf-8")
        assert page.startswith("<!doctype html>")
        assert not CONTROL.search(page.replace("\n", " ").replace("\t", " ")), "no control character in HTML"


def test_a_long_quote_found_nowhere_in_a_long_transcript_is_no_hang():
    """A pasted section (10,000 words) that occurs nowhere in a two-hour transcript
    (20,000 words): finding the closest passage for the hint is one pass over the
    transcript, not one per quoted word (it took 30 s, and a minute at twice the size)."""
    vocabulary = [f"w{k}" for k in range(3000)]
    said = " ".join(vocabulary[k * 7919 % 3000] for k in range(20_000))
    index = anchor.Index(formats.parse("t.txt", f">> {said}\n"))
    quote = " ".join(vocabulary[k * 104_729 % 3000] for k in range(10_000)) + " nowhere"
    err = outcome(anchor.find, index, Selector(SourcePos("content/t.yaml", 3, 7), quote))
    assert isinstance(err, AnnotationError) and "closest passage" in err.hint

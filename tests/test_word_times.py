"""Issue #23: word times, where the source gives them (WhisperX `words`), are
kept through parsing and cleaning into the page and the captions."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.request
from collections.abc import Iterator

import pysrt
import pytest
import webvtt

from gloss import pipeline
from gloss.config import Config, load_config
from gloss.load import Source, TextFile
from gloss.model import Site
from gloss.page import make_page

from .conftest import html
from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)
from .test_exports import assert_caption_limits, export
from .test_player import RangeHandler, open_served, tone


def whisperx(words: list[tuple[str, float | None]], speaker: str = "SPEAKER_00") -> dict:
    """A WhisperX segment as it writes one: its text, and each word with its
    times (none for what it could not align, often a number)."""
    timed = [{"word": w} if t is None else {"word": w, "start": t, "end": round(t + 0.25, 3), "score": 0.9}
             for w, t in words]
    starts = [t for _, t in words if t is not None]
    return {"start": starts[0], "end": round(starts[-1] + 0.25, 3), "speaker": speaker,
            "text": " " + " ".join(w for w, _ in words), "words": timed}


SAID = [("So", 1.0), ("uh", 1.4), ("the", 2.0), ("river", 2.3), ("rose", 2.7), ("12", None), ("feet.", 3.4)]


def page_of(segments: list[dict]):
    text = json.dumps({"segments": segments})
    return make_page(Source("walk", TextFile("content/walk.json", text), None), Site(), Config())


def test_each_timed_word_is_a_cue_at_its_place_in_the_verbatim():
    page = page_of([whisperx(SAID)])
    (para,) = page.transcript.turns[0].paragraphs
    assert para.verbatim == "So uh the river rose 12 feet."
    marks = [(para.verbatim[c.offset :].split()[0], c.start) for c in para.cues]
    assert marks == [("So", 1.0), ("uh", 1.4), ("the", 2.0), ("river", 2.3), ("rose", 2.7), ("feet.", 3.4)], \
        "the removed filler keeps its time; the number it could not align has none"
    assert para.text == "So the river rose 12 feet."


def test_a_word_the_text_does_not_hold_is_left_without_a_time():
    segment = whisperx(SAID)
    segment["words"].insert(3, {"word": "banks", "start": 2.1, "end": 2.2})
    (para,) = page_of([segment]).transcript.turns[0].paragraphs
    assert [para.verbatim[c.offset :].split()[0] for c in para.cues] == ["So", "uh", "the", "river", "rose",
                                                                          "feet."]


def test_captions_start_when_their_first_word_is_said(make_site):
    first = [(f"w{k}", round(k * 0.5, 3)) for k in range(30)]
    first[9] = ("nine.", 4.5)
    site = make_site({"content/walk.json": json.dumps({"segments": [whisperx(first)]})})
    vtt = webvtt.from_string(export(site, "walk", "vtt").read_text("utf-8"))
    starts = {round(k * 0.5, 3) for k in range(30)}
    assert len(vtt) > 1
    for cue in vtt:
        assert cue.start_time.in_milliseconds() / 1000 in starts, "a word's own time, not an estimate"
    page = html(site / "walk" / "index.html")
    assert page.select_one(".speech p")["data-cues"].startswith("0,0 3,50 ")


# In Chromium, with a recording.

LATER = ["and", "then", "the", "map", "was", "drawn", "again."]

@pytest.fixture(scope="module")
def word_site(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("words")
    (root / "content").mkdir()
    (root / "config.yaml").write_text("title: Words\n", "utf-8")
    later = [(w, round(5.0 + 0.5 * k, 3)) for k, w in enumerate(LATER)]
    (root / "content" / "walk.json").write_text(
        json.dumps({"segments": [whisperx(SAID), whisperx(later, "SPEAKER_01")]}), "utf-8")
    (root / "content" / "walk.yaml").write_text("media: {audio: static/tone.wav}\n", "utf-8")
    # Podcasting 2.0 JSON, one word a segment (as Descript and others write it).
    words = [{"speaker": "Ann Lee" if k < 6 else "Bob Stone", "startTime": round(1.0 + 0.5 * k, 3),
              "endTime": round(1.4 + 0.5 * k, 3), "body": w}
             for k, w in enumerate([w for w, _ in SAID if w != "12"] + LATER)]
    (root / "content" / "pc.json").write_text(json.dumps({"version": "1.0.0", "segments": words}), "utf-8")
    (root / "content" / "pc.yaml").write_text("media: {audio: static/tone.wav}\n", "utf-8")
    tone(root / "themes" / "default" / "static" / "tone.wav")
    pipeline.build(load_config(root / "config.yaml"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(root / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def lit_at(page, t: float, word: str) -> None:
    page.evaluate(f"document.querySelector('audio').currentTime = {t}")
    page.wait_for_function(f"""(() => {{ const h = CSS.highlights.get('spoken-word');
        return h && [...h][0].toString() === {json.dumps(word)}; }})()""", timeout=5000)


def test_a_podcasting_json_of_one_word_a_segment_lights_each_word_as_shown(browser, word_site):  # noqa: F811
    """Bob's "and" opens his turn with a capital the page gives it: "And" is lit."""
    page = open_served(browser, word_site + "pc/")
    try:
        for t, word in ((1.1, "So"), (2.6, "river"), (3.7, "feet."), (4.1, "And"), (6.7, "drawn")):
            lit_at(page, t, word)
        assert page.errors == []
    finally:
        page.close()


def test_captions_from_word_times_keep_to_the_limits(word_site):
    for slug in ("walk", "pc"):
        vtt = urllib.request.urlopen(f"{word_site}{slug}/{slug}.vtt").read().decode()
        srt = urllib.request.urlopen(f"{word_site}{slug}/{slug}.srt").read().decode()
        assert_caption_limits(webvtt.from_string(vtt), pysrt.from_string(srt))


def test_the_spoken_word_is_lit_as_the_recording_plays(browser, word_site):  # noqa: F811
    page = open_served(browser, word_site + "walk/")
    try:
        for t, word in ((2.35, "river"), (2.8, "rose"), (3.5, "feet."), (5.6, "then"), (8.1, "again.")):
            lit_at(page, t, word)
        assert page.errors == []
    finally:
        page.close()


def test_a_click_on_a_word_plays_from_it(browser, word_site):  # noqa: F811
    page = open_served(browser, word_site + "walk/")
    try:
        box = page.evaluate("""(() => { const p = document.querySelectorAll('.speech p[data-cues]')[1];
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const at = n.data.indexOf('drawn');
                if (at < 0) continue;
                const r = document.createRange(); r.setStart(n, at + 1); r.setEnd(n, at + 2);
                const b = r.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2];
            } })()""")
        # Muted, and held where the click put it, so the check does not race the playing.
        page.evaluate("""(() => { const a = document.querySelector('audio'); a.muted = true;
            a.addEventListener('playing', () => a.pause()); })()""")
        page.mouse.click(*box)
        page.wait_for_function("Math.abs(document.querySelector('audio').currentTime - 7.5) < 0.3", timeout=5000)
        page.wait_for_function("""(() => { const h = CSS.highlights.get('spoken-word');
            return h && [...h][0].toString() === 'drawn'; })()""", timeout=5000)
    finally:
        page.close()


def test_the_json_download_has_a_segment_a_word_with_its_time(make_site):
    later = [(w, round(5.0 + 0.5 * k, 3)) for k, w in enumerate(LATER)]
    site = make_site({"content/walk.json": json.dumps({"segments": [whisperx(SAID), whisperx(later, "SPEAKER_01")]})})
    data = json.loads(export(site, "walk", "json").read_text("utf-8"))
    got = [(s["body"], s["startTime"]) for s in data["segments"]]
    assert got[:5] == [("So", 1.0), ("the", 2.0), ("river", 2.3), ("rose 12", 2.7), ("feet.", 3.4)], \
        "the removed filler has no segment; the number it could not align goes with the word before"
    assert [w for w, _ in got[5:]] == ["And", *LATER[1:]], "as the page shows it: a turn opens with a capital"
    assert all(s["endTime"] >= s["startTime"] for s in data["segments"])
    assert {s["speaker"] for s in data["segments"]} == {"Speaker 0", "Speaker 1"}


YOUTUBE = "\n".join([  # its shape: a line of one space, a scrolled-up repeat of the line before
    "WEBVTT", "Kind: captions", "Language: en", "",
    "00:00:00.000 --> 00:00:02.119 align:start position:0%", " ",
    "there's<00:00:00.210><c> no</c><00:00:00.359><c> denying</c><00:00:00.690><c> the</c><00:00:00.870><c> river</c>",
    "", "00:00:02.119 --> 00:00:02.129 align:start position:0%", "there's no denying the river", " ", "",
    "00:00:02.129 --> 00:00:05.360 align:start position:0%", "there's no denying the river",
    "is<00:00:02.280><c> a</c><00:00:02.520><c> pretty</c><00:00:03.179><c> sleek</c><00:00:03.780><c> machine</c>", ""])


def test_youtube_word_stamps_are_word_times():
    """YouTube's automatic captions stamp each word (`word<00:00:00.210><c> no</c>`)."""
    page = make_page(Source("yt", TextFile("content/yt.vtt", YOUTUBE), None), Site(), Config())
    (para,) = page.transcript.turns[0].paragraphs
    assert para.verbatim == "there's no denying the river is a pretty sleek machine"
    assert [(para.verbatim[c.offset :].split()[0], c.start) for c in para.cues] == [
        ("there's", 0.0), ("no", 0.21), ("denying", 0.359), ("the", 0.69), ("river", 0.87),
        ("is", 2.129), ("a", 2.28), ("pretty", 2.52), ("sleek", 3.179), ("machine", 3.78)]

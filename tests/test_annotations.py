"""Each annotation kind on a small transcript, seen on the built pages, and each
mistake an editor can make, reported at the YAML line and column."""

from __future__ import annotations

import pytest

from gloss import anchor, formats
from gloss.errors import SiteError, SourcePos
from gloss.model import Selector

from .conftest import html, reading
from .test_errors import make_project, run_cli

CAPTIONS = """Teaser words from the guest about models.
>> Hi, I'm Matt. Welcome to the show. My guest is Lush Kaiser.
>> Lush, welcome.
>> Thank you very much. So what is uh happening in AI right now?
>> I I think progress is smooth. It is an exponential. And it goes on.
>> Why do people disagree?
>> Because they see it from the outside. Thanks for listening, subscribe now.
"""

PEOPLE = """matt: {name: Matt Turck, role: Host}
lk:
  name: Lukasz Kaiser
  role: Researcher
  bio: Co-author of the *Transformer* paper.
  links: {Homepage: "https://example.com/lk"}
"""

TOPICS = """progress:
  title: AI progress
  description: Is it *slowing*?
outside: Outside views
"""

SIDECAR = """title: A talk
speakers:
  ">>": [matt, lk]
turns:
  - at: "Teaser words from the guest"
    speaker: lk
  - at: "Lush, welcome."
    join: true
  - at: "So what is happening in AI"
    speaker: matt
cut:
  - from: "Thanks for listening"
    reason: outro ad
corrections:
  Lush: Lukasz
chapters:
  - at: "Hi, I'm Matt"
    title: Introduction
  - at: "I think progress is smooth"
    title: Progress
topics:
  - topic: progress
    from: "So what is happening in AI"
    to: "And it goes on."
  - topic: outside
    from: "Why do people disagree?"
    to: "they see it from the outside"
notes:
  - at: "It is an exponential"
    text: See [the plot](https://example.com/plot) and [not this](javascript:alert(1)).
highlights:
  - "progress is smooth"
"""


@pytest.fixture
def built(make_site):
    return make_site({"content/talk.txt": CAPTIONS, "content/talk.yaml": SIDECAR,
                      "content/people.yaml": PEOPLE, "content/topics.yaml": TOPICS})


def turns(page):
    """Speaker and paragraphs as a reader sees them (removed words are hidden)."""
    for removed in page.select("del.rm, .chg .v"):
        removed.decompose()
    out = []
    for t in page.select("main .turn"):
        paras = [" ".join(p.get_text().replace("¶", "").split())
                 for p in t.select(".speech p[id]")]
        out.append((t.find("cite").get_text(), paras))
    return out


def test_turn_fixes_and_alternation(built):
    page = html(built / "talk" / "index.html")
    who = [name for name, _ in turns(page)]
    assert who == ["Lukasz Kaiser", "Matt Turck", "Lukasz Kaiser", "Matt Turck", "Lukasz Kaiser",
                   "Matt Turck", "Lukasz Kaiser"]
    got = turns(page)
    assert got[1][1] == ["Hi, I'm Matt. Welcome to the show. My guest is Lukasz Kaiser. Lukasz, welcome."]
    assert got[2][1] == ["Thank you very much."]
    assert got[3][1] == ["So what is happening in AI right now?"]


def test_a_chapter_inside_a_turn_splits_it_under_a_heading(built):
    page = html(built / "talk" / "index.html")
    headings = [(h["id"], h.get_text()) for h in page.select("main h3.chapter")]
    assert headings == [("ch-introduction", "Introduction"), ("ch-progress", "Progress")]
    toc = [(a["href"], a.get_text()) for a in page.select("nav.toc a")]
    assert toc == [("#ch-introduction", "Introduction"), ("#ch-progress", "Progress")]
    progress = page.find(id="ch-progress")
    assert progress.find_next("cite").get_text() == "Lukasz Kaiser"


def test_corrections_show_what_was_heard(built):
    page = html(built / "talk" / "index.html")
    fixes = [(f.select_one(".c").get_text(), f.select_one(".v").get_text(), f["title"])
             for f in page.select("main .fix")]
    assert fixes == [("Lukasz", "Lush", "heard: Lush"), ("Lukasz", "Lush", "heard: Lush")]


def test_cut_passage_is_folded_away_with_its_reason(built):
    page = html(built / "talk" / "index.html")
    cut = page.select_one("details.cut")
    assert cut.summary.get_text() == "Cut from this transcript: outro ad"
    assert cut.p.get_text() == "Thanks for listening, subscribe now."
    last_turn = turns(page)[-1][1]
    assert last_turn[0] == "Because they see it from the outside."


def test_topics_tag_paragraphs_and_lead_to_topic_pages(built):
    page = html(built / "talk" / "index.html")
    header_chips = [(a.get_text(), a["href"]) for a in page.select(".page-head .chips a")]
    assert header_chips == [("AI progress", "../topics/progress/"), ("Outside views", "../topics/outside/")]
    tagged = [p["id"] for p in page.select("p[data-topics~=progress]")]
    assert tagged == ["so-what-is-happening-in", "i-i-think-progress-is"]
    index = html(built / "topics" / "index.html")
    assert [(h.get_text(), h.find_next("p").get_text()) for h in index.select(".topic-list h2")] == [
        ("AI progress", "1 passage in 1 transcript"), ("Outside views", "1 passage in 1 transcript")]
    topic = html(built / "topics" / "progress" / "index.html")
    assert topic.find("h1").get_text() == "AI progress"
    assert topic.select_one(".description em").get_text() == "slowing"
    quotes = topic.select("figure.passage")
    assert [q.select_one("figcaption a")["href"] for q in quotes] == ["../../talk/#so-what-is-happening-in"]
    # The span crosses a turn: each speaker's words under their own name.
    assert [(part.select_one(".who-chip").get_text(), part.blockquote.get_text(strip=True))
            for part in quotes[0].select(".part")] == [
        ("Matt Turck", "So what is happening in AI right now?"),
        ("Lukasz Kaiser", "I think progress is smooth. It is an exponential. And it goes on."),
    ]


def test_notes_render_markdown_with_safe_links_only(built):
    page = html(built / "talk" / "index.html")
    note = page.select_one("aside.note")
    assert note.find_next("p", id=True)["id"] == "i-i-think-progress-is", "the note belongs to the paragraph it quotes"
    assert [a["href"] for a in note.find_all("a")] == ["https://example.com/plot"]
    assert "javascript" not in str(note.find_all("a"))


def test_highlights_are_marked_and_quoted_on_the_speakers_page(built):
    page = html(built / "talk" / "index.html")
    assert [m.get_text() for m in page.select("main mark")] == ["progress is smooth."]
    person = html(built / "people" / "lk" / "index.html")
    assert person.find("h1").get_text() == "Lukasz Kaiser"
    assert person.select_one(".lede").get_text() == "Researcher"
    assert person.select_one(".description em").get_text() == "Transformer"
    assert [(a.get_text(), a["href"]) for a in person.select(".links a")] == [
        ("Homepage", "https://example.com/lk")]
    assert [a["href"] for a in person.select("ul.plain a")] == ["../../talk/"]
    assert [q.blockquote.get_text(strip=True) for q in person.select("figure.passage")] == [
        "… progress is smooth."]
    people = html(built / "people" / "index.html")
    assert [a.get_text() for a in people.select(".topic-list h2 a")] == ["Matt Turck", "Lukasz Kaiser"]


# Anchoring robustness.

def index(text: str) -> anchor.Index:
    return anchor.Index(formats.parse("t.txt", text))


def where(idx: anchor.Index, quote: str, occurrence: int = 0) -> tuple[int, int, str]:
    a, b = anchor.find(idx, Selector(SourcePos("a.yaml", 1, 1), quote, occurrence=occurrence))
    para = idx.transcript.turns[a.turn].paragraphs[a.para].verbatim
    return a.turn, a.para, para[a.start : b.end]


@pytest.mark.parametrize("quote", [
    "so what is happening in AI",        # case
    "So, what is happening... in AI?",   # punctuation
    "So   what is\nhappening in AI",      # whitespace
    "So what is uh, um, happening in AI",  # fillers on the quote's side
    "what what is happening in AI",      # stutter on the quote's side
])
def test_quotes_match_on_normalised_words(quote):
    idx = index(">> Thank you. So what is uh happening in in AI right now?\n")
    assert where(idx, quote)[2].endswith("in AI")


def test_quote_still_found_after_the_transcript_is_repunctuated():
    before = index(">> I think progress is smooth it is an exponential\n")
    after = index(">> I think — progress is smooth. It is an exponential!\n")
    assert where(before, "progress is smooth, it is an exponential")[:2] == (0, 0)
    assert where(after, "progress is smooth, it is an exponential")[:2] == (0, 0)


def test_occurrence_picks_one_of_several_matches():
    idx = index(">> it works\n>> yes it works\n>> it works again\n")
    assert where(idx, "it works", occurrence=2)[0] == 1
    with pytest.raises(SiteError, match=r"quote matches 3 places \(transcript lines 1, 2, 3\)"):
        where(idx, "it works")
    with pytest.raises(SiteError, match="`occurrence: 4` but the quote matches 3 place"):
        where(idx, "it works", occurrence=4)


# Mistakes, each at its YAML line and column.

BAD = {
    "quote that matches nowhere, with the closest passage": (
        "chapters:\n  - at: \"progress is very smooth indeed\"\n    title: X\n",
        'talk.yaml:2:9: error: quote not found in content/talk.txt: "progress is very smooth indeed"',
        'hint: closest passage (line 5): "I I think progress is smooth"'),
    "ambiguous quote": (
        "highlights:\n  - \"Lush\"\n",
        'talk.yaml:2:5: error: quote matches 2 places (transcript lines 2, 3): "Lush"',
        "hint: quote more words, or write `{quote: ..., occurrence: N}` to pick one"),
    "unknown key inside a list item": (
        "notes:\n  - at: \"Why do people\"\n    txt: hello\n",
        "talk.yaml:3:5: error: unknown key `txt` in a note", "hint: did you mean `text`?"),
    "typo in a top-level key": (
        "topcis: []\n", "talk.yaml:1:1: error: unknown key `topcis` in the annotation file",
        "hint: did you mean `topics`?"),
    "wrong type": (
        "chapters: Introduction\n", "talk.yaml:1:11: error: `chapters` must be a list (lines starting with `- `)", ""),
    "unknown topic": (
        "topics:\n  - topic: progres\n    from: \"Why do people\"\n",
        "talk.yaml:2:12: error: unknown topic `progres`", "hint: did you mean `progress`?"),
    "span that ends before it starts": (
        "topics:\n  - topic: outside\n    from: \"Why do people\"\n    to: \"Welcome to the show\"\n",
        "talk.yaml:4:9: error: `to` comes before `from` in the transcript", ""),
    "overlapping spans of one topic": (
        "topics:\n  - {topic: outside, from: \"Welcome to the show\", to: \"Why do people\"}\n"
        "  - {topic: outside, from: \"Thank you very much\", to: \"from the outside\"}\n",
        "talk.yaml:3:28: error: this `outside` span overlaps another one of the same topic", ""),
    "chapters out of order": (
        "chapters:\n  - {at: \"Why do people\", title: B}\n  - {at: \"Welcome to the show\", title: A}\n",
        "talk.yaml:3:10: error: chapter `A` does not start after the chapter before it", ""),
    "join not at a turn start": (
        "turns:\n  - at: \"Welcome to the show\"\n    join: true\n",
        "talk.yaml:2:9: error: `join: true` must quote the first words of a turn", ""),
    "turn fix with neither speaker nor join": (
        "turns:\n  - at: \"Welcome to the show\"\n",
        "talk.yaml:2:5: error: a turn fix needs either `speaker: <person>` or `join: true`", ""),
    "timestamp in a transcript without times": (
        "chapters:\n  - {at: \"1:30\", title: Later}\n",
        "talk.yaml:2:10: error: content/talk.txt has no timestamps", ""),
    "overlapping cuts": (
        "cut:\n  - {from: \"Welcome to the show\", to: \"Why do people\"}\n  - {from: \"Thank you very much\"}\n",
        "talk.yaml:2:12: error: this cut overlaps the next one", ""),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_annotation_mistakes_are_located(tmp_path, case):
    sidecar, first, hint = BAD[case]
    project = make_project(tmp_path, {"content/talk.txt": CAPTIONS, "content/talk.yaml": sidecar,
                                      "content/people.yaml": PEOPLE, "content/topics.yaml": TOPICS})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "content/" + first, result.stderr
    if hint:
        assert "  " + hint in lines, result.stderr
    assert "Traceback" not in result.stderr


def test_every_bad_quote_in_a_file_is_reported_at_once(tmp_path):
    sidecar = ("chapters:\n  - {at: \"no such words here\", title: A}\n"
               "notes:\n  - {at: \"nor these words\", text: x}\n"
               "highlights:\n  - \"nothing like this\"\n")
    project = make_project(tmp_path, {"content/talk.txt": CAPTIONS, "content/talk.yaml": sidecar})
    result = run_cli("check", cwd=project)
    errors = [line.split(": error:")[0] for line in result.stderr.splitlines() if ": error:" in line]
    assert errors == ["content/talk.yaml:2:10", "content/talk.yaml:4:10", "content/talk.yaml:6:5"]


def test_a_quote_copied_from_the_cleaned_page_anchors_too(make_site):
    site = make_site({"content/talk.txt": CAPTIONS,
                      "content/talk.yaml": "corrections: {Lush: Lukasz}\n"
                                           "highlights: [\"My guest is Lukasz Kaiser\"]\n"})
    page = html(site / "talk" / "index.html")
    assert reading("".join(str(m) for m in page.select("main mark"))) == "My guest is Lukasz Kaiser."


@pytest.mark.parametrize(("text", "message"), [
    ("date: 2025-13-01\n", "1:7: error: `date` must be a date like 2025-11-28"),
    ("turns:\n  - {at: hello, speaker: []}\n", "2:26: error: `speaker` is one person id"),
    ("speakers:\n  '>>': []\n", "2:9: error: the person is an empty list"),
    ("highlights:\n  - {quote: hi, occurrence: \"²\"}\n", "2:29: error: `occurrence` must be a whole number"),
    ("title: on\ncorrections: {Ry: on}\n", None),
])
def test_yaml_oddities_give_located_errors_not_crashes(text, message):
    from gloss.model import Person, Site
    from gloss.sidecar import parse_sidecar

    site = Site(people={"lk": Person("lk", "Lukasz")})
    if message is None:
        meta = parse_sidecar("talk.yaml", text, site)
        assert (meta.title, meta.corrections) == ("on", (("Ry", "on"),))
        return
    with pytest.raises(SiteError) as err:
        parse_sidecar("talk.yaml", text, site)
    assert str(err.value).splitlines()[0].startswith("talk.yaml:" + message)


def test_entries_that_change_nothing_are_warnings(tmp_path):
    sidecar = "speakers:\n  SPEAKER_9: lk\ncorrections:\n  Lush: Lukasz\n  Gandalf: Gimli\n"
    project = make_project(tmp_path, {"content/talk.txt": CAPTIONS, "content/talk.yaml": sidecar,
                                      "content/people.yaml": PEOPLE})
    result = run_cli("check", cwd=project)
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings == [
        "content/talk.yaml:2:3: warning: speaker label `SPEAKER_9` does not occur in the transcript",
        "content/talk.yaml:5:3: warning: correction `Gandalf` never occurs in the transcript",
    ]
    assert "check passed: 2 warning(s)" in result.stdout
    strict = run_cli("check", "--strict", cwd=project)
    assert strict.returncode == 1 and "check failed: 0 error(s), 2 warning(s)" in strict.stderr


# Found in review: each of these once gave a wrong page or a traceback.

def test_two_turn_fixes_at_the_same_words_are_an_error_not_a_crash(tmp_path):
    sidecar = ("turns:\n  - {at: \"Well it was\", speaker: b}\n"
               "  - {at: \"Well it was a long road\", speaker: b}\n")
    project = make_project(tmp_path, {
        "content/t.txt": "Ann: Welcome. So what got you started? Well it was a long road.\n",
        "content/t.yaml": sidecar, "content/people.yaml": "b: {name: Bo}\n"})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/t.yaml:3:10: error: two turn fixes start at the same words" in result.stderr


def test_a_quote_does_not_borrow_the_previous_speakers_repeated_word(make_site):
    site = make_site({"content/t.txt": "Host: So the answer was no?\nGuest: No. We never shipped it.\n",
                      "content/t.yaml": "highlights: [\"No. We never shipped it\"]\n"
                                        "chapters: [{at: \"No. We never shipped it\", title: Answer}]\n"})
    page = html(site / "t" / "index.html")
    assert [m.find_parent("div", class_="turn").find("cite").get_text()
            for m in page.select("main mark")] == ["Guest"]
    assert page.find(id="ch-answer").find_next("cite").get_text() == "Guest"


def test_a_quote_of_words_that_are_not_together_does_not_match(tmp_path):
    text = "Ann: We talked about alpha, uh.\nNothing changed here at all.\nUh, beta is next.\n"
    project = make_project(tmp_path, {"content/t.txt": text, "content/t.yaml": "highlights: [\"alpha beta\"]\n"})
    result = run_cli("check", cwd=project)
    assert "content/t.yaml:1:14: error: quote not found" in result.stderr


def test_non_latin_speaker_names_stay_apart(make_site):
    site = make_site({"content/t.txt": "张伟: 你好。\n李娜: 你好！\nБорис: Привет.\nBOB: hi\nBob: hey\n"})
    page = html(site / "t" / "index.html")
    assert [c.get_text() for c in page.select("main cite")] == ["张伟", "李娜", "Борис", "BOB", "Bob"]
    assert len(page.select(".page-head .speakers li")) == 5


def test_annotations_may_not_point_into_a_cut(tmp_path):
    sidecar = ("cut:\n  - {from: \"Buy our product\", to: \"at a discount.\"}\n"
               "highlights:\n  - \"Buy our product now\"\n")
    text = "Ann: Hello there. Buy our product now at a discount. Back to the show.\n"
    project = make_project(tmp_path, {"content/t.txt": text, "content/t.yaml": sidecar})
    result = run_cli("check", cwd=project)
    assert "content/t.yaml:4:5: error: this highlight points into a cut passage (cut)" in result.stderr


def test_a_cut_ends_after_the_last_quoted_word_and_its_punctuation_only(make_site):
    site = make_site({"content/t.txt": "Ann: We never shipped it—and that hurt. Later, yes.\n",
                      "content/t.yaml": "cut:\n  - {from: \"We never\", to: \"shipped it\"}\n"})
    page = html(site / "t" / "index.html")
    assert page.select_one("details.cut p").get_text() == "We never shipped it"
    assert reading(page.select_one("main .turns")) == "Ann #1 —and that hurt. Later, yes."


def test_a_quote_matching_heard_and_corrected_words_in_two_places_is_ambiguous(tmp_path):
    text = "Ann: I think GPD 5.1 is a big step.\nBo: People say GPT-5.1 is a big step.\n"
    sidecar = "corrections: {GPD 5.1: GPT-5.1}\nnotes: [{at: \"GPT-5.1 is a big step\", text: hi}]\n"
    project = make_project(tmp_path, {"content/t.txt": text, "content/t.yaml": sidecar})
    result = run_cli("check", cwd=project)
    assert "content/t.yaml:2:14: error: quote matches 2 places (transcript lines 1, 2)" in result.stderr


def test_messages_name_the_caption_line_a_quote_is_on(tmp_path):
    lines = [">> " + "filler words here"] + [f"line {n} says little" for n in range(2, 40)]
    lines[29] = "and that is the key point here"
    lines[34] = "and that is the key point here"
    project = make_project(tmp_path, {"content/c.txt": "\n".join(lines) + "\n",
                                      "content/c.yaml": "highlights: [\"that is the key point\"]\n"})
    result = run_cli("check", cwd=project)
    assert "quote matches 2 places (transcript lines 30, 35)" in result.stderr, result.stderr


def test_a_split_before_a_quotation_takes_the_opening_quote_along(make_site):
    site = make_site({"content/t.txt": 'Ann: Hello there. "Is this on?" she asked.\n',
                      "content/people.yaml": "bo: Bo\n",
                      "content/t.yaml": "turns: [{at: \"Is this on\", speaker: bo}]\n"})
    page = html(site / "t" / "index.html")
    assert [reading(t.select_one(".speech")) for t in page.select("main .turn")] == [
        "Hello there.", '"Is this on?" she asked.']


def test_a_highlight_must_quote_words(tmp_path):
    project = make_project(tmp_path, {"content/t.txt": "**A** (0:01)\nHi.\n", "content/t.yaml": "highlights: ['0:01']\n"})
    result = run_cli("check", cwd=project)
    assert result.stderr.startswith("content/t.yaml:1:14: error: a highlight quotes the words to mark, not a time")

"""Where one speaker's turn ends and the next begins, as a reader sees it:
a word the captions left behind goes to the speaker who said it, and a turn
opens with a capital."""

from __future__ import annotations

from .conftest import html, reading

PEOPLE = "ann: Ann\nben: Ben\n"
CYCLE = "speakers:\n  \">>\": [ann, ben]\n"


def turns(site, slug="talk"):
    page = html(site / slug / "index.html")
    return [(t.cite.get_text(), reading(t.select_one(".speech"))) for t in page.select("main .turn")]


def test_a_stutter_cut_off_by_the_caption_goes_to_the_next_speaker(make_site):
    """Raw captions cut a line mid-stutter: "... the future. I" / ">> I think"."""
    site = make_site({
        "content/talk.txt": ">> Could it be a path to explore in the future. I\n>> I think there is a lot of work.\n",
        "content/talk.yaml": CYCLE, "content/people.yaml": PEOPLE})
    assert turns(site) == [("Ann", "Could it be a path to explore in the future."),
                           ("Ben", "I think there is a lot of work.")]
    verbatim = html(site / "talk" / "index.html").select("main .turn")[1]
    assert " ".join(verbatim.select_one(".speech p").get_text().replace("¶", "").split()) == \
        "I I think there is a lot of work.", "the verbatim keeps both copies, now in Ben's turn"


def test_a_last_word_that_is_not_said_again_stays(make_site):
    site = make_site({
        "content/talk.txt": ">> Who did it? Me\n>> Really? I doubt it.\n",
        "content/talk.yaml": CYCLE, "content/people.yaml": PEOPLE})
    assert turns(site) == [("Ann", "Who did it? Me"), ("Ben", "Really? I doubt it.")]
    site = make_site({
        "content/talk.txt": ">> Hello.\n>> … hello\n>> hello again.\n",
        "content/talk.yaml": CYCLE, "content/people.yaml": PEOPLE})
    assert [who for who, _ in turns(site)] == ["Ann", "Ben", "Ann"], "no sentence before it: the turn's own word"


def test_a_turn_fix_at_a_stutter_starts_at_its_first_copy(make_site):
    site = make_site({
        "content/talk.md": "**Ann**\nWhat comes next? So so I think it is this.\n",
        "content/talk.yaml": "speakers: {Ann: ann}\nturns:\n  - at: \"so I think it is this\"\n    speaker: ben\n",
        "content/people.yaml": PEOPLE})
    assert turns(site) == [("Ann", "What comes next?"), ("Ben", "So I think it is this.")]


def test_a_turn_opens_with_a_capital_and_the_verbatim_keeps_the_lowercase(make_site):
    site = make_site({
        "content/talk.txt": ">> so what happens next?\n>> well it depends.\n>> iPhones, mostly.\n>> and then?\n",
        "content/talk.yaml": CYCLE, "content/people.yaml": PEOPLE})
    assert [text for _, text in turns(site)] == [
        "so what happens next?",  # the first turn may begin mid-sentence: an excerpt
        "Well it depends.", "iPhones, mostly.", "And then?"]
    change = html(site / "talk" / "index.html").select_one("main .chg.case")
    assert (change.select_one(".v").get_text(), change.select_one(".c").get_text()) == ("w", "W")
    assert change["title"] == "capital at the start of a turn"


def test_the_verbatim_level_changes_no_capital(make_site):
    site = make_site({
        "content/talk.txt": ">> so what happens next?\n>> well it depends.\n",
        "content/talk.yaml": CYCLE + "clean: {level: verbatim}\n", "content/people.yaml": PEOPLE})
    assert [text for _, text in turns(site)] == ["so what happens next?", "well it depends."]


def test_a_source_that_names_each_speaker_is_taken_at_its_word(make_site):
    """Deepgram's diarized text (shared/real): "...quite recently, actually. And"
    then SPEAKER_01: "and, it was quite...": both may have said it; the source
    names who, so nothing moves."""
    site = make_site({"content/talk.txt": "SPEAKER_00: I watched it quite recently, actually. And\n"
                                          "SPEAKER_01: and, it was quite a long ovation.\n"})
    assert turns(site) == [("Speaker 0", "I watched it quite recently, actually. And"),
                           ("Speaker 1", "And, it was quite a long ovation.")]

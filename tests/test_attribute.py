"""Who speaks each turn, with and without annotations."""

from __future__ import annotations

from gloss import formats
from gloss.attribute import attribute
from gloss.model import Meta, Person

PEOPLE = {"matt": Person("matt", "Matt Turck", "Host"), "lk": Person("lk", "Lukasz Kaiser")}


def names(text, meta=None, people=PEOPLE):
    meta = meta or Meta()
    t, speakers = attribute(formats.parse("x.txt", text), meta, people)
    by_key = {s.key: s for s in speakers}
    return [by_key[turn.speaker].name for turn in t.turns], speakers


def test_bare_captions_alternate_speaker_1_and_2_after_an_unattributed_teaser():
    order, speakers = names("teaser\n>> a\n>> b\n>> c\n")
    assert order == ["Unattributed", "Speaker 1", "Speaker 2", "Speaker 1"]
    assert [s.color for s in speakers] == [0, 1, 2]


def test_diarization_labels_read_as_speaker_numbers():
    order, _ = names("**SPEAKER_3** (0:01)\nhi\n**Jacob Effron** (0:02)\nyo\n")
    assert order == ["Speaker 3", "Jacob Effron"]


def test_sidecar_maps_labels_and_the_alternation_to_people():
    meta = Meta(speakers={"SPEAKER_3": "lk", ">>": ("matt", "lk")})
    order, speakers = names(">> q\n>> a\n>> q2\n", meta)
    assert order == ["Matt Turck", "Lukasz Kaiser", "Matt Turck"]
    assert speakers[0].role == "Host"
    order, _ = names("SPEAKER_3: hello\n", meta)
    assert order == ["Lukasz Kaiser"]


def test_two_labels_for_one_person_are_one_speaker():
    meta = Meta(speakers={"SPEAKER_3": "lk", "Lukasz Kaiser": "lk"})
    order, speakers = names("Lukasz Kaiser: a\nSPEAKER_3: b\n", meta)
    assert order == ["Lukasz Kaiser", "Lukasz Kaiser"]
    assert len(speakers) == 1


def test_each_person_keeps_their_colour_but_no_two_voices_on_a_page_share_one():
    """A site of more people than the eight colours: the ninth person's colour
    is the first's, so on a page with both, the one who speaks later takes a
    colour no one on the page has or wants."""
    people = {f"p{i}": Person(f"p{i}", f"Person {i}") for i in range(1, 11)}
    meta = Meta(speakers={"A": "p1", "B": "p9", "C": "p2"})
    _, speakers = names("A: hi\nB: hello\nC: hey\nD: yo\n", meta, people)
    colours = {s.name: s.color for s in speakers}
    assert colours["Person 1"] == 0 and colours["Person 2"] == 1, "each keeps the site's colour"
    assert len(set(colours.values())) == 4, colours
    assert colours["Person 9"] not in (0, 1) and colours["D"] not in (0, 1, colours["Person 9"])

"""Issue #24, item 6: what topic, person and quote pages show of a passage.

A reader browsing a topic should get the exchange as it happened, in whole
sentences, with when it was said and how long it goes on; a person's quotes
come grouped by episode; a quote's own page names its episode once and does
not link to itself.
"""

from __future__ import annotations

from .conftest import html

LONG_ANSWER = " ".join(f"Sentence number {n} of the story goes on for a while here." for n in range(1, 31))

TALK = f"""**Ann** (0:00:05)
How did the team come together?

**Ben** (0:00:09)
We never did.

**Ann** (0:00:12)
Never? Really.

**Ben** (0:00:15)
{LONG_ANSWER}

**Ann** (0:10:15)
Thanks. Next question.
"""

PEOPLE = """ann: {name: Ann Host}
ben: {name: Ben Guest}
"""

TOPICS = """story: The story
"""

SIDECAR = """title: The talk
date: 2025-11-28
speakers: {Ann: ann, Ben: ben}
topics:
  - topic: story
    from: "How did the team come together?"
    to: "Sentence number 30 of the story"
highlights:
  - "the team come"
  - "We never did."
"""

OTHER = """**Ben** (0:00:01)
Another day, another talk. I said then that we never did.
"""

OTHER_SIDECAR = """title: The other talk
date: 2025-12-01
speakers: {Ben: ben}
highlights:
  - "Another day, another talk."
"""


def build(make_site):
    return make_site({"content/talk.md": TALK, "content/talk.yaml": SIDECAR,
                      "content/other.md": OTHER, "content/other.yaml": OTHER_SIDECAR,
                      "content/people.yaml": PEOPLE, "content/topics.yaml": TOPICS})


def caption(figure) -> str:
    return " ".join(figure.figcaption.get_text().split())


def test_a_topic_shows_the_exchange_in_whole_sentences_with_time_and_length(make_site):
    site = build(make_site)
    (figure,) = html(site / "topics" / "story" / "index.html").select("figure.passage")
    parts = [(p.select_one(".who-chip").get_text(), p.blockquote.get_text(strip=True))
             for p in figure.select(".part")]
    assert [who for who, _ in parts] == ["Ann Host", "Ben Guest", "Ann Host", "Ben Guest"]
    assert parts[:3] == [("Ann Host", "How did the team come together?"), ("Ben Guest", "We never did."),
                         ("Ann Host", "Never? Really.")]
    # The long answer is cut after its last whole sentence that fits, and says so.
    answer = parts[3][1]
    assert answer.startswith("Sentence number 1 of the story") and answer.endswith("goes on for a while here. …")
    shown = sum(len(text.split()) for _, text in parts) - 1
    assert 80 <= shown <= 110
    # From 0:05 to the next turn at 10:15: about ten minutes.
    assert caption(figure) == "0:05 · 10 min · Read on in the transcript"
    assert figure.figcaption.time["datetime"] == "PT5S"
    assert figure.select_one("figcaption a")["href"] == "../../talk/#how-did-the-team-come"


def test_a_short_passage_is_shown_whole(make_site):
    site = make_site({"content/a.md": "**Ann**\nOne thing. Another thing.\n\n**Ben**\nYes.\n",
                      "content/a.yaml": "topics:\n  - topic: t\n    from: One thing\n    to: Yes\n",
                      "content/topics.yaml": "t: T\n"})
    (figure,) = html(site / "topics" / "t" / "index.html").select("figure.passage")
    assert [p.blockquote.get_text(strip=True) for p in figure.select(".part")] == [
        "One thing. Another thing.", "Yes."]
    assert caption(figure) == "Read in context", "untimed and whole: nothing to add"


def test_a_persons_quotes_are_grouped_by_episode_under_one_name(make_site):
    site = build(make_site)
    person = html(site / "people" / "ben" / "index.html")
    groups = [(g.h3.a.get_text(), [" ".join(f.blockquote.get_text().split()) for f in g.select("figure")])
              for g in person.select("section.group")]
    assert groups == [("The other talk", ["Another day, another talk."]),
                      ("The talk", ["We never did."])]
    # The name heads the page; each quote still carries it for a screen reader.
    for figure in person.select("section.group figure"):
        chip = figure.select_one(".who-chip")
        assert chip.get_text() == "Ben Guest" and "visually-hidden" in chip.parent["class"]
        assert "The talk" not in caption(figure), "the episode is the group's heading"


def test_a_quote_cut_from_inside_a_sentence_says_so(make_site):
    site = build(make_site)
    ann = html(site / "people" / "ann" / "index.html")
    (figure,) = ann.select("section.group figure")
    assert figure.blockquote.get_text(strip=True) == "… the team come …"


def test_a_quote_page_names_its_episode_once_and_does_not_link_to_itself(make_site):
    site = build(make_site)
    page = html(site / "quotes" / "talk" / "2" / "index.html")
    main = page.find("main")
    for hidden in main.select(".visually-hidden"):
        hidden.decompose()
    assert main.get_text().count("The talk") == 1
    assert [a["href"] for a in main.select("a")] == ["../../../talk/", "../../../talk/#we-never-did"]
    assert not main.select("a.share")
    figure = main.select_one("figure.passage")
    assert caption(figure) == "Ben Guest · 0:09 · 3 s"

"""The `turns` filter (gloss/transcript_html.py) makes the same bytes as the
template loop it replaced, which a theme's own transcript.html may still use."""

from __future__ import annotations

import pytest
from markupsafe import escape

from gloss.formats.common import clock
from gloss.model import Paragraph, Span
from gloss.theme import PACKAGE_THEMES
from gloss.transcript_html import _times, esc, iso_duration, spans_html

LOOP = """{% for block in page.blocks %}
{% set turn = block.turn %}
{% set s = page.speaker(turn.speaker) %}
{% set tid = "t" ~ (block.index + 1) %}
{% if block.heading %}
<h3 class="chapter" id="{{ block.heading.id }}">{{ block.heading.title }}</h3>
{% endif %}
<div class="turn c{{ s.color }}"{% if not block.continued %} id="{{ tid }}"{% endif %}>
  <div class="who">
    <cite>{{ s.name }}</cite>
    {% if block.continued %}
    <span class="ts cont" aria-hidden="true">cont.</span>
    {% elif turn.start is not none %}
    <a class="ts" href="#{{ tid }}" data-start="{{ turn.start }}"><time datetime="{{ turn.start|iso_duration }}">{{ turn.start|clock }}</time></a>
    {% if page.meta.media %}<a class="play" href="{{ page.meta.media.at(turn.start, root) }}" data-start="{{ turn.start }}" aria-label="Play the recording from {{ turn.start|clock }}">▶</a>{% endif %}
    {% else %}
    <a class="ts" href="#{{ tid }}" aria-label="Link to turn {{ block.index + 1 }}">#{{ block.index + 1 }}</a>
    {% endif %}
  </div>
  <div class="speech">
  {% for pi, para in block.paragraphs %}
    {% set pid = para.id %}{% set alias = paragraph_id(block.index, pi) %}
    {% if para.cut %}
    {% if loop.first or loop.previtem[1].cut != para.cut %}<details class="cut"><summary>Cut from this transcript: {{ para.cut }}</summary>{% endif %}
    <p id="{{ pid }}"><span id="{{ alias }}"></span>{{ para.verbatim }}</p>
    {% if loop.last or loop.nextitem[1].cut != para.cut %}</details>{% endif %}
    {% else %}
    {% if para.topic_starts %}
    <ul class="chips inline" aria-label="Topics from here">
    {% for t in para.topic_starts %}<li><a class="chip" href="{{ root }}topics/{{ t }}/">{{ topics[t].title }}</a></li>{% endfor %}
    </ul>
    {% endif %}
    {% set own = block.times[loop.index0] %}{% if own is not none %}
    <a class="pt{% if loop.first %} inline{% endif %}" href="#{{ pid }}" data-start="{{ own }}"><time datetime="{{ own|iso_duration }}">{{ own|clock }}</time></a>
    {% endif %}
    {% if para.notes %}<div class="with-notes">{% for note in para.notes %}
    <aside class="note" role="note" aria-label="Note">{{ note.text|markdown }}</aside>
    {% endfor %}{% endif %}
    <p id="{{ pid }}"{% if para.start is not none %} data-start="{{ para.start }}"{% endif %}{% set marks = para|cue_marks %}{% if marks %} data-cues="{{ marks }}"{% endif %}{% if para.topics %} data-topics="{{ para.topics|join(' ') }}"{% endif %}><span id="{{ alias }}"></span>{{ para|spans }}&nbsp;<a class="pl" href="#{{ pid }}" tabindex="-1" aria-label="Link to this paragraph">¶</a></p>
    {% if para.notes %}</div>{% endif %}
    {% endif %}
  {% endfor %}
  </div>
</div>
{% endfor %}
"""
"""The default theme's loop over the turns before the `turns` filter, as a
theme of its own may still write it."""

FILTER = "{{ page|turns(root, topics) }}"

TIMED = """**Ann Lee** (0:01)
Hello & welcome, um, to the "show" <b>today</b>. It's, uh, a test.
We talk about rivers and the the sea.
**Bob Stone** (0:12)
Thanks Ann. I I think rivers are great.
Buy our product now at a discount.
And our other product too.
Back to the show, finally.
**Ann Lee** (1:05)
Yeah.
**Bob Stone** (1:09)
Yeah.
**Ann Lee** (1:15)
After a long pause we go on about the ocean.
The ocean is big. It is very big.
**Bob Stone** (1:30)
That is all for today.
"""

TIMED_SIDECAR = """title: Rivers & <seas>
media: {youtube: dQw4w9WgXcQ}
speakers: {Ann Lee: ann}
cut:
  - {from: "Buy our product", to: "other product too.", reason: an <ad> & "promo"}
  - {from: "The ocean is big", reason: size}
chapters:
  - {at: "Thanks Ann", title: "Rivers & <streams>"}
  - {at: "Back to the show", title: The ocean}
topics:
  - {topic: rivers, from: "We talk about rivers", to: "I think rivers are great"}
  - {topic: sea, from: "We talk about rivers"}
notes:
  - {at: "We talk about rivers", text: "A *note* with <b>html</b> & [a link](https://example.org/?a=1&b=2)."}
  - {at: "We talk about rivers", text: A second note.}
highlights:
  - "I think rivers are great"
corrections: {rivers: Rivers}
"""

CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Ann Lee>Hello and welcome, um, to the show.

00:00:03.500 --> 00:00:06.000
<v Ann Lee>Today we talk about rivers < 5 km & more.

00:00:06.500 --> 00:00:09.000
<v Bob Stone>Thanks Ann. I I think rivers are, uh, great.
"""

UNTIMED = """Ann: Hello there, an untimed transcript with <tags> & "quotes".
Bob: Yes, it is. It has no times at all, um, none.

It has a second paragraph too.
Ann: Bye.
"""

FILES = {
    "content/timed.md": TIMED, "content/timed.yaml": TIMED_SIDECAR,
    "content/caps.vtt": CAPTIONS, "content/caps.yaml": "media: {audio: static/a b&c.mp3}\n",
    "content/plain.txt": UNTIMED,
    "content/people.yaml": "ann: {name: Ann <Lee>, role: Host}\n",
    "content/topics.yaml": "rivers: {title: Rivers & \"streams\"}\nsea: {title: The sea}\n",
}


def test_the_turns_filter_makes_the_bytes_the_template_loop_made(make_site, tmp_path):
    site = make_site(FILES)
    made = {slug: (site / slug / "index.html").read_bytes() for slug in ("timed", "caps", "plain")}
    default = (PACKAGE_THEMES / "default" / "templates" / "transcript.html").read_text("utf-8")
    assert FILTER in default
    own = {"themes/default/templates/transcript.html": default.replace(FILTER, LOOP.rstrip("\n"))}
    site = make_site({**FILES, **own})
    for slug, data in made.items():
        assert (site / slug / "index.html").read_bytes() == data, slug
    timed = made["timed"].decode("utf-8")
    # What the comparison covers: each kind of piece the loop makes.
    for piece in ('<details class="cut"><summary>Cut from this transcript: an &lt;ad&gt; &amp; &#34;promo&#34;',
                  'class="ts cont"', '<div class="with-notes">', 'class="chips inline"', "data-topics=",
                  '<a class="play" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1s"',
                  '<mark>', '<del class="rm"', '<span class="chg'):
        assert piece in timed, piece
    assert "data-cues=" in made["caps"].decode("utf-8")
    assert 'aria-label="Link to turn 1">#1</a>' in made["plain"].decode("utf-8")


@pytest.mark.parametrize("text", ["", "plain words", "<b>&amp;</b> 'it' \"is\"", "&&<<>>''\"\"", "é ü ☃"])
def test_esc_escapes_as_jinja_does(text):
    assert esc(text) == str(escape(text))


def test_unchanged_words_are_escaped_a_run_at_a_time():
    para = Paragraph("a < b, um, & c", None,  # type: ignore[arg-type]
                     spans=[Span("a < b", "a < b"), Span(", um,", "", "drop", "filler"),
                            Span(" & c", " & c", mark=True), Span(" 'd'", " 'd'")])
    assert spans_html(para) == ('a &lt; b<del class="rm" title="filler">, um,</del>'
                                "<mark> &amp; c</mark> &#39;d&#39;")


@pytest.mark.parametrize("seconds", [0, 0.4, 5.0, 59.99, 60, 87, 600, 3599, 3600, 3605.5, 3661, 7325.25, 36000])
def test_a_time_is_written_as_the_clock_and_iso_duration_filters_write_it(seconds):
    assert _times(seconds) == (str(seconds), iso_duration(seconds), clock(seconds))

"""A transcript's turns as HTML, made in Python: the default theme's
`transcript.html` shows them with one call (`{{ page|turns(root, topics) }}`)
instead of a template loop over every turn, paragraph and span.

A 10,000-word episode is some 150 turns, 250 paragraphs and thousands of spans;
as a Jinja loop they cost more than the rest of the page together (a call, an
escape and a `Markup` for every small piece). Here each piece is escaped once as
a whole string, runs of unchanged words are escaped together, and a paragraph
is joined from a list. The markup is the template loop's, byte for byte
(`tests/test_transcript_html.py` renders both and compares): a theme that
overrides `transcript.html` with its own loop still has every filter and
variable the loop used (`spans`, `cue_marks`, `paragraph_id`, `page.blocks`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup

from .captioning import cue_marks
from .formats.common import hms
from .model import Block, Page, Paragraph, Topic


def esc(text: str) -> str:
    """`text` escaped as Jinja's autoescape (markupsafe) escapes it: `&`, `<`,
    `>`, `'` and `"`, the quotes as `&#39;` and `&#34;`. Most text has none of
    them and comes back as it is."""
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return text


def iso_duration(seconds: float | None) -> str:
    """The `datetime` of a `<time>` that marks an offset: 87 -> `PT1M27S`."""
    if seconds is None:
        return ""
    h, m, sec = hms(seconds)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + f"{sec}S"


_DELS: dict[str, str] = {}
"""`<del class="rm" title="...">` by the removal's note: a few notes (the
cleaning rules') title thousands of removals."""


def spans_html(para: Paragraph) -> str:
    """A paragraph's text as HTML (see `render.spans`). Unchanged words, most of
    a paragraph, are escaped a run at a time."""
    out: list[str] = []
    plain: list[str] = []
    for s in para.spans:
        kind = s.kind
        if not kind and not s.mark:
            plain.append(s.text)
            continue
        if plain:
            out.append(esc("".join(plain)))
            plain = []
        if kind == "drop":
            head = _DELS.get(s.note)
            if head is None:
                head = f'<del class="rm" title="{esc(s.note)}">'
                if len(_DELS) < 64:
                    _DELS[s.note] = head
            piece = f"{head}{esc(s.verbatim)}</del>"
        elif kind:
            piece = (f'<span class="chg {esc(kind)}" title="{esc(s.note)}"><span class="v">'
                     f'{esc(s.verbatim)}</span><span class="c">{esc(s.text)}</span></span>')
        else:
            piece = esc(s.text)
        out.append(f"<mark>{piece}</mark>" if s.mark else piece)
    if plain:
        out.append(esc("".join(plain)))
    return "".join(out)


def _times(seconds: float) -> tuple[str, str, str]:
    """A time as the page writes it: `data-start` (a number: nothing to escape),
    `<time datetime>` (`iso_duration`) and shown (`clock`)."""
    h, m, sec = hms(seconds)
    if h:
        return str(seconds), f"PT{h}H{m}M{sec}S" if m else f"PT{h}H{sec}S", f"{h}:{m:02d}:{sec:02d}"
    return str(seconds), f"PT{m}M{sec}S" if m else f"PT{sec}S", f"{m}:{sec:02d}"


def turns(page: Page, root: str, topics: Mapping[str, Topic],
          markdown: Callable[[str], str]) -> Markup:
    """Every block of the page (`page.blocks`) as the turns of the transcript:
    the chapter heading a block starts with, the speaker and the turn's time,
    and each paragraph with its topic chips, time, notes and text; a cut
    passage folded in `<details>` with its reason."""
    out: list[str] = []
    add = out.append
    root_e = esc(root)
    media = page.meta.media
    speakers = {s.key: s for s in page.speakers}
    titles: dict[str, str] = {}
    for block in page.blocks:
        turn = block.turn
        s = speakers.get(turn.speaker) or page.speaker(turn.speaker)
        tid = f"t{block.index + 1}"
        if block.heading:
            add(f'<h3 class="chapter" id="{esc(block.heading.id)}">{esc(block.heading.title)}</h3>\n')
        add(f'<div class="turn c{s.color}"'
            + ("" if block.continued else f' id="{tid}"')
            + f'>\n  <div class="who">\n    <cite>{esc(s.name)}</cite>\n')
        if block.continued:
            add('    <span class="ts cont" aria-hidden="true">cont.</span>\n')
        elif turn.start is not None:
            start, iso, shown = _times(turn.start)
            add(f'    <a class="ts" href="#{tid}" data-start="{start}"><time datetime="{iso}">'
                f'{shown}</time></a>\n')
            if media:
                add(f'<a class="play" href="{esc(media.at(turn.start, root))}" data-start="{start}"'
                    f' aria-label="Play the recording from {shown}">▶</a>')
        else:
            add(f'    <a class="ts" href="#{tid}" aria-label="Link to turn {block.index + 1}">'
                f'#{block.index + 1}</a>\n')
        add('  </div>\n  <div class="speech">\n')
        _paragraphs(block, add, root_e, topics, titles, markdown)
        add("  </div>\n</div>\n")
    return Markup("".join(out))


def _paragraphs(block: Block, add: Callable[[str], None], root_e: str, topics: Mapping[str, Topic],
                titles: dict[str, str], markdown: Callable[[str], str]) -> None:
    """A block's paragraphs, into `add`."""
    paras = block.paragraphs
    last = len(paras) - 1
    for k, (pi, para) in enumerate(paras):
        pid = esc(para.id)
        alias = f"t{block.index + 1}-{pi + 1}"
        cut = para.cut
        if cut:
            if k == 0 or paras[k - 1][1].cut != cut:
                add(f'<details class="cut"><summary>Cut from this transcript: {esc(cut)}</summary>')
            add(f'    <p id="{pid}"><span id="{alias}"></span>{esc(para.verbatim)}</p>\n')
            if k == last or paras[k + 1][1].cut != cut:
                add("</details>")
            continue
        if para.topic_starts:
            chips = []
            for t in para.topic_starts:
                title = titles.get(t)
                if title is None:
                    title = titles[t] = esc(topics[t].title)
                chips.append(f'<li><a class="chip" href="{root_e}topics/{esc(t)}/">{title}</a></li>')
            add('    <ul class="chips inline" aria-label="Topics from here">\n'
                + "".join(chips) + "    </ul>\n")
        own = block.times[k]
        if own is not None:
            start, iso, shown = _times(own)
            add(f'    <a class="pt{" inline" if k == 0 else ""}" href="#{pid}" data-start="{start}">'
                f'<time datetime="{iso}">{shown}</time></a>\n')
        if para.notes:
            add('<div class="with-notes">' + "".join(
                f'    <aside class="note" role="note" aria-label="Note">{markdown(note.text)}</aside>\n'
                for note in para.notes))
        attrs = ""
        if para.start is not None:
            attrs = f' data-start="{para.start}"'
        if para.cues:
            marks = cue_marks(para)
            if marks:
                attrs += f' data-cues="{esc(marks)}"'
        if para.topics:
            attrs += f' data-topics="{esc(" ".join(para.topics))}"'
        add(f'    <p id="{pid}"{attrs}><span id="{alias}"></span>{spans_html(para)}&nbsp;'
            f'<a class="pl" href="#{pid}" tabindex="-1" aria-label="Link to this paragraph">¶</a></p>\n')
        if para.notes:
            add("</div>")

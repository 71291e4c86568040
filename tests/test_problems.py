"""An editor fixes every mistake in one pass: a check reports each independent
problem of each file at once, in file and line order, with a hint that names
the likely fix."""

from __future__ import annotations

from .conftest import html
from .test_errors import make_project, run_cli

TALK = (
    "**Margaret Duthie** (0:05)\n"
    "I was a nurse at St. Luke's for forty years.\n"
    "**Host** (1:10)\n"
    "What changed the most?\n"
    "**Margaret Duthie** (2:30)\n"
    "The machines. We used to count breaths by hand.\n"
    "**Host** (4:01)\n"
    "Thank you.\n"
)
PEOPLE = "margaret-duthie: Margaret Duthie\nhost: Sam Host\n"
TOPICS = "nursing: Nursing\n"

ONE_OF_EACH = """\
titel: Forty years
date: 2025-02-30
speakers:
  Margaret Duthy: margaret-duthie
  Host: hots
chapters:
  - at: "9:24"
    title: Past the end
  - at: "0:02"
    title: Before the start
  - at: "The machines"
    title: Machines
  - at: "What changed the most"
    title: Out of order
topics:
  - topic: nurisng
    from: "What changed"
notes:
  - at: "we counted pulses with a watch"
    text: A note.
highlights:
  - "count breaths by hand"
"""


def test_one_mistake_of_each_kind_is_reported_in_one_check(tmp_path):
    project = make_project(tmp_path, {"content/talk.txt": TALK, "content/talk.yaml": ONE_OF_EACH,
                                      "content/people.yaml": PEOPLE, "content/topics.yaml": TOPICS})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    out = result.stderr.splitlines()
    located = [line for line in out if ": error:" in line or ": warning:" in line]
    assert located == [
        "content/talk.yaml:1:1: error: unknown key `titel` in the annotation file",
        "content/talk.yaml:2:7: error: `date` must be a date like 2025-11-28",
        "content/talk.yaml:4:3: warning: speaker label `Margaret Duthy` does not occur in the transcript",
        "content/talk.yaml:5:9: error: unknown person `hots`",
        "content/talk.yaml:7:9: error: 9:24 is past the end of the transcript",
        "content/talk.yaml:9:9: error: 0:02 is before the transcript's first time",
        "content/talk.yaml:13:9: error: chapter `Out of order` does not start after the chapter before it",
        "content/talk.yaml:16:12: error: unknown topic `nurisng`",
        'content/talk.yaml:19:9: error: quote not found in content/talk.txt: "we counted pulses with a watch"',
    ]
    for hint in ("  hint: did you mean `title`?", "  hint: did you mean `Margaret Duthie`?",
                 "  hint: did you mean `host`?", "  hint: its last time is 4:01",
                 "  hint: it starts at 0:05", "  hint: list chapters in transcript order",
                 "  hint: did you mean `nursing`?"):
        assert hint in out, hint
    assert any(line.startswith('  hint: closest passage (line ') for line in out)


def test_yaml_syntax_mistakes_say_what_to_do(tmp_path):
    project = make_project(tmp_path, {
        "content/a.txt": TALK, "content/a.yaml": "title: Margaret: forty years\n",
        "content/b.txt": TALK, "content/b.yaml": "speakers:\n\tHost: host\n",
        "content/c.txt": TALK, "content/c.yaml": 'title: "Forty years\ndate: 2025-02-03\n',
        "content/people.yaml": PEOPLE})
    result = run_cli("check", cwd=project)
    out = result.stderr.splitlines()
    assert [line for line in out if ": error:" in line] == [
        "content/a.yaml:1:16: error: a value with `: ` in it must be in quotes",
        "content/b.yaml:2:1: error: a tab in the indentation: YAML indents with spaces",
        "content/c.yaml:1:8: error: this quote is never closed",
    ]
    assert '  hint: write it as title: "Margaret: forty years"' in out
    assert "  yaml: mapping values are not allowed here" in out, "PyYAML's words stay, second"


def test_a_broken_people_file_is_reported_once_not_in_every_sidecar(tmp_path):
    project = make_project(tmp_path, {
        "content/talk.txt": TALK, "content/talk.yaml": "speakers: {Host: host}\n",
        "content/people.yaml": "host: [Sam\n"})
    errors = [line for line in run_cli("check", cwd=project).stderr.splitlines() if ": error:" in line]
    assert errors == ["content/people.yaml:1:7: error: this `[` is never closed"]


def test_people_pages_list_quotes_in_the_order_said_and_counts_are_grammatical(make_site):
    site = make_site({
        "content/talk.txt": "**Ann** (0:01)\nuh Alpha words here.\n**Bob** (0:05)\nBeta.\n"
                            "**Ann** (0:09)\nGamma words here.\n",
        "content/people.yaml": "ann: Ann\nbob: Bob\n",
        "content/talk.yaml": "speakers: {Ann: ann, Bob: bob}\n"
                             "highlights: [\"Gamma words\", \"Alpha words\"]\n"})
    person = html(site / "people" / "ann" / "index.html")
    assert [q.blockquote.get_text(strip=True) for q in person.select("figure.passage")] == [
        "Alpha words …", "Gamma words …"]
    page = html(site / "talk" / "index.html")
    assert page.select_one(".view .meta").get_text() == "1 filler or repeat removed"
    assert "7 words" in page.select_one(".page-head .meta").get_text()

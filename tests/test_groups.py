"""The counselor guide's group sessions: their schema, the whole-group rules, the panel, the
check-out and note home, the generated overview, and that none of it reaches the student edition."""
from __future__ import annotations

import pytest
import yaml

from conftest import output
from test_build import assert_failed

GROUP = "book/counselors/grades-6-8"
FIRST = f"{GROUP}/session-1.md"

SESSION = """---
audience: teacher
session:
  id: {id}
  title: {title}
  group: "6-8"
  kind: {kind}
{number}  duration: 35
  group_size: "5-8"
  skill: {skill}
  objectives:
    - Practice one way to leave a chat that feels wrong.
    - Name one adult at school to tell.
  standards: [ASCA.B-SS.3, CASEL-RS]
  draws_on: [g68-fixture-lesson]
  materials: [A talking piece]
  preparation: [Meet each member beforehand]
---
# {title}

::::{{procedure}}
:::{{segment}} Check-in
:minutes: 5

CHECKIN-SENTINEL: each member says one word about their week.
:::

:::{{segment}} Agreements
:minutes: 3

Read the group agreements.
:::

:::{{segment}} Activity: leaving a chat
:minutes: 15
:practices: 1, 2

Members rehearse a leaving line in pairs.
:::

:::{{segment}} Processing questions
:minutes: 7

What made the line easy or hard to say?
:::

:::{{segment}} Check-out
:minutes: 5

Go round the circle with the check-out.
:::
::::

:::{{check-out}}
1. Say one line you could use to leave the chat. {{checks}}`1`
2. Name one adult at school you could tell. {{checks}}`2`
:::

:::{{session-note}}
NOTE-SENTINEL: ask your student to show you the line they practiced.
:::
"""


def page(kind: str, number: int | None = None) -> str:
    slug = f"session-{number}" if kind == "session" else kind
    title = {"orientation": "Getting started", "follow-up": "Checking back in"}.get(kind, f"Session {number}")
    return SESSION.format(id=f"g68-group-{slug}", title=title, kind=kind,
                          number=f"  number: {number}\n" if number else "",
                          skill=f"Leaving a chat that feels wrong, and telling an adult (part {number or kind})")


def add_group(book, count: int = 6) -> None:
    """A whole grades 6-8 group in the fixture book: orientation, sessions 1..count, follow-up."""
    folder = book.path(GROUP)
    folder.mkdir(parents=True)
    names = ["orientation"] + [f"session-{n}" for n in range(1, count + 1)] + ["follow-up"]
    (folder / "orientation.md").write_text(page("orientation"), encoding="utf-8")
    for n in range(1, count + 1):
        (folder / f"session-{n}.md").write_text(page("session", n), encoding="utf-8")
    (folder / "follow-up.md").write_text(page("follow-up"), encoding="utf-8")
    book.path("book/counselors/index.md").write_text(
        "---\naudience: teacher\n---\n# For counselors\n\nGROUP-SENTINEL\n\n```{group-overview} 6-8\n```\n",
        encoding="utf-8")
    toc = yaml.safe_load(book.path("_toc.yml").read_text(encoding="utf-8"))
    toc["chapters"].append({"file": "book/counselors/index",
                            "sections": [{"file": f"{GROUP}/{name}"} for name in names]})
    book.path("_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


@pytest.fixture
def groupbook(minibook):
    add_group(minibook)
    return minibook


def test_a_whole_group_builds_with_panel_check_out_note_and_overview(groupbook):
    proc = groupbook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    article = groupbook.article(f"{GROUP}/session-1.html")
    panel = article.select_one("#session-at-a-glance")
    text = panel.get_text(" ", strip=True)
    assert "Grades 6–8 group · session 1 of 6 · 35 minutes" in text
    assert "5–8 students" in text
    assert "Leaving a chat that feels wrong" in text
    assert "ASCA.B-SS.3 (ASCA Student Standards: Mindsets & Behaviors for Student Success, 2021 edition)" in text
    # each objective says where it is practiced and checked, linking into the page
    assert "Practiced in: Activity: leaving a chat" in text and "Checked by: check item 1" in text
    assert panel.select_one('a[href$="01-fixture-lesson.html"]') is not None  # draws on the lesson
    assert "A talking piece" in text
    check_out = article.select_one(".lk-check-out")
    assert "Check-out" in check_out.get_text() and "Checks objective 1" in check_out.get_text()
    note = article.select_one(".lk-session-note")
    assert note.get_text().count("Today the group practiced this skill: Leaving a chat") == 1
    assert "NOTE-SENTINEL" in note.get_text() and "never what any student said" in note.get_text()
    overview = groupbook.article("book/counselors/index.html").select_one("table.lk-table")
    rows = [r.get_text(" ", strip=True) for r in overview.select("tbody tr")]
    assert len(rows) == 8
    assert rows[0].startswith("Getting started Orientation") and rows[-1].startswith("Checking back in Follow-up")
    assert [r.split()[1] for r in rows[1:7]] == [str(n) for n in range(1, 7)]  # "Session N ..." in order
    assert "8 sessions, 280 minutes in all" in overview.get_text()
    assert "Lesson 1: Fixture lesson" in rows[3]
    # the standards page counts what the sessions cite, and lists it apart from the lessons' matrix
    standards = groupbook.article("book/overview.html").get_text(" ", strip=True)
    group_part = standards.split("Standards the counselor group sessions address")[1]
    assert "ASCA.B-SS.3" in group_part.split("Verified standards no lesson or group session addresses yet")[0]
    assert "ASCA.B-SS.3" not in group_part.split("Verified standards no lesson or group session addresses yet")[1]
    check = groupbook.check()
    assert "15 lessons" not in check.stdout and "1 lessons, 8 group sessions and 4 registries" in check.stdout


def test_student_edition_has_no_counselor_guide(groupbook):
    proc = groupbook.build("student")
    assert proc.returncode == 0, output(proc)[-3000:]
    html = groupbook.html_dir("student")
    assert not (html / "book/counselors").exists()
    for path in html.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for sentinel in ("CHECKIN-SENTINEL", "NOTE-SENTINEL", "GROUP-SENTINEL", "session-at-a-glance"):
            assert sentinel not in text, f"{sentinel} in {path}"
    assert "counselors" not in (html / "searchindex.js").read_text(encoding="utf-8")


BAD_FIELDS = {
    "kind": ('kind: session', 'kind: workshop', "session.kind: found 'workshop'; expected 'orientation', "
             "'session' or 'follow-up'"),
    "number": ("number: 1", "number: 9", "session.number: found 9; expected the session's place in the group, "
               "a number from 1 to 6"),
    "duration": ("duration: 35", "duration: 50", "session.duration: found 50 minutes; expected 30, 35, 40 or 45"),
    "group size": ('group_size: "5-8"', 'group_size: "2-30"', "session.group_size: found '2-30'; expected the "
                   "smallest and largest group"),
    "standard": ("[ASCA.B-SS.3, CASEL-RS]", "[ASCA.B-SS.5, CASEL-RS]", "session.standards[0]: found "
                 "'ASCA.B-SS.5', which the registry marks unverified"),
    "draws on": ("[g68-fixture-lesson]", "[g68-no-such-lesson]", "session.draws_on[0]: found "
                 "'g68-no-such-lesson', which is no lesson's id"),
    "objective verb": ("    - Name one adult", "    - Understand one adult", "found objective 2 starting with "
                       "'understand'"),
    "unknown field": ("  skill:", "  skills: x\n  skill:", "session.skills"),
    "group": ('group: "6-8"', 'group: "9-12"', "session.group: found '9-12'; expected the group of the folder"),
    "draws on another band": ("[g68-fixture-lesson]", "[g68-fixture-lesson]", "session.draws_on[0]: found "
                              "'g68-fixture-lesson', a lesson for grades 6-8; expected a lesson for grades 9-12"),
    "audience": ("audience: teacher\n", "", "audience: found nothing; expected 'teacher'"),
}


@pytest.mark.parametrize("field", BAD_FIELDS)
def test_each_bad_session_field_has_its_own_message(groupbook, field):
    old, new, message = BAD_FIELDS[field]
    groupbook.edit(FIRST, old, new)
    if field == "group":  # a session drawing on no lesson, so only the folder is wrong
        groupbook.edit(FIRST, "draws_on: [g68-fixture-lesson]", "draws_on: []")
    if field == "draws on another band":
        groupbook.edit(FIRST, 'group: "6-8"', 'group: "9-12"')
    check = groupbook.check()
    assert check.returncode != 0 and f"{FIRST}:" in check.stdout + check.stderr
    assert message in output(check), output(check)
    assert_failed(groupbook, groupbook.build(), message)


def test_a_group_with_a_session_missing_or_doubled_fails(groupbook):
    groupbook.path(f"{GROUP}/session-4.md").unlink()
    groupbook.edit(f"{GROUP}/session-5.md", "number: 5", "number: 6")
    text = output(groupbook.check())
    assert "session.number: found 6; expected a number no other session of the grades 6–8 group has" in text
    assert "no session 4, 5 in the grades 6–8 group; expected sessions numbered 1 to 6" in text


def test_session_minutes_and_objective_links_are_enforced(groupbook):
    groupbook.edit(FIRST, ":minutes: 15", ":minutes: 10")
    groupbook.edit(FIRST, "{checks}`2`", "")
    assert_failed(groupbook, groupbook.build(),
                  "the {procedure} segments add up to 30 minutes; expected 35 minutes, the session's duration",
                  "objective 2: practiced but never checked")


def test_a_session_needs_its_note_home(groupbook):
    groupbook.edit(FIRST, ":::{session-note}\nNOTE-SENTINEL: ask your student to show you the line they practiced.\n:::\n", "")
    assert_failed(groupbook, groupbook.build(), "a group session needs exactly one {session-note}")


def test_a_session_heading_must_match_its_title(groupbook):
    groupbook.edit(FIRST, "# Session 1\n", "# Session one\n")
    assert_failed(groupbook, groupbook.build(),
                  "the page heading 'Session one' differs from session.title 'Session 1'; expected them to match")

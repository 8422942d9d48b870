"""Objectives tied to where they are practiced and checked: links in the glance panel, and a failed
build, naming file, line and objective, when a link is missing or wrong."""
from __future__ import annotations

import pytest

from conftest import assert_only_failure_page, output
from lessonkit.lint import lint

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
PAGE = "lessons/grades-6-8/01-fixture-lesson.html"
OBJECTIVE_2 = "    - Practice one way to leave a conversation.\n"


def _line_of(book, text: str) -> int:
    return book.path(LESSON).read_text(encoding="utf-8").splitlines().index(text.rstrip("\n")) + 1


def test_glance_panel_links_each_objective_to_practice_and_check(built_minibook):
    article = built_minibook.article(PAGE)
    assert article.select_one("#lesson-at-a-glance ol.lk-objectives > li").get_text(" ", strip=True) == (
        "Identify two warning signs in an online chat.")
    # where each is practiced and checked: a card of its own, by the objective's number
    objectives = article.select("#lesson-at-a-glance .lk-glance-card ol.lk-alignment > li")
    assert len(objectives) == 2
    first = objectives[0].get_text(" ", strip=True)
    assert "Practiced in: Scenario and discussion" in first and "Checked by: check item 1 , check item 2" in first
    second = objectives[1].get_text(" ", strip=True)
    assert "Practiced in: Closing" in second and "Checked by: check item 2" in second
    # every link lands on an element of the same page
    for link in objectives[0].select("a") + objectives[1].select("a"):
        assert link["href"].startswith("#") and article.select_one(link["href"]) is not None, link


def test_check_items_show_their_objectives_to_teachers_only(built_minibook):
    teacher = built_minibook.article(PAGE).select_one(".lk-check")
    assert [s.get_text() for s in teacher.select(".lk-checks")] == ["Checks objective 1", "Checks objectives 1, 2"]
    student = built_minibook.article(PAGE, "student").select_one(".lk-check")
    assert "Name two warning signs." in student.get_text()
    assert not student.select(".lk-checks")
    for path in built_minibook.html_dir("student").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js"):
            assert "Checks objective" not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.parametrize("old, new, expected", [
    (":minutes: 10\n:practices: 2\n", ":minutes: 10\n",
     "{LESSON}:{obj2}: WARNING: objective 2: checked but never practiced; expected a {{segment}} or "
     "{{discussion}} with ':practices: 2' and a check-for-understanding item marked {{checks}}`2`"),
    ("chat. {checks}`1, 2`\n", "chat. {checks}`1`\n",
     "{LESSON}:{obj2}: WARNING: objective 2: practiced but never checked"),
    (OBJECTIVE_2, OBJECTIVE_2 + "    - Explain why a deadline is a warning sign.\n",
     "{LESSON}:{obj3}: WARNING: objective 3: never practiced and never checked"),
    ("chat. {checks}`1, 2`\n", "chat. {checks}`1, 7`\n",
     "{LESSON}:{item2}: WARNING: objective 7: no such objective; expected a number from 1 to 2 "
     "(the lesson lists 2 objectives)"),
    (":practices: 2\n", ":practices: the second\n",
     "WARNING: the {{segment}} :practices: line found 'the second'; expected objective numbers"),
    ("Talk about who you would tell.", "Talk about it. {checks}`1`",
     "WARNING: {{checks}} marks a check-for-understanding item; found it outside a {{check-for-understanding}} block"),
])
def test_broken_links_fail_the_build_with_file_line_and_objective(minibook, old, new, expected):
    lines = {"obj2": _line_of(minibook, OBJECTIVE_2), "obj3": _line_of(minibook, OBJECTIVE_2) + 1,
             "item2": _line_of(minibook, "2. Write one line you could use to leave a chat. {checks}`1, 2`")}
    minibook.edit(LESSON, old, new)
    proc = minibook.build()
    text = output(proc)
    assert proc.returncode != 0
    assert expected.format(LESSON=LESSON, **lines) in text, text[-3000:]
    assert "Traceback" not in text
    assert_only_failure_page(minibook)  # no half-written site


def test_the_teacher_edition_holds_the_check(minibook):
    """Segments are teacher-only and never read for students: the teacher build is the one that fails."""
    minibook.edit(LESSON, ":minutes: 10\n:practices: 2\n", ":minutes: 10\n")
    proc = minibook.build("teacher")
    assert proc.returncode != 0 and "objective 2: checked but never practiced" in output(proc)
    assert_only_failure_page(minibook)
    assert minibook.build("student").returncode == 0


def _obj_count_findings(book):
    return [f for f in lint(book.root)[0] if f.rule == "obj-count"]


def test_lint_flags_a_check_that_asks_for_fewer_than_the_objective(minibook):
    assert _obj_count_findings(minibook) == []
    minibook.edit(LESSON, "1. Name two warning signs. {checks}`1`", "1. Name one warning sign. {checks}`1`")
    found = _obj_count_findings(minibook)
    assert [(f.path, f.line) for f in found] == [(LESSON, _line_of(minibook, "1. Name one warning sign. {checks}`1`"))]
    assert "objective 1 asks for 2, but the check items that check it ask for at most 1" in found[0].message


@pytest.mark.parametrize("objective, item", [
    ("Identify at least three pressure lines.", "1. Write three pressure lines. {checks}`1`"),
    ("Identify at least three pressure lines.", "1. What could you say back? {checks}`1`"),  # no number: review
    ("Identify pressure lines.", "1. Write one more line. {checks}`1`"),
])
def test_lint_count_rule_stays_quiet_when_counts_agree_or_are_absent(minibook, objective, item):
    minibook.edit(LESSON, "    - Identify two warning signs in an online chat.\n", f"    - {objective}\n")
    minibook.edit(LESSON, "1. Name two warning signs. {checks}`1`", item)
    minibook.edit(LESSON, "chat. {checks}`1, 2`", "chat. {checks}`2`")  # "one line" would count
    assert _obj_count_findings(minibook) == []

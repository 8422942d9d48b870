"""Teacher and student editions: teacher-only material is absent from every student file."""
from __future__ import annotations

import re

import pytest



TEACHER_ONLY = ["PROCEDURE-SENTINEL", "LISTEN-FOR-SENTINEL", "FOLLOW-UP-SENTINEL", "LISTEN-DEBRIEF-SENTINEL",
                "FACILITATOR-SENTINEL", "TEACHER-ONLY-SENTINEL", "ANSWER-KEY-SENTINEL", "TEACHER-PAGE-SENTINEL"]
STUDENT_TOO = ["CHOICE-OUTCOME-SENTINEL"]


def _all_text(folder):
    """Every file of a built site (HTML, search index, JS, anything), as text."""
    for path in folder.rglob("*"):
        if path.is_file():
            yield path, path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("sentinel", TEACHER_ONLY)
def test_teacher_only_text_is_in_the_teacher_edition(built_minibook, sentinel):
    assert any(sentinel in text for _, text in _all_text(built_minibook.html_dir("teacher")))


@pytest.mark.parametrize("sentinel", TEACHER_ONLY)
def test_teacher_only_text_is_absent_from_every_student_file(built_minibook, sentinel):
    leaks = [str(p) for p, text in _all_text(built_minibook.root / "_build" / "student") if sentinel in text]
    assert not leaks, f"{sentinel} leaked into {leaks}"


@pytest.mark.parametrize("sentinel", STUDENT_TOO)
def test_student_material_stays_in_the_student_edition(built_minibook, sentinel):
    assert any(sentinel in text for _, text in _all_text(built_minibook.html_dir("student")))


def test_teacher_only_page_is_not_built_for_students(built_minibook):
    assert (built_minibook.html_dir("teacher") / "book/teacher-page.html").is_file()
    assert not (built_minibook.html_dir("student") / "book/teacher-page.html").exists()
    nav = built_minibook.soup("lessons/grades-6-8/01-fixture-lesson.html", "student").select_one("nav")
    assert "Teacher page" not in nav.get_text()


def test_student_glance_panel_keeps_only_student_fields(built_minibook):
    panel = built_minibook.article("lessons/grades-6-8/01-fixture-lesson.html", "student").select_one(
        "#lesson-at-a-glance")
    fields = [dt.get_text(strip=True) for dt in panel.select("dt")]
    assert fields == ["Grade band", "Essential question", "Vocabulary", "Handouts"]
    assert "(student edition)" in built_minibook.soup("book/intro.html", "student").title.get_text()


def test_student_edition_keeps_questions_but_not_answers(built_minibook):
    article = built_minibook.article("lessons/grades-6-8/01-fixture-lesson.html", "student")
    assert article.select_one(".lk-check") is not None
    assert article.select_one(".lk-answer-key") is None
    assert article.select_one(".lk-procedure") is None
    assert len(article.select("li.lk-prompt")) == 2
    assert article.select(".lk-teacher") == []


def test_real_book_student_edition_has_no_teacher_blocks(built_book):
    student = built_book.html_dir("student")
    for page in student.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="[^"]*\blk-teacher\b', text), page
        assert "For the teacher" not in text, page
        assert "Facilitator note" not in text, page
    assert not (student / "_sources").exists()
    for name in ("book/scope-and-sequence.html", "book/standards-alignment.html", "book/authoring.html"):
        assert (built_book.html_dir("teacher") / name).is_file()
        assert not (student / name).exists()

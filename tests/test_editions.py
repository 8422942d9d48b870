"""Teacher and student editions: teacher-only material is absent from every student file."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from lessonkit.project import load_project
from lessonkit.vocab import BAND_LABELS

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


# ---- the real book, band by band ------------------------------------------------------------
#
# What lessonkit writes only for teachers, from lessonkit itself where it can be derived, and
# pinned literally as well, so a change that shows one of them to students fails here.

class _Directives:
    """Collects what lessonkit's setup functions register, without a Sphinx app."""

    def __init__(self):
        self.found = {}

    def add_directive(self, name, cls):
        self.found[name] = cls


def _teacher_only_directives() -> set[str]:
    from lessonkit.directives import setup_directives
    from lessonkit.materials import setup_materials

    registry = _Directives()
    setup_directives(registry)
    setup_materials(registry)
    return {name for name, cls in registry.found.items() if getattr(cls, "teacher_only", False)}


# the class each teacher-only directive gives its block (every one also has lk-teacher)
TEACHER_BLOCK_CLASSES = {"listen-for": "lk-listen-for", "follow-up": "lk-follow-up", "answer-key": "lk-answer-key",
                         "teacher-only": "lk-teacher-only", "facilitator-note": "lk-facilitator-note",
                         "procedure": "lk-procedure"}
# and what else lessonkit writes for teachers only: the procedure's segments, {checks} labels
# ("Checks objective 1"), the glance panel's objectives with their "Practiced in / Checked by"
# links, the highlighted placeholder for an unset district detail
TEACHER_CLASSES = {"lk-teacher", *TEACHER_BLOCK_CLASSES.values(), "lk-segment", "lk-checks", "lk-objectives",
                   "lk-objective-links", "lk-placeholder"}
TEACHER_WORDS = ["For the teacher", "Facilitator note", "Checks objective", "Practiced in:", "Checked by:",
                 "Procedure (", "Students will be able to:", "your district adds this in _config.yml"]
TEACHER_GLANCE_FIELDS = {"Topics", "Pattern stages shown", "Objectives", "Standards", "Materials", "Preparation"}


def _glance_fields(student: bool) -> list[str]:
    """The field names lessonkit's glance panel writes for a lesson that has every field."""
    from docutils import nodes

    from lessonkit.glance import build_panel

    project = load_project(REPO)
    docname, lesson = next((d, l) for d, l in sorted(project.lessons.items()) if l.vocabulary and l.handouts)
    panel = build_panel(lesson, project.registries, docname, student)
    return [term.astext() for term in panel.findall(nodes.term)]


def test_every_teacher_only_directive_has_its_pinned_class():
    assert _teacher_only_directives() == set(TEACHER_BLOCK_CLASSES)


def test_the_glance_panel_keeps_its_teacher_fields_out_of_the_student_edition():
    teacher, student = _glance_fields(False), _glance_fields(True)
    assert TEACHER_GLANCE_FIELDS <= set(teacher) - set(student)
    assert student == ["Grade band", "Essential question", "Vocabulary", "Handouts"]


def _band_pages(book, band: str) -> tuple[dict, list[str]]:
    """The band's lessons (docname: lesson) and its other pages: the band's index and the handouts."""
    lessons = {d: l for d, l in load_project(book.root).lessons.items() if l.band == band}
    others = [f"lessons/grades-{band}/index"]
    others += sorted({path.removesuffix(".md") for lesson in lessons.values() for path in lesson.handouts})
    return lessons, others


def _words(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def _teacher_blocks(article) -> list[str]:
    """The text of each outermost teacher-only block of a teacher-edition page, without its label."""
    out = []
    for block in article.select(".lk-teacher"):
        if block.find_parent(class_="lk-teacher"):
            continue
        label = block.select_one(".lk-label")
        strings = [s for s in block.find_all(string=True)
                   if label is None or (s is not label and label not in s.parents)]
        text = re.sub(r"\s+", " ", " ".join(strings)).strip()
        if len(text) >= 30:
            out.append(text)
    return out


_DERIVED: dict = {}


def _only_inside_teacher_blocks(built_book) -> set[str]:
    """lk- classes that the teacher edition uses only inside teacher-only blocks (derived)."""
    if built_book.root in _DERIVED:
        return _DERIVED[built_book.root]
    inside, outside = set(), set()
    for page in built_book.html_dir("teacher").rglob("*.html"):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article")
        for el in article.select('[class*="lk-"]') if article else []:
            target = inside if el.find_parent(class_="lk-teacher") else outside
            target.update(c for c in el["class"] if c.startswith("lk-") and c != "lk-teacher")
    _DERIVED[built_book.root] = inside - outside
    return _DERIVED[built_book.root]


def _teacher_marks(article, derived: set[str]) -> list[str]:
    found = []
    for el in article.select("[class]"):
        bad = {c for c in el["class"] if c in TEACHER_CLASSES or c in derived or c.startswith("lk-kind-")}
        if bad:
            found.append(f"<{el.name} class={' '.join(el['class'])}>")
    return found


@pytest.mark.parametrize("band", ["3-5", "6-8", "9-12"])
def test_real_book_teacher_edition_of_each_band_has_the_teacher_material(built_book, band):
    """What the student test below looks for is really there for teachers (so its absence means something)."""
    lessons, _ = _band_pages(built_book, band)
    assert lessons, f"no lessons for grades {band}"
    seen = set()
    for docname, lesson in lessons.items():
        article = built_book.article(docname + ".html")
        fields = {dt.get_text(strip=True) for dt in article.select("#lesson-at-a-glance dt")}
        assert TEACHER_GLANCE_FIELDS <= fields, docname
        assert f"· {lesson.duration} minutes" in article.select_one("#lesson-at-a-glance dd").get_text()
        assert article.select(".lk-scenario .lk-stages"), f"{docname}: no 'Pattern stages shown' for teachers"
        seen.update(c for el in article.select("[class]") for c in el["class"])
    for css in ("lk-procedure", "lk-segment", "lk-facilitator-note", "lk-listen-for", "lk-checks",
                "lk-objective-links", "lk-answer-key"):
        assert css in seen, f"grades {band}: no {css} in the teacher edition"


@pytest.mark.parametrize("band", ["3-5", "6-8", "9-12"])
def test_real_book_student_edition_of_each_band_has_no_teacher_material(built_book, band):
    lessons, others = _band_pages(built_book, band)
    derived = _only_inside_teacher_blocks(built_book)
    assert {"lk-disclosure-link"} <= derived  # sanity: the derivation finds what only teacher notes hold
    for docname in [*lessons, *others]:
        student_file = built_book.html_dir("student") / f"{docname}.html"
        assert student_file.is_file(), f"{docname} is missing from the student edition"
        html = student_file.read_text(encoding="utf-8")
        article = built_book.article(docname + ".html", "student")
        text = _words(article)
        assert not _teacher_marks(article, derived), f"{docname}: {_teacher_marks(article, derived)[:5]}"
        for words in TEACHER_WORDS:
            assert words not in html, f"{docname} (student edition) shows {words!r}"
        for block in _teacher_blocks(built_book.article(docname + ".html", "teacher")):
            assert block not in text, f"{docname}: teacher-only text reached students: {block[:120]!r}"
        if band == "3-5":
            # grades 3-5 learn the warning signs, not the stage names: no stage label anywhere
            assert "Pattern stages shown" not in html, docname
            assert article.select(".lk-stages") == [], docname
    for docname, lesson in lessons.items():
        article = built_book.article(docname + ".html", "student")
        panel = article.select_one("#lesson-at-a-glance")
        fields = [dt.get_text(strip=True) for dt in panel.select("dt")]
        assert not TEACHER_GLANCE_FIELDS & set(fields), f"{docname}: {fields}"
        assert fields == ["Grade band", "Essential question"] + (["Vocabulary"] if lesson.vocabulary else []) + (
            ["Handouts"] if lesson.handouts else []), docname
        # no class time for students: the band and the lesson's place only
        assert panel.select_one("dd").get_text(" ", strip=True) == f"{BAND_LABELS[band]} · lesson {lesson.sequence}"
        assert "minutes" not in panel.get_text(), docname
        if band != "3-5":
            # older students do see the stages a scenario shows (the one band difference)
            for scenario in article.select(".lk-scenario"):
                assert "Pattern stages shown" in scenario.select_one(".lk-stages").get_text(), docname

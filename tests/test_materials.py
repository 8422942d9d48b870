"""The generated print-and-prepare list, and the errors that keep it complete and free of repeats."""
from __future__ import annotations

import pytest

from conftest import assert_only_failure_page, output

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
PAGE = "lessons/grades-6-8/01-fixture-lesson.html"


def _materials(article):
    for dt in article.select("#lesson-at-a-glance dt"):
        if dt.get_text(strip=True) == "Materials":
            return dt.find_next_sibling("dd")
    raise AssertionError("no Materials field in the glance panel")


def test_materials_list_is_generated_from_what_the_lesson_contains(built_minibook):
    article = built_minibook.article(PAGE)
    items = [li.get_text(" ", strip=True) for li in _materials(article).select("li")]
    assert items == [
        "One copy per student of Handout: Fixture steps",
        "One copy per pair of the scenario “Jun’s new follower” (print it from the student edition of this lesson)",
        "One set per group of the “Warning signs” cards, printed and cut apart",
        "Step-out passes any student can take without explaining, and a place to go where an adult can see "
        "them (see the opt-out note)",
        "Sticky notes",  # the hand-written part keeps only what the build cannot infer
    ]
    links = {a.get_text(strip=True): a["href"] for a in _materials(article).select("a")}
    assert links["Handout: Fixture steps"] == "../../activities/grades-6-8/handout-fixture.html"
    for name in ("“Jun’s new follower”", "“Warning signs”"):
        assert article.select_one(links[name]) is not None, name


def test_card_set_is_shown_in_both_editions(built_minibook):
    for edition in ("teacher", "student"):
        cards = built_minibook.article(PAGE, edition).select_one("#cards-warning-signs")
        assert cards is not None and "Cards: Warning signs" in cards.get_text()
        assert "Let’s move to another app." in cards.get_text()  # (typographic apostrophe, as built)


@pytest.mark.parametrize("projected, expected", [
    ("projected", "A projector or screen to show the scenario “Jun’s new follower” from the student edition"),
    ("devices", "One device per pair, open at the scenario “Jun’s new follower” in the student edition"),
    ("jigsaw", "One copy of the scenario “Jun’s new follower” per group that reads it (each group reads one story)"),
])
def test_scenario_delivery_changes_the_list(minibook, projected, expected):
    minibook.edit(LESSON, "scenario_copies: per-pair", f"scenario_copies: {projected}")
    assert minibook.build().returncode == 0
    assert expected in _materials(minibook.article(PAGE)).get_text(" ", strip=True)


def _line(book, text):
    return book.path(LESSON).read_text(encoding="utf-8").splitlines().index(text) + 1


@pytest.mark.parametrize("old, new, expected", [
    ("  materials: [Sticky notes]\n", "  materials:\n    - Sticky notes\n    - Copies of the Fixture steps handout\n",
     "{LESSON}:{line}: WARNING: lesson.materials[1]: found 'Copies of the Fixture steps handout', which repeats a "
     "handout the build already lists; expected only materials the build cannot infer"),
    ("  materials: [Sticky notes]\n", "  materials: [A hall pass by the door]\n",
     "WARNING: lesson.materials[0]: found 'A hall pass by the door', which repeats the step-out passes"),
    ("  scenario_copies: per-pair\n", "",
     "WARNING: lesson.scenario_copies: found nothing; expected how students read the scenario(s): per-student, "
     "per-pair, per-group, jigsaw, projected, devices"),
    (":copies: per-group\n", "",
     "WARNING: a {{card-set}} needs a :copies: line saying how many sets to print; found none"),
])
def test_incomplete_or_repeated_materials_fail_the_build(minibook, old, new, expected):
    minibook.edit(LESSON, old, new)
    line = _line(minibook, "    - Copies of the Fixture steps handout") if "Copies of" in new else 0
    proc = minibook.build()
    text = output(proc)
    assert proc.returncode != 0
    assert expected.format(LESSON=LESSON, line=line) in text, text[-3000:]
    assert "Traceback" not in text
    assert_only_failure_page(minibook)


def test_unknown_scenario_delivery_is_a_metadata_error(minibook):
    minibook.edit(LESSON, "scenario_copies: per-pair", "scenario_copies: one each")
    proc = minibook.check()
    text = output(proc)
    assert proc.returncode == 1 and "OK:" not in text
    line = _line(minibook, "  scenario_copies: one each")
    assert (f"{LESSON}:{line}: lesson.scenario_copies: found 'one each'; expected 'per-student', 'per-pair', "
            "'per-group', 'jigsaw', 'projected' or 'devices'") in text, text

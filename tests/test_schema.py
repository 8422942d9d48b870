"""Lesson metadata validation: every kind of bad input gets its own clear message."""
from __future__ import annotations

import pytest

from conftest import output

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"


def assert_check_failed(book, proc, *fragments: str) -> None:
    """`check` refused the book: exit code 1, a count of problems instead of "OK", every fragment in
    its output, no traceback, and nothing written (check never builds)."""
    text = output(proc)
    assert proc.returncode == 1, text
    assert "problem(s) found." in proc.stdout and "OK:" not in proc.stdout, text
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert "Traceback" not in text
    assert not book.path("_build").exists()


def test_valid_lesson_passes(minibook):
    proc = minibook.check()
    assert proc.returncode == 0, output(proc)
    assert "OK: 1 lessons and 4 registries are valid" in proc.stdout


def test_check_reports_unused_registry_entries(minibook):
    proc = minibook.check()
    assert proc.returncode == 0, output(proc)  # notes, not problems
    assert "verified standards no lesson cites" in proc.stdout
    assert "glossary terms no lesson lists as vocabulary" in proc.stdout


CASES = {
    "missing field": ("  essential_question: What can someone do when a chat starts to feel wrong?\n", "",
                      [f"{LESSON}:", "lesson.essential_question: found nothing; expected this field (it is required)"]),
    "wrong band": ('band: "6-8"', 'band: "5-7"',
                   [f"{LESSON}:5: lesson.band: found '5-7'; expected '3-5', '6-8' or '9-12'"]),
    "band does not match folder": ('band: "6-8"', 'band: "9-12"',
                                   ["lesson.band: found '9-12'; expected the band of the folder", "grades-6-8"]),
    "unknown standard": ("standards: [CASEL-RS, ISTE-2b, NHES.4]", "standards: [CASEL-RS, XYZ.9]",
                         ["lesson.standards[1]: found 'XYZ.9', which is not in data/standards.yml"]),
    "standard from another band": ("standards: [CASEL-RS, ISTE-2b, NHES.4]", "standards: [CHR.5.CC.1]",
                                   ["lesson.standards[0]: found 'CHR.5.CC.1', a standard for grades 3-5; "
                                    "expected a code that fits grades 6-8"]),
    "unverified standard": ("standards: [CASEL-RS, ISTE-2b, NHES.4]", "standards: [CHR.10.CC.1]",
                            ["lesson.standards[0]: found 'CHR.10.CC.1', which the registry marks unverified"]),
    "unknown glossary term": ("vocabulary: [pressure, trusted adult]", "vocabulary: [pressure, grooming]",
                              ["lesson.vocabulary: found 'grooming', which is not in data/glossary.yml"]),
    "missing handout": ("handouts: [activities/grades-6-8/handout-fixture.md]",
                        "handouts: [activities/grades-6-8/handout-missing.md]",
                        ["lesson.handouts: found 'activities/grades-6-8/handout-missing.md', but no such file exists"]),
    "duration not a multiple of five": ("duration: 45", "duration: 47",
                                        ["lesson.duration: found 47 minutes; expected a multiple of 5 minutes"]),
    "duration out of range": ("duration: 45", "duration: 300",
                              ["lesson.duration: found 300 minutes; expected a class time from 20 to 120 minutes"]),
    "duration not a number": ("duration: 45", "duration: forty-five",
                              ["lesson.duration: found 'forty-five'; expected a whole number"]),
    "unknown topic": ("topics: [consent, sextortion-pattern, getting-help]", "topics: [consent, dating]",
                      ["lesson.topics[1]: found 'dating'; expected 'healthy-relationships', 'consent', "
                       "'never-forward', 'sextortion-pattern' or 'getting-help'"]),
    "unknown stage": ("stages: [approach, coercion]", "stages: [approach, grooming]",
                      ["lesson.stages[1]: found 'grooming'; expected 'approach', 'coercion' or 'threat'"]),
    "pattern lesson without stages": ("stages: [approach, coercion]", "stages: []",
                                      ["lesson.stages: found no stages for a lesson on the sextortion pattern"]),
    "objective without measurable verb": ("- Identify two warning signs in an online chat.",
                                          "- Understand warning signs in an online chat.",
                                          ["lesson.objectives: found objective 1 starting with 'understand'; "
                                           "expected it to start with a measurable verb"]),
    "question without question mark": ("feel wrong?", "feel wrong.",
                                       ["lesson.essential_question: found", "expected a question ending with '?'"]),
    "unknown field": ("  materials: [Sticky notes]", "  materials: [Sticky notes]\n  grade: 7",
                      ["lesson.grade: found an unknown field 'grade'; expected only these fields: id, title, band"]),
    "malformed YAML": ("  topics: [consent, sextortion-pattern, getting-help]",
                       "  topics: [consent, sextortion-pattern, getting-help",
                       [f"{LESSON}:", "(front matter): found a problem; expected front matter is not valid YAML"]),
    "no lesson block": ("lesson:\n", "lessen:\n",
                        ["lesson: found nothing; expected a 'lesson:' block"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_metadata_gets_a_clear_message(minibook, case):
    old, new, expected = CASES[case]
    minibook.edit(LESSON, old, new)
    assert_check_failed(minibook, minibook.check(), *expected)


def test_every_problem_is_reported_at_once(minibook):
    minibook.edit(LESSON, 'band: "6-8"', 'band: "6 to 8"')
    minibook.edit(LESSON, "duration: 45", "duration: 47")
    minibook.edit(LESSON, "vocabulary: [pressure, trusted adult]", "vocabulary: [grooming]")
    assert_check_failed(minibook, minibook.check(), "lesson.band:", "lesson.duration:", "lesson.vocabulary:",
                        "3 problem(s) found.")


def test_file_without_front_matter(minibook):
    path = minibook.path(LESSON)
    path.write_text("# Just a heading\n", encoding="utf-8")
    assert_check_failed(minibook, minibook.check(), f"{LESSON}:1: (front matter): found no front matter")


def test_duplicate_lesson_id(minibook):
    src = minibook.path(LESSON)
    (src.parent / "02-copy.md").write_text(
        src.read_text(encoding="utf-8").replace("sequence: 1", "sequence: 2"), encoding="utf-8")
    assert_check_failed(minibook, minibook.check(),
                        "lesson.id: found 'g68-fixture-lesson'; expected an id no other lesson uses")


def test_duplicate_sequence_position(minibook):
    src = minibook.path(LESSON)
    (src.parent / "02-copy.md").write_text(
        src.read_text(encoding="utf-8").replace("g68-fixture-lesson", "g68-copy"), encoding="utf-8")
    assert_check_failed(minibook, minibook.check(),
                        "lesson.sequence: found 1; expected a position not taken in grades 6-8")


@pytest.mark.parametrize("registry, old, new, expected", [
    ("data/resources.yml", "    url: https://report.cybertip.org\n", "    url: report.cybertip.org\n",
     "data/resources.yml:{line}: resources.cybertipline.url: found 'report.cybertip.org'; "
     "expected a full web address starting with https://"),
    ("data/resources.yml", 'dial: "+18008435678"', 'dial: "1-800-THE-LOST"',
     "resources.cybertipline.phone.dial: found '1-800-THE-LOST'; expected digits to dial"),
    ("data/standards.yml", "  - 3-5\n", "  - 3-6\n",
     "data/standards.yml:{line}: standards[0].bands[0]: found '3-6'; expected '3-5', '6-8' or '9-12'"),
    ("data/glossary.yml", "  - term: consent\n", "  - term: boundary\n",
     "data/glossary.yml:{line}: terms[{index}]: found the term 'boundary' a second time; expected each term once"),
])
def test_bad_registry_entries_are_reported(minibook, registry, old, new, expected):
    if "{line}" in expected:
        lines = minibook.path(registry).read_text().splitlines()
        line = lines.index(old.rstrip("\n")) + 1
        index = sum(1 for text in lines[:line - 1] if text.startswith("  - term:"))
        expected = expected.format(line=line, index=index)
    minibook.edit(registry, old, new)
    assert_check_failed(minibook, minibook.check(), expected)


def test_resource_needs_a_way_to_reach_it(minibook):
    minibook.edit("data/resources.yml", "    url: https://takeitdown.ncmec.org\n", "")
    assert_check_failed(minibook, minibook.check(), "resources.take-it-down: found",
                        "a resource needs at least one way to reach it: url, phone or text")

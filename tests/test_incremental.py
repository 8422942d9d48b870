"""Rebuilding after one lesson changes re-reads that lesson and the overview pages, not every page."""
from __future__ import annotations

import re

from conftest import output

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"


def _written(proc) -> set[str]:
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output(proc)))


def _read(proc) -> set[str]:
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", output(proc)))


def test_editing_one_lesson_rebuilds_only_it_and_the_overviews(minibook):
    first = minibook.build()
    assert first.returncode == 0, output(first)
    assert len(_written(first)) >= 5
    unchanged = minibook.build()
    assert _read(unchanged) == set()
    minibook.edit(LESSON, "What makes a message feel pushy?", "What makes a message feel too pushy?")
    minibook.edit(LESSON, "title: Fixture lesson", "title: Fixture lesson renamed")
    minibook.edit(LESSON, "# Fixture lesson", "# Fixture lesson renamed")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)
    assert _read(proc) == {"lessons/grades-6-8/01-fixture-lesson", "book/overview"}
    html = (minibook.html_dir() / "book/overview.html").read_text()
    assert "Fixture lesson renamed" in html
    assert "What makes a message feel too pushy?" in (
        minibook.html_dir() / "lessons/grades-6-8/01-fixture-lesson.html").read_text()


def test_changing_a_registry_rereads_the_pages_that_use_it(minibook):
    assert minibook.build().returncode == 0
    minibook.edit("data/standards.yml", "Relationship skills: form and sustain",
                  "Relationship skills: build and sustain")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)
    assert "lessons/grades-6-8/01-fixture-lesson" in _read(proc)
    assert "build and sustain" in (minibook.html_dir() / "lessons/grades-6-8/01-fixture-lesson.html").read_text()

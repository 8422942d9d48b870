"""The machine-readable exports: every lesson and every standard the pages show, in CSV and JSON,
and a JSON Schema that accepts every real lesson's metadata and refuses bad metadata."""
from __future__ import annotations

import csv
import json

import jsonschema
import pytest

from conftest import REPO, output
from lessonkit import frontmatter
from lessonkit.project import lesson_files, load_project

EXPORTS = ("lessons.csv", "lessons.json", "standards-alignment.csv", "standards-alignment.json",
           "lesson-metadata.schema.json")


def test_exports_list_every_lesson_and_standard_and_are_linked(built_book):
    folder = built_book.html_dir() / "exports"
    project = load_project(REPO)
    lessons = {lesson.id: lesson for lesson in project.lessons.values()}
    data = json.loads((folder / "lessons.json").read_text(encoding="utf-8"))
    assert [l["id"] for l in data["lessons"]] == sorted(lessons, key=lambda i: (
        ["3-5", "6-8", "9-12"].index(lessons[i].band), lessons[i].sequence))
    for row in data["lessons"]:
        lesson = lessons[row["id"]]
        assert (row["title"], row["minutes"], row["objectives"]) == (lesson.title, lesson.duration, lesson.objectives)
        assert [s["code"] for s in row["standards"]] == lesson.standards
        assert all(s["status"] == "verified" and s["source"].startswith("http") for s in row["standards"])
        assert (built_book.html_dir() / row["page"]).is_file()
    with open(folder / "lessons.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [l["id"] for l in data["lessons"]]
    assert {r["minutes"] for r in rows} <= {"40", "45", "50"}
    # the alignment holds exactly the (lesson, standard) pairs the standards page ticks
    with open(folder / "standards-alignment.csv", encoding="utf-8", newline="") as f:
        pairs = {(r["lesson_id"], r["code"]) for r in csv.DictReader(f)}
    assert pairs == {(l.id, code) for l in lessons.values() for code in l.standards}
    aligned = json.loads((folder / "standards-alignment.json").read_text(encoding="utf-8"))["alignment"]
    assert {(a["lesson_id"], a["code"]) for a in aligned} == pairs
    page = built_book.article("book/standards-alignment.html")
    ticks = sum(len(table.select(".lk-yes")) for table in page.select("table"))
    assert ticks == len(pairs)
    links = {a["href"] for a in page.select(".lk-exports a")}
    assert links == {f"../exports/{name}" for name in EXPORTS}
    # the student edition has no teachers' metadata to export
    assert not (built_book.html_dir("student") / "exports").exists()


def test_json_schema_accepts_every_real_lesson_and_refuses_bad_metadata(built_book):
    schema = json.loads((built_book.html_dir() / "exports/lesson-metadata.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in lesson_files(REPO):
        lesson = frontmatter.read(path).data["lesson"]
        assert not list(validator.iter_errors(lesson)), path
        bad = dict(lesson, band="grade 7")
        assert list(validator.iter_errors(bad)), path
        assert list(validator.iter_errors({k: v for k, v in lesson.items() if k != "objectives"}))
    for path in sorted((REPO / "book/counselors").glob("grades-*/*.md")):
        if path.name != "index.md":
            assert not list(validator.iter_errors(frontmatter.read(path).data["session"])), path

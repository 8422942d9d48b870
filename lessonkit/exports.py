"""Machine-readable copies of the lesson metadata and the standards alignment, for districts.

Districts adopt curricula through review spreadsheets, so every teacher-edition build writes, next
to the pages, a CSV and a JSON of the lessons and of the alignment, and a JSON Schema of the
lesson (and group session) metadata generated from the pydantic models, so other tools can
validate lessons without this code. All of it comes from the same validated metadata the pages
show; nothing reads a lesson file again.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .groups.schema import GroupSession
from .schema import Lesson
from .vocab import BAND_LABELS, STAGE_LABELS, TOPIC_LABELS

FOLDER = "exports"
FILES = {
    "lessons.csv": "Lessons (CSV, one row per lesson)",
    "lessons.json": "Lessons and group sessions (JSON)",
    "standards-alignment.csv": "Standards alignment (CSV, one row per lesson and standard)",
    "standards-alignment.json": "Standards alignment (JSON)",
    "lesson-metadata.schema.json": "JSON Schema of the lesson and group-session metadata",
}


def _standard(std) -> dict:
    return {"code": std.code, "framework": std.framework, "framework_name": std.framework_label,
            "edition": std.edition, "level": std.level, "strand": std.strand, "summary": std.summary,
            "status": std.status, "source": std.source}


def _ordered(env) -> list[tuple[str, dict]]:
    bands = list(BAND_LABELS)
    return sorted(env.lessonkit_lessons.items(), key=lambda p: (bands.index(p[1]["band"]), p[1]["sequence"]))


def records(app) -> dict:
    """Everything the exports hold, built from the environment's validated lesson metadata."""
    env, regs = app.env, app.lessonkit.registries
    lessons = []
    for docname, lesson in _ordered(env):
        lessons.append({
            "id": lesson["id"], "band": lesson["band"], "sequence": lesson["sequence"], "title": lesson["title"],
            "minutes": lesson["duration"], "page": app.builder.get_target_uri(docname),
            "essential_question": lesson["essential_question"],
            "topics": lesson["topics"], "stages": lesson["stages"], "objectives": lesson["objectives"],
            "standards": [_standard(regs.standards[c]) for c in lesson["standards"]],
            "vocabulary": lesson["vocabulary"], "handouts": lesson["handouts"],
        })
    sessions = [{
        "id": s["id"], "group": s["group"], "kind": s["kind"], "number": s["number"], "title": s["title"],
        "minutes": s["duration"], "group_size": s["group_size"], "skill": s["skill"], "page": app.builder.get_target_uri(doc),
        "objectives": s["objectives"], "standards": [_standard(regs.standards[c]) for c in s["standards"]],
        "draws_on": s["draws_on"],
    } for doc, s in sorted(getattr(env, "lessonkit_sessions", {}).items())]
    alignment = [{"lesson_id": lesson["id"], "band": lesson["band"], "sequence": lesson["sequence"],
                  "lesson_title": lesson["title"], **_standard(regs.standards[c])}
                 for lesson in lessons for c in (s["code"] for s in lesson["standards"])]
    return {"lessons": lessons, "group_sessions": sessions, "alignment": alignment}


def _csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    return out.getvalue()


def lesson_rows(lessons: list[dict]) -> list[dict]:
    return [{**lesson,
             "topics": [TOPIC_LABELS[t] for t in lesson["topics"]],
             "stages": [STAGE_LABELS[s] for s in lesson["stages"]],
             "objectives": [f"{i}. {o}" for i, o in enumerate(lesson["objectives"], start=1)],
             "standards": [f"{s['code']} ({s['framework_name']}, {s['edition']}; {s['status']})"
                           for s in lesson["standards"]]}
            for lesson in lessons]


def schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Clear Signals lesson and group-session metadata",
        "description": "The `lesson:` block of a lesson page, or the `session:` block of a counselor group "
                       "session, as lessonkit validates it. Registry checks (known standards, glossary terms, "
                       "files on disk) need the project and are not expressed here.",
        "oneOf": [{"$ref": "#/$defs/Lesson"}, {"$ref": "#/$defs/GroupSession"}],
        "$defs": {"Lesson": Lesson.model_json_schema(), "GroupSession": GroupSession.model_json_schema()},
    }


def write(app) -> None:
    """Write the exports into the built site (teacher edition only: it holds the teachers' metadata)."""
    if app.builder.format != "html" or app.config.lessonkit_edition != "teacher":
        return
    data = records(app)
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "lessons.json").write_text(json.dumps({"lessons": data["lessons"],
                                                     "group_sessions": data["group_sessions"]},
                                                    ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "lessons.csv").write_text(_csv(lesson_rows(data["lessons"]), [
        "id", "band", "sequence", "title", "minutes", "page", "essential_question", "topics", "stages",
        "objectives", "standards"]), encoding="utf-8")
    (folder / "standards-alignment.json").write_text(json.dumps({"alignment": data["alignment"]},
                                                                ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "standards-alignment.csv").write_text(_csv(data["alignment"], [
        "lesson_id", "band", "sequence", "lesson_title", "code", "framework", "framework_name", "edition",
        "level", "strand", "summary", "status", "source"]), encoding="utf-8")
    (folder / "lesson-metadata.schema.json").write_text(json.dumps(schema(), indent=2) + "\n", encoding="utf-8")


class LessonExports(SphinxDirective):
    """{lesson-exports}: links to the files `write` puts next to the pages."""

    def run(self):
        listing = nodes.bullet_list(classes=["lk-exports"])
        here = posixpath.dirname(self.env.docname)
        for name, label in FILES.items():
            uri = posixpath.relpath(f"{FOLDER}/{name}", here or ".")
            para = nodes.paragraph()
            para += nodes.reference(label, label, refuri=uri)
            para += nodes.Text(f" ({name})")
            listing += nodes.list_item("", para)
        return [listing]


def setup_exports(app) -> None:
    app.add_directive("lesson-exports", LessonExports)

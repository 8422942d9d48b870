"""The generated group overview: a group's sessions in order, with time, skill and the classroom
lessons each draws on, so a counselor can plan the group (and show it to a principal) from one
table that cannot drift from the sessions."""
from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..nodes import lk_overview
from ..overview import RENDERERS, _link, make_table
from .panel import ENV, place
from .schema import GROUP_LABELS, KIND_ORDER

logger = logging.getLogger(__name__)


class GroupOverview(SphinxDirective):
    """{group-overview} 6-8"""

    required_arguments = 1

    def run(self):
        group = self.arguments[0]
        if group not in GROUP_LABELS:
            logger.warning(f"unknown group {group!r} for {{group-overview}}; expected one of "
                           f"{', '.join(GROUP_LABELS)}", location=self.get_location(), type="lessonkit",
                           subtype="overview")
            return []
        self.env.lessonkit_overviews.add(self.env.docname)
        node = lk_overview(kind="group-overview", band=group)
        self.set_source_info(node)
        return [node]


def group_overview(app, node, fromdoc) -> list[nodes.Node]:
    env = app.env
    group = node["band"]
    sessions = sorted(((doc, s) for doc, s in getattr(env, ENV, {}).items() if s["group"] == group),
                      key=lambda pair: (KIND_ORDER[pair[1]["kind"]], pair[1]["number"] or 0))
    if not sessions:
        return [nodes.paragraph("No sessions yet.", "No sessions yet.")]
    lesson_docs = {lesson["id"]: (doc, lesson) for doc, lesson in env.lessonkit_lessons.items()}
    rows = []
    for doc, s in sessions:
        where = place(SimpleNamespace(**s))
        drawn: list[nodes.Node] = []
        for lesson_id in s["draws_on"]:
            if lesson_id in lesson_docs:
                ldoc, lesson = lesson_docs[lesson_id]
                if drawn:
                    drawn.append(nodes.Text("; "))
                drawn.append(_link(app, fromdoc, ldoc, f"Lesson {lesson['sequence']}: {lesson['title']}"))
        rows.append([[_link(app, fromdoc, doc, s["title"])], where.capitalize(), f"{s['duration']} min",
                     s["skill"], drawn or "—"])
    total = sum(s["duration"] for _, s in sessions)
    caption = f"{GROUP_LABELS[group]} group: {len(sessions)} sessions, {total} minutes in all"
    return [make_table(caption, ["Session", "Place", "Time", "Skill practiced", "Draws on"], rows, [4, 3, 1, 5, 4])]


def setup_group_overview(app) -> None:
    RENDERERS["group-overview"] = group_overview
    app.add_directive("group-overview", GroupOverview)

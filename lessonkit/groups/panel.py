"""The session-at-a-glance panel, built from a group session's validated metadata.

Like a lesson's panel it sits under the page title and cannot drift from the metadata, and it
shows where each objective is practiced and checked; it adds what a counselor plans a group
around: the session's place in the group, the group size, the skill and the classroom lessons
it draws on.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .. import materials
from ..alignment import ENV as ALIGNMENT
from ..glance import (_bullets, _field, alignment_field, card, doc_ref, glance_panel, objectives_list, segments_of,
                      standards_field, timeline_field, titled_section, vocabulary_field)
from .schema import GROUP_LABELS, SESSION_COUNT

logger = logging.getLogger(__name__)
ENV = "lessonkit_sessions"


def place(session) -> str:
    if session.kind == "orientation":
        return "orientation (before session 1)"
    if session.kind == "follow-up":
        return "follow-up (4 to 6 weeks after the last session)"
    return f"session {session.number} of {SESSION_COUNT[session.group]}"


def build_session_panel(session, registries, docname: str, lesson_docs: dict[str, str], links: dict,
                        materials_list: list, segments: list[dict] | None = None) -> nodes.container:
    """The lesson panel's layout: place, time and group size; then skill, objectives and timeline;
    then cards."""
    panel, parts = glance_panel("session-at-a-glance", ["lk-session-glance"], "Session at a glance")
    summary = f"{GROUP_LABELS[session.group]} group · {place(session)} · {session.duration} minutes"
    _field(parts["head"], "Group", nodes.paragraph(summary, summary), hidden=True)
    size = f"{session.group_size} students"
    _field(parts["head"], "Group size", nodes.paragraph(size, size), hidden=True)
    key, grid = parts["key"], parts["grid"]
    _field(key, "Skill practiced", nodes.paragraph(session.skill, session.skill, classes=["lk-eq"]))
    _field(key, "Objectives", *objectives_list(session, links, "Members will be able to:"))
    timeline_field(key, segments or [])
    _field(card(grid), "Materials", _bullets(materials_list + list(session.materials)))
    _field(card(grid), "Preparation", _bullets(session.preparation))
    alignment_field(grid, session, links)
    if session.draws_on:
        _field(card(grid), "Draws on", _bullets([[doc_ref(lesson_docs[i], docname)] for i in session.draws_on]))
    if session.vocabulary:
        vocabulary_field(card(grid), registries, session.vocabulary, session.band, docname, folded=True)
    if session.handouts:
        handouts = [[doc_ref(path.removesuffix(".md"), docname)] for path in session.handouts]
        _field(card(grid), "Handouts", _bullets(handouts))
    standards_field(card(grid), registries, session.standards)
    return panel


class InsertSessionPanel(SphinxTransform):
    """Put the panel under a session's title, record the session for the group overview, and check
    that the session has its note home."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        project = self.app.lessonkit
        session = project.sessions.get(self.env.docname)
        if session is None:
            return
        for path in project.registries.files:
            self.env.note_dependency(str(path))
        getattr(self.env, ENV)[self.env.docname] = session.model_dump()
        section = titled_section(self, session, "group session")
        if section is None:
            return
        notes = [n for n in self.document.findall(nodes.container) if "lk-session-note" in n["classes"]]
        if len(notes) != 1:
            logger.warning(f"a group session needs exactly one {{session-note}} (the note to the referring "
                           f"teacher or family); found {len(notes)}", location=(self.env.docname, 1),
                           type="lessonkit", subtype="session")
        docname = self.env.docname
        contents = getattr(self.env, materials.ENV).get(docname, {})
        scenarios = self.env.lessonkit_scenarios.get(docname, [])
        materials.check_hand_written(self.env, session, contents, scenarios)
        listed = materials.generated(session, contents, scenarios,
                                     lambda path: doc_ref(path.removesuffix(".md"), docname))
        lesson_docs = {lesson.id: doc for doc, lesson in project.lessons.items()}
        panel = build_session_panel(session, project.registries, docname, lesson_docs,
                                    getattr(self.env, ALIGNMENT).get(docname, {}), listed,
                                    segments=segments_of(self.document))
        section.insert(1, panel)

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
from ..glance import _bullets, _field, doc_ref, objective_items, term_ref, titled_section
from ..nodes import lk_heading
from ..standards import cite
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
                        materials_list: list) -> nodes.container:
    panel = nodes.container(classes=["lk-glance", "lk-session-glance"], ids=["session-at-a-glance"])
    panel += lk_heading("Session at a glance", "Session at a glance")
    dl = nodes.definition_list(classes=["lk-glance-fields"])
    panel += dl
    summary = f"{GROUP_LABELS[session.group]} group · {place(session)} · {session.duration} minutes"
    _field(dl, "Group", nodes.paragraph(summary, summary))
    size = f"{session.group_size} students"
    _field(dl, "Group size", nodes.paragraph(size, size))
    _field(dl, "Skill practiced", nodes.paragraph(session.skill, session.skill, classes=["lk-eq"]))
    objectives = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-objectives"])
    for item in objective_items(session, links):
        objectives += nodes.list_item("", nodes.paragraph("", "", *item))
    _field(dl, "Objectives", nodes.paragraph("Members will be able to:", "Members will be able to:"), objectives)
    _field(dl, "Standards", _bullets([cite(registries.standards[code]) for code in session.standards]))
    if session.draws_on:
        _field(dl, "Draws on", _bullets([[doc_ref(lesson_docs[i], docname)] for i in session.draws_on]))
    if session.vocabulary:
        words = [[term_ref(registries.term(w).term, docname),
                  nodes.Text(": " + registries.term(w).definition_for(session.band))] for w in session.vocabulary]
        _field(dl, "Vocabulary", _bullets(words))
    _field(dl, "Materials", _bullets(materials_list + list(session.materials)))
    _field(dl, "Preparation", _bullets(session.preparation))
    if session.handouts:
        _field(dl, "Handouts", _bullets([[doc_ref(p.removesuffix(".md"), docname)] for p in session.handouts]))
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
                                    getattr(self.env, ALIGNMENT).get(docname, {}), listed)
        section.insert(1, panel)

"""The two blocks only a group session has: its check-out and its note home.

A check-out is a session's check for understanding, said aloud in a circle or written on a slip:
its items link objectives with {checks}`N` exactly as a lesson's check does. The note home is
what the counselor sends the referring teacher or the family after the session: it names the
skill the group practiced (from the session's metadata) and never anything a student said.
"""
from __future__ import annotations

from docutils import nodes

from ..directives import CheckForUnderstanding, LessonDirective
from ..nodes import lk_heading

NOTE_FOOTER = ("This note says what the group practiced, never what any student said or shared. Students "
               "are not named in it, except the one student whose family or teacher receives it.")


class CheckOut(CheckForUnderstanding):
    """The session's closing round: each item marked with the objectives it checks."""

    title = "Check-out"
    css = "lk-check-out"


class SessionNote(LessonDirective):
    """The note to the referring teacher or family; its first line comes from `session.skill`."""

    optional_arguments = 1
    final_argument_whitespace = True

    def build(self):
        session = self.env.app.lessonkit.sessions.get(self.env.docname)
        if session is None:
            self.warn("a {session-note} belongs in a counselor group session (a page with a session: block "
                      "under book/counselors/grades-*/); found it on another page")
            return []
        title = self.arguments[0] if self.arguments else "Note to the referring teacher or family"
        box = nodes.container(classes=["lk-block", "lk-session-note"], ids=["session-note"])
        self.set_source_info(box)
        box += lk_heading(title, title)
        skill = f"Today the group practiced this skill: {session.skill}"
        box += nodes.paragraph(skill, skill, classes=["lk-session-skill"])
        self.parse_into(box)
        box += nodes.paragraph(NOTE_FOOTER, NOTE_FOOTER, classes=["lk-session-note-footer"])
        return [box]

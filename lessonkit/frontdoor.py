"""The front page's doors: one card for each kind of reader (a teacher, a counselor, a family, a
district), each with what that reader needs first.

A door may belong to one edition. The teacher edition's doors link pages for adults only, which
the student edition does not have (its build fails on a link to one), so such a door is left out
of the student edition entirely, as a teacher-only block is; the student edition has doors of its
own, left out of the teacher edition.
"""
from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .editions import EDITIONS
from .nodes import lk_heading

logger = logging.getLogger(__name__)
ALL = "both"


class Doors(SphinxDirective):
    """The grid that holds the doors."""

    has_content = True

    def run(self):
        box = nodes.container(classes=["lk-doors"])
        self.set_source_info(box)
        self.state.nested_parse(self.content, self.content_offset, box)
        doors = [c for c in box.children if isinstance(c, nodes.Element) and "lk-door" in c["classes"]]
        stray = [c for c in box.children if c not in doors and not isinstance(c, nodes.system_message)]
        if stray:
            self.warn(f"a {{doors}} block holds only {{door}} blocks; found other text ({stray[0].tagname}); "
                      "expected each part inside its own {door}")
        return [box]

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="lessonkit", subtype="doors")


class Door(SphinxDirective):
    """One reader's door: a title, a line on what is behind it, and its first links."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"edition": directives.unchanged_required}

    def run(self):
        edition = self.options.get("edition", ALL).strip()
        if edition not in (ALL, *EDITIONS):
            self.warn(f"the {{door}} :edition: option: found {edition!r}; expected 'teacher' (left out of the "
                      f"student edition), 'student' (left out of the teacher edition) or '{ALL}' (the default)")
            return []
        # before parsing, so a door for the other edition never resolves its links in this one
        if edition != ALL and edition != self.env.config.lessonkit_edition:
            return []
        if not self.content:
            self.warn(f"the {{door}} {self.arguments[0]!r} is empty; expected what its reader finds first")
            return []
        box = nodes.container(classes=["lk-door", f"lk-door-{nodes.make_id(self.arguments[0])}"])
        self.set_source_info(box)
        box += lk_heading(self.arguments[0], self.arguments[0])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="lessonkit", subtype="door")


def setup_frontdoor(app) -> None:
    app.add_directive("doors", Doors)
    app.add_directive("door", Door)

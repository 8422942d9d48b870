"""Constructive alignment: every objective is practiced somewhere and checked somewhere.

Objectives are numbered in the order the front matter lists them. A procedure {segment} or a
{discussion} says what it practices (`:practices: 1, 3`); a check-for-understanding item says
what it checks with {checks}`2`. The build fails when an objective is practiced but never
checked, checked but never practiced, or neither, and when a link names an objective the lesson
does not have, so an objective can no longer promise more than the lesson delivers.

What each lesson links is kept per document on the environment (`lessonkit_alignment`), so a
parallel or incremental build sees the same links, and the glance panel shows them.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from . import frontmatter

logger = logging.getLogger(__name__)

ENV = "lessonkit_alignment"
CHECK_KIND = "check"  # what a {check-for-understanding} pushes on the block stack


class lk_checks(nodes.Inline, nodes.TextElement):
    """The objectives one check item checks; shown to the teacher, left out for students."""


def parse_objectives(value: str) -> list[int]:
    """'1, 3' -> [1, 3]; anything else is a ValueError that says what was expected."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if w]
    if not words or not all(w.isdigit() and int(w) >= 1 for w in words):
        raise ValueError(f"found {value.strip()!r}; expected objective numbers from the lesson's front matter, "
                         "e.g. '1' or '1, 3'")
    return [int(w) for w in words]


def lesson_of(env):
    """The lesson or counselor group session the page being read is (None for other pages)."""
    return env.app.lessonkit.unit(env.docname)


def record(env, kind: str, numbers: list[int], anchor: str, label: str, location) -> None:
    """Note that `anchor` practices or checks these objectives; warn about numbers that do not exist."""
    lesson = lesson_of(env)
    if lesson is None:
        logger.warning(f"{{{'checks' if kind == 'checked' else 'practices'}}} links objectives, but this page is "
                       "not a lesson; expected it only in lessons/ pages with a lesson: block (or group "
                       "sessions with a session: block)",
                       location=location, type="lessonkit", subtype="objectives")
        return
    count = len(lesson.objectives)
    data = getattr(env, ENV).setdefault(env.docname, {"practiced": {}, "checked": {}})
    for number in numbers:
        if number > count:
            logger.warning(f"objective {number}: no such objective; expected a number from 1 to {count} "
                           f"(the lesson lists {count} objective{'s' if count != 1 else ''})",
                           location=location, type="lessonkit", subtype="objectives")
            continue
        data[kind].setdefault(str(number), []).append({"anchor": anchor, "label": label})


class ChecksRole(SphinxRole):
    """{checks}`2` at the end of a check-for-understanding item: the objectives that item checks."""

    def run(self):
        from .directives import STACK, is_student_edition

        stack = self.env.temp_data.get(STACK) or []
        if CHECK_KIND not in stack:
            logger.warning("{checks} marks a check-for-understanding item; found it outside a "
                           "{check-for-understanding} block", location=self.get_location(),
                           type="lessonkit", subtype="objectives")
            return [], []
        try:
            numbers = parse_objectives(self.text)
        except ValueError as exc:
            logger.warning(f"{{checks}} {exc}", location=self.get_location(), type="lessonkit", subtype="objectives")
            return [], []
        text = ("Checks objective " if len(numbers) == 1 else "Checks objectives ") + ", ".join(map(str, numbers))
        node = lk_checks(text, text, classes=["lk-checks"], objectives=numbers, line=self.lineno,
                         student=is_student_edition(self.env))
        return [node], []


def collect_check_items(env, box: nodes.Element) -> None:
    """Give each item of a check an anchor and record the objectives its {checks} role names."""
    number = 0
    for listing in box.findall(nodes.enumerated_list):
        for item in listing.children:
            if not isinstance(item, nodes.list_item):
                continue
            number += 1
            marks = list(item.findall(lk_checks))
            if not marks:
                continue
            anchor = f"check-item-{number}"
            item["ids"].append(anchor)
            for mark in marks:
                record(env, "checked", mark["objectives"], anchor, f"check item {number}", (env.docname, mark["line"]))
                if mark["student"]:
                    mark.parent.remove(mark)  # students see the question, not the teacher's bookkeeping


def check_alignment(app, env) -> None:
    """After every page is read: each objective of each lesson is practiced and checked."""
    from .directives import is_student_edition

    if is_student_edition(env):
        # The procedure is teacher-only and is never read for students, so its :practices: lines
        # are unknown here; the teacher edition, built from the same sources, holds the check.
        return
    links = getattr(env, ENV, {})
    units = {**env.lessonkit_lessons, **getattr(env, "lessonkit_sessions", {})}
    for docname, lesson in units.items():
        data = links.get(docname, {"practiced": {}, "checked": {}})
        path = Path(env.doc2path(docname))
        try:
            fm = frontmatter.read(path)
        except (frontmatter.FrontMatterError, OSError):
            fm = None
        for number in range(1, len(lesson["objectives"]) + 1):
            practiced = bool(data["practiced"].get(str(number)))
            checked = bool(data["checked"].get(str(number)))
            if practiced and checked:
                continue
            if not practiced and not checked:
                problem = "never practiced and never checked"
            elif practiced:
                problem = "practiced but never checked"
            else:
                problem = "checked but never practiced"
            key = "session" if docname in getattr(env, "lessonkit_sessions", {}) else "lesson"
            line = fm.line_of((key, "objectives", number - 1)) if fm else 1
            logger.warning(f"objective {number}: {problem}; expected a {{segment}} or {{discussion}} with "
                           f"':practices: {number}' and a check-for-understanding item marked {{checks}}`{number}`",
                           location=(docname, line), type="lessonkit", subtype="objectives")


def visit_checks_html(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="lk-checks"))


def depart_checks_html(self, node):
    self.body.append("</span>")


def _skip(self, node):
    raise nodes.SkipNode


def setup_alignment(app) -> None:
    app.add_node(lk_checks, html=(visit_checks_html, depart_checks_html),
                 **{fmt: (_skip, None) for fmt in ("latex", "text", "man", "texinfo")})
    app.add_role("checks", ChecksRole())
    app.connect("env-check-consistency", check_alignment)

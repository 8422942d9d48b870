"""The short path: "Short on time?", a 15 to 20 minute version of every lesson.

A procedure {segment} that stays in a short lesson says so with `:core:` (all its minutes) or
`:core: 4` (the minutes it takes on the short path, with a `:core-keep:` line saying what to
keep in them). A {short-on-time} block inside the procedure says what to send home instead of the
rest. The build writes a box under the procedure's heading: the core segments in order, linked,
with their short-path minutes, the total, what is left out and the send-home text.

The build fails, naming the file and line, when a lesson has no short path, when the path does
not add up to 15 to 20 minutes, when a core value exceeds its segment's minutes, when the
send-home text is missing, and when the path drops the first or the last segment: the opening
(agreements, content note) and the closing (help steps or resources, hopeful end) carry the
lesson's safety parts, so a short lesson always keeps them.

Everything here is teacher-only: the procedure is never read for the student edition.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .directives import LessonDirective, is_student_edition, label
from .nodes import lk_heading

logger = logging.getLogger(__name__)

SHORTEST, LONGEST = 15, 20
FULL = "full"
BOX_ID = "short-on-time"
SAFETY = ("the opening (agreements, content note) and the closing (help steps or resources, hopeful end) "
          "are always on the short path, so a short lesson never drops the safety parts")


def core_value(value: str | None):
    """`:core:` or `:core: full` -> FULL; `:core: 4` -> 4 (minutes on the short path)."""
    text = (value or "").strip().lower()
    if text in ("", FULL):
        return FULL
    if text.isdigit() and 1 <= int(text) <= 120:
        return int(text)
    raise ValueError(f"found {value.strip()!r}; expected nothing or 'full' (the segment's full minutes are "
                     "on the short path) or the minutes it takes there, e.g. ':core: 4'")


def note_core(directive, box: nodes.Element) -> None:
    """Called by {segment}: keep its title and short-path minutes on its node, and check them."""
    box["lk_title"] = directive.arguments[0]
    core = directive.options.get("core")
    keep = (directive.options.get("core-keep") or "").strip()
    minutes = box["lk_minutes"]
    if core is None:
        if keep:
            directive.warn("the {segment} has a :core-keep: line but no :core: line; expected ':core: N' "
                           "(its minutes on the short path) with it, or no :core-keep:")
        return
    short = minutes if core == FULL else core
    if short > minutes:
        directive.warn(f"the {{segment}} :core: line gives {short} minutes on the short path; expected at most "
                       f"the segment's {minutes} minutes (its :minutes: line)")
    elif short < minutes and not keep:
        directive.warn(f"the {{segment}} is shortened on the short path ({short} of its {minutes} minutes) but "
                       "has no :core-keep: line; expected one saying what to keep in those minutes, e.g. "
                       "':core-keep: Part 3 and debrief question 2'")
    box["lk_core"] = short
    box["lk_core_keep"] = keep


class ShortOnTime(LessonDirective):
    """Inside a {procedure}: what to send home instead of the segments the short path leaves out."""

    teacher_only = True
    parent_kind = "procedure"

    def build(self):
        box = nodes.container(classes=["lk-short-path-send-home"])
        self.set_source_info(box)
        if not self.content:
            self.warn("the {short-on-time} block is empty; expected the send-home text: what students take "
                      "home instead of the segments the short path leaves out (e.g. the handout and its "
                      "family connection)")
            box["lk_empty"] = True
            return [box]
        box += label("Send home instead")
        self.parse_into(box)
        return [box]


def _children(parent: nodes.Element, cls: str) -> list[nodes.Element]:
    return [c for c in parent.children if isinstance(c, nodes.Element) and cls in c.get("classes", [])]


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


def _warn(message: str, node: nodes.Node) -> None:
    logger.warning(message, location=node, type="lessonkit", subtype="short-path")


def _keep(segment: nodes.Element) -> str:
    keep = segment.get("lk_core_keep", "")
    ended = keep.rstrip("\"'”’)").endswith((".", "!", "?"))  # a quoted sentence ends itself
    return f". Keep: {keep}" + ("" if ended else ".") if keep else ""


def _mark(segment: nodes.Element) -> nodes.paragraph:
    """The line a core segment shows under its heading: how long it takes on the short path."""
    short, full = segment["lk_core"], segment["lk_minutes"]
    text = f"Short path: {short} of its {full} minutes" if short < full else f"Short path: all {_minutes(full)}"
    para = nodes.paragraph("", "", nodes.strong(text, text), classes=["lk-short-path-mark"])
    para += nodes.Text(_keep(segment))
    return para


def build_box(core: list[nodes.Element], dropped: list[nodes.Element], send_home: nodes.Element | None,
              total: int, full: int, anchor: str) -> nodes.container:
    title = f"Short on time? The {total}-minute version"
    box = nodes.container(classes=["lk-short-path"], ids=[anchor])
    box += lk_heading(title, title)
    intro = (f"With only {SHORTEST} to {LONGEST} minutes, teach these segments in this order and send the rest "
             "home. The opening and the closing always stay: they hold the agreements, the content note, the "
             "help and the hopeful end.")
    box += nodes.paragraph(intro, intro)
    steps = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-short-path-steps"])
    for segment in core:
        short, minutes = segment["lk_core"], segment["lk_minutes"]
        para = nodes.paragraph("", "")
        para += nodes.reference(segment["lk_title"], segment["lk_title"], refid=segment["ids"][0])
        para += nodes.Text(" · ")
        para += nodes.inline(str(short), str(short), classes=["lk-short-path-minutes"])
        para += nodes.Text(f" of {minutes} min" if short < minutes else " min")
        para += nodes.Text(_keep(segment))
        steps += nodes.list_item("", para)
    box += steps
    total_line = nodes.paragraph("", "", classes=["lk-short-path-total"])
    total_line += nodes.strong("", "", nodes.Text("Total: "),
                               nodes.inline(str(total), str(total), classes=["lk-short-path-total-minutes"]),
                               nodes.Text(" minutes"))
    total_line += nodes.Text(f" (the full lesson: {full} minutes).")
    box += total_line
    if dropped:
        left = nodes.paragraph("", "", nodes.strong("Left out: ", "Left out: "), classes=["lk-short-path-dropped"])
        for i, segment in enumerate(dropped):
            if i:
                left += nodes.Text(" · ")  # titles may hold commas and semicolons of their own
            left += nodes.reference(segment["lk_title"], segment["lk_title"], refid=segment["ids"][0])
        box += left
    if send_home is not None:
        box += send_home
    return box


class InsertShortPath(SphinxTransform):
    """Check each lesson's short path and put its box under the procedure's heading."""

    default_priority = 520

    def apply(self, **kwargs) -> None:
        if is_student_edition(self.env):
            return
        unit = self.app.lessonkit.unit(self.env.docname)
        procedures = [p for p in self.document.findall(nodes.container) if "lk-procedure" in p["classes"]]
        if unit is None or unit.KEY != "lesson":
            self._refuse_outside_lessons(procedures)
            return
        if not procedures:
            logger.warning("a lesson needs a {procedure} with a short path (its :core: segments and a "
                           "{short-on-time} block); found no {procedure}", location=(self.env.docname, 1),
                           type="lessonkit", subtype="short-path")
        for number, procedure in enumerate(procedures, start=1):
            self._one(procedure, BOX_ID if number == 1 else f"{BOX_ID}-{number}")

    def _refuse_outside_lessons(self, procedures) -> None:
        for procedure in procedures:
            marked = [s for s in _children(procedure, "lk-segment") if "lk_core" in s]
            marked += _children(procedure, "lk-short-path-send-home")
            for node in marked:
                _warn("the short path (:core: and {short-on-time}) is for classroom lessons; found it on a page "
                      "that is not a lesson; expected it only in lessons/ pages with a lesson: block", node)

    def _one(self, procedure: nodes.Element, anchor: str) -> None:
        segments = _children(procedure, "lk-segment")
        sends = _children(procedure, "lk-short-path-send-home")
        core = [s for s in segments if "lk_core" in s]
        if segments and not core:
            _warn("the lesson has no short path: no {segment} of its {procedure} is marked :core:; expected "
                  f"':core:' (all its minutes) or ':core: N' on the segments a teacher keeps in a {SHORTEST} to "
                  f"{LONGEST} minute lesson, the first and the last among them: {SAFETY}", procedure)
        if core:
            for which, segment in (("first", segments[0]), ("last", segments[-1])):
                if "lk_core" not in segment:
                    _warn(f"the {which} {{segment}} {segment['lk_title']!r} is not on the short path; expected "
                          f"':core:' on it: {SAFETY}", segment)
        total = sum(s["lk_core"] for s in core)
        if core and not SHORTEST <= total <= LONGEST:
            parts = ", ".join(f"{s['lk_title']} {s['lk_core']}" for s in core)
            _warn(f"the short path adds up to {total} minutes ({parts}); expected {SHORTEST} to {LONGEST} minutes: "
                  "change the :core: minutes, or which segments are :core:", procedure)
        if not sends:
            _warn("the {procedure} has no {short-on-time} block; expected one inside it with the send-home text: "
                  "what students take home instead of the segments the short path leaves out", procedure)
        for extra in sends[1:]:
            _warn(f"the {{procedure}} has {len(sends)} {{short-on-time}} blocks; expected one", extra)
        for send in sends:
            procedure.remove(send)
        send_home = sends[0] if sends and not sends[0].get("lk_empty") else None
        if not core:
            return
        for segment in core:
            segment.insert(1, _mark(segment))
        dropped = [s for s in segments if "lk_core" not in s]
        full = sum(s["lk_minutes"] for s in segments)
        procedure.insert(1, build_box(core, dropped, send_home, total, full, anchor))


def _add_css(app) -> None:
    # student pages never hold the box, so they do not link its styles
    if app.config.lessonkit_edition != "student":
        app.add_css_file("lessonkit-shortpath.css")


def setup_shortpath(app) -> None:
    app.add_directive("short-on-time", ShortOnTime)
    app.add_transform(InsertShortPath)
    app.connect("builder-inited", _add_css)

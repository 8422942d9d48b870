"""The lesson-body directives: discussion, scenario, facilitator notes and the rest.

Teacher-only blocks return nothing at all in the student edition, so their text never
reaches that edition's HTML, search index or any other file.
"""
from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .alignment import CHECK_KIND, collect_check_items, parse_objectives, record
from .nodes import lk_details, lk_heading, lk_summary
from .vocab import FACILITATOR_KINDS, STAGE_LABELS, STAGES

logger = logging.getLogger(__name__)

# While a block parses its content, the kind of block it is sits on this stack (in the env's
# per-document temp data), so a child such as {prompt} can check that it is in a {discussion}.
STACK = "lessonkit_stack"


def is_student_edition(env) -> bool:
    return env.config.lessonkit_edition == "student"


def label(text: str, *classes: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong(text, text), classes=["lk-label", *classes])


class LessonDirective(SphinxDirective):
    """Base: teacher-only handling, placement checks and warnings that name file and line."""

    has_content = True
    teacher_only = False
    # the kind of block this directive must sit inside, e.g. "discussion" for a prompt
    parent_kind: str | None = None

    def run(self):
        # before the student edition drops a teacher-only block: the links count in both editions
        self.note_practice()
        if self.teacher_only and is_student_edition(self.env):
            return []
        if self.parent_kind and self._container_kind() != self.parent_kind:
            self.warn(f"a {{{self.name}}} block must sit directly inside a {{{self.parent_kind}}} block; "
                      f"found it {'inside a {' + self._container_kind() + '} block' if self._container_kind() else 'on its own'}")
        return self.build()

    def build(self) -> list[nodes.Node]:
        raise NotImplementedError

    def anchor(self) -> str:
        """The id a glance-panel link to this block points at."""
        return nodes.make_id(f"{self.name}-{self.arguments[0] if self.arguments else self.lineno}")

    def note_practice(self) -> None:
        """Record the objectives a block with a :practices: line gives students practice in."""
        if "practices" not in self.options:
            return
        try:
            numbers = parse_objectives(self.options["practices"])
        except ValueError as exc:
            self.warn(f"the {{{self.name}}} :practices: line {exc}")
            return
        title = self.arguments[0] if self.arguments else self.name
        record(self.env, "practiced", numbers, self.anchor(), title, self.get_location())

    def _container_kind(self) -> str | None:
        stack = self.env.temp_data.get(STACK) or [None]
        return stack[-1]

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="lessonkit", subtype=self.name)

    def parse_into(self, box: nodes.Element, expect: str | None = None) -> nodes.Element:
        stack = self.env.temp_data.setdefault(STACK, [])
        stack.append(expect)
        try:
            self.state.nested_parse(self.content, self.content_offset, box)
        finally:
            stack.pop()
        return box

    def block(self, classes: list[str], header: nodes.Node, required: bool = True,
              expect: str | None = None) -> nodes.container:
        """A container with a heading or label first, then the directive's parsed content."""
        box = nodes.container(classes=classes)
        self.set_source_info(box)
        box += header
        if not required or self.require_content():
            self.parse_into(box, expect)
        return box

    def inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return parsed + messages

    def require_content(self) -> bool:
        if not self.content:
            self.warn(f"the {{{self.name}}} block is empty; expected text inside it")
            return False
        return True


def _children_with(box: nodes.Element, cls: str) -> list[nodes.Element]:
    return [c for c in box.children if isinstance(c, nodes.Element) and cls in c.get("classes", [])]


class Discussion(LessonDirective):
    """Numbered discussion prompts; each may carry teacher-only listen-for and follow-up notes."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"practices": directives.unchanged_required}

    def build(self):
        title = self.arguments[0] if self.arguments else "Discussion"
        box = nodes.container(classes=["lk-block", "lk-discussion"], ids=[self.anchor()])
        self.set_source_info(box)
        box += lk_heading(title, title)
        body = self.parse_into(nodes.container(), expect="discussion")
        prompts = _children_with(body, "lk-prompt")
        stray = [c for c in body.children if c not in prompts and not isinstance(c, nodes.system_message)]
        if stray:
            self.warn("a {discussion} block holds only {prompt} blocks; found other text "
                      f"({stray[0].tagname}); expected each question inside its own {{prompt}}")
        if not prompts:
            self.warn("a {discussion} block needs at least one {prompt}; found none")
        listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-prompts"])
        listing.extend(prompts)
        box += listing
        return [box]


class Prompt(LessonDirective):
    parent_kind = "discussion"

    def build(self):
        item = nodes.list_item(classes=["lk-prompt"])
        self.set_source_info(item)
        if self.require_content():
            self.parse_into(item, expect="prompt")
        return [item]


class TeacherNote(LessonDirective):
    """A short teacher-only note with a fixed label (listen for, follow-up, answer key)."""

    teacher_only = True
    label_text = ""
    css = ""

    def build(self):
        return [self.block(["lk-teacher", self.css], label(f"For the teacher · {self.label_text}"))]


class ListenFor(TeacherNote):
    label_text = "Listen for"
    css = "lk-listen-for"


class FollowUp(TeacherNote):
    label_text = "Follow-up"
    css = "lk-follow-up"


class AnswerKey(TeacherNote):
    label_text = "Answer key"
    css = "lk-answer-key"


class TeacherOnly(LessonDirective):
    """Any content that belongs to the teacher edition only."""

    teacher_only = True
    optional_arguments = 1
    final_argument_whitespace = True

    def build(self):
        text = f"For the teacher · {self.arguments[0]}" if self.arguments else "For the teacher"
        return [self.block(["lk-teacher", "lk-teacher-only"], label(text))]


class FacilitatorNote(LessonDirective):
    teacher_only = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"kind": lambda value: directives.choice(value, FACILITATOR_KINDS)}

    def build(self):
        kind = self.options.get("kind", "general")
        title = self.arguments[0] if self.arguments else kind.replace("-", " ").capitalize()
        box = self.block(["lk-teacher", "lk-facilitator-note", f"lk-kind-{kind}"],
                         label(f"Facilitator note · {title}"))
        if kind == "opt-out":
            from .materials import note_content  # (materials builds on this module)

            note_content(self.env, "step_out", True)
        if kind == "disclosure":
            from .help import disclosure_link

            box += disclosure_link(self)
        return [box]


class Boxed(LessonDirective):
    """A titled block for everyone: check for understanding, family connection."""

    title = ""
    css = ""
    optional_arguments = 1
    final_argument_whitespace = True

    def build(self):
        title = self.arguments[0] if self.arguments else self.title
        box = self.block(["lk-block", self.css], lk_heading(title, title))
        return [box]


class CheckForUnderstanding(Boxed):
    """A short check; each numbered item names the objectives it checks with {checks}`N`."""

    title = "Check for understanding"
    css = "lk-check"

    def build(self):
        title = self.arguments[0] if self.arguments else self.title
        box = self.block(["lk-block", self.css], lk_heading(title, title), expect=CHECK_KIND)
        collect_check_items(self.env, box)
        return [box]


class FamilyConnection(Boxed):
    """The part of a lesson or handout for home. `:lang: es` writes it in another language (a handout's
    family part for caregivers who read Spanish): the block says so to screen readers (lang="es"),
    help resources and steps inside it use that language's wording, and the reading-level lint,
    which measures English, leaves it out."""

    title = "Family connection"
    css = "lk-family"
    option_spec = {"lang": directives.unchanged_required}
    titles = {"en": "Family connection", "es": "Para la familia"}

    def build(self):
        from .help import WORDS, block_language

        lang = self.options.get("lang", "en").strip()
        if lang not in WORDS:
            self.warn(f"the {{family-connection}} :lang: option: found {lang!r}; expected one of "
                      f"{', '.join(repr(k) for k in WORDS)} (the languages lessonkit has wording for)")
            lang = "en"
        title = self.arguments[0] if self.arguments else self.titles[lang]
        classes = ["lk-block", self.css] + ([f"language-{lang}"] if "lang" in self.options else [])
        with block_language(self.env, lang):
            box = self.block(classes, lk_heading(title, title))
        return [box]


def parse_stages(value: str) -> list[str]:
    words = [w for w in re.split(r"[\s,]+", value.strip().lower()) if w]
    if words == ["none"]:
        return []
    bad = [w for w in words if w not in STAGES]
    if bad or not words:
        raise ValueError(f"found {', '.join(bad) or 'nothing'}; expected one or more of "
                         f"{', '.join(STAGES)} (or 'none' for a scenario that shows no sextortion stage)")
    return words


class Scenario(LessonDirective):
    """A fictional story in scenes with choice points, ending in a debrief."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"stages": directives.unchanged_required}

    def build(self):
        title = self.arguments[0]
        if "stages" not in self.options:
            self.warn("a {scenario} needs a :stages: line naming the pattern stages it shows; found none; "
                      "expected e.g. ':stages: approach, coercion' or ':stages: none'")
            stages = []
        else:
            try:
                stages = parse_stages(self.options["stages"])
            except ValueError as exc:
                self.warn(f"the {{scenario}} :stages: line {exc}")
                stages = []
        anchor = nodes.make_id("scenario-" + title)
        box = nodes.container(classes=["lk-block", "lk-scenario"], ids=[anchor])
        self.set_source_info(box)
        box += lk_heading(f"Scenario: {title}", f"Scenario: {title}")
        lesson = self.env.app.lessonkit.lessons.get(self.env.docname)
        # Grades 3-5 learn the warning signs, not the stage names: their edition leaves the label out.
        if not (is_student_edition(self.env) and lesson is not None and lesson.band == "3-5"):
            shown = ", ".join(STAGE_LABELS[s] for s in stages) if stages else "none (a practice scenario)"
            box += nodes.paragraph("", "", nodes.strong("Pattern stages shown: ", "Pattern stages shown: "),
                                   nodes.Text(shown), classes=["lk-stages"])
        body = self.parse_into(nodes.container(classes=["lk-scenario-body"]), expect="scenario")
        scenes = _children_with(body, "lk-scene")
        debriefs = _children_with(body, "lk-debrief")
        if not scenes:
            self.warn("a {scenario} needs at least one {scene}; found none")
        if not any(_children_with(scene, "lk-choices") for scene in scenes):
            self.warn("a {scenario} needs at least one choice point (a {choice} inside a {scene}); found none")
        if len(debriefs) != 1:
            self.warn(f"a {{scenario}} needs exactly one {{debrief}}; found {len(debriefs)}")
        for number, scene in enumerate(scenes, start=1):
            heading = scene.children[0]
            text = f"Part {number}" + (f": {heading.astext()}" if heading.astext() else "")
            scene.replace(heading, lk_heading(text, text))
        box += body.children
        self.env.lessonkit_scenarios.setdefault(self.env.docname, []).append(
            {"title": title, "stages": stages, "anchor": anchor})
        return [box]


class Scene(LessonDirective):
    parent_kind = "scenario"
    optional_arguments = 1
    final_argument_whitespace = True

    def build(self):
        box = nodes.container(classes=["lk-scene"])
        self.set_source_info(box)
        # placeholder heading: the scenario numbers its scenes once it has seen them all
        box += lk_heading(self.arguments[0] if self.arguments else "", self.arguments[0] if self.arguments else "")
        body = self.parse_into(nodes.container(), expect="scene")
        group: nodes.container | None = None
        for child in list(body.children):
            if isinstance(child, lk_details):
                if group is None:
                    group = nodes.container(classes=["lk-choices"])
                    box += group
                group += child
            else:
                group = None
                box += child
        return [box]


class Choice(LessonDirective):
    parent_kind = "scene"
    required_arguments = 1
    final_argument_whitespace = True

    def build(self):
        details = lk_details(classes=["lk-choice"])
        self.set_source_info(details)
        details += lk_summary("", "", *self.inline(self.arguments[0]))
        outcome = nodes.container(classes=["lk-outcome"])
        if self.require_content():
            self.parse_into(outcome)
        details += outcome
        return [details]


class Debrief(LessonDirective):
    parent_kind = "scenario"

    def build(self):
        return [self.block(["lk-debrief"], lk_heading("Debrief", "Debrief"))]


class Offender(LessonDirective):
    """What the fictional offender writes, shown as a message. Only inside a scene: the lint lets
    threat and fear wording appear here, and nowhere else."""

    parent_kind = "scene"
    required_arguments = 1
    final_argument_whitespace = True

    def build(self):
        who = self.arguments[0]
        return [self.block(["lk-offender"], label(f"Message from {who}", "lk-offender-label"))]


class Procedure(LessonDirective):
    """The minute-by-minute plan; its segments must add up to the lesson's stated time."""

    teacher_only = True

    def build(self):
        box = nodes.container(classes=["lk-block", "lk-procedure", "lk-teacher"])
        self.set_source_info(box)
        heading = lk_heading("Procedure", "Procedure")
        box += heading
        body = self.parse_into(nodes.container(), expect="procedure")
        segments = _children_with(body, "lk-segment")
        if not segments:
            self.warn("a {procedure} needs at least one {segment}; found none")
        clock = 0
        for segment in segments:
            minutes = segment["lk_minutes"]
            text = f"{clock}–{clock + minutes} min · {segment.children[0].astext()}"
            segment.replace(segment.children[0], lk_heading(text, text))
            clock += minutes
        box.replace(heading, lk_heading(f"Procedure ({clock} minutes)", f"Procedure ({clock} minutes)"))
        box += body.children
        unit = self.env.app.lessonkit.unit(self.env.docname)
        if unit is not None and clock != unit.duration:
            self.warn(f"the {{procedure}} segments add up to {clock} minutes; expected {unit.duration} "
                      f"minutes, the {unit.KEY}'s duration in its front matter")
        return [box]


def minutes(value: str) -> int:
    number = directives.positive_int(value)
    if number > 120:
        raise ValueError("expected at most 120 minutes")
    return number


def core(value: str | None):
    from .shortpath import core_value  # (shortpath builds on this module)

    return core_value(value)


class Segment(LessonDirective):
    parent_kind = "procedure"
    required_arguments = 1
    final_argument_whitespace = True
    # :core: and :core-keep: put the segment on the lesson's short path (see shortpath.py)
    option_spec = {"minutes": minutes, "practices": directives.unchanged_required, "core": core,
                   "core-keep": directives.unchanged_required}

    def build(self):
        from .shortpath import note_core

        if "minutes" not in self.options:
            self.warn("a {segment} needs a :minutes: line; found none; expected e.g. ':minutes: 10'")
        box = self.block(["lk-segment"], lk_heading(self.arguments[0], self.arguments[0]))
        box["ids"].append(self.anchor())
        box["lk_minutes"] = self.options.get("minutes", 0)
        note_core(self, box)
        box["lk_title"] = self.arguments[0]  # the glance panel's timeline names the segment with it
        return [box]


def setup_directives(app) -> None:
    for name, cls in {
        "discussion": Discussion,
        "prompt": Prompt,
        "listen-for": ListenFor,
        "follow-up": FollowUp,
        "answer-key": AnswerKey,
        "teacher-only": TeacherOnly,
        "facilitator-note": FacilitatorNote,
        "check-for-understanding": CheckForUnderstanding,
        "family-connection": FamilyConnection,
        "scenario": Scenario,
        "scene": Scene,
        "choice": Choice,
        "debrief": Debrief,
        "offender": Offender,
        "procedure": Procedure,
        "segment": Segment,
    }.items():
        app.add_directive(name, cls)

"""The print-and-prepare list: what a teacher must copy, cut, charge or set out before class.

Most of it follows from what the lesson contains, so the build writes it: one copy of every
handout per student, the scenarios in the form the lesson says students read them, every card
set, and the step-out passes its opt-out note promises. The hand-written `materials:` list keeps
only what cannot be inferred (chart paper, sticky notes...), and the build refuses an entry that
repeats what it already lists, so the two can never disagree.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging

from . import frontmatter
from .directives import LessonDirective
from .nodes import lk_heading

logger = logging.getLogger(__name__)

ENV = "lessonkit_contents"  # per document: card sets, and whether an opt-out note promises a pass
COPIES = ("per-student", "per-pair", "per-group", "per-class")
UNIT = {"per-student": "student", "per-pair": "pair", "per-group": "group", "per-class": "class"}
SCENARIO_COPIES = ("per-student", "per-pair", "per-group", "jigsaw", "projected", "devices")


def note_content(env, key: str, value) -> None:
    contents = getattr(env, ENV).setdefault(env.docname, {"card_sets": [], "step_out": False})
    if key == "card_sets":
        contents["card_sets"].append(value)
    else:
        contents[key] = value


class CardSet(LessonDirective):
    """Cards students sort or read in groups: printed, cut apart, one set per group or pair."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"copies": lambda value: directives.choice(value, COPIES)}

    def build(self):
        title = self.arguments[0]
        if "copies" not in self.options:
            self.warn("a {card-set} needs a :copies: line saying how many sets to print; found none; "
                      f"expected one of {', '.join(COPIES)}")
        anchor = nodes.make_id("cards-" + title)
        box = self.block(["lk-block", "lk-card-set"], lk_heading(f"Cards: {title}", f"Cards: {title}"))
        box["ids"].append(anchor)
        note_content(self.env, "card_sets", {"title": title, "copies": self.options.get("copies", "per-group"),
                                             "anchor": anchor})
        return [box]


def handout_title(root: Path, path: str) -> str:
    """The handout's own heading, without a leading 'Handout:'."""
    try:
        for line in (Path(root) / path).read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return re.sub(r"^handout:\s*", "", line[2:].strip(), flags=re.IGNORECASE)
    except OSError:
        pass
    return Path(path).stem


def _text(*parts) -> list[nodes.Node]:
    return [nodes.Text(p) if isinstance(p, str) else p for p in parts]


def generated(lesson, contents: dict, scenarios: list[dict], handout_ref) -> list[list[nodes.Node]]:
    """The items the build can infer, each as inline nodes."""
    items = []
    # a group session shows a classroom lesson's scenario: students' copies come from that lesson
    where = "this lesson" if lesson.KEY == "lesson" else "the classroom lesson that tells it"
    for path in lesson.handouts:
        items.append(_text("One copy per student of ", handout_ref(path)))
    for scenario in scenarios:
        title = f"\u201c{scenario['title']}\u201d"
        link = nodes.reference(title, title, refid=scenario["anchor"])
        copies = lesson.scenario_copies
        if copies == "projected":
            items.append(_text("A projector or screen to show the scenario ", link,
                               f" from the student edition of {where}, readable from the back row"))
        elif copies == "devices":
            items.append(_text("One device per pair, open at the scenario ", link,
                               f" in the student edition of {where}"))
        elif copies == "jigsaw":
            items.append(_text("One copy of the scenario ", link, " per group that reads it (each group reads "
                               f"one story), printed from the student edition of {where}"))
        elif copies in UNIT:
            items.append(_text(f"One copy per {UNIT[copies]} of the scenario ", link,
                               f" (print it from the student edition of {where})"))
    for cards in contents.get("card_sets", []):
        title = f"\u201c{cards['title']}\u201d"
        link = nodes.reference(title, title, refid=cards["anchor"])
        # in a counselor's session "group" is the whole circle: say what the set is for there
        unit = UNIT[cards["copies"]]
        if lesson.KEY == "session" and cards["copies"] == "per-group":
            unit = "small group of members (the circle split in twos or threes)"
        items.append(_text(f"One set per {unit} of the ", link, " cards, printed and cut apart"))
    if contents.get("step_out"):
        items.append(_text("Step-out passes any student can take without explaining, and a place to go "
                           "where an adult can see them (see the opt-out note)"))
    return items


def _inferred_names(lesson, contents: dict, scenarios: list[dict], root: Path) -> list[tuple[str, str]]:
    names = [(handout_title(root, p).lower(), "a handout") for p in lesson.handouts]
    names += [(s["title"].lower(), "a scenario") for s in scenarios]
    names += [(c["title"].lower(), "a card set") for c in contents.get("card_sets", [])]
    return names


def check_hand_written(env, lesson, contents: dict, scenarios: list[dict]) -> None:
    """Warn about a `materials:` entry that repeats an item the build lists itself, and about a
    lesson whose scenarios do not say how students read them."""
    path = Path(env.doc2path(env.docname))
    try:
        fm = frontmatter.read(path)
    except (frontmatter.FrontMatterError, OSError):
        fm = None

    block = lesson.KEY

    def line(*key) -> int:
        return fm.line_of((block,) + key) if fm else 1

    if scenarios and lesson.scenario_copies is None:
        logger.warning(f"{block}.scenario_copies: found nothing; expected how students read the scenario(s): "
                       f"{', '.join(SCENARIO_COPIES)}", location=(env.docname, line()),
                       type="lessonkit", subtype="materials")
    names = _inferred_names(lesson, contents, scenarios, Path(env.srcdir))
    for i, item in enumerate(lesson.materials):
        text = item.lower()
        repeats = next((what for name, what in names if name and name in text), None)
        if repeats is None and contents.get("step_out") and re.search(r"\b(step-out|hall|water) pass", text):
            repeats = "the step-out passes"
        if repeats:
            logger.warning(f"{block}.materials[{i}]: found {item!r}, which repeats {repeats} the build already "
                           "lists; expected only materials the build cannot infer (it lists every handout, "
                           "scenario, card set and the step-out passes itself)",
                           location=(env.docname, line("materials", i)), type="lessonkit", subtype="materials")


def setup_materials(app) -> None:
    app.add_directive("card-set", CardSet)

"""The lesson-at-a-glance panel, built from a lesson's validated front matter.

It is inserted under the page title of every lesson, so authors never write it by hand and
it cannot drift from the metadata that the overview pages use.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from . import materials
from .alignment import ENV as ALIGNMENT
from .directives import is_student_edition
from .nodes import lk_heading
from .standards import cite
from .vocab import BAND_LABELS, STAGE_LABELS, TOPIC_LABELS

logger = logging.getLogger(__name__)


def term_ref(term: str, docname: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="term", reftarget=term.lower(),
                                refexplicit=True, refwarn=True, refdoc=docname)
    ref += nodes.inline(term, term, classes=["xref", "std", "std-term"])
    return ref


def doc_ref(docname: str, fromdoc: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget="/" + docname,
                                refexplicit=False, refwarn=True, refdoc=fromdoc)
    ref += nodes.inline(docname, docname, classes=["xref", "std", "std-doc"])
    return ref


def _field(dl: nodes.definition_list, name: str, *body: nodes.Node) -> None:
    dl += nodes.definition_list_item("", nodes.term(name, name), nodes.definition("", *body))


def _bullets(items) -> nodes.bullet_list:
    out = nodes.bullet_list()
    for item in items:
        out += nodes.list_item("", nodes.paragraph("", "", *item) if isinstance(item, list)
                               else nodes.paragraph(item, item))
    return out


def _links(found: list[dict]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, place in enumerate(found):
        if i:
            out.append(nodes.Text(", "))
        out.append(nodes.reference(place["label"], place["label"], refid=place["anchor"]))
    return out


def objective_items(lesson, links: dict) -> list[list[nodes.Node]]:
    """Each objective with where it is practiced and where it is checked (links into the page)."""
    items = []
    for number, objective in enumerate(lesson.objectives, start=1):
        item: list[nodes.Node] = [nodes.Text(objective)]
        for kind, word in (("practiced", "Practiced in"), ("checked", "Checked by")):
            found = links.get(kind, {}).get(str(number), [])
            if found:
                item += [nodes.Text(" "), nodes.inline("", "", nodes.Text(f"{word}: "), *_links(found),
                                                        nodes.Text("."), classes=["lk-objective-links"])]
        items.append(item)
    return items


def build_panel(lesson, registries, docname: str, student: bool, links: dict | None = None,
                materials_list: list | None = None) -> nodes.container:
    panel = nodes.container(classes=["lk-glance"], ids=["lesson-at-a-glance"])
    panel += lk_heading("Lesson at a glance", "Lesson at a glance")
    dl = nodes.definition_list(classes=["lk-glance-fields"])
    panel += dl
    summary = f"{BAND_LABELS[lesson.band]} · lesson {lesson.sequence}"
    if not student:
        summary += f" · {lesson.duration} minutes"
    _field(dl, "Grade band", nodes.paragraph(summary, summary))
    _field(dl, "Essential question", nodes.paragraph(lesson.essential_question, lesson.essential_question,
                                                     classes=["lk-eq"]))
    if not student:
        topics = ", ".join(TOPIC_LABELS[t] for t in lesson.topics)
        _field(dl, "Topics", nodes.paragraph(topics, topics))
        stages = " → ".join(STAGE_LABELS[s] for s in lesson.stages) or "none in this lesson"
        _field(dl, "Pattern stages shown", nodes.paragraph(stages, stages))
        objectives = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-objectives"])
        for item in objective_items(lesson, links or {}):
            objectives += nodes.list_item("", nodes.paragraph("", "", *item))
        _field(dl, "Objectives",
               nodes.paragraph("Students will be able to:", "Students will be able to:"), objectives)
        # each with its framework's edition; a strand-level entry is labelled as such
        standards = [cite(registries.standards[code]) for code in lesson.standards]
        _field(dl, "Standards", _bullets(standards))
    if lesson.vocabulary:
        words = []
        for word in lesson.vocabulary:
            entry = registries.term(word)
            words.append([term_ref(entry.term, docname),
                          nodes.Text(": " + entry.definition_for(lesson.band))])
        _field(dl, "Vocabulary", _bullets(words))
    if not student:
        _field(dl, "Materials", _bullets((materials_list or []) + list(lesson.materials)))
        _field(dl, "Preparation", _bullets(lesson.preparation))
    if lesson.handouts:
        links = [[doc_ref(path.removesuffix(".md"), docname)] for path in lesson.handouts]
        _field(dl, "Handouts", _bullets(links))
    return panel


def titled_section(transform, unit, page: str):
    """The page's first section if its '# Title' heads it and matches the metadata's title; warns and
    returns None when there is no such heading (lessons and group sessions alike)."""
    section = next(iter(transform.document.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        logger.warning(f"a {page} page needs a '# Title' heading before anything else; found none",
                       location=(transform.env.docname, 1), type="lessonkit", subtype="glance")
        return None
    if section[0].astext().strip() != unit.title:
        logger.warning(f"the page heading {section[0].astext().strip()!r} differs from {unit.KEY}.title "
                       f"{unit.title!r}; expected them to match", location=section[0],
                       type="lessonkit", subtype="glance")
    return section


class InsertGlancePanel(SphinxTransform):
    """Put the panel right under the lesson's title and record the lesson for overview pages."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        project = self.app.lessonkit
        lesson = project.lessons.get(self.env.docname)
        if lesson is None:
            return
        for path in project.registries.files:
            self.env.note_dependency(str(path))
        self.env.lessonkit_lessons[self.env.docname] = lesson.model_dump()
        section = titled_section(self, lesson, "lesson")
        if section is None:
            return
        docname = self.env.docname
        contents = getattr(self.env, materials.ENV).get(docname, {})
        scenarios = self.env.lessonkit_scenarios.get(docname, [])
        student = is_student_edition(self.env)
        if not student:
            materials.check_hand_written(self.env, lesson, contents, scenarios)
        listed = materials.generated(lesson, contents, scenarios, lambda path: doc_ref(path.removesuffix(".md"), docname))
        panel = build_panel(lesson, project.registries, docname, student,
                            links=getattr(self.env, ALIGNMENT).get(docname, {}), materials_list=listed)
        section.insert(1, panel)

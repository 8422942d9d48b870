"""The lesson-at-a-glance panel, built from a lesson's validated front matter and its procedure.

It is inserted under the page title of every lesson, so authors never write it by hand and
it cannot drift from the metadata that the overview pages use. Its first screen is what a teacher
plans from (question, objectives, a timeline of the procedure); the rest follows in cards.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from . import materials
from .alignment import ENV as ALIGNMENT
from .directives import is_student_edition
from .nodes import lk_details, lk_heading, lk_summary
from .standards import cite
from .vocab import BAND_LABELS, FRAMEWORKS, STAGE_LABELS, TOPIC_LABELS

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


def _field(dl: nodes.definition_list, name: str, *body: nodes.Node, hidden: bool = False,
           label_class: str | None = None) -> None:
    """One dt/dd pair. `hidden`: the label is for screen readers only, where the value says what it is
    ("Grades 6–8 · lesson 2 · 45 minutes")."""
    classes = (["lk-visually-hidden"] if hidden else []) + ([label_class] if label_class else [])
    term = nodes.term(name, name, classes=classes)
    dl += nodes.definition_list_item("", term, nodes.definition("", *body))


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


def objective_links(lesson, links: dict) -> list[list[nodes.Node]]:
    """For each objective, where it is practiced and where it is checked (links into the page)."""
    items = []
    for number, _ in enumerate(lesson.objectives, start=1):
        item: list[nodes.Node] = []
        for kind, word in (("practiced", "Practiced in"), ("checked", "Checked by")):
            found = links.get(kind, {}).get(str(number), [])
            if found:
                item += [nodes.inline("", "", nodes.Text(f"{word}: "), *_links(found), nodes.Text(". "),
                                      classes=["lk-objective-links"])]
        items.append(item)
    return items


def objectives_list(unit, links: dict, lead: str) -> list[nodes.Node]:
    """The objectives alone: where each is practiced and checked has a card of its own (alignment_field),
    so the first screen holds every objective and the timeline."""
    objectives = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-objectives"])
    for objective in unit.objectives:
        objectives += nodes.list_item("", nodes.paragraph(objective, objective))
    return [nodes.paragraph(lead, lead, classes=["lk-objectives-lead"]), objectives]


def alignment_field(grid: nodes.container, unit, links: dict) -> None:
    """A card: each objective by number, where it is practiced and where it is checked."""
    items = objective_links(unit, links)
    if not any(items):
        return
    listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-alignment"])
    for item in items:
        listing += nodes.list_item("", nodes.paragraph("", "", *item) if item else nodes.paragraph("—", "—"))
    _field(card(grid), "Objectives: practiced and checked", listing)


# ---- the layout every glance panel shares ---------------------------------------------------
# First screen: a head line (the panel's heading and the unit's place and time), the key fields
# (the question or skill, the objectives, the timeline of the procedure); then a grid of cards
# for what a teacher prepares from. Long lists sit in <details>, which open by keyboard and
# without JavaScript, and which print open (lessonkit-glance.css and .js).

class lk_timeline(nodes.General, nodes.Element):
    """<ol>: the procedure's segments as blocks whose widths are proportional to their minutes."""


class lk_timeline_item(nodes.General, nodes.TextElement):
    """<li> of a timeline; carries its minutes (`lk_minutes`) for the block's width."""


class lk_timeline_link(nodes.General, nodes.TextElement):
    """<a> of a timeline block, to its segment (`lk_anchor`), named in full ("N min, Title") whatever
    part of its title the block has room to show."""


class lk_timeline_legend(nodes.General, nodes.Element):
    """<ol aria-hidden>: under the timeline, each segment's minutes and title, for the blocks too
    narrow to show their title whole (lessonkit-glance.js hides the others; print shows them all).
    Hidden from screen readers, which read each block's full name."""


def segments_of(document: nodes.document) -> list[dict]:
    """The procedure's segments in order (title, minutes, anchor, start minute), from the doctree
    the {procedure} and {segment} directives built; the student edition has none."""
    out, clock = [], 0
    for box in document.findall(nodes.container):
        if "lk-segment" in box["classes"] and box["ids"]:
            minutes = box.get("lk_minutes", 0)
            out.append({"title": box.get("lk_title", ""), "minutes": minutes, "anchor": box["ids"][0],
                        "start": clock})
            clock += minutes
    return out


def timeline(segments: list[dict]) -> lk_timeline:
    bar = lk_timeline(classes=["lk-timeline"])
    for seg in segments:
        end = seg["start"] + seg["minutes"]
        item = lk_timeline_item(classes=["lk-timeline-item"], lk_minutes=seg["minutes"])
        link = lk_timeline_link("", "", classes=["lk-timeline-link"], lk_anchor=seg["anchor"],
                                lk_minutes=seg["minutes"], lk_tooltip=f"{seg['start']}–{end} min · {seg['title']}")
        link += nodes.inline("", "", nodes.Text(str(seg["minutes"])),
                             nodes.inline(" min", " min", classes=["lk-timeline-unit"]),
                             classes=["lk-timeline-minutes"])
        link += nodes.Text(" ")
        link += nodes.inline(seg["title"], seg["title"], classes=["lk-timeline-title"])
        item += link
        bar += item
    return bar


def timeline_legend(segments: list[dict]) -> lk_timeline_legend:
    legend = lk_timeline_legend(classes=["lk-timeline-legend"])
    for seg in segments:
        span = f"{seg['minutes']} min"
        # (in an inline, so the title gets the same typographic quotes as the block's)
        minutes = nodes.inline(span, span, classes=["lk-timeline-legend-minutes"])
        legend += nodes.list_item("", nodes.inline("", "", minutes, nodes.Text(" " + seg["title"])))
    return legend


def more(summary: str, *body: nodes.Node) -> lk_details:
    """A section the teacher opens: a real <summary> that says what is inside, then the list."""
    box = lk_details(classes=["lk-glance-more"])
    box += lk_summary(summary, summary)
    box.extend(body)
    return box


def glance_panel(ids: str, classes: list[str], heading: str) -> tuple[nodes.container, dict]:
    """The panel and its parts, to fill in: `head` (a list of the unit's place and time), `key` (the
    first screen's fields) and `grid` (a container of cards, each a definition list)."""
    panel = nodes.container(classes=["lk-glance", *classes], ids=[ids])
    head = nodes.container(classes=["lk-glance-head"])
    head += lk_heading(heading, heading)
    parts = {"head": nodes.definition_list(classes=["lk-glance-fields", "lk-glance-meta"]),
             "key": nodes.definition_list(classes=["lk-glance-fields", "lk-glance-key"]),
             "grid": nodes.container(classes=["lk-glance-grid"])}
    head += parts["head"]
    panel += head
    panel += parts["key"]
    panel += parts["grid"]
    return panel, parts


def card(grid: nodes.container) -> nodes.definition_list:
    dl = nodes.definition_list(classes=["lk-glance-fields", "lk-glance-card"])
    grid += dl
    return dl


def standards_field(dl: nodes.definition_list, registries, codes) -> None:
    """Every standard with its edition (cite), behind a summary that counts them by framework and
    shows no bare code."""
    stds = [registries.standards[code] for code in codes]
    counts = {fw: sum(1 for s in stds if s.framework == fw) for fw in FRAMEWORKS}
    by = ", ".join(f"{n} {fw}" for fw, n in counts.items() if n)
    summary = f"{len(stds)} standard{'s' if len(stds) != 1 else ''}: {by}"
    # each with its framework's edition; a strand-level entry is labelled as such
    _field(dl, "Standards", more(summary, _bullets([cite(s) for s in stds])))


def vocabulary_field(dl: nodes.definition_list, registries, words, band, docname: str, folded: bool) -> None:
    entries = [registries.term(word) for word in words]
    listing = _bullets([[term_ref(e.term, docname), nodes.Text(": " + e.definition_for(band))] for e in entries])
    if folded:
        summary = f"{len(entries)} term{'s' if len(entries) != 1 else ''}: {', '.join(e.term for e in entries)}"
        _field(dl, "Vocabulary", more(summary, listing))
    else:
        _field(dl, "Vocabulary", listing)


def timeline_field(dl: nodes.definition_list, segments: list[dict]) -> None:
    if segments:
        _field(dl, "Timeline", timeline(segments), timeline_legend(segments), label_class="lk-timeline-label")


def build_panel(lesson, registries, docname: str, student: bool, links: dict | None = None,
                materials_list: list | None = None, segments: list[dict] | None = None) -> nodes.container:
    panel, parts = glance_panel("lesson-at-a-glance", [], "Lesson at a glance")
    summary = f"{BAND_LABELS[lesson.band]} · lesson {lesson.sequence}"
    if not student:
        summary += f" · {lesson.duration} minutes"
    _field(parts["head"], "Grade band", nodes.paragraph(summary, summary), hidden=True)
    key, grid = parts["key"], parts["grid"]
    _field(key, "Essential question", nodes.paragraph(lesson.essential_question, lesson.essential_question,
                                                      classes=["lk-eq"]))
    if not student:
        _field(key, "Objectives", *objectives_list(lesson, links or {}, "Students will be able to:"))
        timeline_field(key, segments or [])
        _field(card(grid), "Materials", _bullets((materials_list or []) + list(lesson.materials)))
        _field(card(grid), "Preparation", _bullets(lesson.preparation))
        alignment_field(grid, lesson, links or {})
    if lesson.vocabulary:
        vocabulary_field(card(grid), registries, lesson.vocabulary, lesson.band, docname, folded=not student)
    if lesson.handouts:
        handouts = [[doc_ref(path.removesuffix(".md"), docname)] for path in lesson.handouts]
        _field(card(grid), "Handouts", _bullets(handouts))
    if not student:
        standards_field(card(grid), registries, lesson.standards)
        about = card(grid)
        topics = ", ".join(TOPIC_LABELS[t] for t in lesson.topics)
        _field(about, "Topics", nodes.paragraph(topics, topics))
        stages = " → ".join(STAGE_LABELS[s] for s in lesson.stages) or "none in this lesson"
        _field(about, "Pattern stages shown", nodes.paragraph(stages, stages))
    if not grid.children:  # a student edition's lesson with no vocabulary and no handouts
        panel.remove(grid)
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
                            links=getattr(self.env, ALIGNMENT).get(docname, {}), materials_list=listed,
                            segments=segments_of(self.document))
        section.insert(1, panel)


def print_links_below_the_plan(app, doctree, docname) -> None:
    """The line of PDF links (lessonkit.pdf puts it under the panel's heading) goes after the first
    screen's fields: it is for printing, and at the top it pushed the timeline below the fold."""
    for panel in doctree.findall(nodes.container):
        if "lk-glance" not in panel["classes"]:
            continue
        links = [c for c in panel.children if isinstance(c, nodes.paragraph) and "lk-pdf-links" in c["classes"]]
        key = next((c for c in panel.children if isinstance(c, nodes.definition_list)
                    and "lk-glance-key" in c["classes"]), None)
        for para in links if key is not None else []:
            panel.remove(para)
            panel.insert(panel.index(key) + 1, para)


def visit_timeline_html(self, node):
    self.body.append(self.starttag(node, "ol", ""))


def depart_timeline_html(self, node):
    self.body.append("</ol>\n")


def visit_timeline_item_html(self, node):
    # the block's width: its minutes, as a flex weight (lessonkit-glance.css)
    self.body.append(self.starttag(node, "li", "", style=f"--lk-minutes: {int(node['lk_minutes'])}"))


def depart_timeline_item_html(self, node):
    self.body.append("</li>\n")


def visit_timeline_link_html(self, node):
    # the block's visible words first ("3 min"), so a voice user can say what they see (WCAG 2.5.3,
    # label in name), then the title as the page shows it, typographic quotes and all
    title = next((n.astext() for n in node.findall(nodes.inline) if "lk-timeline-title" in n["classes"]), "")
    label = f"{int(node['lk_minutes'])} min, {title}"
    self.body.append(self.starttag(node, "a", "", href="#" + node["lk_anchor"], title=node["lk_tooltip"],
                                   **{"aria-label": label}))


def depart_timeline_link_html(self, node):
    self.body.append("</a>")


def visit_timeline_legend_html(self, node):
    self.body.append(self.starttag(node, "ol", "", **{"aria-hidden": "true"}))


def _passthrough(self, node):
    pass


def setup_glance(app) -> None:
    plain = (_passthrough, _passthrough)
    others = {fmt: plain for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(lk_timeline, html=(visit_timeline_html, depart_timeline_html), **others)
    app.add_node(lk_timeline_item, html=(visit_timeline_item_html, depart_timeline_item_html), **others)
    app.add_node(lk_timeline_link, html=(visit_timeline_link_html, depart_timeline_link_html), **others)
    app.add_node(lk_timeline_legend, html=(visit_timeline_legend_html, depart_timeline_html), **others)
    app.add_transform(InsertGlancePanel)
    # after lessonkit.pdf's insert_links (doctree-resolved, priority 500)
    app.connect("doctree-resolved", print_links_below_the_plan, priority=600)
    # after lessonkit.css (priority 500), whose panel rules these refine
    app.add_css_file("lessonkit-glance.css", priority=600)
    app.add_js_file("lessonkit-glance.js")

"""The projector view: each lesson's student-facing parts as large-type screens for a classroom.

Every lesson gets one more page in both editions, `<lesson>-present.html`, next to the lesson
page (same folder, so every relative link the lesson's doctree holds stays right). Its screens:
the lesson's title and essential question; each section's own text (what the lesson says to read
from the screen); each discussion prompt; each scenario's opening, each
scene with its choices (still `<details>`, so they open one by one) and the debrief; each card; each
check-for-understanding question; then the help steps and help boxes.

It is written from the lesson's resolved doctree, never from the source, with every teacher-only
node removed by its class, in the teacher edition too: the view is shown to a room of students, so
both editions project the same thing. District details nobody has filled in read as the student
edition's plain words, not the teacher edition's placeholder.

The page has its own small template (lessonkit-projector.html) and loads only
lessonkit-projector.css and lessonkit-projector.js: no theme CSS or JavaScript, no web font, nothing
that needs a network, so it works opened from disk. Without JavaScript it is a readable long page;
the script adds the keys (arrows, Page Up/Down, Space, Home/End, Escape back to the lesson), the
buttons and the spoken screen number, and CSS scroll-snap holds each screen in place. Next and Back
first show the rest of a screen taller than the window (the help lists), so a remote reaches it all.
"""
from __future__ import annotations

import html
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .a11y import page_language
from .alignment import lk_checks
from .district import DISTRICT_DEFAULTS, DISTRICT_FIELDS, DISTRICT_FIELDS_ES
from .help import WORDS
from .nodes import lk_heading
from .vocab import BAND_LABELS

logger = logging.getLogger(__name__)

SUFFIX = "-present"
TEMPLATE = "lessonkit-projector.html"
LINK_TEXT = "Projector view"
BUILDERS = ("html", "dirhtml")  # one page per document; singlehtml and epub have no page to add
# What never reaches the projector. Every teacher-only block has lk-teacher and its own class (the
# directives, materials and alignment modules give them); the glance panel holds planning fields;
# the stage label would give away a "which stage is this?" question; the link is the lesson's own.
LEFT_OUT = frozenset({
    "lk-teacher", "lk-listen-for", "lk-follow-up", "lk-answer-key", "lk-teacher-only", "lk-facilitator-note",
    "lk-procedure", "lk-segment", "lk-checks", "lk-glance", "lk-objectives", "lk-objective-links",
    "lk-stages", "lk-present-link",
})
HELP_STEPS_TITLE = "Steps to get help"


def present_name(docname: str) -> str:
    return docname + SUFFIX


def _builds_pages(app) -> bool:
    return getattr(app.builder, "name", "") in BUILDERS


# ---- the link on the lesson page ------------------------------------------------------------

class lk_view_nav(nodes.General, nodes.TextElement):
    """<nav>: the lesson page's way to its projector view. A <nav>, so a printed page (and the PDF,
    which drops every <nav>: lessonkit/pdf/render.py) leaves it out."""


def visit_view_nav_html(self, node):
    self.body.append(self.starttag(node, "nav", "", **{"aria-label": "Other views of this lesson"}))


def depart_view_nav_html(self, node):
    self.body.append("</nav>\n")


def add_link(app, doctree, docname) -> None:
    """A "Projector view" link in the head line of the lesson's glance panel (under the title when a
    lesson has no panel), in both editions."""
    if not _builds_pages(app) or docname not in getattr(app.env, "lessonkit_lessons", {}):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    if any("lk-present-link" in node.get("classes", []) for node in section.findall(lk_view_nav)):
        return
    uri = app.builder.get_relative_uri(docname, present_name(docname))
    link = nodes.reference("", "", nodes.Text(LINK_TEXT), refuri=uri, internal=True)
    nav = lk_view_nav("", "", link, classes=["lk-present-link"])
    panel = next((child for child in section.children[1:3]
                  if isinstance(child, nodes.container) and "lk-glance" in child["classes"]), None)
    head = panel[0] if panel is not None and panel.children else None
    if head is not None and "lk-glance-head" in head.get("classes", []):
        head += nav
    else:
        section.insert(1, nav)


# ---- from the doctree to screens ------------------------------------------------------------

@dataclass
class Screen:
    kind: str
    heading: str
    parts: list = field(default_factory=list)
    body: nodes.container = field(init=False)

    def __post_init__(self):
        # the screen's own copy of its parts: a part that for_students replaces is replaced here
        self.body = nodes.container("", *(part.deepcopy() for part in self.parts), classes=["lk-screen-body"])


def _left_out(node) -> bool:
    if isinstance(node, lk_checks):
        return True
    if not isinstance(node, nodes.Element):
        return False
    return any(c in LEFT_OUT or c.startswith("lk-kind-") for c in node.get("classes", []))


def _student_words(node: nodes.Element) -> str:
    """What the student edition says for an unset district detail (see help.district_inline)."""
    name, lang, wording = node.get("lk_field"), node.get("lk_lang", "en"), node.get("lk_wording")
    if name is None:  # a doctree cached before placeholders carried their field: match the words
        text = node.astext()
        for lang, fields in (("en", DISTRICT_FIELDS), ("es", DISTRICT_FIELDS_ES)):
            name = next((f for f, what in fields.items() if WORDS[lang]["placeholder"].format(what=what) == text), None)
            if name:
                break
    if name is None:
        return ""
    return wording or DISTRICT_DEFAULTS.get(lang, DISTRICT_DEFAULTS["en"])[name]


def remove_teacher_only(doctree: nodes.Node) -> None:
    for node in list(doctree.findall(_left_out)):
        if node.parent is not None:
            node.parent.remove(node)


def _replace(old: nodes.Node, new: nodes.Node) -> None:
    # not replace_self, which hands the old node's classes (lk-placeholder...) to the new one
    old.parent.replace(old, new)


def for_students(doctree: nodes.Element, lesson_uri: str) -> None:
    """Make a screen's parts stand on another page, in front of students."""
    remove_teacher_only(doctree)
    for node in list(doctree.findall(nodes.inline)):
        if "lk-placeholder" in node.get("classes", []):
            text = _student_words(node)
            _replace(node, nodes.inline(text, text, classes=["lk-district", "lk-district-default"]))
    # a link within the lesson page points into the lesson page
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.footnote_reference, nodes.citation_reference)))):
        _replace(node, nodes.reference("", "", *node.children, refid=node.get("refid", "")))
    for node in doctree.findall(nodes.reference):
        if node.get("refid"):
            node["refuri"] = f"{lesson_uri}#{node['refid']}"
            del node["refid"]
        elif node.get("refuri", "").startswith("#"):
            node["refuri"] = lesson_uri + node["refuri"]
    # screens have headings of their own; a block's inner heading becomes a bold line
    for node in list(doctree.findall(lk_heading)):
        _replace(node, nodes.paragraph("", "", nodes.strong("", "", *node.children), classes=["lk-subhead"]))
    for node in doctree.findall(nodes.Element):
        node["ids"] = []  # each part appears once, on its own screen; no id can clash with a screen's


def _classes(node) -> set[str]:
    return set(node.get("classes", [])) if isinstance(node, nodes.Element) else set()


def _title(box: nodes.Element) -> tuple[str, list]:
    """A lesson block's heading text (its lk_heading, before for_students) and the rest."""
    if box.children and isinstance(box[0], lk_heading):
        return box[0].astext(), list(box.children[1:])
    return "", list(box.children)


def _label(number: int, enumtype: str) -> str:
    if enumtype in ("loweralpha", "upperalpha") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if enumtype == "upperalpha" else letter
    return str(number)


def _cards(source: nodes.Element) -> list[tuple[str, list]]:
    """(label, body) for each card: a list's items, or a table's rows (first cell the label)."""
    if isinstance(source, (nodes.enumerated_list, nodes.bullet_list)):
        start = source.get("start", 1) if isinstance(source, nodes.enumerated_list) else 1
        enumtype = source.get("enumtype", "arabic") if isinstance(source, nodes.enumerated_list) else "arabic"
        items = [c for c in source.children if isinstance(c, nodes.list_item)]
        return [(_label(start + i, enumtype), list(item.children)) for i, item in enumerate(items)]
    header = [e.astext().strip() for row in source.findall(nodes.thead) for e in row.findall(nodes.entry)]
    cards = []
    rows = [row for body in source.findall(nodes.tbody) for row in body.children if isinstance(row, nodes.row)]
    for i, row in enumerate(rows, start=1):
        cells = [c for c in row.children if isinstance(c, nodes.entry)]
        if len(cells) < 2:
            cards.append((str(i), [n for c in cells for n in c.children]))
            continue
        body = []
        for column, cell in enumerate(cells[1:], start=1):
            if len(cells) > 2 and column < len(header):
                body.append(nodes.paragraph("", "", nodes.strong(header[column], header[column]),
                                            classes=["lk-card-field"]))
            body.extend(cell.children)
        cards.append((cells[0].astext().strip() or str(i), body))
    return cards


def _discussion(box) -> list[Screen]:
    title, rest = _title(box)
    items = [item for listing in rest if isinstance(listing, nodes.enumerated_list)
             for item in listing.children if isinstance(item, nodes.list_item)]
    return [Screen("prompt", f"{title} · prompt {i} of {len(items)}", list(item.children))
            for i, item in enumerate(items, start=1)]


def _scenario(box) -> list[Screen]:
    title, rest = _title(box)
    opening = [c for c in rest if not _classes(c) & {"lk-scene", "lk-debrief", "lk-stages"}]
    screens = [Screen("scenario", title, opening)]
    for part in rest:
        if "lk-scene" in _classes(part):
            name, body = _title(part)
            screens.append(Screen("scene", f"{title} · {name}", body))
        elif "lk-debrief" in _classes(part):
            name, body = _title(part)
            screens.append(Screen("debrief", f"{title} · {name or 'Debrief'}", body))
    return screens


def _card_set(box) -> list[Screen]:
    title, rest = _title(box)
    sources = [c for c in rest if isinstance(c, (nodes.enumerated_list, nodes.bullet_list, nodes.table))]
    if not sources:
        return [Screen("cards", title, rest)]
    intro = [c for c in rest if c not in sources]
    screens = [Screen("cards", title, intro)] if intro else []
    cards = [card for source in sources for card in _cards(source)]
    screens += [Screen("card", f"{title} · card {label}", [nodes.container("", *body, classes=["lk-card"])])
                for label, body in cards]
    return screens


def _check(box) -> list[Screen]:
    title, rest = _title(box)
    items = [item for listing in rest if isinstance(listing, nodes.enumerated_list)
             for item in listing.children if isinstance(item, nodes.list_item)]
    if not items:
        return [Screen("check", title, rest)]
    intro = [c for c in rest if not isinstance(c, nodes.enumerated_list)]
    screens = [Screen("check", title, intro)] if intro else []
    screens += [Screen("check", f"{title} · question {i} of {len(items)}", list(item.children))
                for i, item in enumerate(items, start=1)]
    return screens


BLOCKS = {"lk-discussion": _discussion, "lk-scenario": _scenario, "lk-card-set": _card_set, "lk-check": _check}
# A section's own text becomes a screen: lessons say "project 'Who is really typing?' and read it
# aloud", and a line that only leads into a card set or a story is not worth a screen of its own.
PROSE = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list, nodes.table,
         nodes.block_quote, nodes.figure, nodes.image)
READING_WORDS = 15


def _reading(section: nodes.section) -> list[Screen]:
    title = section[0].astext() if section.children and isinstance(section[0], nodes.title) else ""
    prose = [c for c in section.children if isinstance(c, PROSE)]
    if sum(len(c.astext().split()) for c in prose) < READING_WORDS:
        return []
    return [Screen("reading", title, prose)]


def screens_of(doctree: nodes.Node, lesson) -> list[Screen]:
    """The screens, in the lesson's order, with the help steps and help boxes at the end.
    Reads the block headings, so it runs before for_students turns them into bold lines."""
    screens = [Screen("title", lesson.title)]
    end: list[Screen] = []

    def walk(node, depth=0):
        for child in node.children:
            classes = _classes(child)
            kind = next((k for k in BLOCKS if k in classes), None)
            if isinstance(child, nodes.section):
                if depth:  # the page's own section (under its title) holds only what the title screen shows
                    screens.extend(_reading(child))
                walk(child, depth + 1)
            elif kind:
                screens.extend(BLOCKS[kind](child))
            elif "lk-help" in classes:
                name, body = _title(child)
                end.append(Screen("help", name, body))
            elif "lk-help-steps" in classes:
                if not any(s.kind == "help-steps" and s.body.astext() == child.astext() for s in end):
                    end.append(Screen("help-steps", HELP_STEPS_TITLE, [child]))
            elif isinstance(child, nodes.Element):
                walk(child, depth)

    walk(doctree)
    return screens + end


# ---- writing the page -----------------------------------------------------------------------

@contextmanager
def _writing_as(builder, docname: str):
    """The builder state its HTML writer reads (as in write_doc), so links and images resolve from
    the lesson's folder, which is the projector page's folder too."""
    names = ("current_docname", "secnumbers", "fignumbers", "imgpath", "dlpath")
    saved = {name: getattr(builder, name, None) for name in names}
    builder.current_docname = docname
    builder.secnumbers = builder.env.toc_secnumbers.get(docname, {})
    builder.fignumbers = builder.env.toc_fignumbers.get(docname, {})
    builder.imgpath = relative_uri(builder.get_target_uri(docname), "_images")
    builder.dlpath = relative_uri(builder.get_target_uri(docname), "_downloads")
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(builder, name, value)


def _render(builder, body: nodes.container) -> str:
    return builder.render_partial(body)["fragment"] if body.children else ""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def page_body(builder, docname: str, lesson, screens: list[Screen], back: str) -> str:
    total = len(screens)
    out = [
        '<header class="lk-present-bar">',
        f'<a class="lk-present-back" href="{_esc(back)}" data-lk-back>Back to the lesson</a>',
        # only with the script: without it the page is a long page, and these would do nothing
        '<nav class="lk-present-controls" aria-label="Screens" hidden>',
        '<button type="button" data-lk-go="first">First</button>',
        '<button type="button" data-lk-go="prev"><span aria-hidden="true">← </span>Previous</button>',
        f'<p class="lk-present-status" role="status" aria-live="polite">Screen 1 of {total}</p>',
        '<button type="button" data-lk-go="next">Next<span aria-hidden="true"> →</span></button>',
        '<button type="button" data-lk-go="last">Last</button>',
        '</nav>',
        '</header>',
        '<main class="lk-screens">',
    ]
    for number, screen in enumerate(screens, start=1):
        attrs = f'class="lk-screen lk-screen-{screen.kind}" id="screen-{number}" tabindex="-1"'
        if screen.kind == "title":
            band = f"{BAND_LABELS.get(lesson.band, lesson.band)} · lesson {lesson.sequence}"
            out += [f"<section {attrs}>", f'<p class="lk-present-band">{_esc(band)}</p>',
                    f"<h1>{_esc(lesson.title)}</h1>",
                    f'<p class="lk-present-eq">{_esc(lesson.essential_question)}</p>',
                    '<p class="lk-present-keys" hidden>Next screen: <kbd>→</kbd>, <kbd>Page Down</kbd> or '
                    '<kbd>Space</kbd>. Back: <kbd>←</kbd> or <kbd>Page Up</kbd>. First and last: <kbd>Home</kbd>, '
                    '<kbd>End</kbd>. On a scene, Next opens its choices one by one; on a long screen, it shows the '
                    'rest first. <kbd>Esc</kbd> returns to the lesson.</p>',
                    "</section>"]
            continue
        out += [f"<section {attrs}>", f"<h2>{_esc(screen.heading)}</h2>", _render(builder, screen.body), "</section>"]
    out.append("</main>")
    return "\n".join(out)


def note_build_start(app) -> None:
    app.lessonkit_build_started = time.time_ns()


def _view_is_current(app, docname: str, name: str) -> bool:
    """A lesson page this build did not write (nothing it shows changed) keeps the view made with
    it; a view is made again with its lesson page, or when it is missing. A no-change rebuild
    used to re-render every lesson's view."""
    started = getattr(app, "lessonkit_build_started", None)
    try:
        page = os.stat(app.builder.get_outfilename(docname)).st_mtime_ns
        view = os.stat(app.builder.get_outfilename(name)).st_mtime_ns
    except OSError:
        return False
    return started is not None and page < started and view >= page


def keep_resolved(app, doctree, docname) -> None:
    """doctree-resolved, after lessonkit's other listeners (priority 900): a copy of each lesson's
    resolved doctree for its view. Resolving the lesson a second time in collect_pages took about
    0.17 s a lesson (profiled, a fifth of an edit rebuild's extra work); a copy takes about 0.02 s."""
    if _builds_pages(app) and docname in getattr(app.env, "lessonkit_lessons", {}):
        app.builder.__dict__.setdefault("_lessonkit_resolved", {})[docname] = doctree.deepcopy()


def collect_pages(app):
    """html-collect-pages: one projector page per lesson (whose page this build wrote)."""
    if not _builds_pages(app):
        return []
    env, builder = app.env, app.builder
    pages = []
    for docname in sorted(getattr(env, "lessonkit_lessons", {})):
        lesson = app.lessonkit.lessons.get(docname)
        if lesson is None or docname not in env.found_docs:
            continue
        name = present_name(docname)
        if name in env.found_docs:
            logger.warning(f"the page {env.doc2path(name, False)} has the name lessonkit gives the projector view of "
                           f"{env.doc2path(docname, False)}; expected no page whose name ends in {SUFFIX!r} next to "
                           "a lesson (rename it)", location=(name, 1), type="lessonkit", subtype="projector")
            continue
        if _view_is_current(app, docname, name):
            continue
        kept = builder.__dict__.get("_lessonkit_resolved", {})
        doctree = kept.pop(docname, None)
        if doctree is None:
            doctree = env.get_and_resolve_doctree(docname, builder)
        remove_teacher_only(doctree)
        screens = screens_of(doctree, lesson)
        lesson_uri = builder.get_relative_uri(name, docname)
        with _writing_as(builder, docname):
            for screen in screens:
                for_students(screen.body, lesson_uri)
            body = page_body(builder, docname, lesson, screens, lesson_uri)
        site = app.config.html_title or app.config.project
        context = {"title": f"{LINK_TEXT}: {lesson.title}", "lk_title": f"{LINK_TEXT}: {lesson.title} · {site}",
                   "lk_body": body}
        page_language(app, docname, TEMPLATE, context, None)  # a lesson in another language: its view too
        pages.append((name, context, TEMPLATE))
    return pages


def setup_projector(app) -> None:
    app.connect("builder-inited", note_build_start)
    plain = (lambda self, node: None, lambda self, node: None)
    app.add_node(lk_view_nav, html=(visit_view_nav_html, depart_view_nav_html),
                 **{fmt: plain for fmt in ("latex", "text", "man", "texinfo")})
    app.connect("doctree-resolved", add_link)
    app.connect("doctree-resolved", keep_resolved, priority=900)
    app.connect("html-collect-pages", collect_pages)
    # the lesson page's link; the projector page links this file and its script itself
    app.add_css_file("lessonkit-projector.css")

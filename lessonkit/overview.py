"""Generated overview pages: scope and sequence, standards alignment, lesson lists, glossary.

A page holds only a directive; the tables are filled in when the page is written, from every
lesson's metadata. When a lesson changes, only these few pages are re-read (not every page),
which keeps incremental builds fast.
"""
from __future__ import annotations

import copy

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.domains.std import Glossary
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .nodes import lk_heading, lk_overview
from .standards import STRAND_LEVEL_NOTE, cite, editions_key, sort_key
from .vocab import BAND_LABELS, BANDS, STAGE_LABELS, TOPIC_LABELS

logger = logging.getLogger(__name__)


class OverviewDirective(SphinxDirective):
    kind = ""
    optional_arguments = 1

    def run(self):
        band = self.arguments[0] if self.arguments else None
        if band is not None and band not in BANDS:
            logger.warning(f"unknown band {band!r} for {{{self.name}}}; expected one of {', '.join(BANDS)}",
                           location=self.get_location(), type="lessonkit", subtype="overview")
            band = None
        self.env.lessonkit_overviews.add(self.env.docname)
        for path in self.env.app.lessonkit.registries.files:
            self.env.note_dependency(str(path))
        node = lk_overview(kind=self.kind, band=band or "")
        self.set_source_info(node)
        return [node]


class ScopeAndSequence(OverviewDirective):
    kind = "scope-and-sequence"


class StandardsAlignment(OverviewDirective):
    kind = "standards-alignment"


class LessonList(OverviewDirective):
    kind = "lesson-list"


def _cell(*content) -> nodes.entry:
    entry = nodes.entry()
    for item in content:
        if isinstance(item, str):
            entry += nodes.paragraph(item, item)
        elif isinstance(item, list):
            entry += nodes.paragraph("", "", *item)
        else:
            entry += item
    return entry


def make_table(caption: str, headers: list, rows: list[list], widths: list[int] | None = None) -> nodes.table:
    # numbered-figure support (numfig) needs an id on every captioned table
    table = nodes.table(classes=["lk-table"], ids=[nodes.make_id("table-" + caption)])
    table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for header in headers:
        row += _cell(header)
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += _cell(cell)
        body += row
    group += body
    return table


def _lessons_by_band(env) -> dict[str, list[tuple[str, dict]]]:
    out: dict[str, list[tuple[str, dict]]] = {band: [] for band in BANDS}
    for docname, lesson in env.lessonkit_lessons.items():
        out[lesson["band"]].append((docname, lesson))
    for items in out.values():
        items.sort(key=lambda pair: pair[1]["sequence"])
    return out


def _link(app, fromdoc: str, todoc: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, internal=True, refuri=app.builder.get_relative_uri(fromdoc, todoc))


def _bands(node) -> tuple[str, ...]:
    return (node["band"],) if node["band"] else BANDS


def scope_and_sequence(app, node, fromdoc) -> list[nodes.Node]:
    out = []
    by_band = _lessons_by_band(app.env)
    for band in _bands(node):
        lessons = by_band[band]
        total = sum(lesson["duration"] for _, lesson in lessons)
        out.append(lk_heading(BAND_LABELS[band], BAND_LABELS[band]))
        if not lessons:
            out.append(nodes.paragraph("No lessons yet.", "No lessons yet."))
            continue
        rows = []
        for docname, lesson in lessons:
            rows.append([
                str(lesson["sequence"]),
                [_link(app, fromdoc, docname, lesson["title"])],
                f"{lesson['duration']} min",
                ", ".join(TOPIC_LABELS[t] for t in lesson["topics"]),
                " → ".join(STAGE_LABELS[s] for s in lesson["stages"]) or "—",
                lesson["essential_question"],
            ])
        caption = f"{BAND_LABELS[band]}: {len(lessons)} lesson{'s' if len(lessons) != 1 else ''}, {total} minutes in all"
        out.append(make_table(caption, ["#", "Lesson", "Time", "Topics", "Pattern stages", "Essential question"],
                              rows, [1, 6, 2, 5, 4, 8]))
    return out


def standards_alignment(app, node, fromdoc) -> list[nodes.Node]:
    regs = app.lessonkit.registries
    by_band = _lessons_by_band(app.env)
    cited = {code for band in _bands(node) for _, lesson in by_band[band] for code in lesson["standards"]}
    out = []
    if cited:
        # which edition of each framework the codes belong to, and what a strand-level row means
        heading = "Frameworks and editions"
        out.append(lk_heading(heading, heading))
        out.append(editions_key(regs.standards[code] for code in cited))
        if any(regs.standards[code].is_strand for code in cited):
            out.append(nodes.paragraph(STRAND_LEVEL_NOTE, STRAND_LEVEL_NOTE, classes=["lk-strand-note"]))
    for band in _bands(node):
        lessons = by_band[band]
        out.append(lk_heading(BAND_LABELS[band], BAND_LABELS[band]))
        codes = []
        for _, lesson in lessons:
            for code in lesson["standards"]:
                if code not in codes:
                    codes.append(code)
        if not codes:
            out.append(nodes.paragraph("No lessons yet.", "No lessons yet."))
            continue
        codes.sort(key=lambda c: sort_key(regs.standards[c]))
        headers = ["Standard"] + [[_link(app, fromdoc, doc, f"Lesson {lesson['sequence']}")]
                                  for doc, lesson in lessons]
        rows = []
        for code in codes:
            row = [cite(regs.standards[code])]
            for _, lesson in lessons:
                row.append([nodes.inline("✓", "✓", classes=["lk-yes"])] if code in lesson["standards"] else "")
            rows.append(row)
        out.append(make_table(f"{BAND_LABELS[band]}: standards by lesson (✓ = the lesson addresses it)",
                              headers, rows, [8] + [2] * len(lessons)))
    if not node["band"]:
        # the counselor guide's group sessions cite standards too (the ASCA ones above all)
        in_groups = {code for s in getattr(app.env, "lessonkit_sessions", {}).values() for code in s["standards"]}
        group_only = sorted((regs.standards[c] for c in in_groups - cited), key=sort_key)
        if group_only:
            heading = "Standards the counselor group sessions address"
            out.append(lk_heading(heading, heading))
            items = nodes.bullet_list(classes=["lk-group-standards"])
            for std in group_only:
                items += nodes.list_item("", nodes.paragraph("", "", *cite(std)))
            out.append(items)
        unused = sorted((s for c, s in regs.standards.items()
                         if s.status == "verified" and c not in cited and c not in in_groups), key=sort_key)
        heading = "Verified standards no lesson or group session addresses yet"
        out.append(lk_heading(heading, heading))
        if unused:
            items = nodes.bullet_list(classes=["lk-unused"])
            for std in unused:
                items += nodes.list_item("", nodes.paragraph("", "", *cite(std, summary=False)))
            out.append(items)
        else:
            out.append(nodes.paragraph("None.", "None."))
    return out


def lesson_list(app, node, fromdoc) -> list[nodes.Node]:
    by_band = _lessons_by_band(app.env)
    items = nodes.bullet_list(classes=["lk-lesson-list"])
    for band in _bands(node):
        for docname, lesson in by_band[band]:
            para = nodes.paragraph()
            para += _link(app, fromdoc, docname, f"Lesson {lesson['sequence']}: {lesson['title']}")
            # class minutes are the teacher's plan; the student edition hides them, as its glance panel does
            minutes = "" if app.config.lessonkit_edition == "student" else f" ({lesson['duration']} minutes)"
            para += nodes.Text(f"{minutes}. {lesson['essential_question']}")
            items += nodes.list_item("", para)
    if not items.children:
        return [nodes.paragraph("No lessons yet.", "No lessons yet.")]
    return [items]


RENDERERS = {
    "scope-and-sequence": scope_and_sequence,
    "standards-alignment": standards_alignment,
    "lesson-list": lesson_list,
}


def fill_overviews(app, doctree, docname) -> None:
    for node in list(doctree.findall(lk_overview)):
        node.replace_self(RENDERERS[node["kind"]](app, node, docname))


def _lesson_data(env, docname: str) -> tuple:
    from . import ENV_DICTS

    return tuple(copy.deepcopy(getattr(env, name, {}).get(docname)) for name in ENV_DICTS)


def note_removed_lessons(app, env, added, changed, removed) -> list[str]:
    lesson_docs = (set(env.lessonkit_lessons) | set(app.lessonkit.lessons)
                   | set(getattr(env, "lessonkit_sessions", {})) | set(app.lessonkit.sessions))
    app.lessonkit_lessons_removed = bool(set(removed) & lesson_docs)
    return []


def note_lesson_data(app, env, docnames) -> None:
    """What lessonkit knew of each page about to be read (before Sphinx forgets it)."""
    app.lessonkit_data_before = {doc: _lesson_data(env, doc) for doc in docnames}


def overviews_to_rewrite(app, env) -> list[str]:
    """An overview's tables are made from the lessons' and sessions' data when the page is written
    (fill_overviews), not when it is read: so when a page read in this build comes out with other
    lesson data than it had (a title, a standard, a minute; a lesson added or removed), the overview
    pages are re-written, and are not re-read. A change to a lesson's text alone re-writes that
    lesson's page only."""
    before = getattr(app, "lessonkit_data_before", {})
    if getattr(app, "lessonkit_lessons_removed", False) or any(
            data != _lesson_data(env, doc) for doc, data in before.items()):
        return sorted(env.lessonkit_overviews)
    return []


class LessonGlossary(SphinxDirective):
    """The glossary page, generated from data/glossary.yml as a real Sphinx glossary."""

    def run(self):
        regs = self.env.app.lessonkit.registries
        self.env.note_dependency(str(regs.paths["glossary"]))
        lines = []
        for entry in sorted(regs.glossary.values(), key=lambda t: t.term.lower()):
            lines.append(entry.term)
            lines.append("   " + entry.definition)
            for band, text in entry.bands.items():
                lines.append("")
                lines.append(f"   *{BAND_LABELS[band]}:* {text}")
            lines.append("")
        content = StringList(lines, source=str(regs.paths["glossary"]))
        glossary = Glossary("glossary", [], {}, content, self.lineno, self.content_offset,
                            self.block_text, self.state, self.state_machine)
        return glossary.run()


def setup_overview(app) -> None:
    app.add_directive("scope-and-sequence", ScopeAndSequence)
    app.add_directive("standards-alignment", StandardsAlignment)
    app.add_directive("lesson-list", LessonList)
    app.add_directive("lesson-glossary", LessonGlossary)
    app.connect("doctree-resolved", fill_overviews)
    app.connect("env-get-outdated", note_removed_lessons)
    app.connect("env-before-read-docs", note_lesson_data)
    app.connect("env-updated", overviews_to_rewrite)

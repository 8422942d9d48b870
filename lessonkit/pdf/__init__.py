"""Print-ready PDFs: what each edition's build plans, and the "PDF" links on its pages.

The PDFs themselves are made afterwards from the built HTML (`python -m lessonkit pdf`, see
`render.py`), so an ordinary build stays as fast as it was and needs no PDF library. The build
writes the plan (`lessonkit-pdf.json` beside its doctrees): every PDF, the built pages it is made
from, its title and language, and how many pages it promises, all from the validated lesson
metadata and the doctree, so nothing reads a lesson file again.

Each edition gets PDFs of its own pages, in `pdf/` inside its output (`_build/html/pdf/`,
`_build/student/html/pdf/`), so a page links its PDF with a relative link that works from disk:

- per band: the teacher guide (every lesson, teacher edition) or the student packet (every
  handout, student edition; the teacher edition gets a copy so teachers can print it too);
- per lesson: the lesson, each of its handouts and each card set (as cut-out cards);
- every page whose front matter promises a page count (`pages: 1`: the family letters);
- the forms a page lists in its front matter (`forms:`: the counselor guide's forms, the evaluation
  kit's student survey sheets), each without the page's teacher-only notes.

A handout promises one page unless its front matter says `pages: 2`; the PDF command fails when a
PDF runs longer than its promise.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from .. import frontmatter
from ..vocab import BAND_FOLDERS, BAND_LABELS

logger = logging.getLogger(__name__)

FOLDER = "pdf"
PLAN = "lessonkit-pdf.json"  # in the edition's doctree folder
MAX_PAGES = 40
ENV = "lessonkit_pdf_forms"  # per page: label -> {"id": section id, "title": what the form is called}


def doc_pdf(docname: str, suffix: str = "") -> str:
    return f"{FOLDER}/{docname}{('-' + suffix) if suffix else ''}.pdf"


def band_pdf(band: str, edition: str) -> str:
    what = "teacher-guide" if edition == "teacher" else "student-packet"
    return f"{FOLDER}/{what}-{BAND_FOLDERS[band]}.pdf"


def band_title(band: str, edition: str) -> str:
    what = "Teacher guide" if edition == "teacher" else "Student packet"
    return f"{what}: {BAND_LABELS[band]}"


def parse_pages(value) -> tuple[int, str | None]:
    """A page promise from front matter: (pages, None), or (1, what is wrong)."""
    text = str(value).strip()
    if text.isdigit() and 1 <= int(text) <= MAX_PAGES:
        return int(text), None
    return 1, f"found {text!r}; expected a whole number of printed pages from 1 to {MAX_PAGES}"


def parse_forms(value) -> tuple[dict[str, int], list[str]]:
    """`forms:` in front matter (Sphinx keeps it as JSON text): a list of the page's section labels,
    one page each, or a mapping of each label to the pages its form promises. (forms, problems)"""
    try:
        data = json.loads(value) if isinstance(value, str) and value.strip()[:1] in "[{" else value
    except json.JSONDecodeError:
        data = value
    if isinstance(data, str) and data.strip():
        data = [data.strip()]
    if isinstance(data, list) and data and all(isinstance(item, str) for item in data):
        return {item: 1 for item in data}, []
    if isinstance(data, dict) and data:
        forms, problems = {}, []
        for label, pages in data.items():
            forms[str(label)], problem = parse_pages(pages)
            if problem:
                problems.append(f"forms: {label}: {problem}")
        return forms, problems
    return {}, [f"forms: found {value!r}; expected a list of the page's section labels, e.g. [referral-form], "
                "or a mapping of each label to the pages its form promises, e.g. {referral-form: 2}"]


def _meta_pages(env, docname: str, default: int | None) -> int | None:
    meta = env.metadata.get(docname, {})
    return parse_pages(meta["pages"])[0] if "pages" in meta else default


def handout_docs(env) -> dict[str, str]:
    """Handout docname -> its band, for every handout a lesson lists that this edition builds."""
    out = {}
    for lesson in lessons_in_order(env):
        for path in lesson["handouts"]:
            docname = path.removesuffix(".md")
            if docname in env.found_docs:
                out.setdefault(docname, lesson["band"])
    return out


def lessons_in_order(env) -> list[dict]:
    bands = list(BAND_LABELS)
    lessons = [dict(lesson, docname=doc) for doc, lesson in env.lessonkit_lessons.items()]
    return sorted(lessons, key=lambda lesson: (bands.index(lesson["band"]), lesson["sequence"]))


def _card_sets(env, docname: str) -> list[dict]:
    return (getattr(env, "lessonkit_contents", {}).get(docname) or {}).get("card_sets", [])


def _title(env, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def collect_forms(app, doctree) -> None:
    """The sections a page's `forms:` names: each one's id and title. A title the page repeats
    (three survey sheets with one heading) gets its parent section's title, so every link differs."""
    env = app.env
    docname = env.docname
    getattr(env, ENV).pop(docname, None)
    meta = env.metadata.get(docname, {})
    if "forms" not in meta:
        return
    labels = env.domaindata["std"]["labels"]
    found = {}
    for label, pages in parse_forms(meta["forms"])[0].items():
        where = labels.get(label)
        if where and where[0] == docname:
            found[label] = {"id": where[1], "title": where[2] or label, "pages": pages,
                            "parent": _parent_title(doctree.ids.get(where[1]))}
    titles = [form["title"] for form in found.values()]
    for form in found.values():
        if titles.count(form["title"]) > 1 and form["parent"]:
            form["title"] = f"{form['title']} ({form['parent']})"
        del form["parent"]
    getattr(env, ENV)[docname] = found


def _parent_title(node) -> str | None:
    parent = node.parent if node is not None else None
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    if parent is not None and parent.children and isinstance(parent[0], nodes.title):
        return parent[0].astext()
    return None


def _forms(env, docname: str) -> dict[str, dict]:
    return getattr(env, ENV, {}).get(docname, {})


def purge(app, env, docname) -> None:
    getattr(env, ENV, {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in getattr(other, ENV, {}):
            getattr(env, ENV)[docname] = getattr(other, ENV)[docname]


def init_env(app) -> None:
    if not hasattr(app.env, ENV):
        setattr(app.env, ENV, {})


def page_links(app, docname: str) -> list[tuple[str, str]]:
    """(link text, PDF path inside the output) for each PDF a page links to, in the order shown."""
    env = app.env
    edition = app.config.lessonkit_edition
    lesson = env.lessonkit_lessons.get(docname)
    handouts = handout_docs(env)
    links: list[tuple[str, str]] = []
    if lesson is not None:
        links.append(("This lesson", doc_pdf(docname)))
        links += [(_title(env, doc), doc_pdf(doc)) for doc in
                  dict.fromkeys(p.removesuffix(".md") for p in lesson["handouts"]) if doc in handouts]
    elif docname in handouts:
        links.append(("This handout", doc_pdf(docname)))
    elif "pages" in env.metadata.get(docname, {}):
        links.append(("This page", doc_pdf(docname)))
    links += [(f"Form: {form['title']}", doc_pdf(docname, label)) for label, form in _forms(env, docname).items()]
    links += [(f"Cards: {cards['title']}", doc_pdf(docname, cards["anchor"])) for cards in _card_sets(env, docname)]
    band = lesson["band"] if lesson is not None else handouts.get(docname)
    if band is not None:
        if edition == "teacher" and lesson is not None:
            links.append((f"{band_title(band, 'teacher')} (every lesson)", band_pdf(band, "teacher")))
        links.append((f"{band_title(band, 'student')} (every handout)", band_pdf(band, "student")))
    return links


def insert_links(app, doctree, docname: str) -> None:
    """A line of PDF links: at the top of a lesson's or session's glance panel, else under the title.
    At write time, when every page's title, labels and card sets are known."""
    if app.builder.format != "html":
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    links = page_links(app, docname)
    if section is None or not isinstance(section[0], nodes.title) or not links:
        return
    here = posixpath.dirname(app.builder.get_target_uri(docname)) or "."
    para = nodes.paragraph(classes=["lk-pdf-links"])
    para += nodes.strong("Print (PDF): ", "Print (PDF): ")
    for i, (text, target) in enumerate(links):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference(text, text, refuri=posixpath.relpath(target, here), internal=True)
    # the panel is under the title, or under the projector view's link when that came first
    panel = next((child for child in section.children[1:3]
                  if isinstance(child, nodes.container) and "lk-glance" in child["classes"]), None)
    if panel is not None:
        panel.insert(1, para)  # right under the panel's own heading: the first thing a teacher sees
    else:
        section.insert(1, para)


def check(app, env) -> None:
    """A page promise is a whole number; every label in `forms:` marks a section of that page."""
    labels = env.domaindata["std"]["labels"]
    for docname in sorted(env.found_docs):
        meta = env.metadata.get(docname, {})
        problems = []
        if "pages" in meta:
            problem = parse_pages(meta["pages"])[1]
            problems += [f"pages: {problem}"] if problem else []
        if "forms" in meta:
            forms, found = parse_forms(meta["forms"])
            problems += found
            for label in forms:
                if label not in _forms(env, docname):
                    where = f"a label on {labels[label][0]}" if label in labels else "no label of that name"
                    problems.append(f"forms: {label}: found {where}; expected a label on this page, written "
                                    f"'({label})=' on the line above the form's heading")
        if problems:
            try:
                fm = frontmatter.read(Path(env.doc2path(docname)))
            except (frontmatter.FrontMatterError, OSError):
                fm = None
            for problem in problems:
                key = tuple(problem.split(": ")[:2]) if problem.startswith("forms: ") else ("pages",)
                line = fm.line_of(key) if fm else 1
                logger.warning(problem, location=(docname, line), type="lessonkit", subtype="pdf")


def plan(app) -> dict:
    """Every PDF this edition's pages link to, and what each is made of."""
    env, config = app.env, app.config
    edition = config.lessonkit_edition
    default_lang = config.language or "en"

    def source(docname: str) -> str:
        try:
            return Path(env.doc2path(docname)).relative_to(app.srcdir).as_posix()
        except ValueError:
            return docname

    def one(docname: str, kind: str, file: str, title: str, pages: int | None = None,
            select: str | None = None, band: str | None = None) -> dict:
        lang = str(env.metadata.get(docname, {}).get("language") or default_lang)
        return {"file": file, "kind": kind, "title": title, "lang": lang, "pages": pages, "band": band,
                "source": source(docname), "html": app.builder.get_target_uri(docname), "select": select}

    docs: list[dict] = []
    lessons = lessons_in_order(env)
    handouts = handout_docs(env)
    for lesson in lessons:
        docs.append(one(lesson["docname"], "lesson", doc_pdf(lesson["docname"]), lesson["title"], band=lesson["band"]))
    for docname, band in handouts.items():
        docs.append(one(docname, "handout", doc_pdf(docname), _title(env, docname), _meta_pages(env, docname, 1),
                        band=band))
    for docname in sorted(env.found_docs):
        pages = _meta_pages(env, docname, None)
        if pages is not None and docname not in handouts and docname not in env.lessonkit_lessons:
            docs.append(one(docname, "page", doc_pdf(docname), _title(env, docname), pages))
        for label, form in _forms(env, docname).items():
            # a band's survey sheet (book/evaluation/survey-grades-3-5) prints in that band's type size
            band = next((b for b, folder in BAND_FOLDERS.items() if folder in docname.rsplit("/", 1)[-1]), None)
            docs.append(one(docname, "form", doc_pdf(docname, label), form["title"], form["pages"], select=form["id"],
                            band=band))
        for cards in _card_sets(env, docname):
            docs.append(one(docname, "cards", doc_pdf(docname, cards["anchor"]), f"Cards: {cards['title']}",
                            select=cards["anchor"]))
    for band in BAND_LABELS:
        if edition == "teacher":
            members = [doc_pdf(lesson["docname"]) for lesson in lessons if lesson["band"] == band]
            if members:
                docs.append({"file": band_pdf(band, "teacher"), "kind": "guide", "band": band,
                             "title": band_title(band, "teacher"), "lang": default_lang, "pages": None,
                             "source": f"the {BAND_LABELS[band]} lessons", "combine": members})
        members = [doc_pdf(doc) for doc, b in handouts.items() if b == band]
        if members:
            # the teacher edition's copy is the student edition's own packet
            docs.append({"file": band_pdf(band, "student"), "kind": "packet", "band": band,
                         "title": band_title(band, "student"), "lang": default_lang, "pages": None,
                         "source": f"the {BAND_LABELS[band]} handouts", "combine": members,
                         "from_student": edition == "teacher"})
    book = str(config.html_title or config.project).removesuffix(" (student edition)")
    return {"edition": edition, "book": book, "author": config.author, "language": default_lang,
            "documents": docs}


def write_plan(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or (Path(app.outdir) / "_lessonkit_failed").exists():
        return
    target = Path(app.doctreedir) / PLAN
    target.write_text(json.dumps(plan(app), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def setup_pdf(app) -> None:
    app.connect("builder-inited", init_env)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    # after Sphinx records the page's front matter (env.metadata), on the same event
    app.connect("doctree-read", collect_forms, priority=600)
    app.connect("doctree-resolved", insert_links)
    app.connect("env-check-consistency", check)
    # after lessonkit's own build-finished handler, which replaces a failed build's pages
    app.connect("build-finished", write_plan, priority=950)
    app.add_css_file("lessonkit-pdf.css")

"""Incremental builds re-read exactly the pages a change affects: no fewer (a stale page), no more.

The fixture tests/fixtures/threebook has three lessons in two bands, three overview pages (the
scope and sequence with the standards matrix, and one lesson list per band) and one page for each
registry. Its test extension (_ext/readlog.py) writes the list of pages every build reads to
_build/read-docs.json; the "reading sources... [ n%] page" lines of the log must say the same.
"""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_book, output

THREEBOOK = Path(__file__).parent / "fixtures" / "threebook"
LESSON_68_1 = "lessons/grades-6-8/01-asking-first"
LESSON_68_2 = "lessons/grades-6-8/02-saying-no"
LESSON_912 = "lessons/grades-9-12/01-helping-a-friend"
LESSONS = {LESSON_68_1, LESSON_68_2, LESSON_912}
# every page with a {scope-and-sequence}, {standards-alignment} or {lesson-list}: they list every
# lesson, and their tables are made when the page is written, so lessonkit re-writes them (not
# re-reads them) when a lesson's data changes (overview.py, overviews_to_rewrite); a registry edit
# re-reads them, since they note every registry file
OVERVIEWS = {"book/overview", "lessons/grades-6-8/index", "lessons/grades-9-12/index"}
GLOSSARY_PAGE, HELP_PAGE, HANDOUT = "book/glossary", "book/help", "activities/grades-6-8/handout-steps"
EVERY_PAGE = LESSONS | OVERVIEWS | {"book/intro", GLOSSARY_PAGE, HELP_PAGE, HANDOUT}
MARK = "RENAMED-BY-TEST"


def _logged_reads(proc) -> tuple[set[str], set[str]]:
    """The pages the log names one at a time, and the first and last of each chunk a parallel read
    names ("a .. b"), which are all the log says of a chunk."""
    lines = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)(?: \.\. (\S+))?", output(proc))
    return {a for a, b in lines if not b}, {page for a, b in lines if b for page in (a, b)}


def build_and_read(book) -> set[str]:
    """Build the teacher edition; return the pages this build read."""
    book.up_to_date = False
    proc = book.build()
    assert proc.returncode == 0, output(proc)[-4000:]
    book.up_to_date = True
    read = set(json.loads(book.path("_build/read-docs.json").read_text(encoding="utf-8")))
    single, chunked = _logged_reads(proc)
    assert single <= read and chunked <= read and (chunked or single == read), \
        "the read log and Sphinx's own log disagree"
    return read


@pytest.fixture(scope="module")
def threebook(tmp_path_factory):
    """The fixture book, built once for this module; each test changes it and builds again."""
    book = copy_book(THREEBOOK, tmp_path_factory.mktemp("three") / "book", with_repo_data=True)
    assert build_and_read(book) == EVERY_PAGE
    return book


@pytest.fixture
def settled(threebook):
    """The fixture book with an up-to-date build (rebuilt only if a test's build failed)."""
    if not threebook.up_to_date:
        build_and_read(threebook)
    return threebook


def test_an_unchanged_book_rereads_nothing(threebook):
    assert build_and_read(threebook) == set()


def html(book, docname: str) -> str:
    return (book.html_dir() / f"{docname}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("docname, old, new", [
    (LESSON_68_2, "practice saying no.", "practice saying no, kindly."),
    (LESSON_912, "talk about helping a friend.", "talk about helping a friend, calmly."),
], ids=["grades-6-8", "grades-9-12"])
def test_editing_one_lesson_rereads_it_only_and_rewrites_the_overview_pages(settled, docname, old, new):
    title = yaml.safe_load(settled.path(docname + ".md").read_text(encoding="utf-8").split("---")[1])["lesson"]["title"]
    settled.edit(docname + ".md", old, new)
    settled.edit(docname + ".md", f"title: {title}", f"title: {title} {MARK}")
    settled.edit(docname + ".md", f"# {title}", f"# {title} {MARK}")
    # not the overviews (re-written, below), the other lessons, the glossary, the help page or the handout
    assert build_and_read(settled) == {docname}
    assert new in html(settled, docname)
    band_index = "lessons/" + docname.split("/")[1] + "/index"
    for page in ("book/overview", band_index):
        assert f"{title} {MARK}" in html(settled, page), page


def test_editing_a_page_without_lesson_data_rereads_only_that_page(settled):
    settled.edit("book/intro.md", "uses no lesson data", f"uses no lesson data ({MARK})")
    assert build_and_read(settled) == {"book/intro"}
    assert MARK in html(settled, "book/intro")


def _unique_value(book, rel: str, candidates) -> str:
    """The first registry value that is written exactly once, verbatim, in the file."""
    text = book.path(rel).read_text(encoding="utf-8")
    for value in candidates:
        # a long value may be folded over lines in the file: then its first words
        for part in (value, *(value[:n] for n in (40, 25))) if isinstance(value, str) else ():
            if len(part) > 8 and text.count(part) == 1:
                return part
    raise AssertionError(f"no value of {rel} to edit is written once, verbatim")


def _edit_registry(book, rel: str) -> str:
    """Change one entry of a registry; return the mark the change adds (its own for each file)."""
    mark = "EDITED-" + Path(rel).stem.upper()
    data = yaml.safe_load(book.path(rel).read_text(encoding="utf-8"))
    if rel == "data/glossary.yml":  # a term that LESSON_68_1 lists, with the definition grades 6-8 see
        values = [t["definition"] for t in data["terms"] if t["term"] == "pressure"]
    elif rel == "data/resources.yml":  # what the help page's only entry helps with
        values = [data["resources"]["cybertipline"]["helps_with"]]
    elif rel == "data/help-steps.yml":  # a grades 6-8 step, as the handout shows it
        values = [step.get(key) for step in data["bands"]["6-8"]["steps"] for key in ("title", "text")]
    else:  # a standard that every lesson cites
        values = [s["summary"] for s in data["standards"] if s["code"] == "CASEL-RS"]
    value = _unique_value(book, rel, values)
    book.edit(rel, value, f"{value} {mark}")
    return mark


# Which pages a registry edit re-reads, and why. Sphinx tracks dependencies per file, not per entry,
# so a change to one entry re-reads every page that noted the file (env.note_dependency):
# - every lesson page notes every registry file (glance.py): its metadata is validated against
#   them (standard codes and bands, vocabulary terms) and its glance panel shows their entries; so
#   the 9-12 lesson, which lists no vocabulary, is re-read after a glossary edit all the same;
# - every overview page notes every registry file too (overview.py: the standards matrix and the
#   lesson tables), and is re-read anyway once any lesson is;
# - beyond those, only the pages that use the file: the {lesson-glossary} page notes glossary.yml,
#   {resource} and {help-resources} note resources.yml, {help-steps} notes help-steps.yml; and a
#   page with {help-steps} also notes resources.yml when a step's text holds a {resource} role
#   (the step is parsed on that page), as the grades 6-8 "report" step does.
# Never the plain page book/intro, and never a page that uses another registry.
def _steps_use_resources(book) -> bool:
    steps = yaml.safe_load(book.path("data/help-steps.yml").read_text(encoding="utf-8"))["bands"]["6-8"]["steps"]
    return any("{resource}" in (step.get("text") or "") for step in steps)


@pytest.mark.parametrize("registry, users, shown_on", [
    ("data/glossary.yml", {GLOSSARY_PAGE}, [GLOSSARY_PAGE, LESSON_68_1]),
    ("data/resources.yml", {HELP_PAGE}, [HELP_PAGE]),
    ("data/help-steps.yml", {HANDOUT}, [HANDOUT]),
    ("data/standards.yml", set(), ["book/overview", LESSON_68_1, LESSON_68_2, LESSON_912]),
], ids=["glossary", "resources", "help-steps", "standards"])
def test_a_registry_edit_rereads_the_lessons_overviews_and_the_pages_using_that_file(settled, registry,
                                                                                      users, shown_on):
    if registry == "data/resources.yml" and _steps_use_resources(settled):
        users = users | {HANDOUT}
    mark = _edit_registry(settled, registry)
    assert build_and_read(settled) == LESSONS | OVERVIEWS | users
    for page in shown_on:
        assert mark in html(settled, page), page


def test_the_real_book_rereads_one_edited_lesson_only_then_nothing(tmp_path):
    """The edit-one-lesson case of the benchmark (scripts/bench.sh), on the real book: the rebuild
    reads the lesson only; the pages that list every lesson are re-written when what they show of
    it changed (its title here), and not for a change to its text."""
    book = copy_book(REPO, tmp_path / "book")
    proc = book.build()
    assert proc.returncode == 0, output(proc)[-4000:]
    lesson, title = "lessons/grades-6-8/02-ask-first", "Ask first: consent and digital boundaries"
    with open(book.path("_build/.doctrees/environment.pickle"), "rb") as f:
        env = pickle.load(f)
    overviews = set(env.lessonkit_overviews)
    assert {"book/scope-and-sequence", "lessons/grades-6-8/index"} <= overviews
    # Sphinx writes a written page's toctree ancestors too (their navigation lists it)
    ancestors, todo = set(), [lesson]
    while todo:
        for parent in env.files_to_rebuild.get(todo.pop(), ()):
            if parent not in ancestors:
                ancestors.add(parent)
                todo.append(parent)
    assert ancestors == {"book/intro", "lessons/grades-6-8/index"}

    def rebuild() -> tuple[set[str], set[str]]:
        """The pages read, and the pages written, but those every build writes (the index pages and
        the redirect index.html) and the projector views (test_a_projector_view_...)."""
        before = {p: p.stat().st_mtime_ns for p in book.html_dir().rglob("*.html")}
        # one worker: the log then names every page it reads (a parallel read names chunks)
        proc = book.run("build", "--jobs", "1")
        assert proc.returncode == 0, output(proc)[-4000:]
        single, chunked = _logged_reads(proc)
        assert not chunked
        html_dir = book.html_dir()
        written = {p.relative_to(html_dir).with_suffix("").as_posix() for p, t in before.items()
                   if p.is_file() and p.stat().st_mtime_ns != t}
        return single, {w for w in written if not w.endswith("-present") and w not in ("index", "genindex", "search")}

    book.edit(lesson + ".md", "Students sit in the pairs you set before class",
              f"Students sit in the pairs you set before class ({MARK})")
    assert rebuild() == ({lesson}, {lesson} | ancestors)
    assert MARK in html(book, lesson)
    book.edit(lesson + ".md", f'title: "{title}"', f'title: "{title} {MARK}"')
    book.edit(lesson + ".md", f"# {title}", f"# {title} {MARK}")
    read, written = rebuild()
    assert read == {lesson} and written == {lesson} | ancestors | overviews
    for page in ("book/scope-and-sequence", "lessons/grades-6-8/index", lesson):
        assert f"{title} {MARK}" in html(book, page), page
    assert rebuild() == (set(), set())


def test_a_projector_view_is_made_again_with_its_lesson_only(settled):
    """Each lesson's projector view (lessonkit/projector.py) is remade when its lesson page is
    written, or when it is missing, and not by a build that writes other pages only."""
    views = {doc: settled.html_dir() / f"{doc}-present.html" for doc in LESSONS}
    made = lambda: {doc: path.stat().st_mtime_ns for doc, path in views.items()}  # noqa: E731
    before = made()
    assert build_and_read(settled) == set()
    assert made() == before
    views[LESSON_912].unlink()
    title = yaml.safe_load(settled.path(LESSON_68_1 + ".md").read_text(encoding="utf-8").split("---")[1])["lesson"]["title"]
    settled.edit(LESSON_68_1 + ".md", f"title: {title}", f"title: {title} VIEW-{MARK}")
    settled.edit(LESSON_68_1 + ".md", f"# {title}", f"# {title} VIEW-{MARK}")
    assert build_and_read(settled) == {LESSON_68_1}
    after = made()  # the missing view is back; the third lesson's is the one it had
    assert {doc for doc in LESSONS if after[doc] != before[doc]} == {LESSON_68_1, LESSON_912}
    assert f"VIEW-{MARK}" in views[LESSON_68_1].read_text(encoding="utf-8")

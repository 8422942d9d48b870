"""What lessonkit.speed does once per build must give every page the bytes the per-page work gave.

Timing belongs to the benchmark (scripts/bench.sh), not here: these tests build and compare output.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import copy_book, output
from lessonkit.speed import SharedNav

THREEBOOK = Path(__file__).parent / "fixtures" / "threebook"
# the fixture's pages in parts with captions, three levels deep, as the real book's table of contents is
PARTS_TOC = {
    "format": "jb-book", "root": "book/intro",
    "parts": [
        {"caption": "Grades 6–8", "chapters": [
            {"file": "lessons/grades-6-8/index", "sections": [
                {"file": "lessons/grades-6-8/01-asking-first",
                 "sections": [{"file": "activities/grades-6-8/handout-steps"}]},
                {"file": "lessons/grades-6-8/02-saying-no"}]}]},
        {"caption": "Grades 9–12", "chapters": [
            {"file": "lessons/grades-9-12/index", "sections": [{"file": "lessons/grades-9-12/01-helping-a-friend"}]}]},
        {"caption": "Reference", "chapters": [{"file": "book/overview"}, {"file": "book/glossary"},
                                              {"file": "book/help"}]},
    ],
}


def _build(book, shared: bool) -> dict[str, bytes]:
    config = book.path("_config.yml")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("sphinx", {}).setdefault("config", {})["lessonkit_shared_nav"] = shared
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = book.run("build")
    assert proc.returncode == 0, output(proc)[-4000:]
    html = book.html_dir()
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*.html"))}


@pytest.mark.parametrize("toc", ["chapters", "parts"])
def test_the_shared_navigation_is_byte_for_byte_the_themes(tmp_path, toc):
    built = {}
    for shared in (False, True):  # each in its own copy: a second build in one folder differs anyway
        book = copy_book(THREEBOOK, tmp_path / f"book-{shared}", with_repo_data=True)
        if toc == "parts":
            book.path("_toc.yml").write_text(yaml.safe_dump(PARTS_TOC, allow_unicode=True), encoding="utf-8")
        built[shared] = _build(book, shared)
    theirs, ours = built[False], built[True]
    assert sorted(ours) == sorted(theirs)
    assert len(ours) >= 10
    for page, markup in ours.items():
        assert markup == theirs[page], page
    # the comparison covers the parts that move from page to page: the current branch, open and marked
    handout = ours["activities/grades-6-8/handout-steps.html"].decode()
    nav = handout[handout.index('<nav class="bd-links bd-docs-nav"'):]
    nav = nav[:nav.index("</nav>")]
    assert nav.count("current active") == 3  # the band's index, the lesson, the handout
    assert '<a class="current reference internal" href="#">' in nav
    assert 'href="../../lessons/grades-9-12/01-helping-a-friend.html"' in nav


NAV = ('<p class="caption"><span>Part</span></p><ul class="nav bd-sidenav">'
       '<li class="toctree-l1 has-children"><a class="reference internal" href="a/index.html">A</a>'
       '<details><summary aria-label="Pages under A"></summary><ul>'
       '<li class="toctree-l2"><a class="reference internal" href="a/one.html">One</a></li>'
       '<li class="toctree-l2"><a class="reference internal" href="a/two.html">Two</a></li></ul></details></li>'
       '<li class="toctree-l1"><a class="reference external" href="https://example.org/x">Out</a></li>'
       '<li class="toctree-l1"><a class="reference internal" href="b.html">B</a></li></ul>')


def test_a_page_gets_its_branch_and_its_own_paths():
    nav = SharedNav(NAV)
    page = nav.for_page("a/two.html")
    assert '<ul class="current nav bd-sidenav">' in page
    assert '<li class="toctree-l1 current active has-children"><a class="reference internal" href="index.html">' in page
    assert '<details open="open">' in page and '<ul class="current">' in page
    assert '<li class="toctree-l2 current active"><a class="current reference internal" href="#">Two' in page
    assert '<li class="toctree-l2"><a class="reference internal" href="one.html">One' in page
    assert 'href="../b.html"' in page and 'href="https://example.org/x"' in page
    # a page outside the table of contents: every path from the root, nothing marked
    assert nav.for_page("search.html") == NAV


def test_an_edit_rebuild_keeps_the_compiled_templates_the_navigation_and_the_stylesheet_bundles(tmp_path):
    book = copy_book(THREEBOOK, tmp_path / "book", with_repo_data=True)
    first = book.run("build")
    assert first.returncode == 0, output(first)[-4000:]
    assert "stylesheet bundle(s)" in output(first)  # the first build makes them
    compiled = list(book.path("_build/.doctrees/lessonkit-templates").glob("__jinja2_*.cache"))
    assert compiled, "no compiled template kept for the next build"
    navs = sorted(p.name for p in book.path("_build/.doctrees/lessonkit-nav").glob("*.html"))
    assert len(navs) == 1, navs
    # a word no page had: it reaches the search index, which names no class
    lesson = book.path("lessons/grades-6-8/01-asking-first.md")
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.rstrip("\n") + "\n\nZyxwordunseen.\n", encoding="utf-8")
    again = book.run("build")
    assert again.returncode == 0, output(again)[-4000:]
    assert "zyxwordunseen" in book.html_dir().joinpath("searchindex.js").read_text(encoding="utf-8").lower()
    assert "stylesheet bundle(s)" not in output(again), "a new word in a lesson re-made the stylesheet bundles"
    # no title or heading changed: the kept navigation serves the rebuild (a pickle of the nodes
    # once named it differently after any re-read, so every edit made a new one)
    assert sorted(p.name for p in book.path("_build/.doctrees/lessonkit-nav").glob("*.html")) == navs


# a test-only extension, in the book's folder (python -m puts the working folder on the path): it
# throws away lessonkit's copies of the resolved lessons, so each projector view is made from the
# lesson resolved a second time, as before the copies were kept
DROP_KEPT = '''
from pathlib import Path


def drop(app, doctree, docname):
    if app.builder.__dict__.pop("_lessonkit_resolved", None):
        Path(app.srcdir, "dropped.txt").write_text("dropped")


def setup(app):
    app.connect("doctree-resolved", drop, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def test_a_projector_view_from_the_kept_copy_is_the_view_a_second_resolve_makes(tmp_path):
    views = {}
    for keep in (True, False):
        book = copy_book(THREEBOOK, tmp_path / f"book-{keep}", with_repo_data=True)
        if not keep:
            book.path("drop_kept_doctrees.py").write_text(DROP_KEPT, encoding="utf-8")
            config = book.path("_config.yml")
            data = yaml.safe_load(config.read_text(encoding="utf-8"))
            data.setdefault("sphinx", {}).setdefault("extra_extensions", []).append("drop_kept_doctrees")
            config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        proc = book.run("build")
        assert proc.returncode == 0, output(proc)[-4000:]
        html = book.html_dir()
        views[keep] = {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*-present.html"))}
        assert book.path("dropped.txt").exists() != keep
    assert len(views[True]) >= 3 and sorted(views[True]) == sorted(views[False])
    for page, markup in views[True].items():
        assert markup == views[False][page], page


@pytest.mark.parametrize("toc", ["chapters", "parts"])
def test_a_renamed_page_is_in_the_navigation_the_next_build_writes(tmp_path, toc):
    """The navigation is kept between builds under a hash of what it is made from: after a title
    changes, the pages a rebuild writes must show the new title, as the theme's own would."""
    rebuilt = {}
    for shared in (False, True):
        book = copy_book(THREEBOOK, tmp_path / f"book-{shared}", with_repo_data=True)
        if toc == "parts":
            book.path("_toc.yml").write_text(yaml.safe_dump(PARTS_TOC, allow_unicode=True), encoding="utf-8")
        _build(book, shared)
        help_page = book.path("book/help.md")
        help_page.write_text(help_page.read_text(encoding="utf-8").replace("# Help\n", "# Getting help\n", 1),
                             encoding="utf-8")
        rebuilt[shared] = _build(book, shared)
        if shared:
            assert len(list(book.path("_build/.doctrees/lessonkit-nav").glob("*.html"))) == 2  # before, after
    page = rebuilt[True]["book/help.html"].decode()
    nav = page[page.index('<nav class="bd-links bd-docs-nav"'):]
    assert ">Getting help</a>" in nav[:nav.index("</nav>")]
    for name in ("book/help.html", "book/intro.html"):  # the renamed page; the root, which Sphinx always writes
        assert rebuilt[True][name] == rebuilt[False][name], name

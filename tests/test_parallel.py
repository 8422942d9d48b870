"""lessonkit is declared parallel-safe: a parallel Sphinx build must merge every lesson's data.

`python -m lessonkit build` reads and writes with one worker per CPU. Every extension the book loads
declares parallel reading safe; sphinx-external-toc (the table of contents) was once thought not to
be, but it only reads _toc.yml into the environment before the workers start and inserts each page's
toctree while that page is read. The first test builds the real book's pages with plain Sphinx, two
worker processes and a glob toctree; the last builds a fixture book as the README does, serially
and with two workers, and compares every page.
"""
from __future__ import annotations

import re
import subprocess
import sys

from bs4 import BeautifulSoup

from pathlib import Path

from conftest import REPO, copy_book, output
from lessonkit.project import load_project

CONF = '''
project = "Parallel check"
extensions = ["myst_parser", "sphinx.ext.graphviz", "sphinxcontrib.bibtex", "lessonkit"]
bibtex_bibfiles = ["book/references.bib"]
graphviz_output_format = "svg"
root_doc = "parallel-index"
myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
exclude_patterns = ["_build", "data", "lessonkit", "scripts", "README.md", "activities/*/scenario-*"]
html_copy_source = False
'''
INDEX = "# Parallel check\n\n```{toctree}\n:glob:\n\nbook/*\nbook/*/*\nbook/*/*/*\nlessons/*/*\nactivities/*/handout-*\n```\n"


def test_parallel_build_merges_every_lesson(tmp_path):
    book = copy_book(REPO, tmp_path / "book")
    (book.root / "conf.py").write_text(CONF)
    (book.root / "parallel-index.md").write_text(INDEX)
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-j", "2", "-W", "--keep-going", "-b", "html",
                           str(book.root), str(book.root / "_build/par")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    # a parallel read reports chunks of documents ("a .. b") instead of one document at a time
    assert " .. " in proc.stdout
    def text(page: str) -> str:  # the page's words, with Sphinx's smart quotes and plain ones dropped
        words = BeautifulSoup((book.root / "_build/par" / page).read_text(), "html.parser").get_text(" ")
        return re.sub(r"[\"'“”‘’]", "", " ".join(words.split()))

    scope = text("book/scope-and-sequence.html")
    project = load_project(REPO)
    for lesson in project.lessons.values():
        assert re.sub(r"[\"']", "", lesson.title) in scope, lesson.title
    # the counselor groups' overviews, filled from sessions read by both workers
    for docname, session in project.sessions.items():
        overview = text(docname.rsplit("/", 1)[0] + "/index.html")
        assert re.sub(r"[\"']", "", session.title) in overview, docname


def test_a_two_worker_book_build_writes_the_same_pages_as_a_serial_one(tmp_path):
    pages = {}
    for jobs in ("1", "2"):  # each in its own copy: a second build in one folder differs anyway
        book = copy_book(Path(__file__).parent / "fixtures" / "threebook", tmp_path / f"book-{jobs}",
                         with_repo_data=True)
        proc = book.run("build", "--jobs", jobs)
        assert proc.returncode == 0, output(proc)[-3000:]
        # two workers read the pages in chunks ("a .. b"); one reads them one at a time
        assert (" .. " in proc.stdout) == (jobs == "2"), proc.stdout[-2000:]
        html = book.html_dir()
        pages[jobs] = {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*.html")}
    assert len(pages["1"]) >= 10 and sorted(pages["1"]) == sorted(pages["2"])
    for page, markup in pages["1"].items():
        assert pages["2"][page] == markup, page


def _writing(log: str) -> list[str]:
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (.+)", log)


def test_a_one_lesson_edit_is_written_without_a_worker_and_a_full_build_with_one(tmp_path):
    book = copy_book(Path(__file__).parent / "fixtures" / "threebook", tmp_path / "book", with_repo_data=True)
    first = book.run("build", "--jobs", "2")
    assert first.returncode == 0, output(first)[-3000:]
    assert any(" .. " in line for line in _writing(first.stdout)), first.stdout[-2000:]
    lesson = book.path("lessons/grades-6-8/01-asking-first.md")
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.rstrip("\n") + "\n\nZyxwordunseen.\n", encoding="utf-8")
    again = book.run("build", "--jobs", "2")
    assert again.returncode == 0, output(again)[-3000:]
    written = _writing(again.stdout)
    # a worker would name its chunk ("a .. b"); the main process names each page
    assert "lessons/grades-6-8/01-asking-first" in written and not any(" .. " in line for line in written), written
    assert "Zyxwordunseen" in book.html_dir().joinpath("lessons/grades-6-8/01-asking-first.html").read_text()

"""lessonkit is declared parallel-safe: a parallel Sphinx build must merge every lesson's data.

Jupyter Book itself builds serially (and its toc extension is not parallel-safe), so this test
builds the real book's pages with plain Sphinx, two worker processes and a glob toctree.
"""
from __future__ import annotations

import re
import subprocess
import sys

from bs4 import BeautifulSoup

from conftest import REPO, copy_book
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

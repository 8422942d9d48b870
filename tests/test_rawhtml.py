"""Content cannot carry code: raw HTML, unsafe links and template code in pages fail the build
(lessonkit/rawhtml.py), name the file and line, and never reach the output."""
from __future__ import annotations

import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from conftest import output

INTRO = "book/intro.md"
LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
SCENARIO = "activities/grades-6-8/scenario-fixture.md"
ALLOWED = "<br>, <wbr>, <sub>, <sup>, <kbd>, <abbr title=…>, <span lang=…> and HTML comments"


def add_to(book, rel: str, text: str) -> range:
    """Append a block to a page; return the line numbers it occupies."""
    path = book.path(rel)
    old = path.read_text(encoding="utf-8").rstrip("\n")
    first = old.count("\n") + 3  # after one blank line
    path.write_text(f"{old}\n\n{text}\n", encoding="utf-8")
    return range(first, first + text.count("\n") + 1)


def lines_of(book, rel: str, snippet: str) -> range:
    text = book.path(rel).read_text(encoding="utf-8")
    first = text[: text.index(snippet)].count("\n") + 1
    return range(first, first + snippet.count("\n") + 1)


def warned_at(out: str, rel: str, fragment: str) -> list[int]:
    """The lines where the build warned, for this file, with a message containing `fragment`."""
    return [int(m.group(1)) for m in re.finditer(rf"{re.escape(rel)}:(\d+): WARNING: (.*)", out)
            if fragment in m.group(2)]


def assert_only_failure_page(book) -> None:
    """A strict build that failed leaves its page and nothing else, and that page runs nothing."""
    html = book.html_dir()
    files = sorted(p.relative_to(html).as_posix() for p in html.rglob("*") if p.is_file())
    assert files == ["_lessonkit_failed", "index.html"], files
    page = (html / "index.html").read_text(encoding="utf-8")
    assert "This book did not build" in page
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(["script", "iframe", "object", "embed", "form", "img"])
    assert not [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")]
    assert not re.search(r"<\s*script", page, re.IGNORECASE)


# what an author might write | where | the warning it must give
REFUSED = [
    pytest.param(LESSON, ("# Fixture lesson", "# <script>alert(1)</script> Fixture lesson"),
                 "raw HTML is not allowed in book content: found <script>;", id="script-in-heading"),
    pytest.param(INTRO, "Water is H2O. <img src=x onerror=alert(2)> Look.",
                 "raw HTML is not allowed in book content: found <img src=… onerror=…>;", id="img-onerror"),
    pytest.param(INTRO, '<iframe src="https://example.org/watch"></iframe>',
                 "raw HTML is not allowed in book content: found <iframe src=…>;", id="iframe-block"),
    pytest.param(INTRO, '<object data="movie.swf" type="application/x-shockwave-flash"></object>',
                 "raw HTML is not allowed in book content: found <object data=… type=…>;", id="object"),
    pytest.param(INTRO, 'A clip: <embed src="clip.swf"> here.',
                 "raw HTML is not allowed in book content: found <embed src=…>;", id="embed"),
    pytest.param(INTRO, '<form action="https://example.org/collect">\n<input name="age">\n</form>',
                 "raw HTML is not allowed in book content: found <form action=…>;", id="form"),
    pytest.param(INTRO, "Get [help now](javascript:alert(3)) today.",
                 "a javascript: link is not allowed in book content: found [help now](javascript:alert(3))",
                 id="javascript-link"),
    pytest.param(INTRO, "```{raw} html\n<script>alert(4)</script>\n```",
                 "raw HTML is not allowed in book content: found <script>;", id="raw-directive"),
]


@pytest.mark.parametrize("rel, change, message", REFUSED)
def test_raw_html_fails_the_build_and_leaves_nothing(minibook, rel, change, message):
    if isinstance(change, tuple):
        minibook.edit(rel, *change)
        where = lines_of(minibook, rel, change[1])
    else:
        where = add_to(minibook, rel, change)
    proc = minibook.build()
    out = output(proc)
    assert proc.returncode != 0, out[-3000:]
    assert "Traceback" not in out
    lines = warned_at(out, rel, message)
    assert lines and all(line in where for line in lines), (where, out[-3000:])
    assert f"expected Markdown, or one of the allowed inline tags: {ALLOWED}" in out or "link" in message
    assert_only_failure_page(minibook)


def test_other_ways_in_are_refused_too(minibook):
    """Every other way to put code or a tracker on a page, in one build: each gives its own warning."""
    minibook.edit("_config.yml", "myst_enable_extensions: [colon_fence, deflist]",
                  "myst_enable_extensions: [colon_fence, deflist, substitution]")
    minibook.edit(INTRO, "# Fixture intro", "---\nmyst:\n  html_meta:\n    \"http-equiv=refresh\": "
                  "\"0; url=https://example.org/track\"\n  substitutions:\n    tracker: \"\\x7b\\x7b "
                  "env.app.add_js_file('https://tracker.example/t.js') }}\"\n---\n# Fixture intro")
    cases = {
        "eval-rst": ("```{eval-rst}\n.. raw:: html\n\n   <ScRiPt>alert(5)</ScRiPt>\n```",
                     "raw HTML is not allowed in book content: found <script>;"),
        "rst-link": ("```{eval-rst}\nA `trap <JavaScript:alert(6)>`_ link.\n```",
                     "a javascript: link is not allowed in book content: found JavaScript:alert(6)"),
        "style": ('A <span style="display:none">hidden</span> word.',
                  "found <span style=…> (style attributes are not allowed)"),
        "handler": ("Press <kbd onmouseover=alert(7)>Enter</kbd>.",
                    "found <kbd onmouseover=…> (event-handler attributes are never allowed)"),
        "unclosed": ("Water is H<sub>2 and more.", "found <sub> with no </sub> after it"),
        "remote-image": ("![dot](https://example.org/pixel.gif)", "an image from another site is not allowed"),
        "data-link": ("[open](<data:text/html,hello>)", "a data: link is not allowed"),
        "expression": ("Project: {{ env.config.project }}.", "found {{ env.config.project }}"),
        "nested": ("Hello {{ tracker }}.", "found {{ env.app.add_js_file('https://tracker.example/t.js') }}"),
        "raw-file": ("```{raw} html\n:file: sources.md\n```",
                     "a raw block that reads a file or a URL is not allowed in book content"),
        "mixed-case-script": ("<sCrIpT\nsrc=https://tracker.example/t.js></script>",
                          "raw HTML is not allowed in book content: found <script src=…>;"),
    }
    where = {name: add_to(minibook, INTRO, text) for name, (text, _) in cases.items()}
    where["nested"] = range(where["nested"].start, where["nested"].stop + 1)  # MyST counts a value one line on
    included = add_to(minibook, SCENARIO, "Tap <button onclick=alert(8)>here</button>.")
    proc = minibook.build()
    out = output(proc)
    assert proc.returncode != 0
    assert "Traceback" not in out
    for name, (_, message) in cases.items():
        lines = warned_at(out, INTRO, message)
        assert lines and all(line in where[name] for line in lines), (name, out[-4000:])
    assert warned_at(out, INTRO, "html_meta with http-equiv is not allowed in book content")
    # raw HTML in an included file is reported at that file (MyST numbers an included file's lines
    # from 2, for every warning, so the line may be one on)
    assert warned_at(out, SCENARIO, "found <button onclick=…>") in ([included.start], [included.start + 1])
    assert_only_failure_page(minibook)


def test_a_notebook_cannot_carry_scripts(minibook):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"m": {"model_name": "LayoutModel"}}, "version_major": 2, "version_minor": 0}}
    nb.cells.append(nbformat.v4.new_markdown_cell("# A notebook\n\nSome words."))
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": "<script>alert(9)</script>", "text/plain": "a plain rendering"})]
    nb.cells.append(cell)
    nbformat.write(nb, minibook.path("book/notebook.ipynb"))
    minibook.edit("_toc.yml", "  - file: book/sources", "  - file: book/sources\n  - file: book/notebook")
    proc = minibook.build()
    out = output(proc)
    assert proc.returncode != 0
    assert "Traceback" not in out
    assert warned_at(out, "book/notebook.ipynb", "raw HTML is not allowed in book content: found <script>;")
    assert warned_at(out, "book/notebook.ipynb", "notebook widget state is not allowed in book content")
    assert_only_failure_page(minibook)


def test_a_lenient_build_still_emits_nothing_and_warns_again(minibook):
    """With lessonkit_strict off the build succeeds, but the refused HTML is gone from every page
    (navigation included), the refused expression never ran, and a second build warns again."""
    minibook.edit("_config.yml", "    html_copy_source: false",
                  "    html_copy_source: false\n    lessonkit_strict: false")
    minibook.edit("_config.yml", "myst_enable_extensions: [colon_fence, deflist]",
                  "myst_enable_extensions: [colon_fence, deflist, substitution]")
    minibook.edit(INTRO, "# Fixture intro", "# <script>alert(1)</script> Ask first")
    add_to(minibook, INTRO, "Hi <img src=x onerror=alert(2)> there {{ env.app.add_js_file("
                            "'https://tracker.example/t.js') }} and [x](javascript:alert(3)).")
    for attempt in ("first", "second"):
        proc = minibook.build()
        out = output(proc)
        assert proc.returncode == 0, out[-3000:]
        assert "Traceback" not in out
        for message in ("found <script>", "found <img src=… onerror=…>", "a substitution may only name a value",
                        "a javascript: link is not allowed"):
            assert warned_at(out, INTRO, message), (attempt, message, out[-3000:])
    for page in minibook.html_dir().rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "tracker.example" not in text, page
        soup = BeautifulSoup(text, "html.parser")
        for script in soup.find_all("script"):
            assert "alert" not in script.get_text() and "alert" not in script.get("src", ""), page
        assert not soup.select("[onerror]"), page
        assert not [a for a in soup.find_all("a", href=True) if a["href"].lower().startswith("javascript:")], page
        # the navigation repeats the page's title: as words only
        for link in soup.select(".bd-sidebar-primary a"):
            assert link.find("script") is None, page
    nav = [a.get_text(" ", strip=True) for a in minibook.soup("book/overview.html").select(".bd-sidebar-primary a")]
    assert "alert(1) Ask first" in nav


def test_allowed_inline_tags_build_and_appear(minibook):
    minibook.edit("_config.yml", "myst_enable_extensions: [colon_fence, deflist]",
                  "myst_enable_extensions: [colon_fence, deflist, substitution]")
    minibook.edit(INTRO, "# Fixture intro", "---\nmyst:\n  substitutions:\n    unit: \"Unit <sub>one</sub>\"\n---\n"
                  "# Fixture intro with H<sub>2</sub>O")
    add_to(minibook, INTRO, "This is {{ unit }}.\n\n| Step | Say |\n| --- | --- |\n| 1 | Stop.<br>Breathe. |")
    add_to(minibook, INTRO, "Water is H<sub>2</sub>O; E = mc<sup>2</sup>. Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.\n"
                            "Ask the <abbr title=\"World Health Organization\">WHO</abbr>.<br>\n"
                            "Say <span lang=\"es\">hola</span> and super<wbr>long.\n"
                            "<!-- NOTE-SENTINEL: check this with the district -->")
    proc = minibook.build()
    out = output(proc)
    assert proc.returncode == 0, out[-3000:]
    article = minibook.article("book/intro.html")
    markup = article.decode()
    for expected in ("H<sub>2</sub>O", "mc<sup>2</sup>", "<kbd>Ctrl</kbd>", '<span lang="es">hola</span>',
                     '<abbr title="World Health Organization">WHO</abbr>', "super<wbr/>long"):
        assert expected in markup, expected
    assert article.find("br") is not None
    assert "This is Unit <sub>one</sub>." in markup  # a substitution that names a value still works
    assert "Stop.<br/>Breathe." in markup
    # the title keeps its tags in the navigation, and only its words in the window title
    soup = minibook.soup("book/overview.html")
    assert "Fixture intro with H<sub>2</sub>O" in soup.select_one(".bd-sidebar-primary").decode()
    assert minibook.soup("book/intro.html").title.get_text().startswith("Fixture intro with H2O")
    # a comment is a note for authors: allowed, and kept off the page
    assert "NOTE-SENTINEL" not in (minibook.html_dir() / "book/intro.html").read_text(encoding="utf-8")

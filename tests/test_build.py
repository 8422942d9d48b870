"""Strict builds of the fixture book and the real book, with assertions on the HTML."""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import REPO, assert_only_failure_page, output
from lessonkit.project import load_project
from lessonkit.vocab import STRAND_LEVEL_LABEL

LESSON_PAGE = "lessons/grades-6-8/01-fixture-lesson.html"
LESSON = "lessons/grades-6-8/01-fixture-lesson.md"


# ---- the fixture book: one lesson that uses every directive --------------------------------

def test_glance_panel_is_generated_from_metadata(built_minibook):
    panel = built_minibook.article(LESSON_PAGE).select_one("#lesson-at-a-glance")
    assert panel is not None
    text = panel.get_text(" ", strip=True)
    assert "Grades 6–8 · lesson 1 · 45 minutes" in text
    assert "What can someone do when a chat starts to feel wrong?" in text
    assert "Identify two warning signs in an online chat." in text
    assert "Approach → Coercion" in text
    # standards come with their framework's edition and short description from the registry
    assert ("ISTE-2b (ISTE Standards for Students, 2016 edition): Behave safely, legally, ethically and kindly "
            "with technology") in text
    # vocabulary links to the glossary, with the definition
    links = {a.get_text(strip=True): a["href"] for a in panel.select("a.reference.internal")}
    assert links["pressure"] == "../../book/overview.html#term-pressure"
    assert links["Handout: Fixture steps"] == "../../activities/grades-6-8/handout-fixture.html"
    for label in ("Materials", "Preparation", "Handouts", "Standards", "Objectives"):
        assert label in [dt.get_text(strip=True) for dt in panel.select("dt")]


def test_glance_panel_sits_right_under_the_title(built_minibook):
    article = built_minibook.article(LESSON_PAGE)
    h1 = article.select_one("h1")
    assert h1.find_next_sibling()["id"] == "lesson-at-a-glance"


def test_discussion_prompts_are_numbered_with_teacher_notes(built_minibook):
    block = built_minibook.article(LESSON_PAGE).select_one(".lk-discussion")
    assert block.select_one("h3").get_text(strip=True) == "Questions for the class"
    prompts = block.select("ol.lk-prompts > li.lk-prompt")
    assert len(prompts) == 2
    assert prompts[0].select_one(".lk-listen-for").get_text(" ", strip=True).startswith(
        "For the teacher · Listen for LISTEN-FOR-SENTINEL")
    assert "FOLLOW-UP-SENTINEL" in prompts[0].select_one(".lk-follow-up").get_text()


def test_scenario_choices_work_without_javascript(built_minibook):
    scenario = built_minibook.article(LESSON_PAGE).select_one(".lk-scenario")
    assert scenario["id"] == "scenario-jun-s-new-follower"
    assert "Pattern stages shown: Approach, Coercion" in scenario.select_one(".lk-stages").get_text(" ", strip=True)
    assert [h.get_text(strip=True) for h in scenario.select(".lk-scene > h4")] == [
        "Part 1: A friendly start", "Part 2: Pressure"]
    choices = scenario.select("details.lk-choice")
    assert len(choices) == 3
    # a native <details>/<summary> pair: keyboard-operable and closed until the reader opens it
    assert choices[0].select_one("summary").get_text(strip=True) == "Jun keeps chatting on a new app"
    assert not choices[0].has_attr("open")
    assert "CHOICE-OUTCOME-SENTINEL" in choices[0].select_one(".lk-outcome").get_text()
    debrief = scenario.select_one(".lk-debrief")
    assert debrief.select_one("h4").get_text(strip=True) == "Debrief"


def test_procedure_shows_a_running_clock(built_minibook):
    procedure = built_minibook.article(LESSON_PAGE).select_one(".lk-procedure")
    headings = [h.get_text(strip=True) for h in procedure.select("h2, h3")]
    assert headings == ["Procedure (45 minutes)", "Short on time? The 18-minute version", "0–5 min · Opening",
                        "5–35 min · Scenario and discussion", "35–45 min · Closing"]


def test_resources_and_district_details_come_from_their_registries(built_minibook):
    article = built_minibook.article(LESSON_PAGE)
    registry = yaml.safe_load((REPO / "data/resources.yml").read_text())["resources"]
    tel = {a["href"] for a in article.select('a[href^="tel:"]')}
    assert f"tel:{registry['cybertipline']['phone']['dial']}" in tel
    assert f"tel:{registry['lifeline-988']['phone']['dial']}" in tel
    help_box = article.select_one(".lk-help")
    assert "Take It Down (NCMEC)" in help_box.get_text()
    assert help_box.select_one(f'a[href="{registry["take-it-down"]["url"]}"]') is not None
    # an empty district field shows a visible placeholder; a filled one shows its value
    placeholders = [s.get_text() for s in article.select(".lk-placeholder")]
    assert "[how to report a concern at your school: your district adds this in _config.yml]" in placeholders
    intro = built_minibook.article("book/intro.html").get_text(" ", strip=True)
    assert "School: Fixture Middle School" in intro
    assert "Counselor: [name of the school counselor: your district adds this in _config.yml]" in intro


def test_generated_pages_list_lessons_standards_and_terms(built_minibook):
    page = built_minibook.article("book/overview.html")
    tables = page.select("table.lk-table")
    scope = tables[0]  # bands without lessons get a sentence, not a table
    assert "Fixture lesson" in scope.get_text()
    assert "Approach → Coercion" in scope.get_text()
    standards_text = page.get_text(" ", strip=True)
    for code in ("CASEL-RS", "ISTE-2b", "NHES.4"):
        assert code in standards_text
    assert page.select_one("dl.glossary dt#term-consent") is not None


# ---- strictness and failure ---------------------------------------------------------------

def assert_failed(book, proc, *messages, edition: str = "teacher", code: int | None = 1) -> None:
    """A build that must fail: a non-zero exit (exactly `code` when given), each message in the log
    and on the failure page, and nothing left in the output folder but that page and its marker."""
    text = output(proc)
    assert proc.returncode != 0 if code is None else proc.returncode == code, text[-4000:]
    for message in messages:
        assert message in text, f"{message!r} not in the log:\n{text[-4000:]}"
    assert_only_failure_page(book, edition)
    listed = (book.html_dir(edition) / "_lessonkit_failed").read_text(encoding="utf-8")
    for message in messages:
        assert message in listed, f"{message!r} not on the failure page"
    assert "Traceback" not in text


def test_invalid_lesson_stops_jupyter_book_build_without_traceback(minibook):
    good = minibook.build()
    assert good.returncode == 0, output(good)
    minibook.edit(LESSON, 'band: "6-8"', 'band: "grade 7"')
    proc = minibook.jupyter_book()
    text = output(proc)
    assert proc.returncode != 0
    assert f"{LESSON}:5: lesson.band: found 'grade 7'; expected '3-5', '6-8' or '9-12'" in text
    assert "Traceback" not in text
    # the stale site from the good build is gone: only a page that says the build failed
    html = minibook.html_dir()
    assert sorted(p.name for p in html.iterdir()) == ["_lessonkit_failed", "index.html"]
    assert "This book did not build" in (html / "index.html").read_text()
    assert "lesson.band" in (html / "index.html").read_text()


@pytest.mark.parametrize("old, new, message", [
    ("{resource}`cybertipline`", "{resource}`cybertip`",
     "unknown help resource 'cybertip'; expected a key from data/resources.yml"),
    ("{district}`report_concern_locally`", "{district}`principal`", "unknown district detail 'principal'"),
    (":minutes: 10", ":minutes: 5",
     "the {procedure} segments add up to 40 minutes; expected 45 minutes, the lesson's duration"),
    (":kind: disclosure", ":kind: secrets", "Invalid option value for 'kind': secrets"),
    ("::::{discussion} Questions for the class", "::::{note}",
     "a {prompt} block must sit directly inside a {discussion} block"),
    ("Talk about who you would tell.", "Talk about who you would {term}`tell`.", "term not in glossary: 'tell'"),
    ("Talk about who you would tell.", "See [the steps](../../book/intro.md#no-such-anchor).",
     "local id not found in doc 'book/intro': 'no-such-anchor'"),
    ("Talk about who you would tell.", "See [the steps](../../book/missing.md).",
     "cross-reference target not found: '../../book/missing.md'"),
])
def test_a_warning_fails_the_build(minibook, old, new, message):
    minibook.edit(LESSON, old, new)
    proc = minibook.build()
    assert_failed(minibook, proc, message)
    assert "01-fixture-lesson.md:" in output(proc)


# one problem per case: with two, a problem reported as mere information would go unnoticed
# while the other one still failed the build
@pytest.mark.parametrize("old, new, message", [
    (":stages: approach, coercion", ":stages: luring",
     "the {scenario} :stages: line found luring; expected one or more of approach, coercion, threat"),
    ("::::{debrief}", "::::{note}", "a {scenario} needs exactly one {debrief}; found 0"),
], ids=["stages", "debrief"])
def test_scenario_needs_stages_and_a_debrief(minibook, old, new, message):
    minibook.edit("activities/grades-6-8/scenario-fixture.md", old, new)
    assert_failed(minibook, minibook.build(), message)


def test_a_failed_build_is_not_forgotten_by_the_next_build(minibook):
    minibook.edit(LESSON, "{resource}`cybertipline`", "{resource}`cybertip`")
    assert_failed(minibook, minibook.build(), "unknown help resource 'cybertip'")
    # nothing changed: the same problem must fail the build again, not pass from the cache
    assert_failed(minibook, minibook.build(), "unknown help resource 'cybertip'")


def test_jupyter_book_build_works_and_is_strict(minibook):
    proc = minibook.jupyter_book()
    assert proc.returncode == 0, output(proc)
    assert (minibook.html_dir() / "index.html").is_file()
    minibook.edit(LESSON, "{resource}`cybertipline`", "{resource}`nope`")
    assert_failed(minibook, minibook.jupyter_book(), "unknown help resource 'nope'", code=None)


# ---- the real book -------------------------------------------------------------------------

def plain(text: str) -> str:
    """Undo the typographic quotes Sphinx adds, to compare with the registry's plain text."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _real_lessons():
    return load_project(REPO).lessons


def test_real_book_builds_with_an_index(built_book):
    index = built_book.html_dir() / "index.html"
    assert index.is_file()
    assert "This book did not build" not in index.read_text()
    assert not (built_book.html_dir() / "_lessonkit_failed").exists()


@pytest.mark.parametrize("docname", sorted(_real_lessons()))
def test_every_real_lesson_has_its_glance_panel(built_book, docname):
    lesson = _real_lessons()[docname]
    article = built_book.article(docname + ".html")
    panel = article.select_one("#lesson-at-a-glance")
    text = plain(panel.get_text(" ", strip=True))
    assert lesson.essential_question in text
    assert f"{lesson.duration} minutes" in text
    registry = load_project(REPO).registries.standards
    for code in lesson.standards:
        std = registry[code]
        # the code (or, for a strand-level entry, the strand and band), its edition and its summary
        assert f"{std.name} ({std.edition_label}" in text and plain(std.summary) in text, code
        assert (STRAND_LEVEL_LABEL in text) if std.is_strand else f"{code} (" in text
    page_dir = (built_book.html_dir() / docname).parent
    for link in panel.select("a.reference.internal"):
        target, _, anchor = link["href"].partition("#")
        if target.endswith(".pdf"):
            continue  # made by `lessonkit pdf` after the build; tests/test_pdf.py follows these links
        # "#anchor" alone: a link into this page (where an objective is practiced or checked)
        target_file = (page_dir / target).resolve() if target else built_book.html_dir() / (docname + ".html")
        assert target_file.is_file(), link["href"]
        if anchor:
            assert f'id="{anchor}"' in target_file.read_text(), link["href"]
    # every objective is linked to where it is practiced and checked (the build enforces both)
    assert len(panel.select("ol.lk-objectives > li")) == len(lesson.objectives)
    objectives = panel.select(".lk-glance-card ol.lk-alignment > li")
    assert len(objectives) == len(lesson.objectives)
    for item in objectives:
        words = item.get_text(" ", strip=True)
        assert "Practiced in:" in words and "Checked by:" in words, words
    # every lesson uses the three core blocks
    for css in (".lk-discussion", ".lk-scenario", ".lk-facilitator-note", ".lk-procedure", ".lk-check",
                ".lk-family", ".lk-help"):
        assert article.select_one(css) is not None, f"{docname} lacks {css}"


def test_scope_and_sequence_and_standards_list_every_lesson_and_standard(built_book):
    lessons = _real_lessons()
    scope = built_book.article("book/scope-and-sequence.html").get_text(" ", strip=True)
    matrix = built_book.article("book/standards-alignment.html").get_text(" ", strip=True)
    registry = load_project(REPO).registries.standards
    for lesson in lessons.values():
        assert lesson.title in scope
        for code in lesson.standards:
            assert f"{registry[code].name} ({registry[code].edition_label}" in matrix


def test_help_resources_page_lists_the_whole_registry(built_book):
    page = built_book.article("book/help-resources.html")
    registry = yaml.safe_load((REPO / "data/resources.yml").read_text())["resources"]
    for key, entry in registry.items():
        item = page.select_one(f"#resource-{key}")
        assert item is not None, key
        assert entry["name"] in item.get_text()
        assert str(entry["reviewed"]) in item.get_text()
        if "phone" in entry:
            assert item.select_one(f'a[href="tel:{entry["phone"]["dial"]}"]') is not None


def test_glossary_page_has_every_term(built_book):
    page = built_book.article("book/glossary.html")
    terms = yaml.safe_load((REPO / "data/glossary.yml").read_text())["terms"]
    shown = {dt.get_text(" ", strip=True).rstrip("#").strip().lower() for dt in page.select("dl.glossary dt")}
    for term in terms:
        assert term["term"].lower() in shown


def _ids(path, cache: dict) -> set[str]:
    from bs4 import BeautifulSoup
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {el["id"] for el in soup.select("[id]")} | {el["name"] for el in soup.select("a[name]")}
    return cache[path]


def broken_links(root) -> tuple[list[str], int]:
    """Every internal link of a built site whose file or anchor does not exist, counting `#anchor`
    links within a page (the glance panel's links to segments, checks and scenarios, the page's
    table of contents, footnotes); and how many same-page links were checked."""
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup
    ids: dict = {}
    broken, same_page = [], 0
    # a "PDF" link before `python -m lessonkit pdf` has run: fine if the build planned that PDF
    plan = root.parent / ".doctrees/lessonkit-pdf.json"
    planned = {(root / d["file"]).resolve() for d in json.loads(plan.read_text())["documents"]} if plan.is_file() else set()
    for page in sorted(root.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a[href]"):
            href = a["href"].strip()
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href or href == "#":
                continue  # another site, tel:, mailto:, or the top of this page
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not path.exists() and path not in planned:
                broken.append(f"{page.relative_to(root)} links to missing {href}")
                continue
            if not parts.path:
                same_page += 1
            if parts.fragment and path.suffix == ".html" and unquote(parts.fragment) not in _ids(path, ids):
                broken.append(f"{page.relative_to(root)} links to {href}: no such id in "
                              f"{path.relative_to(root) if path.is_relative_to(root) else path}")
    return broken, same_page


def test_the_link_check_finds_a_broken_same_page_anchor(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/page.html").write_text(
        '<p id="here"><a href="#here">ok</a> <a href="#">top</a> <a href="#gone">broken</a> '
        '<a href="other.html#there">ok</a> <a href="other.html#missing">broken</a> '
        '<a href="https://example.org/#x">elsewhere</a> <a href="#caf%C3%A9">ok</a></p><p id="café"></p>',
        encoding="utf-8")
    (tmp_path / "sub/other.html").write_text('<h2 id="there">There</h2>', encoding="utf-8")
    broken, same_page = broken_links(tmp_path)
    assert broken == ["sub/page.html links to #gone: no such id in sub/page.html",
                      "sub/page.html links to other.html#missing: no such id in sub/other.html"]
    assert same_page == 3


def test_every_internal_link_resolves(built_book):
    for edition in ("teacher", "student"):
        broken, same_page = broken_links(built_book.html_dir(edition))
        assert not broken, f"{edition} edition: {len(broken)} broken link(s):\n" + "\n".join(broken[:20])
        assert same_page > 100, f"{edition} edition: only {same_page} same-page links checked"


# ---- pages in another language, diagrams, sources ------------------------------------------

def test_a_page_declares_its_own_language(built_minibook):
    spanish = built_minibook.soup("book/espanol.html")
    assert spanish.html["lang"] == "es"
    assert built_minibook.soup("book/intro.html").html["lang"] == "en"
    assert built_minibook.soup("book/espanol.html", "student").html["lang"] == "es"


def test_diagrams_are_images_with_a_text_alternative(built_minibook):
    image = built_minibook.article("book/espanol.html").select_one("div.graphviz img")
    assert image["alt"] == "Un estudiante cuenta algo; usted avisa a la consejera."
    assert (built_minibook.html_dir() / "book" / image["src"]).resolve().is_file()
    assert built_minibook.article("book/espanol.html").select_one("object") is None


def test_a_diagram_without_alt_text_fails_the_build(minibook):
    minibook.edit("book/espanol.md", ":alt: Un estudiante cuenta algo; usted avisa a la consejera.\n", "")
    assert_failed(minibook, minibook.build(),
                  "a diagram needs :alt: (a one-line description) and a text version on the page")


def test_citations_link_to_the_sources_page(built_minibook):
    cite = built_minibook.article("book/espanol.html").select_one(".bibtex-citation a")
    assert cite.get_text() == "Fixture Research Group, 2025"
    assert cite["href"].startswith("sources.html#")
    entries = built_minibook.article("book/sources.html").select('.citation-list > .citation[role="listitem"]')
    assert len(entries) == 1


def test_spanish_pages_get_lessonkits_own_words_in_spanish(built_minibook):
    page = built_minibook.article("book/espanol.html").get_text(" ", strip=True)
    assert "Consejería: [nombre del consejero o la consejera escolar: su distrito lo agrega en _config.yml]" in page
    assert "Dónde encontrar ayuda" in page and "En la escuela:" in page
    said = page.casefold()  # a help box's contact starts a sentence ("... ahora mismo. Llame al 911")
    assert "llame o envíe un mensaje de texto al 988" in said and "envíe home por mensaje de texto al 741741" in said
    registry = yaml.safe_load((REPO / "data/resources.yml").read_text())["resources"]
    assert registry["lifeline-988"]["es"]["helps_with"] in page  # the registry's Spanish descriptions
    assert registry["lifeline-988"]["helps_with"] not in page
    english = built_minibook.article(LESSON_PAGE).get_text(" ", strip=True)
    assert "Where to get help" in english and "llame" not in english


def test_lesson_stages_must_match_its_scenarios(minibook):
    minibook.edit(LESSON, "stages: [approach, coercion]", "stages: [approach, coercion, threat]")
    assert_failed(minibook, minibook.build(),
                  "lesson.stages lists approach, coercion, threat, but its scenarios show approach, coercion; "
                  "expected the same stages in both")

"""The pages adults read before and around the lessons: present, reachable, localized, sourced."""
from __future__ import annotations

from collections import deque

import pytest
import yaml

from conftest import REPO, toc_files

TEACHER_PAGES = ["book/start-here", "book/safe-classroom", "book/when-a-student-tells-you",
                 "book/understanding-sextortion", "book/evaluation/index", "book/evaluation/survey-grades-3-5",
                 "book/evaluation/survey-grades-6-8", "book/evaluation/survey-grades-9-12",
                 "book/evaluation/fidelity-checklists"]
FAMILY_PAGES = ["book/for-families", "book/para-familias", "book/letters/index"] + [
    f"book/letters/letter-grades-{band}{suffix}" for band in ("3-5", "6-8", "9-12") for suffix in ("", "-es")]
SHARED_PAGES = ["book/help-resources", "book/sources", "book/glossary"]
SPANISH = ["book/para-familias"] + [f"book/letters/letter-grades-{b}-es" for b in ("3-5", "6-8", "9-12")]


@pytest.mark.parametrize("page", TEACHER_PAGES + FAMILY_PAGES + SHARED_PAGES)
def test_page_is_in_the_toc_and_built(built_book, page):
    assert page in toc_files(REPO)
    assert (built_book.html_dir() / f"{page}.html").is_file()


def test_student_edition_keeps_family_pages_and_drops_teacher_pages(built_book):
    student = built_book.html_dir("student")
    for page in FAMILY_PAGES + SHARED_PAGES:
        assert (student / f"{page}.html").is_file(), page
    for page in TEACHER_PAGES:
        assert not (student / f"{page}.html").exists(), page


def test_every_adult_page_is_reachable_from_start_here(built_book):
    root = built_book.html_dir()
    start = (root / "book/start-here.html").resolve()
    seen, queue = {start}, deque([start])
    while queue:
        page = queue.popleft()
        name = str(page.relative_to(root))
        # a lesson's projector view has its own template: no book article, only its screens
        article = built_book.article(name) or built_book.soup(name).main
        for link in article.select("a[href]"):
            href = link["href"].split("#")[0]
            if not href or href.startswith(("http", "tel:", "mailto:")):
                continue
            target = (page.parent / href).resolve()
            if target.suffix == ".html" and target.is_file() and target not in seen:
                seen.add(target)
                queue.append(target)
    reached = {str(p.relative_to(root))[:-5] for p in seen}
    missing = [p for p in TEACHER_PAGES + FAMILY_PAGES + SHARED_PAGES if p not in reached]
    assert not missing, f"not reachable from Start here: {missing}"


@pytest.mark.parametrize("page", SPANISH)
def test_spanish_pages_are_declared_spanish(built_book, page):
    for edition in ("teacher", "student"):
        soup = built_book.soup(f"{page}.html", edition)
        assert soup.html["lang"] == "es", (edition, page)
    text = built_book.article(f"{page}.html").get_text(" ", strip=True)
    assert "your district adds this" not in text  # lessonkit's own words are in Spanish too


def test_english_pages_stay_english(built_book):
    assert built_book.soup("book/for-families.html").html["lang"] == "en"


def test_disclosure_diagram_has_a_text_alternative(built_book):
    article = built_book.article("book/when-a-student-tells-you.html")
    image = article.select_one("div.graphviz img")
    assert image is not None and len(image["alt"]) > 40
    assert (built_book.html_dir() / "book" / image["src"]).resolve().is_file()
    svg = (built_book.html_dir() / "book" / image["src"]).resolve().read_text()
    assert "<svg" in svg and "http" not in svg.split("<svg", 1)[1].replace("http://www.w3.org", "")
    # the full text version: a nested numbered list right after the diagram
    figure = image.find_parent(["figure", "div"])
    text_version = figure.find_next("ol")
    assert text_version is not None and text_version.find("ol") is not None


def test_registry_values_reach_the_adult_pages(built_book):
    registry = yaml.safe_load((REPO / "data/resources.yml").read_text())["resources"]
    families = built_book.article("book/for-families.html")
    hrefs = {a["href"] for a in families.select("a[href]")}
    assert registry["take-it-down"]["url"] in hrefs
    assert registry["cybertipline"]["url"] in hrefs
    disclosure = built_book.article("book/when-a-student-tells-you.html")
    assert f"tel:{registry['cybertipline']['phone']['dial']}" in {a["href"] for a in disclosure.select("a[href]")}


def test_facts_cite_the_sources_page(built_book):
    article = built_book.article("book/understanding-sextortion.html")
    citations = article.select(".bibtex-citation a")
    assert len(citations) >= 20
    sources = built_book.article("book/sources.html")
    ids = {c["id"] for c in sources.select(".citation[id]")}
    for cite in citations:
        target = cite["href"].split("#", 1)
        assert target[0] == "sources.html" and target[1] in ids

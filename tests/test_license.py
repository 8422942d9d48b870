"""Licenses that can be found: the license files, the "Reuse, adapt and credit" page, and the
footer link to it on every page of both editions."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, output, toc_files

PAGE = "book/license"
LINK_TEXT = "Content CC BY-SA 4.0 · code MIT"
# The legal code below LICENSE-CONTENT.txt's scope line is Creative Commons' plain-text legal code
# of CC BY-SA 4.0 (legalcode.txt), byte for byte: a change to the license text fails this test.
CC_LEGALCODE_SHA256 = "bae5ccc863235f984a52c07d011e48a86c0c12f923be2dedd8624c7abdc22c6c"
CC_SECTIONS = ["Definitions", "Scope", "License Conditions", "Sui Generis Database Rights",
               "Disclaimer of Warranties and Limitation of Liability", "Term and Termination",
               "Other Terms and Conditions", "Interpretation"]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---- the license files -------------------------------------------------------------------------

def test_mit_license_covers_the_code():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("MIT License")
    for path in ("lessonkit/", "scripts/", "tests/", ".ci/"):
        assert path in first, f"LICENSE's first line should say it covers {path}"
    assert "\nCopyright (c) 2026 The Clear Signals contributors\n" in text
    words = _words(text)
    for clause in ('Permission is hereby granted, free of charge, to any person obtaining a copy of this '
                   'software and associated documentation files (the "Software")',
                   "The above copyright notice and this permission notice shall be included in all copies "
                   "or substantial portions of the Software.",
                   'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND',
                   "ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE "
                   "SOFTWARE."):
        assert clause in words


def test_cc_by_sa_legal_code_is_complete_and_unchanged():
    text = (REPO / "LICENSE-CONTENT.txt").read_text(encoding="utf-8")
    scope, blank, legalcode = text.split("\n", 2)
    assert scope.startswith("CC-BY-SA-4.0") and blank == ""
    for path in ("book/", "lessons/", "activities/", "data/"):
        assert path in scope, f"LICENSE-CONTENT.txt's first line should say it covers {path}"
    assert legalcode.startswith("Attribution-ShareAlike 4.0 International\n")
    for number, title in enumerate(CC_SECTIONS, start=1):
        assert f"\nSection {number} -- {title}.\n" in legalcode, f"section {number} ({title}) is missing"
    words = _words(legalcode)
    assert "Creative Commons Attribution-ShareAlike 4.0 International Public License" in words
    assert "Creative Commons is not a party to its public licenses." in words  # the CC notice
    assert legalcode.rstrip().endswith("Creative Commons may be contacted at creativecommons.org.")
    assert hashlib.sha256(legalcode.encode("utf-8")).hexdigest() == CC_LEGALCODE_SHA256, \
        "the CC BY-SA 4.0 legal code was changed; it must stay Creative Commons' text, word for word"


def test_readme_points_to_the_licenses_and_the_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    top = readme.split("\n## What you need", 1)[0]
    for name in ("LICENSE", "LICENSE-CONTENT.txt", f"{PAGE}.md"):
        assert f"]({name})" in top, f"the top of the README should link to {name}"
    for path in ("book/", "lessons/", "activities/", "data/", "lessonkit/", "scripts/", "tests/", ".ci/"):
        assert f"`{path}`" in top, f"the top of the README should say which license covers {path}"


# ---- the page ------------------------------------------------------------------------------------

def test_license_page_is_in_the_toc_for_every_edition():
    from lessonkit.editions import audience

    assert PAGE in toc_files(REPO)
    assert audience(REPO / f"{PAGE}.md") != "teacher", "the reuse page is for every reader"
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert config["lessonkit_license_page"] == PAGE
    assert "lessonkit-license.html" in config["html_theme_options"]["footer_content_items"]


def test_license_page_is_in_both_built_editions(built_book):
    for edition in ("teacher", "student"):
        soup = built_book.soup(f"{PAGE}.html", edition)
        assert soup.select_one("article h1").get_text(strip=True).rstrip("#") == "Reuse, adapt and credit"
        article = soup.select_one("article.bd-article")
        text = article.get_text(" ", strip=True)
        for words in ("CC BY-SA 4.0", "MIT", "ShareAlike", "Translations", "data/*.yml", "the address where you got it"):
            assert words in text, f"{edition}: {words!r} missing from the reuse page"
        # the full license texts come with the book, opened from disk like every page
        page = built_book.html_dir(edition) / f"{PAGE}.html"
        downloads = {Path(a["href"]).name: (page.parent / a["href"]).resolve()
                     for a in article.select("a.download[href]")}
        assert set(downloads) == {"LICENSE", "LICENSE-CONTENT.txt"}, downloads
        for name, path in downloads.items():
            assert path.read_bytes() == (REPO / name).read_bytes()
        # the CC legal code is cited, so its address is in the sources page, not typed in the page
        cite = article.select_one(".bibtex-citation a")
        assert cite is not None and "Creative Commons" in cite.get_text()


# ---- the footer link on every page ------------------------------------------------------------

def _pages(root: Path):
    """Every HTML page of a built edition except the root redirect (a meta-refresh, no layout)."""
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root)
        if rel.parts[0] in ("_static", "_images", "_downloads", "_sources"):
            continue
        if rel.as_posix() == "index.html" and 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            continue
        yield page


def footer_link_problems(root: Path, page_name: str = PAGE) -> list[str]:
    target = (root / f"{page_name}.html").resolve()
    problems, count = [], 0
    for page in _pages(root):
        count += 1
        rel = page.relative_to(root).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [a for a in soup.select("footer.bd-footer-content a[href]") if LINK_TEXT in a.get_text()]
        if len(links) != 1:
            problems.append(f"{rel}: {len(links)} footer links named {LINK_TEXT!r}; expected 1")
            continue
        href = links[0]["href"]
        if re.match(r"[a-z]+:|/", href):
            problems.append(f"{rel}: footer link {href!r} is not relative, so it fails opened from disk")
            continue
        resolved = page.resolve() if href.split("#")[0] == "" else (page.parent / href.split("#")[0]).resolve()
        if resolved != target:
            problems.append(f"{rel}: footer link {href!r} leads to {resolved}, not {target}")
    if count < 3:
        problems.append(f"only {count} page(s) found in {root}")
    return problems


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_every_page_links_to_the_license_page_from_its_folder(built_book, edition):
    root = built_book.html_dir(edition)
    assert (root / f"{PAGE}.html").is_file()
    problems = footer_link_problems(root)
    assert not problems, "\n".join(problems)


# ---- the mechanism, in the fixture book -----------------------------------------------------------

LICENSE_PAGE_MD = "# Reuse, adapt and credit\n\nThe fixture book's reuse page.\n"


def _with_license_page(book, footer=True, page_text=LICENSE_PAGE_MD):
    config_path = book.path("_config.yml")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    sphinx["lessonkit_license_page"] = PAGE
    if footer:
        sphinx.setdefault("html_theme_options", {})["footer_content_items"] = [
            "author.html", "copyright.html", "lessonkit-license.html"]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    toc_path = book.path("_toc.yml")
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    toc["chapters"].append({"file": PAGE})
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    book.path(f"{PAGE}.md").write_text(page_text, encoding="utf-8")


def test_footer_link_resolves_at_every_depth_in_both_editions(minibook):
    _with_license_page(minibook)
    for edition in ("teacher", "student"):
        proc = minibook.build(edition)
        assert proc.returncode == 0, output(proc)[-3000:]
        root = minibook.html_dir(edition)
        depths = {len(p.relative_to(root).parts) for p in _pages(root)}
        assert {1, 2, 3} <= depths, depths  # search.html, book/*.html, lessons/grades-6-8/*.html
        problems = footer_link_problems(root)
        assert not problems, "\n".join(problems)
        own = minibook.soup(f"{PAGE}.html", edition).select_one("footer.bd-footer-content a[href]")
        assert own.get("aria-current") == "page"


def test_a_license_page_missing_from_an_edition_fails_its_build(minibook):
    _with_license_page(minibook, page_text="---\naudience: teacher\n---\n" + LICENSE_PAGE_MD)
    assert minibook.build("teacher").returncode == 0
    proc = minibook.build("student")
    assert proc.returncode == 1
    assert "lessonkit_license_page: 'book/license' is not a page of this build" in output(proc)


def test_a_footer_without_the_license_item_fails_the_build(minibook):
    _with_license_page(minibook, footer=False)
    proc = minibook.build()
    assert proc.returncode == 1
    assert "footer_content_items does not list lessonkit-license.html" in output(proc)

"""Quality gates in a real browser: accessibility (axe-core), privacy, console, keyboard, print.

Every page of both editions is served on 127.0.0.1 and opened in Debian's Chromium in light
mode, dark mode and on a phone-sized screen.
"""
from __future__ import annotations

import io
import re

import pytest

from browser import (CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Server, axe_violations, site_pages, visit)
from conftest import REPO
from lessonkit.project import load_project

EDITIONS = {"teacher": "html", "student": "student/html"}
LESSON_PAGES = sorted(f"{doc}.html" for doc in load_project(REPO).lessons)
MODES = {"light": {**DESKTOP, "color_scheme": "light"}, "dark": {**DESKTOP, "color_scheme": "dark"},
         "phone": {**PHONE, "color_scheme": "light"}}


@pytest.fixture(scope="session")
def served(built_book):
    server = Server(built_book.root / "_build")
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def url(served, edition: str, page: str) -> str:
    return f"{served.origin}/{EDITIONS[edition]}/{page}"


@pytest.mark.parametrize("edition, page_path",
                         [(e, p) for e in EDITIONS for p in site_pages(REPO, e)])
def test_every_page_is_accessible_private_and_error_free(served, chromium, edition, page_path):
    problems = []
    for mode, options in MODES.items():
        context = chromium.new_context(**options)
        page = context.new_page()
        record = visit(page, url(served, edition, page_path), served.origin)
        if mode == "light":
            # privacy: only the local server; no failed requests; a clean console
            problems += [f"[{mode}] {p}" for p in record.problems()]
        problems += [f"[{mode}] axe {v}" for v in axe_violations(page)]
        context.close()
    assert not problems, f"{edition} {page_path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("edition", EDITIONS)
def test_front_door_redirects_to_the_book(served, chromium, edition):
    page = chromium.new_page()
    record = visit(page, url(served, edition, "index.html"), served.origin)
    page.wait_for_url("**/book/intro.html", timeout=5000)
    assert not record.problems()
    page.close()


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
  return {tag: el.tagName, cls: el.parentElement ? el.parentElement.className : '',
          text: el.textContent.trim().slice(0, 60), visible: visible};
}"""


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_scenario_choices_work_by_keyboard_alone(served, chromium, edition, lesson):
    page = chromium.new_page(**DESKTOP)
    visit(page, url(served, edition, lesson), served.origin)
    choices = page.locator("details.lk-choice > summary")
    total = choices.count()
    assert total >= 2
    reached, invisible = set(), []
    for _ in range(600):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info["tag"] == "SUMMARY" and "lk-choice" in info["cls"]:
            reached.add(info["text"])
            if not info["visible"]:
                invisible.append(info["text"])
            if len(reached) == 1:
                # operate it: Enter opens the choice, Enter again closes it
                page.keyboard.press("Enter")
                assert page.evaluate("document.activeElement.parentElement.open") is True
                page.keyboard.press("Enter")
                assert page.evaluate("document.activeElement.parentElement.open") is False
        if len(reached) == total:
            break
    assert len(reached) == total, f"only {len(reached)} of {total} choices reached with Tab"
    assert not invisible, f"no visible focus on: {invisible}"
    page.close()


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def _words(text: str, n: int = 6) -> str:
    return " ".join(re.sub(r"\s+", " ", text).strip().split()[:n])


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_printed_lesson_shows_every_branch_and_no_navigation(served, chromium, edition, lesson):
    page = chromium.new_page(**DESKTOP)
    visit(page, url(served, edition, lesson), served.origin)
    outcomes = [_words(t) for t in page.locator("details.lk-choice .lk-outcome").all_inner_texts()]
    notes = [_words(t.split("\n", 1)[-1]) for t in page.locator(".lk-listen-for").all_inner_texts()]
    nav_caption = page.locator(".bd-sidebar-primary .caption-text").last.inner_text()  # "Planning and reference"
    text = _pdf_text(page.pdf(format="Letter", print_background=True))
    missing = [o for o in outcomes + notes if _words(o, 4) not in text]
    assert outcomes and not missing, f"not in the printout: {missing}"
    assert nav_caption not in text, "the sidebar navigation was printed"
    assert "Contents" not in text.split(page.locator("h1").first.inner_text().strip(), 1)[-1][:300]
    page.close()

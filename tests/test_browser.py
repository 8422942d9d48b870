"""Quality gates in a real browser: accessibility (axe-core), privacy, console, keyboard, print.

Every page of both editions is served on 127.0.0.1 and opened in Debian's Chromium in light
mode, dark mode and on a phone-sized screen.
"""
from __future__ import annotations

import pytest

from browser import (CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Server, axe_violations, keyboard_problems,
                     print_problems, site_pages, visit)
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


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_choices_and_menus_work_by_keyboard_alone(served, chromium, edition, lesson):
    page = chromium.new_page(**DESKTOP)
    visit(page, url(served, edition, lesson), served.origin)
    problems = keyboard_problems(page)
    page.close()
    assert not problems, problems


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_printed_lesson_shows_every_branch_and_no_navigation(served, chromium, edition, lesson):
    page = chromium.new_page(**DESKTOP)
    visit(page, url(served, edition, lesson), served.origin)
    problems = print_problems(page)
    page.close()
    assert not problems, problems


# ---- the gates themselves must fail on known-bad pages --------------------------------------

BAD_PAGES = {
    "unlabeled.html": '<input type="text" name="q">',
    "cdn.html": '<script src="https://cdn.example.invalid/lib.js"></script><p>hi</p>',
    "console.html": '<script>console.error("boom")</script><p>hi</p>',
    "choices.html": ('<style>summary{outline:none}</style>'
                     '<details class="lk-choice"><summary tabindex="-1">Stay quiet</summary>'
                     '<div class="lk-outcome">Nobody hears about it until much later.</div></details>'
                     '<details class="lk-choice"><summary>Tell a trusted adult</summary>'
                     '<div class="lk-outcome">A counselor helps right away.</div></details>'),
}


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    for name, body in BAD_PAGES.items():
        (folder / name).write_text(f'<!DOCTYPE html><html lang="en"><head><title>{name}</title></head>'
                                   f'<body><main><h1>{name}</h1>{body}</main></body></html>')
    server = Server(folder)
    yield server
    server.close()


def test_axe_gate_fails_on_an_unlabeled_control(bad_site, chromium):
    page = chromium.new_page()
    visit(page, f"{bad_site.origin}/unlabeled.html", bad_site.origin)
    violations = axe_violations(page)
    assert any(v.startswith("label (critical)") for v in violations), violations


def test_privacy_gate_fails_on_a_cdn_script(bad_site, chromium):
    page = chromium.new_page()
    record = visit(page, f"{bad_site.origin}/cdn.html", bad_site.origin)
    assert "request to another host: https://cdn.example.invalid/lib.js" in record.problems()


def test_console_gate_fails_on_an_error(bad_site, chromium):
    page = chromium.new_page()
    record = visit(page, f"{bad_site.origin}/console.html", bad_site.origin)
    assert "console error: boom" in record.problems()


def test_keyboard_gate_fails_on_unreachable_or_unmarked_choices(bad_site, chromium):
    page = chromium.new_page()
    visit(page, f"{bad_site.origin}/choices.html", bad_site.origin)
    problems = keyboard_problems(page, max_tabs=20)
    assert "not reachable with the Tab key: 'Stay quiet'" in problems
    assert "no visible focus on 'Tell a trusted adult'" in problems


def test_print_gate_fails_when_a_branch_stays_closed(bad_site, chromium):
    page = chromium.new_page()
    visit(page, f"{bad_site.origin}/choices.html", bad_site.origin)
    problems = print_problems(page)
    assert "not in the printout: 'Nobody hears about it'" in problems

"""Quality gates in a real browser: accessibility (axe-core), privacy, console, keyboard, print.

Every page of both editions is served on 127.0.0.1 and opened in Debian's Chromium in light
mode, dark mode and on a phone-sized screen.
"""
from __future__ import annotations

import time

import pytest

from browser import (AXE_EXCEPTIONS, DESKTOP, PAGE_LIFETIME_MS, PHONE, VIEWS, Server,
                     Visit, axe_run, axe_violations, keyboard_problems, print_problems, site_pages, use_page)
from conftest import REPO
from lessonkit.project import load_project

EDITIONS = {"teacher": "html", "student": "student/html"}
LESSON_PAGES = sorted(f"{doc}.html" for doc in load_project(REPO).lessons)
MODES = {"light": {**DESKTOP, "color_scheme": "light"}, "dark": {**DESKTOP, "color_scheme": "dark"},
         "phone": {**PHONE, "color_scheme": "light"}}


def url(served, edition: str, page: str) -> str:
    return f"{served.origin}/{EDITIONS[edition]}/{page}"


def gate(chromium, page_url: str, origin: str, modes: dict = MODES) -> list[str]:
    """The accessibility, privacy and console gate for one page, in every mode.

    In each mode the page is watched from navigation until it is closed (Visit): axe checks it as
    it loads, then the reader uses it (every view in VIEWS: choices opened, printed) and it lives
    out PAGE_LIFETIME_MS on the fake clock, so late timers fire before it closes."""
    problems = []
    for mode, options in modes.items():
        with Visit(chromium, page_url, origin, **options) as visit:
            problems += [f"[{mode}] axe {v}" for v in axe_violations(visit.page)]
            use_page(visit.page)
        # privacy: only the local server; no failed requests; a clean console, for the page's whole life
        problems += [f"[{mode}] {p}" for p in visit.problems()]
    return problems


@pytest.mark.parametrize("edition, page_path",
                         [(e, p) for e in EDITIONS for p in site_pages(REPO, e)])
def test_every_page_is_accessible_private_and_error_free(served, chromium, edition, page_path):
    problems = gate(chromium, url(served, edition, page_path), served.origin)
    assert not problems, f"{edition} {page_path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("edition", EDITIONS)
def test_front_door_redirects_to_the_book(served, chromium, edition):
    with Visit(chromium, url(served, edition, "index.html"), served.origin) as visit:
        visit.page.wait_for_url("**/book/intro.html", timeout=5000)
    assert not visit.problems()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_choices_and_menus_work_by_keyboard_alone(served, chromium, edition, lesson):
    with Visit(chromium, url(served, edition, lesson), served.origin, **DESKTOP) as visit:
        problems = keyboard_problems(visit.page)
    assert not problems + visit.problems(), problems + visit.problems()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_printed_lesson_shows_every_branch_and_no_navigation(served, chromium, edition, lesson):
    with Visit(chromium, url(served, edition, lesson), served.origin, **DESKTOP) as visit:
        problems = print_problems(visit.page)
    assert not problems + visit.problems(), problems + visit.problems()


# ---- the gates themselves must fail on known-bad pages --------------------------------------

PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
FOREIGN = "https://beacon.example.invalid"
# one violation each, rule -> (impact, best-practice?, markup); the impacts span all four levels
AXE_BAD = {
    "label": ("critical", False, '<input type="text" name="q">'),
    "color-contrast": ("serious", False, '<p style="color:#aaa;background:#fff">Hard to read</p>'),
    "meta-viewport": ("moderate", False, '<meta name="viewport" content="width=device-width, user-scalable=no">'),
    "aria-deprecated-role": ("minor", False, '<div role="directory"><p>Contents</p></div>'),
    "heading-order": ("moderate", True, "<h3>A heading that skips a level</h3>"),
    "image-redundant-alt": ("minor", True, f'<a href="#x"><img src="{PIXEL}" alt="Get help">Get help</a>'),
}
BAD_PAGES = {
    **{f"axe-{rule}.html": markup for rule, (_, _, markup) in AXE_BAD.items()},
    "axe-all.html": "".join(markup for _, _, markup in AXE_BAD.values()),
    "cdn.html": '<script src="https://cdn.example.invalid/lib.js"></script><p>hi</p>',
    "console.html": '<script>console.error("boom")</script><p>hi</p>',
    # privacy for the page's whole life: late, in dark mode only, after a choice is opened, on print
    "late.html": f'<script>setTimeout(() => fetch("{FOREIGN}/late"), 2000)</script><p>hi</p>',
    "late-error.html": '<script>setTimeout(() => console.error("late boom"), 2500)</script><p>hi</p>',
    "dark.html": ('<script>if (matchMedia("(prefers-color-scheme: dark)").matches)'
                  f' setTimeout(() => {{ new Image().src = "{FOREIGN}/dark.gif"; }}, 1000)</script><p>hi</p>'),
    "opened.html": ('<details class="lk-choice"><summary>Tell a trusted adult</summary>'
                    '<div class="lk-outcome">A counselor helps right away.</div></details>'
                    '<script>document.querySelector("details").addEventListener("toggle", () =>'
                    f' setTimeout(() => navigator.sendBeacon("{FOREIGN}/opened"), 3000))</script>'),
    "printed.html": f'<script>addEventListener("beforeprint", () => fetch("{FOREIGN}/printed"))</script><p>hi</p>',
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
        head, body = (body, "") if body.startswith("<meta") else ("", body)
        (folder / name).write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                                   f'<title>{name}</title>{head}</head>'
                                   f'<body><main><h1>{name}</h1>{body}</main></body></html>', encoding="utf-8")
    server = Server(folder)
    yield server
    server.close()


def bad(bad_site, name: str) -> str:
    return f"{bad_site.origin}/{name}"


LIGHT = {"light": MODES["light"]}


# axe: the exception list, the rules that run, every impact level, best practice

DOCUMENTED_AXE_EXCEPTIONS: dict[str, str] = {}  # README.md: "no rule is switched off"


def test_axe_exceptions_are_exactly_the_documented_ones():
    assert AXE_EXCEPTIONS == DOCUMENTED_AXE_EXCEPTIONS, (
        "tests/browser.py switches off axe rules that README.md does not document: "
        f"{sorted(set(AXE_EXCEPTIONS) - set(DOCUMENTED_AXE_EXCEPTIONS))}")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| axe-core"))
    if not AXE_EXCEPTIONS:
        assert "no rule is switched off" in row and "best-practice rules included" in row, row
    for rule in AXE_EXCEPTIONS:
        assert f"`{rule}`" in row, f"README.md's axe row does not name the exception {rule}"


def _ran(result: dict) -> set[str]:
    return {rule["id"] for kind in ("passes", "violations", "incomplete", "inapplicable") for rule in result[kind]}


def test_axe_runs_every_default_rule_with_best_practice_and_every_impact(bad_site, chromium):
    with Visit(chromium, bad(bad_site, "axe-all.html"), bad_site.origin) as visit:
        gate_result = axe_run(visit.page)           # the options the gate uses
        default = axe_run(visit.page, options={})   # axe's own defaults: every rule it enables
        tags = visit.page.evaluate("() => Object.fromEntries(axe.getRules().map(r => [r.ruleId, r.tags]))")
    ran = _ran(gate_result)
    assert not gate_result["toolOptions"].get("runOnly"), gate_result["toolOptions"]
    missing = _ran(default) - set(AXE_EXCEPTIONS) - ran
    assert not missing, f"the gate's axe options leave out rules axe runs by default: {sorted(missing)}"
    ran_tags = {tag for rule in ran for tag in tags[rule]}
    for tag in ("best-practice", "wcag2a", "wcag2aa", "wcag21aa"):
        assert tag in ran_tags, f"no {tag} rule ran"
    best = {rule for rule in _ran(default) if "best-practice" in tags[rule]}
    assert len(best) >= 20 and best <= ran, sorted(best - ran)
    assert {v["impact"] for v in gate_result["violations"]} == {"critical", "serious", "moderate", "minor"}


@pytest.mark.parametrize("rule", AXE_BAD)
def test_axe_gate_reports_each_impact_and_best_practice(bad_site, chromium, rule):
    impact, best_practice, _ = AXE_BAD[rule]
    problems = gate(chromium, bad(bad_site, f"axe-{rule}.html"), bad_site.origin, LIGHT)
    assert any(p.startswith(f"[light] axe {rule} ({impact})") for p in problems), (
        f"{rule} ({impact}{', best-practice' if best_practice else ''}) not reported: {problems}")


def test_axe_gate_reports_every_violation_axe_finds(bad_site, chromium):
    with Visit(chromium, bad(bad_site, "axe-all.html"), bad_site.origin) as visit:
        found = {v["id"] for v in axe_run(visit.page, options={})["violations"]}
    assert found >= set(AXE_BAD), found
    problems = gate(chromium, bad(bad_site, "axe-all.html"), bad_site.origin, LIGHT)
    reported = {p.split()[2] for p in problems if p.startswith("[light] axe ")}
    assert reported == found, f"axe found {sorted(found)}, the gate reported {sorted(reported)}"


def test_axe_gate_checks_both_colour_modes():
    assert {"light", "dark"} <= {options.get("color_scheme") for options in MODES.values()}


# privacy and console: from navigation until the page is closed

def test_privacy_gate_fails_on_a_cdn_script(bad_site, chromium):
    problems = gate(chromium, bad(bad_site, "cdn.html"), bad_site.origin, LIGHT)
    assert "[light] request to another host: https://cdn.example.invalid/lib.js" in problems


def test_console_gate_fails_on_an_error(bad_site, chromium):
    problems = gate(chromium, bad(bad_site, "console.html"), bad_site.origin, LIGHT)
    assert "[light] console error: boom" in problems


@pytest.mark.parametrize("page, mode, problem", [
    ("late.html", "light", f"request to another host: {FOREIGN}/late"),
    ("late.html", "phone", f"request to another host: {FOREIGN}/late"),
    ("late-error.html", "light", "console error: late boom"),
    ("dark.html", "dark", f"request to another host: {FOREIGN}/dark.gif"),
    ("opened.html", "light", f"request to another host: {FOREIGN}/opened"),
    ("printed.html", "dark", f"request to another host: {FOREIGN}/printed"),
])
def test_privacy_gate_watches_the_page_until_it_closes(bad_site, chromium, page, mode, problem):
    started = time.monotonic()
    problems = gate(chromium, bad(bad_site, page), bad_site.origin)
    assert f"[{mode}] {problem}" in problems, problems
    assert time.monotonic() - started < PAGE_LIFETIME_MS / 1000, "the page's lifetime must pass on the fake clock"


def test_every_view_a_page_offers_is_watched():
    """lessonkit's scripts, styles and templates name a projector view, so browser.VIEWS must have an
    entry "projector" that enters it (from each lesson page's link), and the privacy and console
    gate covers it on every page of both editions."""
    import re

    assert {"choices opened", "printed"} <= set(VIEWS)
    assert PAGE_LIFETIME_MS >= 60_000
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("_static", "_templates")
                     for p in (REPO / "lessonkit" / folder).rglob("*") if p.is_file())
    code += "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "lessonkit").glob("*.py"))
    if re.search(r"projector[-_ ]?(?:view|mode)|lk-projector|data-projector|[?#]projector", code, re.I):
        assert "projector" in VIEWS, "lessonkit has a projector view: add it to browser.VIEWS"


# keyboard and print

def test_keyboard_gate_fails_on_unreachable_or_unmarked_choices(bad_site, chromium):
    with Visit(chromium, bad(bad_site, "choices.html"), bad_site.origin) as visit:
        problems = keyboard_problems(visit.page, max_tabs=20)
    assert "not reachable with the Tab key: 'Stay quiet'" in problems
    assert "no visible focus on 'Tell a trusted adult'" in problems


def test_print_gate_fails_when_a_branch_stays_closed(bad_site, chromium):
    with Visit(chromium, bad(bad_site, "choices.html"), bad_site.origin) as visit:
        problems = print_problems(visit.page)
    assert "not in the printout: 'Nobody hears about it'" in problems

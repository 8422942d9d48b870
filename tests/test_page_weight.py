"""A light first visit (lessonkit/weight.py): what a lesson page makes the browser fetch stays under
the budget, with every feature kept: search, light and dark mode, the icons the pages show.

The bytes are counted in Chromium, request by request (every response body, uncompressed, with the
cache off), from navigation until the network is idle: the page and everything it loads at first
visit. Timings are not checked here (scripts/lighthouse.sh scores them); bytes are.
"""
from __future__ import annotations

import base64
import io
import re
import shutil

import pytest

from browser import DESKTOP, Server
from conftest import REPO
from lessonkit.project import load_project
from lessonkit.weight import prune

BUDGET = 600 * 1024  # bytes, uncompressed, one first visit (issue 15)
EDITIONS = {"teacher": "html", "student": "student/html"}
LESSONS = sorted(f"{doc}.html" for doc in load_project(REPO).lessons)
LESSON = "lessons/grades-6-8/04-it-stops-with-me.html"


@pytest.fixture(scope="module")
def served(built_book):
    server = Server(built_book.root / "_build")
    yield server
    server.close()


def first_visit(chromium, url: str, **options) -> tuple[dict[str, int], object]:
    """Every request of a first visit with its body's bytes; and the context, still open."""
    context = chromium.new_context(**options)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, len(r.response().body()))
            if not r.url.startswith("data:") else None)
    page.on("requestfailed", lambda r: sizes.__setitem__(r.url, -1))
    page.goto(url, wait_until="networkidle")
    return sizes, (context, page)


def report(sizes: dict[str, int], origin: str) -> str:
    return "\n".join(f"{n:>9}  {u.replace(origin, '')}" for u, n in sorted(sizes.items(), key=lambda i: -i[1]))


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_lesson_page_first_visit_is_under_budget(served, chromium, edition):
    heavy = []
    for lesson in LESSONS:
        for page in (lesson, lesson.replace(".html", "-present.html")):  # and its projector view
            sizes, (context, _) = first_visit(chromium, f"{served.origin}/{EDITIONS[edition]}/{page}")
            context.close()
            assert -1 not in sizes.values(), report(sizes, served.origin)
            if sum(sizes.values()) > BUDGET:
                heavy.append(f"{page}: {sum(sizes.values())} bytes in {len(sizes)} requests\n"
                             + report(sizes, served.origin))
    assert not heavy, "\n\n".join(heavy)


def test_the_search_index_loads_only_when_someone_searches(served, chromium):
    sizes, (context, page) = first_visit(chromium, f"{served.origin}/html/{LESSON}", **DESKTOP)
    assert not [u for u in sizes if "searchindex" in u or "searchtools" in u or "fontawesome" in u], \
        report(sizes, served.origin)
    # the search box is there, and sends the reader to the search page
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill("trusted adult")
    with page.expect_navigation():
        box.press("Enter")
    assert "search.html" in page.url
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() > 0
    context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_finds_lessons_in_both_editions(served, chromium, edition):
    sizes, (context, page) = first_visit(chromium, f"{served.origin}/{EDITIONS[edition]}/search.html?q=consent")
    assert [u for u in sizes if u.endswith("/searchindex.js")], "the search page must load the index"
    page.wait_for_selector("#search-results li", timeout=15000)
    found = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
    assert any("/lessons/" in href for href in found), found
    context.close()


ICONS = """() => [...document.querySelectorAll('[class*="fa-"]')].map(el => {
  const style = getComputedStyle(el, '::before');
  return {icon: el.className, family: style.fontFamily, weight: style.fontWeight,
          glyph: style.content.replace(/^"|"$/g, '')};
}).filter(i => i.glyph && i.glyph !== 'none')"""


def test_dark_mode_toggles_and_every_icon_has_its_glyph(served, chromium):
    _, (context, page) = first_visit(chromium, f"{served.origin}/html/{LESSON}", **DESKTOP, color_scheme="light")
    background = "() => getComputedStyle(document.body).backgroundColor"
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    light = page.evaluate(background)
    switch = page.locator(".theme-switch-button").first
    switch.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate(background)
    assert dark != light, (light, dark)
    assert sum(map(int, re.findall(r"\d+", dark)[:3])) < sum(map(int, re.findall(r"\d+", light)[:3]))
    switch.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    # the icons are drawn by the icon font, cut down to the glyphs used: each one has its glyph there
    icons = page.evaluate(ICONS)
    assert len(icons) >= 5, icons
    page.evaluate("document.fonts.ready.then(() => 0)")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight)")
    sheet = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    context.close()
    assert len(sheet) == 1 and "lessonkit-styles-" in sheet[0], sheet
    faces = icon_faces(built_book_css(served, sheet[0]))
    missing = [i for i in icons if ord(i["glyph"]) not in faces.get(face_key(i["family"], i["weight"]), set())]
    assert not missing, (missing, sorted(faces))
    assert any("Font Awesome" in f for f in loaded), loaded


def face_key(family: str, weight) -> tuple[str, str]:
    return family.split(",")[0].replace("\\", "").strip("\"' "), str(weight)


def built_book_css(served, href: str) -> str:
    import urllib.request

    with urllib.request.urlopen(href) as response:
        return response.read().decode("utf-8")


def icon_faces(css: str) -> dict[tuple[str, str], set[int]]:
    """(family, weight) -> the codepoints of each font the stylesheet holds as a data: URL."""
    from fontTools.ttLib import TTFont

    faces = {}
    for rule in re.findall(r"@font-face\{[^}]*\}", css):
        data = re.search(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", rule)
        if data:
            family = re.search(r"font-family:([^;}]*)", rule).group(1)
            weight = re.search(r"font-weight:([^;}]*)", rule).group(1).strip()
            with TTFont(io.BytesIO(base64.b64decode(data.group(1)))) as font:
                faces[face_key(family, weight)] = set(font.getBestCmap())
    return faces


# ---- the budget and the pruning can fail ---------------------------------------------------

def test_the_budget_catches_the_theme_as_it_was(built_book, chromium, tmp_path):
    """The same lesson page with the theme's Font Awesome script and search index put back, as the
    theme had them, is over the budget."""
    site = tmp_path / "site"
    shutil.copytree(built_book.html_dir(), site)
    page = site / LESSON
    extra = ('<script defer src="../../_static/scripts/fontawesome.js"></script>'
             '<script src="../../_static/searchtools.js"></script><script src="../../searchindex.js"></script>')
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", extra + "</head>", 1), encoding="utf-8")
    server = Server(site)
    try:
        sizes, (context, _) = first_visit(chromium, f"{server.origin}/{LESSON}")
        context.close()
    finally:
        server.close()
    assert sum(sizes.values()) > BUDGET, report(sizes, server.origin)


@pytest.mark.parametrize("css, words, kept, dropped", [
    (".a{color:red}.b{color:blue}", {"a"}, [".a{"], [".b{"]),
    (".a .b,.a{x:1}", {"a"}, [".a{"], [".a .b"]),  # a selector list keeps the selectors that can match
    ("#one{x:1}#two{x:1}", {"one"}, ["#one"], ["#two"]),
    (".a:not(.gone){x:1}", {"a"}, [".a:not(.gone)"], []),  # :not(.x) matches where .x is absent
    ("html[data-theme=dark] p{x:1}", set(), ["html[data-theme=dark] p"], []),  # dark mode: no class
    ("@media (min-width:1px){.a{x:1}.b{x:1}}@media print{.b{x:1}}", {"a"}, ["@media (min-width:1px){.a{"],
     ["print", ".b{"]),
    ("@keyframes spin{to{x:1}}@keyframes used{to{x:1}}.a{animation:used 1s}", {"a"}, ["@keyframes used"],
     ["spin"]),
])
def test_pruning_keeps_what_can_match_and_only_that(css, words, kept, dropped):
    out = prune(css, words)
    assert all(k in out for k in kept), out
    assert not any(d in out for d in dropped), out

"""The projector view: one extra page per lesson, in both editions, for a classroom screen.

It must hold every prompt, scene, choice, card and check item of its lesson and nothing for the
teacher only (in the teacher edition too: students see the screen); move by keyboard and buttons;
read as a long page without JavaScript; pass axe; and work opened from disk with no network.
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from browser import (DESKTOP, FOCUSED, PHONE, PROJECTOR_STATE, VIEWS, Visit, axe_violations,
                     enter_projector, keyboard_problems, leave_projector, step_through_projector)
from conftest import REPO, assert_only_failure_page, output
from lessonkit.project import load_project
from test_editions import STUDENT_TOO, TEACHER_CLASSES, TEACHER_ONLY, TEACHER_WORDS, _teacher_blocks

EDITIONS = ("teacher", "student")
LESSONS = sorted(load_project(REPO).lessons)
MINI = "lessons/grades-6-8/01-fixture-lesson"
MODES = {"light": {**DESKTOP, "color_scheme": "light"}, "dark": {**DESKTOP, "color_scheme": "dark"},
         "phone": {**PHONE, "color_scheme": "light"}}


def present(docname: str) -> str:
    return f"{docname}-present.html"


def squeeze(text: str) -> str:
    """Text without any whitespace: the same words, however the markup spaces them."""
    return re.sub(r"\s+", "", text)


def view(book, docname: str, edition: str) -> BeautifulSoup:
    return book.soup(present(docname), edition)


def screens(soup, kind: str) -> list:
    return soup.select(f"main section.lk-screen-{kind}")


def from_disk(book, docname: str, edition: str = "teacher") -> str:
    return (book.html_dir(edition) / present(docname)).as_uri()


# ---- the page and its link ------------------------------------------------------------------

@pytest.mark.parametrize("edition", EDITIONS)
def test_every_lesson_has_a_projector_view_linked_under_its_title(built_book, edition):
    project = load_project(built_book.root)
    assert LESSONS
    for docname in LESSONS:
        lesson = project.lessons[docname]
        page = built_book.article(f"{docname}.html", edition)
        # at the end of the glance panel's head line, right under the title; a <nav>, which print
        # and the PDFs leave out
        panel = page.select_one("h1").find_next_sibling()
        link = panel.select_one(".lk-glance-head > nav.lk-present-link")
        assert panel["id"] == "lesson-at-a-glance" and link is not None, f"{docname}: no link under the title"
        assert link.a.get_text(strip=True) == "Projector view" and link.a["href"] == present(docname.split("/")[-1])
        soup = view(built_book, docname, edition)
        assert soup.html["lang"] == "en", docname
        assert lesson.title in soup.title.get_text(), docname
        assert soup.select_one("main h1").get_text(strip=True) == lesson.title
        assert lesson.essential_question in soup.main.get_text()
        assert soup.select_one("header a[data-lk-back]")["href"] == docname.split("/")[-1] + ".html"
        # its own page: only its own stylesheet and script, nothing of the theme's
        sheets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
        assert sheets == ["../../_static/lessonkit-projector.css"]
        assert [script["src"] for script in soup.select("script")] == ["../../_static/lessonkit-projector.js"]


@pytest.mark.parametrize("docname", LESSONS)
def test_the_view_holds_every_prompt_scene_choice_card_and_check_item(built_book, docname):
    """What the student edition's lesson shows is on the screens, block by block, in both editions."""
    lesson = built_book.article(f"{docname}.html", "student")
    views = {edition: view(built_book, docname, edition) for edition in EDITIONS}
    # the teacher edition projects exactly what the student edition does
    assert str(views["teacher"].main) == str(views["student"].main), docname
    soup = views["teacher"]
    text = squeeze(soup.main.get_text())

    def heading_less(block) -> str:
        return squeeze("".join(s for s in block.find_all(string=True) if not s.find_parent(re.compile("^h[1-6]$"))))

    prompts = lesson.select("li.lk-prompt")
    scenarios = lesson.select(".lk-scenario")
    scenes = lesson.select(".lk-scene")
    choices = lesson.select("details.lk-choice")
    cards = [item for box in lesson.select(".lk-card-set") for item in box.select(":scope > ol > li, :scope > ul > li, "
                                                                                   ":scope table tbody tr")]
    checks = lesson.select(".lk-check > ol > li")
    assert prompts and scenes and choices and checks, f"{docname}: a lesson part is missing from the lesson itself"
    for part in prompts + scenes + checks:
        assert heading_less(part) in text, f"{docname}: not on any screen: {part.get_text(' ', strip=True)[:100]!r}"
    for choice in choices:
        assert squeeze(choice.summary.get_text()) in text and squeeze(choice.get_text()) in text, docname
    for card in cards:
        cells = card.find_all("td")[1:] if card.name == "tr" else [card]
        assert all(squeeze(cell.get_text()) in text for cell in cells), f"{docname}: card {card.get_text()[:80]!r}"
    # a section's own text (the lesson says "project it and read it aloud") has a screen of its own
    readings = {squeeze(s.h2.get_text()): squeeze(s.get_text()) for s in screens(soup, "reading")}
    for section in lesson.select("section section"):
        own = [c for c in section.find_all(recursive=False) if c.name in ("p", "ul", "ol", "dl", "blockquote")]
        if sum(len(c.get_text(" ").split()) for c in own) < 15:  # projector.READING_WORDS
            continue
        heading = squeeze(section.find(re.compile("^h[2-6]$")).get_text().replace("#", ""))
        assert heading in readings, f"{docname}: no screen for the section {heading!r}"
        assert all(squeeze(c.get_text()) in readings[heading] for c in own), f"{docname}: {heading!r} cut short"
    # one screen each, in the lesson's order
    assert len(screens(soup, "title")) == 1
    assert len(screens(soup, "prompt")) == len(prompts)
    assert len(screens(soup, "scenario")) == len(scenarios)
    assert len(screens(soup, "scene")) == len(scenes)
    assert len(screens(soup, "debrief")) == len(lesson.select(".lk-debrief"))
    assert len(soup.select("main details.lk-choice")) == len(choices)
    assert len(screens(soup, "card")) == len(cards)
    assert len([s for s in screens(soup, "check") if " · question " in s.h2.get_text()]) == len(checks)
    assert len(screens(soup, "help")) == len(lesson.select(".lk-help"))
    kinds = [s["class"][1] for s in soup.select("main section.lk-screen")]
    tail = [k for k in kinds if k.startswith("lk-screen-help")]
    assert kinds[-len(tail):] == tail and tail, f"{docname}: help screens are not last: {kinds}"
    assert [s["id"] for s in soup.select("main section")] == [f"screen-{i}" for i in range(1, len(kinds) + 1)]


@pytest.mark.parametrize("docname", LESSONS)
def test_no_teacher_material_reaches_the_real_books_views(built_book, docname):
    teacher_blocks = _teacher_blocks(built_book.article(f"{docname}.html", "teacher"))
    assert teacher_blocks, docname
    for edition in EDITIONS:
        soup = view(built_book, docname, edition)
        text = re.sub(r"\s+", " ", soup.get_text(" "))
        marks = {c for el in soup.select("[class]") for c in el["class"]
                 if c in TEACHER_CLASSES or c.startswith("lk-kind-") or c in ("lk-glance", "lk-stages")}
        assert not marks, f"{docname} ({edition}): teacher-only classes {marks}"
        for words in TEACHER_WORDS + ["Pattern stages shown", "Lesson at a glance"]:
            assert words not in str(soup), f"{docname} ({edition}) shows {words!r}"
        for block in teacher_blocks:
            assert block not in text, f"{docname} ({edition}): teacher-only text on a screen: {block[:100]!r}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_fixture_view_has_no_teacher_sentinel(built_minibook, edition):
    html = (built_minibook.html_dir(edition) / present(MINI)).read_text(encoding="utf-8")
    for sentinel in TEACHER_ONLY:
        assert sentinel not in html, f"{sentinel} on the {edition} edition's projector view"
    for sentinel in STUDENT_TOO:
        assert sentinel in html, f"{sentinel} (student material) missing from the {edition} projector view"
    for cls in TEACHER_CLASSES:
        assert not re.search(rf'class="[^"]*\b{cls}\b', html), cls
    # the teacher edition's lesson page has the placeholder; its screens say what students read
    assert "your district adds this" in built_minibook.soup(f"{MINI}.html").get_text()
    assert "your district adds this" not in html
    assert "the school counselor" in html


def test_a_district_detail_keeps_the_words_the_lesson_gives_students(minibook):
    minibook.edit(f"{MINI}.md", "Who could Jun tell?",
                  "Who could Jun tell? Maybe {district}`Ms. Counselor-words <counselor_name>`.")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    prompt = view(minibook, MINI, "teacher").select("main section.lk-screen-prompt")[1].get_text(" ", strip=True)
    assert "Maybe Ms. Counselor-words ." in prompt and "district adds" not in prompt, prompt


def test_a_page_with_the_views_name_fails_the_build(minibook):
    # a second lesson whose name is the first one's plus "-present"
    text = minibook.path(f"{MINI}.md").read_text(encoding="utf-8")
    for old, new in (("id: g68-fixture-lesson", "id: g68-fixture-lesson-present"), ("sequence: 1", "sequence: 2"),
                     ("title: Fixture lesson", "title: Fixture lesson two"), ("# Fixture lesson", "# Fixture lesson two")):
        text = text.replace(old, new)
    minibook.path(f"{MINI}-present.md").write_text(text, encoding="utf-8")
    minibook.edit("_toc.yml", "      - file: activities/grades-6-8/handout-fixture\n",
                  "      - file: activities/grades-6-8/handout-fixture\n"
                  f"      - file: {MINI}-present\n")
    proc = minibook.build()
    assert proc.returncode != 0
    message = (f"the page {MINI}-present.md has the name lessonkit gives the projector view of {MINI}.md; "
               "expected no page whose name ends in '-present' next to a lesson (rename it)")
    assert f"{MINI}-present.md:1: WARNING: {message}" in output(proc), output(proc)[-3000:]
    assert "Traceback" not in output(proc)
    assert_only_failure_page(minibook)
    failure = (minibook.html_dir() / "index.html").read_text(encoding="utf-8")
    assert f"{MINI}-present.md:1: {message}".replace("'", "&#x27;") in failure


def test_the_link_is_left_out_of_the_printed_lesson(built_book):
    """The PDF of a lesson (and so the teacher guide) is made from the built page by
    lessonkit.pdf.render.clean, which drops every <nav> (the browser's print hides it too:
    test_glance_layout.py)."""
    from lessonkit.pdf.render import clean

    docname = LESSONS[0]
    page = built_book.html_dir() / f"{docname}.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    assert "Projector view" in article.get_text()
    clean(soup, article, page, built_book.html_dir())
    assert "Projector view" not in article.get_text()


# ---- in the browser, opened from disk ------------------------------------------------------

def status(page) -> str:
    return page.locator(".lk-present-status").inner_text()


def at_top(page) -> str:
    """The id of the screen whose top is at the top of the window."""
    return page.evaluate("""() => [...document.querySelectorAll('.lk-screen')]
        .find(s => Math.abs(s.getBoundingClientRect().top) < 2)?.id""")


def focused(page) -> str | None:
    return page.evaluate("() => document.activeElement.id || document.activeElement.dataset.lkGo || null")


def test_keys_and_buttons_move_between_screens_and_escape_goes_back(built_minibook, chromium):
    with Visit(chromium, from_disk(built_minibook, MINI), "file://", **DESKTOP) as visit:
        page = visit.page
        total = page.locator(".lk-screen").count()
        assert status(page) == f"Screen 1 of {total}" and at_top(page) == "screen-1"
        for key, screen in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3), ("PageUp", 2),
                            ("Shift+Space", 1), ("End", total), ("Home", 1)):
            page.keyboard.press(key)
            assert status(page) == f"Screen {screen} of {total}", key
            assert at_top(page) == f"screen-{screen}" and focused(page) == f"screen-{screen}", key
        # a scene: Next opens its choices one by one, then moves on
        scene = page.locator(".lk-screen-scene").first
        number = int(scene.get_attribute("id").split("-")[1])
        for _ in range(number - 1):
            page.keyboard.press("ArrowRight")
        assert status(page) == f"Screen {number} of {total}"
        count = scene.locator("details.lk-choice").count()
        assert count == 2
        for opened in range(1, count + 1):
            page.keyboard.press("ArrowRight")
            assert scene.locator("details.lk-choice[open]").count() == opened
            assert status(page) == f"Screen {number} of {total}: choice {opened} of {count} opened"
        page.keyboard.press("ArrowRight")
        assert status(page) == f"Screen {number + 1} of {total}"
        # the buttons do the same, and keep the focus so a second press goes on
        page.get_by_role("button", name="First").click()
        assert status(page) == f"Screen 1 of {total}"
        page.get_by_role("button", name="Next").click()
        page.get_by_role("button", name="Next").press("Enter")
        assert status(page) == f"Screen 3 of {total}" and focused(page) == "next"
        page.get_by_role("button", name="Last").click()
        assert at_top(page) == f"screen-{total}"
        page.get_by_role("button", name="Previous").click()
        assert status(page) == f"Screen {total - 1} of {total}"
        # a reader who scrolls: the screen at the top is the current one
        page.evaluate("() => document.getElementById('screen-2').scrollIntoView()")
        page.wait_for_function("() => document.querySelector('.lk-present-status').textContent.startsWith('Screen 2 ')")
        assert not visit.problems(), visit.problems()
        # (the fixture book's theme page, unlike the real book's, logs console errors from disk)
        with page.expect_navigation():
            page.keyboard.press("Escape")
        assert page.url == (built_minibook.html_dir() / f"{MINI}.html").as_uri()


def test_choices_open_by_keyboard_with_visible_focus(built_minibook, chromium):
    with Visit(chromium, from_disk(built_minibook, MINI), "file://", **DESKTOP) as visit:
        problems = keyboard_problems(visit.page)
        # the way back and the buttons come first, each with its focus shown
        visit.page.reload()
        visit.page.evaluate("() => document.querySelectorAll('[data-lk-go], [data-lk-back]')"
                            ".forEach(el => el.dataset.lkKey = el.dataset.lkGo || 'back')")
        seen = []
        for _ in range(5):
            visit.page.keyboard.press("Tab")
            info = visit.page.evaluate(FOCUSED)
            seen.append((info["key"], info["visible"]))
        assert seen == [(key, True) for key in ("back", "first", "prev", "next", "last")], seen
    assert not problems + visit.problems(), problems + visit.problems()


def test_without_javascript_it_is_a_readable_long_page(built_minibook, chromium):
    with Visit(chromium, from_disk(built_minibook, MINI), "file://", java_script_enabled=False, **DESKTOP) as visit:
        page = visit.page
        assert not page.locator(".lk-present-controls").is_visible()
        assert page.get_by_role("link", name="Back to the lesson").is_visible()
        headings = page.locator("main h1, main h2")
        assert headings.count() == page.locator(".lk-screen").count()
        for i in range(headings.count()):
            assert headings.nth(i).is_visible()
        # one after another: no screen-high screens, no snapping
        heights = page.evaluate("() => [...document.querySelectorAll('.lk-screen')]"
                                ".map(s => getComputedStyle(s).minHeight)")
        assert set(heights) <= {"0px", "auto"}, heights
        assert page.evaluate("() => getComputedStyle(document.documentElement).scrollSnapType") == "none"
        summary = page.locator("details.lk-choice > summary").first
        summary.click()
        assert page.locator("details.lk-choice[open]").count() == 1
    assert not visit.problems(), visit.problems()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("docname", LESSONS)
def test_each_view_passes_axe_and_stays_on_the_machine_opened_from_disk(built_book, chromium, docname, edition):
    """Light, dark and phone: axe finds nothing; stepped through to the end and left with Escape, the
    view (and the lesson page it returns to) requests nothing from any host and nothing fails."""
    problems = []
    for mode, options in MODES.items():
        with Visit(chromium, from_disk(built_book, docname, edition), "file://", **options) as visit:
            problems += [f"[{mode}] axe {v}" for v in axe_violations(visit.page)]
            step_through_projector(visit.page)
            problems += [f"[{mode}] axe, every choice open: {v}" for v in axe_violations(visit.page)]
            leave_projector(visit.page)
        problems += [f"[{mode}] {p}" for p in visit.problems()]
    assert not problems, f"{edition} {docname}:\n" + "\n".join(problems)


def test_the_book_wide_gate_enters_the_view_from_each_lesson_page(built_book, chromium):
    """browser.VIEWS["projector"] follows the lesson page's link, so the privacy and console gate of
    tests/test_browser.py records through the view on every lesson page of both editions."""
    assert VIEWS["projector"] is enter_projector
    docname = LESSONS[0]
    lesson = (built_book.html_dir() / f"{docname}.html").as_uri()
    with Visit(chromium, lesson, "file://", **DESKTOP) as visit:
        seen = []
        visit.page.on("framenavigated", lambda frame: seen.append(frame.url) if frame.parent_frame is None else None)
        enter_projector(visit.page)
        # Sphinx's search-term highlighter replaces the page's history entry with its own URL on load
        # (a same-document navigation): count each page once
        seen = [url for i, url in enumerate(seen) if not i or seen[i - 1] != url]
        assert seen == [from_disk(built_book, docname), lesson], seen
    assert not visit.problems(), visit.problems()
    # a page without the link is left as it is
    intro = (built_book.html_dir() / "book/intro.html").as_uri()
    with Visit(chromium, intro, "file://", **DESKTOP) as visit:
        enter_projector(visit.page)
        assert visit.page.url == intro
    assert not visit.problems(), visit.problems()


# ---- a screen taller than the window is seen whole, by Next alone -------------------------

PROJECTOR = {"viewport": {"width": 1280, "height": 800}}
# Each screen's part in the window above the bar, from the screen's top (px), and where its words
# start and end: what a room sees after each press.
IN_VIEW = """() => {
  const room = innerHeight - document.querySelector('.lk-present-bar').offsetHeight;
  return [...document.querySelectorAll('.lk-screen')].map(s => {
    const top = s.getBoundingClientRect().top;
    const start = s.firstElementChild.getBoundingClientRect().top - top;
    const end = s.lastElementChild.getBoundingClientRect().bottom - top;
    const from = Math.max(0, -top), to = Math.min(end, room - top);
    return {heading: s.querySelector('h1, h2').textContent.trim(), start, end, seen: to > from ? [from, to] : null};
  });
}"""


def unseen_by_next(page, max_presses: int = 600) -> list[str]:
    """Press Next until nothing changes; name every stretch of a screen's words no press showed."""
    seen: list[list] = []
    state = None
    for _ in range(max_presses):
        views = page.evaluate(IN_VIEW)
        for number, view in enumerate(views):
            if len(seen) <= number:
                seen.append([])
            if view["seen"]:
                seen[number].append(view["seen"])
        page.keyboard.press("ArrowRight")
        now = page.evaluate(PROJECTOR_STATE)
        if now == state:
            break
        state = now
    else:
        return [f"Next still moved the view after {max_presses} presses"]
    problems = []
    for number, (view, spans) in enumerate(zip(page.evaluate(IN_VIEW), seen), start=1):
        reached = view["start"]
        for low, high in sorted(spans):
            if low > reached + 2:
                break
            reached = max(reached, high)
        if reached < view["end"] - 2:
            problems.append(f"screen {number} ({view['heading'][:50]!r}): its words from {reached:.0f} to "
                            f"{view['end']:.0f} px of its {view['end']:.0f} px never came into view")
    return problems


@pytest.mark.parametrize("docname", LESSONS)
def test_next_alone_shows_every_screen_whole(built_book, chromium, docname):
    """A presenter's remote has Next and Back only: pressing Next shows each screen's words, all of
    them, including a screen taller than the window (the help lists), at 1280×800."""
    with Visit(chromium, from_disk(built_book, docname), "file://", **PROJECTOR) as visit:
        problems = unseen_by_next(visit.page)
        assert status(visit.page).startswith(f"Screen {visit.page.locator('.lk-screen').count()} of "), docname
    assert not problems + visit.problems(), f"{docname}:\n" + "\n".join(problems + visit.problems())

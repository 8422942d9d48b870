"""The glanceable lesson page and the front door by role.

In Debian's Chromium, on every real lesson: at 1280×800 the first screen holds the title, the
band, lesson and minutes, the essential question, every objective and the procedure's timeline;
each timeline block links to its segment and is as wide as its share of the minutes; a phone's
first screen holds the title and the question; and print shows every section, closed ones too.
The front page has a door for each reader, and every link on it resolves in both editions.
"""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from browser import PHONE, Server, Visit
from conftest import REPO, output
from lessonkit.project import load_project
from lessonkit.vocab import BAND_LABELS
from test_build import assert_failed, plain
from test_groups import GROUP, add_group

LESSONS = dict(sorted(load_project(REPO).lessons.items()))
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE_HEIGHT = PHONE["viewport"]["height"]
EDITIONS = {"teacher": "html", "student": "student/html"}
SEGMENT_HEADING = re.compile(r"^(\d+)–(\d+) min · (.+)$")

# Where each element of the first screen is, in page coordinates, and what the timeline links to.
MEASURE = """(panel) => {
  const box = el => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width,
            visible: el.checkVisibility({checkVisibilityCSS: true}), text: el.textContent.trim()};
  };
  const p = document.querySelector(panel);
  return {
    title: box(document.querySelector('article h1')),
    meta: box(p.querySelector('.lk-glance-meta dd')),
    question: box(p.querySelector('.lk-eq')),
    objectives: [...p.querySelectorAll('ol.lk-objectives > li')].map(box),
    timeline: box(p.querySelector('.lk-timeline')),
    legend: box(p.querySelector('.lk-timeline-legend')),
    print: box(p.querySelector('.lk-pdf-links')),
    blocks: [...p.querySelectorAll('li.lk-timeline-item')].map((li, i) => {
      const a = li.querySelector('a'), target = document.getElementById(a.getAttribute('href').slice(1));
      const title = li.querySelector('.lk-timeline-title');
      const entry = p.querySelectorAll('.lk-timeline-legend > li')[i];
      return {...box(li), href: a.getAttribute('href'), minutes: li.querySelector('.lk-timeline-minutes').textContent,
              label: a.textContent.replace(/\\s+/g, ' ').trim(), name: a.getAttribute('aria-label'),
              // its title shown whole in the block, or else listed under the timeline
              whole: title.checkVisibility({checkVisibilityCSS: true}) && title.clientWidth > 1
                     && title.scrollHeight <= title.clientHeight + 1 && title.scrollWidth <= title.clientWidth + 1,
              listed: Boolean(entry && entry.checkVisibility({checkVisibilityCSS: true})
                              && entry.textContent.includes(title.textContent)),
              target: target ? {segment: target.classList.contains('lk-segment'),
                                heading: target.firstElementChild.textContent.trim()} : null};
    }),
    segments: [...document.querySelectorAll('.lk-procedure .lk-segment')].map(s => s.id),
  };
}"""


def page_url(server, edition: str, page: str) -> str:
    return f"{server.origin}/{EDITIONS[edition]}/{page}"


def first_screen_problems(seen: dict, height: int, duration: int) -> list[str]:
    """What of the plan is missing from the first `height` pixels, and what the timeline gets wrong."""
    problems = []
    parts = {"title": seen["title"], "band, lesson and minutes": seen["meta"], "essential question": seen["question"],
             **{f"objective {n}": box for n, box in enumerate(seen["objectives"], start=1)},
             "timeline": seen["timeline"]}
    if seen.get("legend") and seen["legend"]["visible"]:
        parts["timeline's legend"] = seen["legend"]
    for name, box in parts.items():
        if box is None or not box["visible"]:
            problems.append(f"no visible {name}")
        elif box["bottom"] > height:
            problems.append(f"{name} ends at {box['bottom']:.0f} px, below the first {height} px")
    blocks = seen["blocks"]
    if [b["href"] for b in blocks] != ["#" + s for s in seen["segments"]]:
        problems.append(f"timeline links {[b['href'] for b in blocks]}; the procedure's segments are "
                        f"{seen['segments']}")
    minutes = {}
    for block in blocks:
        if not (block["target"] and block["target"]["segment"]):
            problems.append(f"timeline block {block['href']} links to no segment")
            continue
        start, end, title = SEGMENT_HEADING.match(block["target"]["heading"]).groups()
        minutes[block["href"]] = int(end) - int(start)
        if block["minutes"].split()[0] != str(minutes[block["href"]]) or title not in block["label"]:
            problems.append(f"timeline block {block['label']!r} does not match its segment "
                            f"{block['target']['heading']!r}")
        mins = minutes[block["href"]]
        name = f"{mins} min, {title}"  # what the block shows first: WCAG 2.5.3, label in name
        if block["name"] != name:
            problems.append(f"timeline block {block['href']} is named {block['name']!r}; expected {name!r}")
        if not (block["whole"] or block["listed"]):
            problems.append(f"timeline block {block['href']} shows its title {title!r} cut short, and the legend "
                            "under the timeline does not list it")
    if sum(minutes.values()) != duration:
        problems.append(f"the timeline's blocks add up to {sum(minutes.values())} minutes; expected {duration}")
    if len(minutes) < len(blocks):
        return problems  # widths are measured against minutes only when every block has its segment
    total = sum(b["width"] for b in blocks)
    for block in blocks:
        mins = minutes[block["href"]]
        expected = total * mins / sum(minutes.values())
        if abs(block["width"] - expected) > 1:
            problems.append(f"timeline block {block['href']} is {block['width']:.1f} px wide; expected "
                            f"{expected:.1f} px ({mins} of {sum(minutes.values())} minutes)")
    return problems


@pytest.mark.parametrize("docname", LESSONS)
def test_first_screen_of_every_lesson_holds_the_plan(served, chromium, docname):
    lesson = LESSONS[docname]
    with Visit(chromium, page_url(served, "teacher", docname + ".html"), served.origin, **DESKTOP) as visit:
        seen = visit.page.evaluate(MEASURE, "#lesson-at-a-glance")
    problems = first_screen_problems(seen, DESKTOP["viewport"]["height"], lesson.duration)
    assert plain(seen["title"]["text"].removesuffix("#")) == lesson.title  # (the heading's permalink is "#")
    assert seen["meta"]["text"] == (f"{BAND_LABELS[lesson.band]} · lesson {lesson.sequence} · "
                                    f"{lesson.duration} minutes")
    assert len(seen["objectives"]) == len(lesson.objectives)
    # the line of PDF links is still in the panel, after the plan
    assert seen["print"]["visible"] and seen["print"]["top"] >= seen["timeline"]["bottom"], seen["print"]
    assert not problems + visit.problems(), f"{docname}:\n" + "\n".join(problems + visit.problems())


@pytest.mark.parametrize("docname", LESSONS)
def test_first_screen_of_a_phone_shows_title_and_question(served, chromium, docname):
    with Visit(chromium, page_url(served, "teacher", docname + ".html"), served.origin, **PHONE) as visit:
        seen = visit.page.evaluate(MEASURE, "#lesson-at-a-glance")
        overflow = visit.page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    for name in ("title", "meta", "question"):
        assert seen[name]["visible"] and seen[name]["bottom"] <= PHONE_HEIGHT, (docname, name, seen[name])
    # the timeline becomes one row per segment, each row the phone's width
    widths = {round(b["width"]) for b in seen["blocks"]}
    assert len(widths) == 1 and seen["timeline"]["width"] - widths.pop() < 1, (docname, seen["blocks"])
    assert overflow <= 0, f"{docname}: the page is {overflow} px wider than a phone"
    assert not visit.problems(), visit.problems()


def _pdf_text(page) -> str:
    from pypdf import PdfReader

    pdf = page.pdf(format="Letter", print_background=True)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    # NFKC undoes typographic ligatures ("ﬂ" -> "fl") in the PDF's text
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


HIDDEN_IN_PRINT = """(panel) => [...document.querySelectorAll(panel + ' dd li, ' + panel + ' dd p')]
  .filter(el => !el.checkVisibility({checkVisibilityCSS: true}) || el.getBoundingClientRect().height === 0)
  .map(el => el.textContent.trim().slice(0, 80))"""


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("docname", LESSONS)
def test_printed_panel_shows_every_section(served, chromium, edition, docname):
    with Visit(chromium, page_url(served, edition, docname + ".html"), served.origin, **DESKTOP) as visit:
        page = visit.page
        closed = page.locator("#lesson-at-a-glance details:not([open])").count()
        # on screen, the teacher's standards and vocabulary open from a summary line
        assert closed == ((1 + bool(LESSONS[docname].vocabulary)) if edition == "teacher" else 0), docname
        # (so the check below can see a closed section: on screen, their lists are hidden)
        assert bool(page.evaluate(HIDDEN_IN_PRINT, "#lesson-at-a-glance")) == bool(closed), docname
        page.emulate_media(media="print")
        hidden = page.evaluate(HIDDEN_IN_PRINT, "#lesson-at-a-glance")
        # a link to a screen is no use on paper
        assert not page.locator(".lk-present-link").is_visible(), docname
        cards = page.locator("#lesson-at-a-glance .lk-glance-card li").all_text_contents()
        items = [" ".join(t.split()[:4]) for t in cards]
        text = _pdf_text(page)
    assert items, f"{docname}: no cards in the panel"
    assert not hidden, f"{docname} ({edition}): hidden in print: {hidden}"
    missing = [item for item in items if item not in text]
    assert not missing, f"{docname} ({edition}): not in the printout: {missing}"
    assert not visit.problems(), visit.problems()


@pytest.mark.parametrize("docname", LESSONS)
def test_student_panel_has_no_timeline_or_teacher_fields(built_book, docname):
    panel = built_book.article(docname + ".html", "student").select_one("#lesson-at-a-glance")
    assert panel.select(".lk-timeline, .lk-objectives, details") == [], docname
    teacher = built_book.article(docname + ".html")
    assert len(teacher.select("#lesson-at-a-glance li.lk-timeline-item")) == len(teacher.select(".lk-segment"))


# ---- the first-screen check itself must fail on a page that does not fit ------------------

FIXTURE_LESSON = "lessons/grades-6-8/01-fixture-lesson"
LONG_OBJECTIVE = ("    - Identify two warning signs in an online chat" + ", and explain why each one matters" * 100
                  + ".\n")


def test_first_screen_check_reports_a_plan_that_does_not_fit(minibook, chromium):
    minibook.edit(FIXTURE_LESSON + ".md", "    - Identify two warning signs in an online chat.\n", LONG_OBJECTIVE)
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    server = Server(minibook.html_dir())
    try:
        with Visit(chromium, f"{server.origin}/{FIXTURE_LESSON}.html", server.origin, **DESKTOP) as visit:
            seen = visit.page.evaluate(MEASURE, "#lesson-at-a-glance")
    finally:
        server.close()
    problems = first_screen_problems(seen, DESKTOP["viewport"]["height"], 45)
    assert any(p.startswith("objective 2 ends at") for p in problems), problems
    assert any(p.startswith("timeline ends at") for p in problems), problems
    assert not any(p.startswith(("title", "essential question")) for p in problems), problems


def _seen(blocks: list[tuple[str, int, float]]) -> dict:
    """A measured page whose timeline has these (anchor, minutes, width) blocks, all on screen."""
    box = {"top": 0, "bottom": 100, "width": 600, "visible": True, "text": ""}
    return {"title": box, "meta": box, "question": box, "objectives": [box], "timeline": box,
            "segments": [anchor for anchor, _, _ in blocks],
            "blocks": [{**box, "href": f"#{anchor}", "width": width, "minutes": f"{minutes} min",
                        "label": f"{minutes} min {anchor}", "name": f"{minutes} min, {anchor}",
                        "whole": True, "listed": False,
                        "target": {"segment": True, "heading": f"0–{minutes} min · {anchor}"}}
                       for anchor, minutes, width in blocks]}


def test_first_screen_check_reports_a_wrong_timeline():
    assert first_screen_problems(_seen([("a", 10, 200), ("b", 20, 400)]), 800, 30) == []
    assert first_screen_problems(_seen([("a", 10, 300), ("b", 20, 300)]), 800, 30) == [
        "timeline block #a is 300.0 px wide; expected 200.0 px (10 of 30 minutes)",
        "timeline block #b is 300.0 px wide; expected 400.0 px (20 of 30 minutes)"]
    assert first_screen_problems(_seen([("a", 10, 200), ("b", 20, 400)]), 800, 45) == [
        "the timeline's blocks add up to 30 minutes; expected 45"]
    wrong = _seen([("a", 10, 200), ("b", 20, 400)])
    wrong["segments"] = ["a", "b", "c"]
    wrong["blocks"][1]["target"] = None
    assert first_screen_problems(wrong, 800, 10) == [
        "timeline links ['#a', '#b']; the procedure's segments are ['a', 'b', 'c']",
        "timeline block #b links to no segment"]


# ---- a counselor's session gets the same layout --------------------------------------------

def test_session_panel_has_the_lesson_layout(minibook, chromium):
    add_group(minibook)
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    article = minibook.article(f"{GROUP}/session-1.html")
    panel = article.select_one("#session-at-a-glance")
    assert panel.select_one(".lk-glance-meta").get_text(" ", strip=True) == (
        "Group Grades 6–8 group · session 1 of 6 · 35 minutes Group size 5–8 students")
    blocks = panel.select("li.lk-timeline-item")
    assert [b["style"] for b in blocks] == [f"--lk-minutes: {m}" for m in (5, 3, 15, 7, 5)]
    assert [b.a["href"] for b in blocks] == ["#" + s["id"] for s in article.select(".lk-segment")]
    cards = [[dt.get_text(strip=True) for dt in card.select("dt")] for card in panel.select(".lk-glance-card")]
    assert cards == [["Materials"], ["Preparation"], ["Objectives: practiced and checked"], ["Draws on"],
                     ["Standards"]]
    server = Server(minibook.html_dir())
    try:
        with Visit(chromium, f"{server.origin}/{GROUP}/session-1.html", server.origin, **DESKTOP) as visit:
            seen = visit.page.evaluate(MEASURE, "#session-at-a-glance")
    finally:
        server.close()
    # (not the console: the fixture book keeps Jupyter Book's default scripts, which the real book drops)
    assert not first_screen_problems(seen, DESKTOP["viewport"]["height"], 35)


# ---- the front door ----------------------------------------------------------------------

DOORS = {
    "teacher": {
        "Teachers": ["lessons/grades-3-5/index", "lessons/grades-6-8/index", "lessons/grades-9-12/index",
                     "book/start-here", "book/safe-classroom"],
        "Counselors": ["book/counselors/index", "book/when-a-student-tells-you"],
        "Families · Familias": ["book/for-families", "book/para-familias", "book/letters/index"],
        "Districts": ["book/your-district", "book/standards-alignment", "book/scope-and-sequence", "book/license"],
    },
    "student": {
        "Students": ["lessons/grades-3-5/index", "lessons/grades-6-8/index", "lessons/grades-9-12/index",
                     "book/help-resources"],
        "Families · Familias": ["book/for-families", "book/para-familias", "book/letters/index"],
        "Schools": ["book/license", "book/sources"],
    },
}


def _target(html_dir: Path, page: str, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    base = (html_dir / page).parent
    return ((base / path).resolve() if path else html_dir / page), anchor


def _docname(html_dir: Path, target: Path) -> str:
    return target.relative_to(html_dir.resolve()).as_posix().removesuffix(".html")


@pytest.mark.parametrize("edition", EDITIONS)
def test_front_door_has_a_door_for_each_reader(built_book, edition):
    html = built_book.html_dir(edition)
    doors = built_book.article("book/intro.html", edition).select(".lk-doors > .lk-door")
    found = {}
    for door in doors:
        links = [_target(html, "book/intro.html", a["href"])[0] for a in door.select("a[href]")]
        found[door.select_one("h2").get_text(strip=True)] = [_docname(html.resolve(), t) for t in links]
    assert found == DOORS[edition]
    article = built_book.article("book/intro.html", edition)
    # the doors come first, and the book's structure is still described after them
    assert article.select_one("h1").find_next_sibling("section") is not None
    assert "How the book is organized" in article.get_text()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_link_on_the_front_page_resolves(built_book, edition):
    html = built_book.html_dir(edition)
    article = built_book.article("book/intro.html", edition)
    local = [a["href"] for a in article.select("a[href]") if not urlparse(a["href"]).scheme]
    assert len(local) >= 10
    for href in local:
        target, anchor = _target(html, "book/intro.html", href)
        assert target.is_file(), f"{edition}: {href} leads nowhere"
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{edition}: no #{anchor} for {href}"
    if edition == "student":
        from lessonkit.editions import audience

        for href in local:
            name = _docname(html.resolve(), _target(html, "book/intro.html", href)[0])
            source = REPO / f"{name}.md"
            assert not source.is_file() or audience(source) != "teacher", f"student edition links {name}"


def test_front_door_fits_the_first_screen(served, chromium):
    for edition in EDITIONS:
        with Visit(chromium, page_url(served, edition, "book/intro.html"), served.origin, **DESKTOP) as visit:
            bottom = visit.page.evaluate("() => document.querySelector('.lk-doors').getBoundingClientRect().bottom")
        assert bottom <= DESKTOP["viewport"]["height"], f"{edition}: the doors end at {bottom:.0f} px"
        assert not visit.problems(), visit.problems()


# ---- the door directive, with good and bad input, in the small fixture book --------------

INTRO = "book/intro.md"
GOOD_DOORS = """
::::{doors}
:::{door} Teachers
:edition: teacher

- [The teacher page](teacher-page.md)
:::

:::{door} Students
:edition: student

STUDENT-DOOR-SENTINEL
:::

:::{door} Everyone

- [The overview](overview.md)
:::
::::
"""


def _with_doors(book, doors: str) -> None:
    path = book.path(INTRO)
    path.write_text(path.read_text(encoding="utf-8") + doors, encoding="utf-8")


def _line(book, text: str) -> int:
    return book.path(INTRO).read_text(encoding="utf-8").splitlines().index(text) + 1


def test_doors_belong_to_their_edition(minibook):
    _with_doors(minibook, GOOD_DOORS)
    for edition in EDITIONS:
        proc = minibook.build(edition)
        assert proc.returncode == 0, output(proc)[-3000:]
    titles = {ed: [h.get_text(strip=True) for h in minibook.article("book/intro.html", ed).select(".lk-door > h2")]
              for ed in EDITIONS}
    assert titles == {"teacher": ["Teachers", "Everyone"], "student": ["Students", "Everyone"]}
    assert "STUDENT-DOOR-SENTINEL" not in (minibook.html_dir() / "book/intro.html").read_text(encoding="utf-8")
    assert "teacher-page" not in (minibook.html_dir("student") / "book/intro.html").read_text(encoding="utf-8")


def test_a_door_for_both_editions_may_not_link_a_page_for_adults(minibook):
    _with_doors(minibook, GOOD_DOORS.replace(":edition: teacher\n", ""))
    assert minibook.build().returncode == 0
    proc = minibook.build("student")
    text = output(proc)
    assert proc.returncode != 0 and "book/intro.md" in text and "teacher-page" in text, text[-3000:]


def assert_refused(book, proc, *found: tuple[str, str]) -> None:
    """The build fails, and the log names each (line of book/intro.md, message); the failure page
    lists each message."""
    assert_failed(book, proc, *[message for _, message in found])
    for line, message in found:
        where = f"{INTRO}:{_line(book, line)}: WARNING: {message}"
        assert where in output(proc), f"{where!r} not in the log:\n{output(proc)[-3000:]}"


def test_unknown_edition_on_a_door_is_refused(minibook):
    _with_doors(minibook, GOOD_DOORS.replace(":edition: student", ":edition: parents"))
    assert_refused(minibook, minibook.build(), (":edition: parents", (
        "the {door} :edition: option: found 'parents'; expected 'teacher' (left out of the student edition), "
        "'student' (left out of the teacher edition) or 'both' (the default)")))


def test_empty_door_and_text_between_doors_are_refused(minibook):
    _with_doors(minibook, "\n::::{doors}\nA stray line.\n\n:::{door} Nobody\n:::\n::::\n")
    assert_refused(minibook, minibook.build(),
                   ("::::{doors}", "a {doors} block holds only {door} blocks; found other text (paragraph); "
                                   "expected each part inside its own {door}"),
                   (":::{door} Nobody", "the {door} 'Nobody' is empty; expected what its reader finds first"))


def test_book_toc_still_lists_every_part(built_book):
    """The doors add a way in; the table of contents (the book's structure) is unchanged."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    nav = built_book.soup("book/intro.html").select_one(".bd-sidebar-primary").get_text(" ", strip=True)
    for caption in captions:
        assert caption in nav, caption

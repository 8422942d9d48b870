"""The short version of every lesson ("Short on time?"): segments marked :core:, a generated box at
the top of the procedure in the teacher edition, nothing of it for students, and a failed build,
naming file and line, for every way the path can be wrong."""
from __future__ import annotations

import re

import pytest

from conftest import REPO, assert_only_failure_page, output
from lessonkit.project import load_project

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
PAGE = "lessons/grades-6-8/01-fixture-lesson.html"
SEND_HOME = ":::{short-on-time}\nSHORT-PATH-SENTINEL: the handout and its family connection.\n:::\n"
HELP_BOX = "```{help-resources}\n:keys: cybertipline take-it-down\n```\n"
SAFETY = ("the opening (agreements, content note) and the closing (help steps or resources, hopeful end) "
          "are always on the short path, so a short lesson never drops the safety parts")
SEGMENT_CLOCK = re.compile(r"^(\d+)–(\d+) min · ")


def _line(book, text: str, after: str | None = None) -> int:
    """The 1-based line of `text` (the first one after the line `after`, if given)."""
    lines = book.path(LESSON).read_text(encoding="utf-8").splitlines()
    start = lines.index(after) + 1 if after else 0
    return lines.index(text, start) + 1


def _box_facts(article):
    """What a teacher reads in a lesson's box: each step's minutes and link, and the stated total."""
    box = article.select_one(".lk-procedure #short-on-time")
    assert box is not None, "no Short on time? box in the procedure"
    steps = box.select("ol.lk-short-path-steps > li")
    minutes = [int(li.select_one(".lk-short-path-minutes").get_text()) for li in steps]
    links = [li.select_one("a")["href"] for li in steps]
    total = int(box.select_one(".lk-short-path-total-minutes").get_text())
    return box, minutes, links, total


# ---- the fixture book ----------------------------------------------------------------------

def test_the_box_opens_the_procedure_with_the_core_segments(built_minibook):
    article = built_minibook.article(PAGE)
    procedure = article.select_one(".lk-procedure")
    box, minutes, links, total = _box_facts(article)
    # right under the procedure's heading, before the first segment
    assert procedure.find("div", recursive=False) is box
    assert box.select_one("h3").get_text(strip=True) == "Short on time? The 18-minute version"
    assert minutes == [5, 8, 5] and total == 18 == sum(minutes)
    assert links == ["#segment-opening", "#segment-scenario-and-discussion", "#segment-closing"]
    steps = [li.get_text(" ", strip=True) for li in box.select("ol > li")]
    assert steps[0] == "Opening · 5 min"
    assert steps[1] == "Scenario and discussion · 8 of 30 min. Keep: Part 1 and the debrief."
    assert "(the full lesson: 45 minutes)" in box.select_one(".lk-short-path-total").get_text()
    assert box.select_one(".lk-short-path-dropped") is None  # every segment of the fixture is on the path
    send = box.select_one(".lk-short-path-send-home")
    assert "Send home instead" in send.get_text() and "SHORT-PATH-SENTINEL" in send.get_text()
    # the block itself is gone from where it was written: it shows only in the box
    assert len(article.find_all(string=re.compile("SHORT-PATH-SENTINEL"))) == 1


def test_each_core_segment_says_its_short_minutes_under_its_heading(built_minibook):
    article = built_minibook.article(PAGE)
    marks = {seg["id"]: seg.select_one(".lk-short-path-mark").get_text(" ", strip=True)
             for seg in article.select(".lk-segment")}
    assert marks == {"segment-opening": "Short path: all 5 minutes",
                     "segment-scenario-and-discussion": "Short path: 8 of its 30 minutes . Keep: Part 1 and the debrief.",
                     "segment-closing": "Short path: 5 of its 10 minutes . Keep: the help card and the hopeful end."}


def test_the_student_edition_has_nothing_of_the_short_path(built_minibook):
    student = built_minibook.html_dir("student")
    for path in student.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".txt", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for word in ("SHORT-PATH-SENTINEL", "Short on time?", "lk-short-path", "Short path:"):
                assert word not in text, f"{word!r} in {path}"
    teacher = built_minibook.html_dir("teacher")
    assert any("SHORT-PATH-SENTINEL" in p.read_text(encoding="utf-8", errors="replace")
               for p in teacher.rglob("*.html"))
    # the box's styles reach teacher pages only (each page links one bundle of its sheets: lessonkit/weight.py)
    def styles(edition: str) -> str:
        page = built_minibook.html_dir(edition) / PAGE
        return "".join((page.parent / link["href"].split("?")[0]).read_text(encoding="utf-8")
                       for link in built_minibook.soup(PAGE, edition).select('link[rel="stylesheet"]'))
    assert ".lk-short-path" in styles("teacher")
    assert ".lk-short-path" not in styles("student")


def test_dropped_segments_are_listed_and_linked(minibook):
    minibook.edit(LESSON, ":minutes: 30\n:practices: 1\n:core: 8\n:core-keep: Part 1 and the debrief\n",
                  ":minutes: 30\n:practices: 1\n")
    minibook.edit(LESSON, ":minutes: 10\n:practices: 2\n:core: 5\n", ":minutes: 10\n:practices: 2\n:core:\n")
    minibook.edit(LESSON, ":core-keep: the help card and the hopeful end\n", "")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    article = minibook.article(PAGE)
    box, minutes, links, total = _box_facts(article)
    assert minutes == [5, 10] and total == 15
    dropped = box.select_one(".lk-short-path-dropped")
    assert dropped.get_text(" ", strip=True) == "Left out: Scenario and discussion"
    assert dropped.select_one("a")["href"] == "#segment-scenario-and-discussion"


# ---- every way the path can be wrong -------------------------------------------------------

def _nested(book, fence: str, after: str | None = None) -> int:
    """The line a warning names for a block nested in another: MyST counts it from the line after its
    fence (a block at the top level, like the procedure, is named by its fence line)."""
    return _line(book, fence, after) + 1


def _segment_line(book, title: str) -> int:
    return _nested(book, ":::{segment} " + title)


CASES = {
    "no core path": (
        [(":minutes: 5\n:core:\n", ":minutes: 5\n"), (":core: 8\n:core-keep: Part 1 and the debrief\n", ""),
         (":core: 5\n:core-keep: the help card and the hopeful end\n", "")],
        lambda b: _line(b, "::::{procedure}"),
        "the lesson has no short path: no {segment} of its {procedure} is marked :core:; expected ':core:' "
        "(all its minutes) or ':core: N' on the segments a teacher keeps in a 15 to 20 minute lesson, the "
        "first and the last among them: " + SAFETY),
    "total too long": (
        [(":core: 8\n", ":core: 15\n")],
        lambda b: _line(b, "::::{procedure}"),
        "the short path adds up to 25 minutes (Opening 5, Scenario and discussion 15, Closing 5); expected "
        "15 to 20 minutes: change the :core: minutes, or which segments are :core:"),
    "total too short": (
        [(":core: 8\n", ":core: 2\n")],
        lambda b: _line(b, "::::{procedure}"),
        "the short path adds up to 12 minutes (Opening 5, Scenario and discussion 2, Closing 5); expected "
        "15 to 20 minutes"),
    "core exceeds the minutes": (
        [(":core: 5\n", ":core: 12\n"), (":core: 8\n", ":core: 1\n")],
        lambda b: _segment_line(b, "Closing"),
        "the {segment} :core: line gives 12 minutes on the short path; expected at most the segment's 10 "
        "minutes (its :minutes: line)"),
    "no send-home block": (
        [(SEND_HOME, "")],
        lambda b: _line(b, "::::{procedure}"),
        "the {procedure} has no {short-on-time} block; expected one inside it with the send-home text: what "
        "students take home instead of the segments the short path leaves out"),
    "empty send-home text": (
        [("SHORT-PATH-SENTINEL: the handout and its family connection.\n", "")],
        lambda b: _nested(b, ":::{short-on-time}"),
        "the {short-on-time} block is empty; expected the send-home text: what students take home instead of "
        "the segments the short path leaves out (e.g. the handout and its family connection)"),
    "opening not core": (
        [(":minutes: 5\n:core:\n", ":minutes: 5\n"), (":core: 8\n", ":core: 13\n")],
        lambda b: _segment_line(b, "Opening"),
        "the first {segment} 'Opening' is not on the short path; expected ':core:' on it: " + SAFETY),
    "closing not core": (
        [(":core: 5\n:core-keep: the help card and the hopeful end\n", ""), (":core: 8\n", ":core: 13\n")],
        lambda b: _segment_line(b, "Closing"),
        "the last {segment} 'Closing' is not on the short path; expected ':core:' on it: " + SAFETY),
    "shortened without saying what to keep": (
        [(":core-keep: Part 1 and the debrief\n", "")],
        lambda b: _segment_line(b, "Scenario and discussion"),
        "the {segment} is shortened on the short path (8 of its 30 minutes) but has no :core-keep: line; "
        "expected one saying what to keep in those minutes"),
    "what to keep without core": (
        [(":minutes: 5\n:core:\n", ":minutes: 5\n:core-keep: everything\n"), (":core: 8\n", ":core: 13\n")],
        lambda b: _segment_line(b, "Opening"),
        "the {segment} has a :core-keep: line but no :core: line; expected ':core: N'"),
    "core not a number": (
        [(":core: 8\n", ":core: eight\n")],
        lambda b: _segment_line(b, "Scenario and discussion"),
        "'segment': Invalid option value for 'core': eight: found 'eight'; expected nothing or 'full' (the segment's full "
        "minutes are on the short path) or the minutes it takes there, e.g. ':core: 4'"),
    "send-home outside the procedure": (
        [(HELP_BOX, HELP_BOX + "\n" + SEND_HOME)],
        lambda b: _line(b, ":::{short-on-time}", after=":keys: cybertipline take-it-down"),
        "a {short-on-time} block must sit directly inside a {procedure} block; found it on its own"),
    "two send-home blocks": (
        [(SEND_HOME, SEND_HOME + "\n" + SEND_HOME)],
        lambda b: _nested(b, ":::{short-on-time}", after=":::"),
        "the {procedure} has 2 {short-on-time} blocks; expected one"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_wrong_short_path_fails_the_build_naming_file_and_line(minibook, case):
    edits, line_of, message = CASES[case]
    for old, new in edits:
        minibook.edit(LESSON, old, new)
    proc = minibook.build()
    text = output(proc)
    assert proc.returncode != 0
    assert f"{LESSON}:{line_of(minibook)}: WARNING: {message}" in text, text[-3000:]
    assert "Traceback" not in text
    assert_only_failure_page(minibook)


def test_the_full_minutes_can_be_written_out(minibook):
    minibook.edit(LESSON, ":minutes: 5\n:core:\n", ":minutes: 5\n:core: full\n")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    assert _box_facts(minibook.article(PAGE))[1][0] == 5


# ---- the real lessons ----------------------------------------------------------------------

LESSONS = sorted(load_project(REPO).lessons.items())


@pytest.mark.parametrize("docname, lesson", LESSONS, ids=[d for d, _ in LESSONS])
def test_every_real_lesson_has_a_short_version_that_adds_up(built_book, docname, lesson):
    article = built_book.article(docname + ".html")
    box, minutes, links, total = _box_facts(article)
    assert sum(minutes) == total and 15 <= total <= 20, (minutes, total)
    assert box.select_one("h3").get_text(strip=True) == f"Short on time? The {total}-minute version"
    assert f"(the full lesson: {lesson.duration} minutes)" in box.get_text()
    segments = article.select(".lk-procedure > .lk-segment")
    # every link lands on a segment of this page, in the procedure's order, first and last included
    order = [f"#{seg['id']}" for seg in segments]
    assert all(link in order for link in links), links
    assert links == sorted(links, key=order.index)
    assert links[0] == order[0] and links[-1] == order[-1], "the opening or the closing is not on the path"
    for link, short in zip(links, minutes):
        heading = article.select_one(link).find(["h3", "h4"]).get_text(strip=True)
        start, end = map(int, SEGMENT_CLOCK.match(heading).groups())
        assert 1 <= short <= end - start, (link, short, heading)
    dropped = [a["href"] for a in box.select(".lk-short-path-dropped a")]
    assert sorted(dropped + links, key=order.index) == order  # each segment is kept or listed as left out
    send = box.select_one(".lk-short-path-send-home")
    assert send is not None and len(send.get_text(" ", strip=True)) > len("Send home instead") + 40
    for link in send.select("a[href]"):
        assert not link["href"].startswith(("http:", "https:")), link


def test_no_student_lesson_page_shows_the_short_version(built_book):
    student = built_book.html_dir("student")
    for docname, _ in LESSONS:
        text = (student / (docname + ".html")).read_text(encoding="utf-8")
        assert "lk-short-path" not in text and "Short on time?" not in text, docname
    for path in student.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Short path:" not in text and "Send home instead" not in text, path

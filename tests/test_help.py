"""Help boxes, the {resource} and {district} roles and the disclosure link: the data comes from one
source, lessonkit writes the words around it in the page's language, and no reader sees a verb
twice, an English string on a Spanish page or a _config.yml placeholder in the student edition."""
from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, output

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
LESSON_PAGE = "lessons/grades-6-8/01-fixture-lesson.html"
REGISTRY = yaml.safe_load((REPO / "data/resources.yml").read_text(encoding="utf-8"))["resources"]
# a verb written twice: "call call 911", "call 988 (call or text)", "llame al llame al 911"
DOUBLED = re.compile(r"\b(call|text|dial) (call|text|dial)\b|\(call or text\)|\bllame al llame\b|\bal llame\b",
                     re.IGNORECASE)
PLACEHOLDER = re.compile(r"_config\.yml|your district adds this|su distrito lo agrega")


def _plain(text: str) -> str:
    """Text as typed: Sphinx turns ' into a typographic apostrophe."""
    return text.replace("\u2019", "'")


def _pages(book, edition):
    for path in sorted(book.html_dir(edition).rglob("*.html")):
        yield path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)


def _help_keys(box) -> list[str]:
    """The names a help box lists, in order (its first item is the school's own contact)."""
    return [li.select_one("strong").get_text() for li in box.select(".lk-help-list > li")][1:]


# ---- 1. no doubled verbs: the registry holds numbers, lessonkit writes the verbs -------------------

def test_phone_entries_hold_only_the_number():
    for key, entry in REGISTRY.items():
        phone = entry.get("phone")
        if phone:
            assert re.fullmatch(r"[0-9][0-9 .-]*[0-9]", phone["display"]), (key, phone["display"])
    assert REGISTRY["lifeline-988"]["phone"]["texts"] is True
    assert REGISTRY["cybertipline"]["phone"]["also"] == "1-800-THE-LOST"


def test_the_fixture_book_writes_each_verb_once(built_minibook):
    for edition in ("teacher", "student"):
        for path, text in _pages(built_minibook, edition):
            assert not DOUBLED.search(text), (edition, path.name, DOUBLED.search(text).group(0))
    lesson = built_minibook.article(LESSON_PAGE).get_text(" ", strip=True)
    assert "Phone only: call or text 988" in lesson  # {resource}`lifeline-988:phone`
    assert "call 1-800-843-5678 (1-800-THE-LOST)" in lesson


def test_the_real_book_writes_each_verb_once(built_book):
    seen = set()
    for edition in ("teacher", "student"):
        for path, text in _pages(built_book, edition):
            found = DOUBLED.search(text)
            assert not found, (edition, str(path.relative_to(built_book.html_dir(edition))), found.group(0))
            # a help box's contact after a whole sentence ("...in danger right now. Call 911") starts with a capital
            lower = re.search(r"[.!?] (call|text|llame|envíe)\b", text)
            assert not lower, (edition, str(path.relative_to(built_book.html_dir(edition))), lower.group(0))
            seen.update(v for v in ("call or text 988", "call 911", "llame o envíe un mensaje de texto al 988",
                                    "llame al 911") if v in text.lower())  # a box's contact may start a sentence
    assert seen == {"call or text 988", "call 911", "llame o envíe un mensaje de texto al 988", "llame al 911"}


# ---- 2. Spanish pages: every string of a help box and of {resource} in Spanish --------------------

SPANISH_EXTRA = """
Límites en prosa: {resource}`take-it-down:limits` Emergencias: {resource}`emergency-911`.
No diga {avoid}`¿por qué la mandaste?`.

```{help-resources} Servicios
:keys: emergency-911 take-it-down fbi-tips
:details:
```
"""


def test_spanish_pages_get_every_help_string_in_spanish(minibook):
    minibook.path("book/espanol.md").write_text(minibook.path("book/espanol.md").read_text() + SPANISH_EXTRA)
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)
    page = minibook.article("book/espanol.html")
    text = _plain(page.get_text(" ", strip=True))
    es = {key: REGISTRY[key]["es"] for key in REGISTRY}
    assert "Dónde encontrar ayuda" in text and "En la escuela:" in text
    said = text.casefold()  # a help box's contact starts a sentence ("... ahora mismo. Llame al 911")
    assert "llame o envíe un mensaje de texto al 988" in said  # 988 takes texts: one verb phrase, in Spanish
    assert "envíe home por mensaje de texto al 741741" in said
    assert "llame al 911" in said and "llame al 1-800-225-5324 (1-800-call-fbi)" in said
    assert es["lifeline-988"]["helps_with"] in text and REGISTRY["lifeline-988"]["helps_with"] not in text
    # a name that is not a proper name comes in Spanish; proper names stay as they are
    assert "Servicios de emergencia" in text and "Avisos al FBI" in text and "Take It Down (NCMEC)" in text
    box = page.select(".lk-help")[1]
    assert [li.get_text(strip=True) for li in box.select(".lk-resource-limits-label")][0] == "Límites:"
    assert [li.get_text(" ", strip=True) for li in box.select(".lk-resource-limits")[0].select("li")] == \
        es["take-it-down"]["limits"]
    assert " ".join(es["take-it-down"]["limits"]) in text  # {resource}`take-it-down:limits`
    assert "A quién atiende:" in text and "última revisión: 2026" in text and es["take-it-down"]["note"] in text
    assert "Una frase que conviene evitar:" in text
    for english in ("Emergency services", "(call or text)", "call ", "Where to get help", "At school",
                    "Limits:", "Who it serves", "Contact details", "last reviewed", "A phrase to avoid",
                    REGISTRY["take-it-down"]["limits"][0], REGISTRY["take-it-down"]["note"], "FBI tips"):
        assert english not in text, english
    assert "denunci" not in text  # the book says "reportar"


def test_the_registrys_spanish_says_reportar():
    words = yaml.safe_dump({k: v["es"] for k, v in REGISTRY.items()}, allow_unicode=True)
    assert "denunci" not in words and "reportar" in words


@pytest.mark.parametrize("old, new, expected", [
    ("      hours: las 24 horas, todos los días\n  love-is-respect:", "  love-is-respect:",
     "resources.crisis-text-line.es: found no hours; expected es.hours, the Spanish of '24/7'"),
    ("      note: No es lo mismo que la ley federal de 2025", "      nota: No es lo mismo que la ley federal de 2025",
     "resources.take-it-down.es.nota: found an unknown field 'nota'"),
    ("        - No llega a los chats privados o cifrados.\n", "",
     "resources.take-it-down.es: found 4 es.limits for 5 limits; expected the Spanish of each limit, in the same order"),
])
def test_the_spanish_block_must_be_complete(minibook, old, new, expected):
    minibook.edit("data/resources.yml", old, new)
    proc = minibook.check()
    assert proc.returncode == 1 and expected in output(proc), output(proc)


def test_an_entry_without_spanish_is_a_registry_error(minibook):
    text = minibook.path("data/resources.yml").read_text(encoding="utf-8")
    block = re.search(r"(?m)^    es:\n(      .*\n)+(?=  emergency-911:)", text).group(0)  # stopncii's es block
    minibook.path("data/resources.yml").write_text(text.replace(block, ""), encoding="utf-8")
    line = text.splitlines().index("  stopncii:") + 1
    assert (f"data/resources.yml:{line}: resources.stopncii.es: found nothing; expected the entry's words in "
            "Spanish: helps_with, serves, limits") in output(minibook.check())


# ---- 3. unset district details: plain words for students, a placeholder for teachers --------------

def test_unset_district_details_read_plainly_in_the_student_edition(built_minibook):
    intro = {ed: built_minibook.article("book/intro.html", ed).get_text(" ", strip=True)
             for ed in ("teacher", "student")}
    assert "School: Fixture Middle School" in intro["teacher"] and "School: Fixture Middle School" in intro["student"]
    assert "Counselor: [name of the school counselor: your district adds this in _config.yml]" in intro["teacher"]
    assert "Counselor: the school counselor ." in intro["student"]
    box = built_minibook.article(LESSON_PAGE, "student").select_one(".lk-help li").get_text(" ", strip=True)
    assert box == "At school: the school counselor ( ask at the school office how to reach them )"
    spanish = built_minibook.article("book/espanol.html", "student").get_text(" ", strip=True)
    assert "Consejería: el consejero o la consejera escolar ." in spanish
    assert "En la escuela: el consejero o la consejera escolar ( pregunte en la oficina de la escuela" in spanish
    for path in built_minibook.html_dir("student").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".txt", ".json"):
            assert not PLACEHOLDER.search(path.read_text(encoding="utf-8", errors="replace")), path
    teacher = built_minibook.article(LESSON_PAGE).select(".lk-placeholder")
    assert "[how to reach the school counselor: your district adds this in _config.yml]" in \
        [p.get_text() for p in teacher]


def test_a_page_can_word_an_unset_detail_for_its_own_sentence(minibook):
    minibook.edit("book/intro.md", "Counselor: {district}`counselor_name`.",
                  "Counselor: {district}`counselor_name`. Ask {district}`our counselor <counselor_name>`. "
                  "Write it here: {district}`________ <counselor_contact>`. At {district}`our school <school_name>`.")
    for edition in ("teacher", "student"):
        proc = minibook.build(edition)
        assert proc.returncode == 0, output(proc)
    student = minibook.article("book/intro.html", "student").get_text(" ", strip=True)
    assert "Ask our counselor ." in student and "Write it here: ________ ." in student
    assert "At Fixture Middle School ." in student  # a value the district set always wins
    teacher = minibook.article("book/intro.html").get_text(" ", strip=True)
    assert "Ask [name of the school counselor: your district adds this in _config.yml]" in teacher
    assert "At Fixture Middle School" in teacher


def test_the_real_student_edition_shows_no_placeholder_anywhere(built_book):
    root = built_book.html_dir("student")
    for path in root.rglob("*"):
        if path.is_file() and path.suffix not in (".png", ".jpg", ".svg", ".ico", ".woff", ".woff2", ".ttf"):
            found = PLACEHOLDER.search(path.read_text(encoding="utf-8", errors="replace"))
            assert not found, f"{path.relative_to(root)}: {found.group(0)}"
    plan = built_book.article("activities/grades-6-8/handout-my-help-plan.html", "student").get_text(" ", strip=True)
    assert "My school counselor and where to find them: ______________________ , ______________________" in plan
    letter = built_book.article("book/letters/letter-grades-6-8.html", "student").get_text(" ", strip=True)
    assert "our class at school will have" in letter
    teacher = built_book.article("book/your-district.html").get_text(" ", strip=True)
    assert "[name of the school counselor: your district adds this in _config.yml]" in teacher
    lesson = built_book.article("lessons/grades-6-8/06-getting-out-and-getting-help.html").get_text(" ", strip=True)
    assert "your district adds this in _config.yml" in lesson


def test_check_lists_unset_district_details_as_notes(minibook):
    proc = minibook.check()
    assert proc.returncode == 0, output(proc)
    assert ("note: 5 district details not set in _config.yml (lessonkit_district); the teacher edition shows a "
            "placeholder and the student edition plain words: district_name, counselor_name, counselor_contact, "
            "report_concern_locally, unit_contact") in proc.stdout
    minibook.edit("_config.yml", '      counselor_name: ""\n',
                  '      counselor_name: "Ms. Diaz"\n      district_name: "Fixture District"\n'
                  '      counselor_contact: "Room 112"\n      report_concern_locally: "tell any adult"\n'
                  '      unit_contact: "the front office"\n      principal: "Mr. Lee"\n')
    proc = minibook.check()
    assert proc.returncode == 0 and "district details not set" not in proc.stdout, proc.stdout
    assert "note: lessonkit_district in _config.yml has 1 field(s) lessonkit does not use: principal" in proc.stdout


# ---- 4. every disclosure note links to the book's disclosure page -----------------------------------

def test_a_disclosure_note_links_to_the_disclosure_page(built_minibook):
    note = built_minibook.article(LESSON_PAGE).select_one(".lk-facilitator-note.lk-kind-disclosure")
    links = note.select(".lk-disclosure-link a")
    assert len(links) == 1 and links[0].get_text() == "Teacher page"  # the page's own title
    target = (built_minibook.html_dir() / LESSON_PAGE).parent / links[0]["href"]
    assert target.resolve() == (built_minibook.html_dir() / "book/teacher-page.html").resolve()
    assert target.is_file()
    others = built_minibook.article(LESSON_PAGE).select(".lk-facilitator-note:not(.lk-kind-disclosure)")
    assert others and not any(n.select(".lk-disclosure-link") for n in others)
    student = built_minibook.soup(LESSON_PAGE, "student")
    assert not student.select(".lk-disclosure-link") and "teacher-page.html" not in str(student)


def test_a_missing_disclosure_page_fails_the_build(minibook):
    minibook.edit("_config.yml", "lessonkit_disclosure_page: book/teacher-page", "lessonkit_disclosure_page: book/gone")
    proc = minibook.build()
    assert proc.returncode == 1
    assert re.search(r"01-fixture-lesson\.md:\d+: WARNING: unknown document: '/book/gone'", output(proc)), output(proc)


def test_the_disclosure_link_can_be_turned_off(minibook):
    minibook.edit("_config.yml", "lessonkit_disclosure_page: book/teacher-page", 'lessonkit_disclosure_page: ""')
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)
    assert not minibook.article(LESSON_PAGE).select(".lk-disclosure-link")


def test_every_real_lesson_links_its_disclosure_note_once(built_book):
    # (not the lessons' projector views, which leave every facilitator note out: test_projector.py)
    lessons = sorted(p for p in (built_book.html_dir() / "lessons").rglob("*.html")
                     if p.name != "index.html" and not p.stem.endswith("-present"))
    assert lessons
    for page in lessons:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        notes = soup.select(".lk-facilitator-note.lk-kind-disclosure")
        assert notes, page.name
        for note in notes:
            # one generated line links the whole protocol; a note may also point at one of its sections
            whole = [a["href"] for a in note.select(".lk-disclosure-link a[href]")]
            assert len(whole) == 1 and "when-a-student-tells-you" in whole[0], (page.name, whole)
            assert (page.parent / whole[0].split("#")[0]).resolve().is_file()
            protocol = (page.parent / whole[0].split("#")[0]).resolve().read_text(encoding="utf-8")
            for a in note.select("a[href]"):
                if "when-a-student-tells-you" in a["href"] and a["href"] not in whole:
                    anchor = a["href"].partition("#")[2]
                    assert anchor and f'id="{anchor}"' in protocol, (page.name, a["href"])


# ---- 5. one source for each tool's limits ---------------------------------------------------------

def test_a_help_box_shows_the_limits_of_each_tool_it_lists(built_minibook):
    box = built_minibook.article(LESSON_PAGE).select_one(".lk-help")
    items = box.select(".lk-help-list > li")
    tool = next(li for li in items if "Take It Down (NCMEC)" in li.select_one("strong").get_text())
    assert tool.select_one(".lk-resource-limits-label").get_text(strip=True) == "Limits:"
    assert [_plain(li.get_text(" ", strip=True)) for li in tool.select(".lk-resource-limits li")] == \
        REGISTRY["take-it-down"]["limits"]
    report = next(li for li in items if "CyberTipline" in li.select_one("strong").get_text())
    assert not report.select(".lk-resource-limits")  # a reporting line has no such limits


PAIRING_HANDOUT = """# Handout: Older students

```{help-resources}
:keys: take-it-down
```
"""


def test_stopncii_is_offered_beside_take_it_down_where_a_reader_may_be_18(minibook):
    # a grades 9-12 page, an adult page (no band), the 6-8 lesson and its own handout
    (minibook.root / "activities/grades-9-12").mkdir(parents=True)
    minibook.path("activities/grades-9-12/handout-older.md").write_text(PAIRING_HANDOUT)
    minibook.edit("_toc.yml", "  - file: book/overview\n",
                  "  - file: book/overview\n  - file: activities/grades-9-12/handout-older\n")
    box = "\n```{help-resources}\n:keys: take-it-down, cybertipline\n```\n"
    minibook.path("book/intro.md").write_text(minibook.path("book/intro.md").read_text() + box)
    minibook.path("activities/grades-6-8/handout-fixture.md").write_text(
        minibook.path("activities/grades-6-8/handout-fixture.md").read_text() + box)
    both = "\n```{help-resources}\n:keys: stopncii take-it-down\n```\n"
    minibook.path("book/teacher-page.md").write_text(minibook.path("book/teacher-page.md").read_text() + both)
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)

    def keys(page):
        return [_help_keys(b) for b in minibook.article(page).select(".lk-help")]

    assert keys("activities/grades-9-12/handout-older.html") == [["Take It Down (NCMEC)", "StopNCII.org"]]
    assert keys("book/intro.html") == [["Take It Down (NCMEC)", "StopNCII.org", "NCMEC CyberTipline"]]
    assert keys(LESSON_PAGE) == [["NCMEC CyberTipline", "Take It Down (NCMEC)"]]  # grades 6-8: no StopNCII
    assert keys("activities/grades-6-8/handout-fixture.html")[-1] == ["Take It Down (NCMEC)", "NCMEC CyberTipline"]
    assert keys("book/teacher-page.html") == [["StopNCII.org", "Take It Down (NCMEC)"]]  # listed once each
    offered = minibook.article("book/intro.html").select_one(".lk-help li.lk-offered")
    assert [_plain(li.get_text(" ", strip=True)) for li in offered.select(".lk-resource-limits li")] == \
        REGISTRY["stopncii"]["limits"]


def test_the_limits_role_and_its_misuse(minibook):
    minibook.edit(LESSON, "Report it: {resource}`cybertipline`.", "What it can't do: {resource}`take-it-down:limits`")
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)
    role = minibook.article(LESSON_PAGE).select_one(".lk-resource.lk-resource-limits")
    assert _plain(role.get_text()) == " ".join(REGISTRY["take-it-down"]["limits"])
    minibook.edit(LESSON, "{resource}`take-it-down:limits`", "{resource}`cybertipline:limits`")
    proc = minibook.build()
    assert proc.returncode == 1
    assert "help resource 'cybertipline' has no limits; expected a part it has" in output(proc)


def test_a_removal_tool_without_limits_is_a_registry_error(minibook):
    text = minibook.path("data/resources.yml").read_text(encoding="utf-8")
    limits = re.search(r"(?m)^    limits:\n(      - .*\n)+", text[text.index("  take-it-down:"):]).group(0)
    minibook.path("data/resources.yml").write_text(text.replace(limits, "", 1), encoding="utf-8")
    line = text.splitlines().index("  take-it-down:") + 1
    proc = minibook.check()
    assert proc.returncode == 1
    assert (f"data/resources.yml:{line}: resources.take-it-down.limits: found nothing; expected a list of the "
            "tool's limits") in output(proc), output(proc)
    assert "Traceback" not in output(proc)


@pytest.mark.parametrize("old, new, expected", [
    ("    kind: removal-tool\n    helps_with: A free tool", "    helps_with: A free tool",
     "resources.take-it-down.kind: found nothing; expected this field (it is required)"),
    ('{display: "988", dial: "988", texts: true}', '{display: "988 (call or text)", dial: "988"}',
     "resources.lifeline-988.phone.display: found '988 (call or text)'; expected only the number"),
    ('"1-800-THE-LOST", dial: "+18008435678"}', '"1-800-THE-LOST", dial: "+18008435679"}',
     "resources.cybertipline.phone.display: found '1-800-843-5678', which is not the number dialed"),
    ("{key: stopncii, bands:", "{key: stop-ncii, bands:",
     "found offer_with key 'stop-ncii' in take-it-down; expected the key of another entry"),
    ('bands: ["9-12", adult]', 'bands: ["9-12", grownups]', "resources.take-it-down.offer_with[0].bands[1]: found 'grownups'"),
])
def test_bad_resource_entries_are_reported(minibook, old, new, expected):
    minibook.edit("data/resources.yml", old, new)
    proc = minibook.check()
    assert proc.returncode == 1 and expected in output(proc), output(proc)

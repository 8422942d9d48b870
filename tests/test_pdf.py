"""Print-ready PDFs (`python -m lessonkit pdf`), read back with pypdf: tagged, titled, in the page's
language, fonts embedded, an outline, the page counts they promise, teacher notes only in the teacher
edition's, placeholders as fill-in lines, card sets as cut-out cards, and nothing fetched."""
from __future__ import annotations

import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import MINIBOOK, Book, copy_book, output
from test_build import broken_links

LESSON = "lessons/grades-6-8/01-fixture-lesson"
HANDOUT = "activities/grades-6-8/handout-fixture"
TEACHER_SENTINELS = ["PROCEDURE-SENTINEL", "LISTEN-FOR-SENTINEL", "FOLLOW-UP-SENTINEL", "FACILITATOR-SENTINEL",
                     "TEACHER-ONLY-SENTINEL", "ANSWER-KEY-SENTINEL", "LISTEN-DEBRIEF-SENTINEL"]
# every branch of the fixture scenario, each behind its own choice
BRANCHES = ["CHOICE-OUTCOME-SENTINEL", "She helps him block and report the account.", "He feels relieved."]
FORM = """
(fixture-form)=
## Fixture form

Student's name: ______________________

Return it to {district}`counselor_name`.

```{teacher-only} Scoring key
FORM-KEY-SENTINEL
```
"""


def pdfs(book: Book, edition: str) -> list[Path]:
    return sorted((book.html_dir(edition) / "pdf").rglob("*.pdf"))


FOOTER = re.compile(r"^(Page \d+ of \d+|Página \d+ de \d+|.+ · .+ \((teacher|student) edition\)|.+ · .+ \(edición .+\))$")


def text_of(path: Path) -> str:
    """The PDF's words in reading order, without the running footer between its pages."""
    lines = [line for page in PdfReader(path).pages for line in (page.extract_text() or "").splitlines()]
    return " ".join(" ".join(line for line in lines if not FOOTER.match(line.strip())).split())


def facts(path: Path) -> dict:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    fonts, embedded = set(), set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object() for k in
                                                  ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(font["/BaseFont"])
    return {"marked": (root.get("/MarkInfo") or {}).get("/Marked"), "structure": "/StructTreeRoot" in root,
            "lang": str(root.get("/Lang") or ""), "title": (reader.metadata or {}).get("/Title", ""),
            "fonts": fonts, "embedded": embedded, "outline": [o for o in reader.outline if not isinstance(o, list)],
            "pages": len(reader.pages)}


def sizes_of(path: Path, words: str) -> set[float]:
    """The type sizes (points) of the text runs that start with `words`."""
    found = set()

    def visit(text, cm, tm, font, size):
        if text.strip().startswith(words):
            found.add(round(size * cm[0] * tm[0], 1))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return found


def type_sizes(path: Path) -> list[tuple[float, str]]:
    """(type size in points, words) for each text run of the PDF, leaving out the running footer."""
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and not FOOTER.match(text.strip()):
            runs.append((round(size * cm[0] * tm[0], 1), text.strip()))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


FILL_IN_LABEL = re.compile(r"\([^()]*\)")


def body_size(path: Path, floor: float = 10) -> tuple[float, str]:
    """(the type size most of the PDF's characters are set in, the words set smaller than `floor`),
    leaving out the "(what goes here)" labels under fill-in lines, which are smaller on purpose (and
    checked on their own: `smallest`)."""
    chars: dict[float, int] = {}
    small: list[str] = []
    for size, text in type_sizes(path):
        chars[size] = chars.get(size, 0) + len(text)
        small.extend([text] if size < floor - .05 else [])
    return max(chars, key=chars.get), FILL_IN_LABEL.sub("", " ".join(small)).strip()


def smallest(path: Path) -> tuple[float, str]:
    """The smallest type on the PDF's pages (fill-in labels included), and the words set in it."""
    runs = type_sizes(path)
    size = min(s for s, _ in runs)
    return size, " ".join(text for s, text in runs if s == size)[:200]


def footer_pages(path: Path) -> list[str]:
    """Each page's "Page n of N" footer, in page order (pypdf reads it at the end of the footer's line)."""
    out = []
    for page in PdfReader(path).pages:
        found = [m[1] for line in (page.extract_text() or "").splitlines()
                 if (m := re.search(r"(Page \d+ of \d+|Página \d+ de \d+)$", line.strip()))]
        out.append(found[-1] if found else "")
    return out


def page_bottoms(path: Path) -> list[str]:
    """Each page's lowest line of text above its footer (the text runs set lowest on the page)."""
    out = []
    for page in PdfReader(path).pages:
        runs: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size):
            if text.strip() and not FOOTER.match(text.strip()):
                runs.append((round(tm[5] * cm[3] + cm[5], 0), text))

        page.extract_text(visitor_text=visit)
        low = min((y for y, _ in runs), default=0)
        line = "".join(text for y, text in runs if y == low).replace("\u2022", "")
        out.append(" ".join(re.sub(r"(\s*\d+\.)+$", "", line).split()))  # without its list markers
    return out


def minibook_with_a_letter_and_a_form(dest: Path) -> Book:
    book = copy_book(MINIBOOK, dest, with_repo_data=True)
    book.edit("book/espanol.md", "language: es\n", "language: es\npages: 1\n")
    book.edit("book/teacher-page.md", "audience: teacher\n", "audience: teacher\nforms: {fixture-form: 1}\n")
    with open(book.path("book/teacher-page.md"), "a", encoding="utf-8") as page:
        page.write(FORM)
    with open(book.path(f"{HANDOUT}.md"), "a", encoding="utf-8") as handout:
        handout.write("\n```{help-resources}\n:keys: crisis-text-line, cybertipline\n```\n")  # as real handouts close
    return book


def build_both(book: Book) -> None:
    for edition in ("teacher", "student"):
        proc = book.build(edition)
        assert proc.returncode == 0, output(proc)[-3000:]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Book, str]:
    """The fixture book with a one-page Spanish page and a counselor form, built, with its PDFs."""
    book = minibook_with_a_letter_and_a_form(tmp_path_factory.mktemp("pdf") / "book")
    build_both(book)
    proc = book.run("pdf")
    assert proc.returncode == 0, output(proc)[-3000:]
    return book, proc.stdout


# ---- what the command writes, and how the pages link it -----------------------------------------

def test_one_command_writes_each_editions_pdfs_into_its_output(made):
    book, out = made
    teacher = {p.relative_to(book.html_dir()).as_posix() for p in pdfs(book, "teacher")}
    student = {p.relative_to(book.html_dir("student")).as_posix() for p in pdfs(book, "student")}
    assert teacher == {
        "pdf/teacher-guide-grades-6-8.pdf", "pdf/student-packet-grades-6-8.pdf", f"pdf/{LESSON}.pdf",
        f"pdf/{HANDOUT}.pdf", f"pdf/{LESSON}-cards-warning-signs.pdf", "pdf/book/espanol.pdf",
        "pdf/book/teacher-page-fixture-form.pdf"}
    assert student == {"pdf/student-packet-grades-6-8.pdf", f"pdf/{LESSON}.pdf", f"pdf/{HANDOUT}.pdf",
                       f"pdf/{LESSON}-cards-warning-signs.pdf", "pdf/book/espanol.pdf"}
    # the teacher edition's packet is the student edition's own
    assert (book.html_dir() / "pdf/student-packet-grades-6-8.pdf").read_bytes() == \
        (book.html_dir("student") / "pdf/student-packet-grades-6-8.pdf").read_bytes()
    assert f"pdf/{HANDOUT}.pdf: 1 page (promises at most 1)" in out
    assert not (book.root / "_build/pdf-staging").exists() and not (book.root / "_build/pdf-failed").exists()


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_lesson_and_handout_pages_link_their_pdfs(made, edition):
    book, _ = made
    lesson = book.article(f"{LESSON}.html", edition)
    links = {a.get_text(strip=True): a["href"] for a in lesson.select("#lesson-at-a-glance .lk-pdf-links a")}
    expected = {"This lesson": f"../../pdf/{LESSON}.pdf", "Handout: Fixture steps": f"../../pdf/{HANDOUT}.pdf",
                "Cards: Warning signs": f"../../pdf/{LESSON}-cards-warning-signs.pdf",
                "Student packet: Grades 6–8 (every handout)": "../../pdf/student-packet-grades-6-8.pdf"}
    if edition == "teacher":
        expected["Teacher guide: Grades 6–8 (every lesson)"] = "../../pdf/teacher-guide-grades-6-8.pdf"
    assert links == expected
    handout = book.article(f"{HANDOUT}.html", edition)
    # under the handout's title
    assert "lk-pdf-links" in handout.select_one("h1").find_next_sibling()["class"]
    assert handout.select_one(".lk-pdf-links a")["href"] == f"../../pdf/{HANDOUT}.pdf"
    spanish = book.article("book/espanol.html", edition)
    assert spanish.select_one(".lk-pdf-links a")["href"] == "../pdf/book/espanol.pdf"
    # with the PDFs made, every PDF link of every page has its file
    site = book.html_dir(edition)
    for page in site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".lk-pdf-links a"):
            assert (page.parent / a["href"]).resolve().is_file(), f"{page.relative_to(site)}: {a['href']}"


def test_the_link_check_accepts_a_planned_pdf_only_until_the_pdfs_are_made(made, tmp_path):
    book = Book(tmp_path / "book")
    shutil.copytree(made[0].root, book.root)
    for edition in ("teacher", "student"):
        assert not [b for b in broken_links(book.html_dir(edition))[0] if ".pdf" in b]
    shutil.rmtree(book.html_dir() / "pdf")
    assert not [b for b in broken_links(book.html_dir())[0] if ".pdf" in b]  # planned: the build will make it
    (book.root / "_build/.doctrees/lessonkit-pdf.json").unlink()
    assert f"{LESSON}.html links to missing ../../pdf/{LESSON}.pdf" in broken_links(book.html_dir())[0]


def test_a_pages_forms_are_linked_and_printed_on_their_own(made):
    book, _ = made
    page = book.article("book/teacher-page.html")
    assert {a.get_text(strip=True): a["href"] for a in page.select(".lk-pdf-links a")} == {
        "Form: Fixture form": "../pdf/book/teacher-page-fixture-form.pdf"}
    text = text_of(book.html_dir() / "pdf/book/teacher-page-fixture-form.pdf")
    assert text.startswith("Fixture form Student’s name:") and "TEACHER-PAGE-SENTINEL" not in text
    # the form's own teacher note (a survey's scoring key) stays on the page, off the sheet
    assert "FORM-KEY-SENTINEL" in page.get_text() and "FORM-KEY-SENTINEL" not in text


# ---- accessible PDFs -------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_every_pdf_is_tagged_titled_in_its_language_with_embedded_fonts_and_an_outline(made, edition):
    book, _ = made
    found = pdfs(book, edition)
    assert len(found) >= 5
    for path in found:
        pdf = facts(path)
        name = path.relative_to(book.root)
        assert pdf["marked"] == True and pdf["structure"], f"{name}: not a tagged PDF"  # noqa: E712 (a PDF boolean)
        assert pdf["lang"] == ("es" if path.name == "espanol.pdf" else "en"), f"{name}: /Lang {pdf['lang']!r}"
        whose = "student" if edition == "student" or "packet" in path.name else "teacher"
        assert pdf["title"].endswith(f"Fixture book ({whose} edition)"
                                     if path.name != "espanol.pdf" else
                                     f"Fixture book (edición para {'docentes' if whose == 'teacher' else 'estudiantes'})"), \
            f"{name}: title {pdf['title']!r}"
        assert pdf["fonts"] and pdf["fonts"] == pdf["embedded"], f"{name}: fonts not embedded: {pdf['fonts'] - pdf['embedded']}"
        assert all("DejaVu" in f for f in pdf["fonts"]), pdf["fonts"]
        assert pdf["outline"], f"{name}: no outline"
    guide = facts(book.html_dir(edition) / f"pdf/{LESSON}.pdf")
    assert guide["title"].startswith("Fixture lesson · ")
    assert [o["/Title"] for o in guide["outline"]] == ["Fixture lesson"]


def test_a_one_page_letter_prints_its_body_text_at_10_points_or_more(made):
    book, _ = made
    for edition in ("teacher", "student"):
        size, small = body_size(book.html_dir(edition) / "pdf/book/espanol.pdf")
        assert size >= 10 and not small, f"{edition}: body text {size} pt; under 10 pt: {small!r}"


def test_a_handout_prints_in_type_a_class_reads(made):
    book, _ = made
    for edition in ("teacher", "student"):
        path = book.html_dir(edition) / f"pdf/{HANDOUT}.pdf"
        check_sheet_type(path, body=10)
        assert "Where to get help" in text_of(path)


def check_sheet_type(path: Path, body: float) -> None:
    """A handout's or survey sheet's type: its body text at `body` pt or more in a face of normal
    width, nothing under 9 pt (the help box included) but the fill-in labels, and those at 8 pt or more."""
    name = "/".join(path.parts[-3:])
    size, small = body_size(path, floor=body)
    assert size >= body, f"{name}: body text {size} pt; expected at least {body}"
    _, under_9 = body_size(path, floor=9)
    assert not under_9, f"{name}: under 9 pt: {under_9!r}"
    least, words = smallest(path)
    assert least >= 8, f"{name}: {least} pt: {words!r}"
    condensed = {f for f in facts(path)["fonts"] if "Condensed" in f}
    assert not condensed, f"{name}: condensed faces {condensed}"


def test_a_guides_footers_number_the_whole_guide(made):
    book, _ = made
    for path in [book.html_dir() / "pdf/teacher-guide-grades-6-8.pdf",
                 book.html_dir("student") / "pdf/student-packet-grades-6-8.pdf"]:
        pages = facts(path)["pages"]
        assert pages >= 2
        assert footer_pages(path) == [f"Page {n} of {pages}" for n in range(1, pages + 1)], path.name
    # the lesson's own PDF still counts its own pages
    lesson = book.html_dir() / f"pdf/{LESSON}.pdf"
    assert footer_pages(lesson)[0] == f"Page 1 of {facts(lesson)['pages']}"


def test_page_counts_are_as_promised(made):
    book, _ = made
    for edition in ("teacher", "student"):
        pdf = book.html_dir(edition) / "pdf"
        assert facts(pdf / f"{HANDOUT}.pdf")["pages"] == 1
        assert facts(pdf / "book/espanol.pdf")["pages"] == 1
        assert facts(pdf / f"{LESSON}-cards-warning-signs.pdf")["pages"] == 1
        # a packet: its contents page, then each handout
        assert facts(pdf / "student-packet-grades-6-8.pdf")["pages"] == 1 + facts(pdf / f"{HANDOUT}.pdf")["pages"]
    teacher = book.html_dir() / "pdf"
    assert facts(teacher / "teacher-guide-grades-6-8.pdf")["pages"] == 1 + facts(teacher / f"{LESSON}.pdf")["pages"]
    assert facts(teacher / "book/teacher-page-fixture-form.pdf")["pages"] == 1


# ---- editions ---------------------------------------------------------------------------------

def test_teacher_guide_has_every_branch_and_teacher_note_and_the_student_pdfs_none(made):
    book, _ = made
    guide = text_of(book.html_dir() / "pdf/teacher-guide-grades-6-8.pdf")
    for words in TEACHER_SENTINELS + BRANCHES + ["Lesson at a glance", "Fixture lesson page 2"]:
        assert words in guide, f"{words!r} not in the teacher guide"
    packet = text_of(book.html_dir("student") / "pdf/student-packet-grades-6-8.pdf")
    assert "Handout: Fixture steps" in packet and "Stop replying" in packet
    student_lesson = text_of(book.html_dir("student") / f"pdf/{LESSON}.pdf")
    for words in BRANCHES:
        assert words in student_lesson, f"{words!r} not in the student edition's lesson"
    for path in pdfs(book, "student"):
        text = text_of(path)
        for words in TEACHER_SENTINELS + ["TEACHER-PAGE-SENTINEL", "For the teacher", "Facilitator note"]:
            assert words not in text, f"{words!r} in {path.relative_to(book.root)}"


def test_a_placeholder_prints_as_a_fill_in_line(made):
    from lessonkit.pdf.render import load_plan, page_document

    book, _ = made
    text = text_of(book.html_dir() / f"pdf/{LESSON}.pdf")
    assert "FACILITATOR-SENTINEL: follow (how to report a concern at your school)." in text
    assert "your district adds this" not in text
    entry = next(e for e in load_plan(book.root, "teacher")["documents"] if e["file"] == f"pdf/{LESSON}.pdf")
    sheet = BeautifulSoup(page_document(book.html_dir(), entry, load_plan(book.root, "teacher")).html, "html.parser")
    assert not sheet.select(".lk-placeholder")
    fill_in = sheet.select(".lk-fill-in")
    assert fill_in and all(f.select_one(".lk-fill-in-line") and not f.select_one(".lk-fill-in-line").get_text()
                           for f in fill_in)
    # the student edition says plain words instead, and the district's own value prints as written
    assert "At school: the school counselor" in text_of(book.html_dir("student") / f"pdf/{LESSON}.pdf")
    assert "your district adds this" not in text_of(book.html_dir() / "pdf/book/teacher-page-fixture-form.pdf")


def test_card_sets_print_as_cut_out_cards_in_large_type(made):
    book, _ = made
    path = book.html_dir("student") / f"pdf/{LESSON}-cards-warning-signs.pdf"
    text = text_of(path)
    assert text.startswith("Cards: Warning signs ✂ Cut along the dashed lines: one card per box.")
    assert "Card A “Let’s move to another app.” Warning signs Card B “Send one, I’ll send one first.”" in text
    # held up in front of a class: 20 pt or more, the label smaller
    assert min(sizes_of(path, "“Let’s move")) >= 20
    assert max(sizes_of(path, "Card A")) < 20


# ---- refusals ---------------------------------------------------------------------------------

def test_a_handout_longer_than_its_promise_fails_with_a_clear_message(minibook):
    filler = "\n\n".join(f"Practice line {i}: say no, leave the chat and tell a trusted adult." for i in range(90))
    with open(minibook.path(f"{HANDOUT}.md"), "a", encoding="utf-8") as handout:
        handout.write("\n\n" + filler + "\n")
    build_both(minibook)
    proc = minibook.run("pdf")
    assert proc.returncode == 1
    assert re.search(rf"^{HANDOUT}\.md: its student-edition PDF \(pdf/{HANDOUT}\.pdf\) runs to [2-9] pages; expected at "
                     r"most 1 \(what it promises: `pages:` in its front matter, 1 if unset\)\. Shorten it, or promise "
                     "more pages if it truly needs them$", proc.stderr, re.M), proc.stderr
    assert "Traceback" not in output(proc)
    # no PDFs left in the book that do not match its pages; the ones made stay aside to look at
    assert not (minibook.html_dir() / "pdf").exists() and not (minibook.html_dir("student") / "pdf").exists()
    assert (minibook.root / f"_build/pdf-failed/student/{HANDOUT}.pdf").is_file()
    pages = facts(minibook.root / f"_build/pdf-failed/student/{HANDOUT}.pdf")["pages"]
    # promising the pages it takes is the other way out
    text = minibook.path(f"{HANDOUT}.md").read_text(encoding="utf-8")
    minibook.path(f"{HANDOUT}.md").write_text(f"---\npages: {pages}\n---\n" + text, encoding="utf-8")
    build_both(minibook)
    proc = minibook.run("pdf")
    assert proc.returncode == 0, output(proc)
    assert f"pdf/{HANDOUT}.pdf: {pages} pages (promises at most {pages})" in proc.stdout


@pytest.mark.parametrize("old, new, message", [
    ("# Handout: Fixture steps", "---\naudience: all\npages: two\n---\n# Handout: Fixture steps",
     f"{HANDOUT}.md:3: WARNING: pages: found 'two'; expected a whole number of printed pages from 1 to 40"),
    ("# Handout: Fixture steps", "---\nforms: {fixture-form: 1,\n  no-such-form: 1}\n---\n# Handout: Fixture steps",
     f"{HANDOUT}.md:3: WARNING: forms: no-such-form: found no label of that name; expected a label on this page, "
     "written '(no-such-form)=' on the line above the form's heading"),
])
def test_a_bad_page_promise_or_form_fails_the_build(minibook, old, new, message):
    minibook.edit(f"{HANDOUT}.md", old, new)
    proc = minibook.build()
    assert proc.returncode == 1
    assert message in output(proc), output(proc)[-2000:]


def test_the_pdf_command_needs_both_editions_built(minibook):
    proc = minibook.run("pdf")
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("_build/html/index.html: no such file; expected a built teacher edition (run "
                                   "scripts/build.sh first, or scripts/pdf.sh, which builds both editions)")


def test_the_fetcher_reads_only_the_built_books_files(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    from lessonkit.pdf.render import local_fetcher

    (tmp_path / "site").mkdir()
    (tmp_path / "site/diagram.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("private", encoding="utf-8")
    fetcher = local_fetcher([tmp_path / "site"], ["book/page.md"])
    assert fetcher((tmp_path / "site/diagram.svg").as_uri()).read().startswith(b"<svg")
    for url, why in [("https://fonts.example.org/font.woff2", "an address that is not a file"),
                     ("http://127.0.0.1:9/x.png", "an address that is not a file"),
                     ("data:text/css,body{}", "an address that is not a file"),
                     ((tmp_path / "elsewhere.txt").as_uri(), "a file outside the built book"),
                     ((tmp_path / "site/missing.svg").as_uri(), "no such file in the built book"),
                     ("file://otherhost" + str(tmp_path / "site/diagram.svg"), "a file on another computer")]:
        with pytest.raises(FatalURLFetchingError) as refused:
            fetcher(url)
        assert str(refused.value) == (f"book/page.md: the PDF would load {url} ({why}); expected only files of "
                                      "the built book: nothing is ever fetched from a network"), str(refused.value)


def test_a_page_that_would_load_from_a_server_stops_the_pdfs_and_no_request_is_made(made, tmp_path):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        book = Book(tmp_path / "book")
        shutil.copytree(made[0].root, book.root)
        url = f"http://127.0.0.1:{server.server_port}/picture.png"
        page = book.html_dir("student") / f"{HANDOUT}.html"
        html = page.read_text(encoding="utf-8")
        article = '<article class="bd-article">'
        assert article in html
        page.write_text(html.replace(article, f'{article}<img src="{url}" alt="a picture">', 1), encoding="utf-8")
        proc = book.run("pdf")
    finally:
        server.shutdown()
    assert proc.returncode == 1
    assert (f"{HANDOUT}.md: the PDF would load {url} (an address that is not a file); expected only files of the "
            "built book: nothing is ever fetched from a network") in proc.stderr, proc.stderr
    assert requests == []


# ---- the real book ----------------------------------------------------------------------------

def test_the_real_books_pdfs(built_book):
    proc = built_book.run("pdf")
    assert proc.returncode == 0, output(proc)[-4000:]
    teacher, student = built_book.html_dir() / "pdf", built_book.html_dir("student") / "pdf"
    letters = sorted((teacher / "book/letters").glob("letter-*.pdf"))
    assert [p.name for p in letters] == [f"letter-grades-{b}{s}.pdf" for b in ("3-5", "6-8", "9-12") for s in ("-es", "")]
    for path in letters + sorted((student / "book/letters").glob("letter-*.pdf")):
        pdf = facts(path)
        assert pdf["pages"] == 1, f"{path.name}: {pdf['pages']} pages"
        assert pdf["lang"] == ("es" if path.stem.endswith("-es") else "en")
        assert pdf["marked"] == True and pdf["structure"] and pdf["fonts"] == pdf["embedded"] and pdf["outline"]
        size, small = body_size(path)  # a family reads it: no shrinking to fit the page
        assert size >= 10 and not small, f"{path.name}: body text {size} pt; under 10 pt: {small!r}"
    for band, body in (("3-5", 11), ("6-8", 10), ("9-12", 10)):
        # a class reads its handouts and survey sheets: 11 pt for grades 3-5, 10 pt after
        handouts = sorted((student / f"activities/grades-{band}").glob("handout-*.pdf"))
        assert handouts
        for path in handouts + [teacher / f"book/evaluation/survey-grades-{band}-survey-{band}-sheet.pdf"]:
            check_sheet_type(path, body)
    for path in sorted(student.glob("lessons/*/*-cards-*.pdf")):
        runs = type_sizes(path)
        title = runs[0][1].removeprefix("Cards: ")
        cut = next(i for i, (_, text) in enumerate(runs) if text.startswith("\u2702"))
        # the cards' own words: what follows the cutting line but a card's label and its set's name
        cards = [(size, text) for size, text in runs[cut + 1:] if not text.startswith("Card ") and text != title]
        small = [(size, text) for size, text in cards if size < 20]
        assert cards and not small, f"{path.name}: card text under 20 pt: {small[:5]}"
    for band in ("3-5", "6-8", "9-12"):
        guide = teacher / f"teacher-guide-grades-{band}.pdf"
        pages = facts(guide)["pages"]
        assert footer_pages(guide) == [f"Page {n} of {pages}" for n in range(1, pages + 1)], guide.name
        # a heading stays with what follows it: no page of the guide ends with one
        headings = {" ".join(h.get_text(" ", strip=True).split())
                    for page in built_book.html_dir().glob(f"lessons/grades-{band}/0*.html")
                    if not page.stem.endswith("-present")  # the projector views have no PDF
                    for h in built_book.article(page.relative_to(built_book.html_dir()).as_posix())
                    .select("h2, h3, h4, dt, .lk-label")}
        orphans = [(n, line) for n, line in enumerate(page_bottoms(guide)[:-1], 1) if line in headings]
        assert not orphans, f"{guide.name}: pages ending with a heading: {orphans}"
    for band in ("3-5", "6-8", "9-12"):
        page = f"book/evaluation/survey-grades-{band}"
        sheet = teacher / f"{page}-survey-{band}-sheet.pdf"
        links = [a["href"] for a in built_book.article(f"{page}.html").select(".lk-pdf-links a")]
        assert links == [f"../../pdf/{page}-survey-{band}-sheet.pdf"], f"{page}: {links}"
        text = text_of(sheet)
        assert facts(sheet)["pages"] <= 3 and "Part 3: Anything else?" in text
        assert "Scoring key" not in text and "Giving this survey" not in text, f"{sheet.name}: teacher notes on the sheet"
    forms = sorted(p.name for p in (teacher / "book/counselors").glob("*.pdf"))
    assert "referral-and-screening-cg-referral-form.pdf" in forms and "consentimiento-cg-es-carta.pdf" in forms
    for band in ("3-5", "6-8", "9-12"):
        guide = text_of(teacher / f"teacher-guide-grades-{band}.pdf")
        packet = text_of(student / f"student-packet-grades-{band}.pdf")
        lessons = sorted(p for p in built_book.html_dir().glob(f"lessons/grades-{band}/0*.html")
                         if not p.stem.endswith("-present"))  # the projector views have no PDF
        assert lessons
        for page in lessons:
            article = built_book.article(page.relative_to(built_book.html_dir()).as_posix())
            rel = page.relative_to(built_book.html_dir())
            student_lesson = text_of(student / rel.with_suffix(".pdf"))
            student_page = built_book.article(rel.as_posix(), "student").get_text(" ", strip=True)
            for note in article.select(".lk-teacher"):
                for label in note.select(".lk-label"):
                    label.decompose()  # "For the teacher · Listen for": every note has one
                words = " ".join(note.get_text(" ", strip=True).split()[:12])
                assert _in(words, guide), f"{page.name}: teacher note {words!r} not in the teacher guide"
                if not _in(words, student_page):  # (a note may quote what students see: the help steps)
                    assert not _in(words, packet) and not _in(words, student_lesson), \
                        f"{page.name}: teacher note {words!r} in a student PDF"
            for outcome in article.select("details.lk-choice .lk-outcome"):
                words = " ".join(outcome.get_text(" ", strip=True).split()[:10])
                assert _in(words, guide), f"{page.name}: scenario branch {words!r} not in the teacher guide"
                assert _in(words, student_lesson), f"{page.name}: branch {words!r} not in the student lesson PDF"


def _in(words: str, text: str) -> bool:
    """Whether the words appear in order in the text, however the PDF spaced them."""
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squash(words) in squash(text)

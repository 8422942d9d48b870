"""The offline download: each edition's zip, unzipped and opened from disk in Chromium with every
network request blocked, works (navigation, search, scenario choices, the projector views) and asks
for nothing; it holds the edition's PDFs, which open."""
from __future__ import annotations

import re
import zipfile

import pytest

from pypdf import PdfReader

from browser import DESKTOP, Visit
from conftest import output
from lessonkit.offline import OfflineError, make

LESSON = "lessons/grades-6-8/05-spot-the-pattern.html"
PRESENT = "lessons/grades-6-8/05-spot-the-pattern-present.html"


@pytest.fixture(scope="module")
def unzipped(built_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("offline")
    if not (built_book.html_dir() / "pdf").is_dir() or not (built_book.html_dir("student") / "pdf").is_dir():
        proc = built_book.run("pdf")  # (test_pdf.py may have made them already)
        assert proc.returncode == 0, output(proc)[-3000:]
    folders = {}
    for edition in ("teacher", "student"):
        archive = make(built_book.root, edition, out)
        with zipfile.ZipFile(archive) as z:
            names = z.namelist()
            assert f"clear-signals-{edition}/README.txt" in names
            assert f"clear-signals-{edition}/index.html" in names
            assert not [n for n in names if n.endswith((".buildinfo", "_lessonkit_failed"))]
            made = sorted(p.relative_to(built_book.html_dir(edition)).as_posix()
                          for p in (built_book.html_dir(edition) / "pdf").rglob("*.pdf"))
            assert made and [n.split("/", 1)[1] for n in names if n.endswith(".pdf")] == made
            assert f"clear-signals-{edition}/{PRESENT}" in names
            guides = [n for n in names if "/pdf/teacher-guide-" in n]
            assert len(guides) == (3 if edition == "teacher" else 0), guides
            z.extractall(out / edition)
        folders[edition] = out / edition / f"clear-signals-{edition}"
    return folders


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_unzipped_edition_works_from_disk_with_no_network(unzipped, chromium, edition):
    folder = unzipped[edition]
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert f"{edition.upper()} edition" in readme and "no internet connection" in readme
    with Visit(chromium, (folder / "index.html").as_uri(), "file://") as visit:
        page = visit.page
        assert page.title()
        # navigation: follow the book's own link to a lesson, from disk
        page.goto((folder / LESSON).as_uri(), wait_until="load")
        summary = page.locator(".lk-scenario details > summary").first
        summary.click()
        assert page.locator(".lk-scenario details[open]").count() >= 1  # a scenario choice opens
        page.goto((folder / "search.html").as_uri() + "?q=trusted", wait_until="load")
        page.wait_for_selector("#search-results li", timeout=15000)
        assert page.locator("#search-results li").count() > 0
        visit.close()
        assert visit.problems() == []
    if edition == "student":
        assert not (folder / "book/counselors").exists() and not (folder / "exports").exists()
    # the PDFs the pages link to are in the folder, and open
    lesson_pdf = PdfReader(folder / "pdf" / LESSON.replace(".html", ".pdf"))
    assert len(lesson_pdf.pages) > 1 and "Spot the pattern" in (lesson_pdf.metadata or {}).get("/Title", "")
    packet = PdfReader(folder / "pdf/student-packet-grades-6-8.pdf")
    assert len(packet.pages) > 1 and packet.trailer["/Root"].get("/Lang") == "en"


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_unzipped_projector_view_shows_its_first_screen_and_moves_with_the_arrow_key(unzipped, chromium, edition):
    with Visit(chromium, (unzipped[edition] / PRESENT).as_uri(), "file://", **DESKTOP) as visit:
        page = visit.page
        total = page.locator(".lk-screen").count()
        assert total > 2
        status = page.locator(".lk-present-status")
        assert re.fullmatch(rf"Screen 1 of {total}( \(more below\))?", status.inner_text())
        first = page.locator("#screen-1")
        assert first.is_visible() and first.locator("h1").inner_text() == "Spot the pattern, find the exit"
        assert abs(first.bounding_box()["y"]) < 2 and first.bounding_box()["height"] > 300
        page.keyboard.press("ArrowRight")
        assert re.fullmatch(rf"Screen 2 of {total}( \(more below\))?", status.inner_text())
        assert abs(page.locator("#screen-2").bounding_box()["y"]) < 2
        page.keyboard.press("ArrowLeft")
        assert re.fullmatch(rf"Screen 1 of {total}( \(more below\))?", status.inner_text())
        visit.close()
        assert visit.problems() == []


def test_offline_refuses_an_edition_whose_pdfs_are_not_made(minibook, tmp_path):
    proc = minibook.build()
    assert proc.returncode == 0, output(proc)[-3000:]
    with pytest.raises(OfflineError) as refused:
        make(minibook.root, "teacher", tmp_path / "out")
    assert re.fullmatch(r"_build/html/\S+\.html: its PDF link to \S+\.pdf has no file \(nor do \d+ more\); expected "
                        r"the edition's PDFs made before the zip \(run python -m lessonkit pdf, or scripts/offline.sh\)",
                        str(refused.value)), str(refused.value)
    assert not (tmp_path / "out").exists()


def test_offline_refuses_a_missing_or_failed_build(minibook, tmp_path):
    tmp_path = tmp_path / "out"  # (the fixture book is in tmp_path too)
    with pytest.raises(OfflineError, match=r"_build/html/index.html: no such file; expected a built teacher "
                                           r"edition \(run scripts/build.sh first\)"):
        make(minibook.root, "teacher", tmp_path)
    minibook.edit("lessons/grades-6-8/01-fixture-lesson.md", "duration: 45", "duration: 47")
    minibook.build()
    with pytest.raises(OfflineError, match="the last teacher build failed"):
        make(minibook.root, "teacher", tmp_path)
    proc = minibook.run("offline", "--edition", "teacher")
    assert proc.returncode == 1 and "the last teacher build failed" in output(proc) and "Traceback" not in output(proc)
    assert not tmp_path.exists() and not (minibook.root / "_build/offline").exists()  # no half-made zip

"""The offline download: each edition's zip, unzipped and opened from disk in Chromium with every
network request blocked, works (navigation, search, scenario choices) and asks for nothing."""
from __future__ import annotations

import zipfile

import pytest

from browser import Visit
from conftest import output
from lessonkit.offline import OfflineError, make

LESSON = "lessons/grades-6-8/05-spot-the-pattern.html"


@pytest.fixture(scope="module")
def unzipped(built_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("offline")
    folders = {}
    for edition in ("teacher", "student"):
        archive = make(built_book.root, edition, out)
        with zipfile.ZipFile(archive) as z:
            names = z.namelist()
            assert f"clear-signals-{edition}/README.txt" in names
            assert f"clear-signals-{edition}/index.html" in names
            assert not [n for n in names if n.endswith((".buildinfo", "_lessonkit_failed"))]
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

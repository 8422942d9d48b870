"""The LMS export: the student edition as an IMS Common Cartridge, read the way an importer reads it.

An importer opens the zip, finds imsmanifest.xml at its root, recognizes the Common Cartridge
namespace on the root element (Moodle looks for it in the first 500 bytes), follows each item's
identifierref to a resource and each resource's href and files into the zip, and turns the one
organization into modules and items. Every step of that is checked here on the real book, and the
pages are opened in Chromium with only the files their resource lists, as an LMS would serve them.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import Book, output
from lessonkit.cartridge import VERSIONS, CartridgeError, make
from lessonkit.project import load_project
from lessonkit.vocab import BAND_LABELS, BANDS
from test_editions import TEACHER_CLASSES, TEACHER_ONLY, TEACHER_WORDS

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")  # what an xs:ID identifier may be


class Cartridge:
    def __init__(self, path, version):
        self.path, self.version = path, version
        self.ns = {"cp": VERSIONS[version]["cp"], "lomimscc": VERSIONS[version]["lomimscc"]}
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            self.names = archive.namelist()
            self.raw = archive.read("imsmanifest.xml")
            self.pages = {n: archive.read(n).decode("utf-8") for n in self.names if n.endswith(".html")}
        self.root = etree.fromstring(self.raw)

    def xpath(self, query, node=None):
        return (self.root if node is None else node).xpath(query, namespaces=self.ns)

    def resources(self):
        return {r.get("identifier"): r for r in self.xpath("/cp:manifest/cp:resources/cp:resource")}

    def files(self, resource_id, seen=None):
        """The files an LMS gives a resource: its own and, in turn, those of what it depends on."""
        seen = set() if seen is None else seen
        seen.add(resource_id)
        res = self.resources()[resource_id]
        out = [unquote(f.get("href")) for f in self.xpath("cp:file", res)]
        for dep in self.xpath("cp:dependency/@identifierref", res):
            if dep not in seen:
                out += self.files(dep, seen)
        return out


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def cartridge(built_book, tmp_path_factory, request):
    made = make(built_book.root, tmp_path_factory.mktemp("cartridge"), version=request.param)
    assert made.path.name == VERSIONS[request.param]["file"]
    return Cartridge(made.path, request.param)


@pytest.fixture(scope="module")
def lessons(built_book):
    project = load_project(built_book.root)
    assert project.ok, project.problems
    return project.lessons


def test_the_package_is_a_zip_with_the_manifest_at_its_root(cartridge):
    assert zipfile.is_zipfile(cartridge.path) and cartridge.path.suffix == ".imscc"
    assert "imsmanifest.xml" in cartridge.names
    assert not [n for n in cartridge.names if n.endswith("imsmanifest.xml") and n != "imsmanifest.xml"]
    assert cartridge.raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_the_root_element_declares_the_common_cartridge_namespaces(cartridge):
    v = VERSIONS[cartridge.version]
    root = cartridge.root
    assert root.tag == f"{{{v['cp']}}}manifest"
    assert root.nsmap == {None: v["cp"], "lom": v["lom"], "lomimscc": v["lomimscc"], "xsi": XSI}
    # Moodle's test, as it does it: the first 500 bytes, lowercased, without whitespace or quotes
    head = re.sub(r"\s", "", cartridge.raw[:500].decode("utf-8").lower()).replace('"', "").replace("'", "")
    assert f"xmlns={v['cp']}" in head
    locations = root.get(f"{{{XSI}}}schemaLocation").split()
    assert dict(zip(locations[::2], locations[1::2])) == {v[k]: v["xsd"][k] for k in ("cp", "lom", "lomimscc")}
    meta = "/cp:manifest/cp:metadata/"
    assert cartridge.xpath(f"{meta}cp:schema/text() | {meta}cp:schemaversion/text()") \
        == ["IMS Common Cartridge", f"{cartridge.version}.0"]


def test_the_manifest_metadata_gives_a_title_and_the_license(cartridge):
    lom = cartridge.xpath("/cp:manifest/cp:metadata/lomimscc:lom")[0]
    assert cartridge.xpath("lomimscc:general/lomimscc:title/lomimscc:string/text()", lom) \
        == ["Clear Signals (student edition)"]
    restricted = "lomimscc:rights/lomimscc:copyrightAndOtherRestrictions/lomimscc:value/text()"
    assert cartridge.xpath(restricted, lom) == ["yes"]
    [rights] = cartridge.xpath("lomimscc:rights/lomimscc:description/lomimscc:string/text()", lom)
    assert "CC BY-SA 4.0" in rights and "creativecommons.org/licenses/by-sa/4.0/" in rights


def test_every_identifier_is_unique_and_a_valid_id(cartridge):
    ids = cartridge.xpath("//@identifier")
    assert len(ids) == len(set(ids)) and len(ids) > 20
    assert [i for i in ids if not NCNAME.match(i)] == []


def test_every_reference_points_at_a_resource(cartridge):
    resources = cartridge.resources()
    items = cartridge.xpath("//cp:item[@identifierref]")
    assert items and [i.get("identifierref") for i in items if i.get("identifierref") not in resources] == []
    for rid, res in resources.items():
        deps = cartridge.xpath("cp:dependency/@identifierref", res)
        assert all(d in resources and d != rid for d in deps) and len(deps) == len(set(deps)), rid
        assert res.get("type") == "webcontent", rid
    # a learning-object item has no child items, and a folder (a module) points at no resource
    assert cartridge.xpath("//cp:item[@identifierref][cp:item]") == []


def test_every_href_and_file_is_in_the_zip_and_local(cartridge):
    hrefs = cartridge.xpath("//cp:resource/@href | //cp:file/@href")
    assert hrefs
    for href in hrefs:
        parts = urlsplit(href)
        path = PurePosixPath(unquote(parts.path))
        assert not (parts.scheme or parts.netloc or parts.query or parts.fragment), href
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in href, href
        assert str(path) in cartridge.names, f"{href} is listed but not in the zip"
    for rid, res in cartridge.resources().items():
        files = cartridge.xpath("cp:file/@href", res)
        assert len(files) == len(set(files)), rid
        if res.get("href"):  # the CC rule: the launch page is one of the resource's files
            assert res.get("href") in files, rid
    listed = {unquote(h) for h in cartridge.xpath("//cp:file/@href")}
    assert set(cartridge.names) - listed == {"imsmanifest.xml"}  # nothing in the zip that no resource owns


def test_one_module_per_band_and_one_item_per_lesson_in_order(cartridge, lessons):
    [org] = cartridge.xpath("/cp:manifest/cp:organizations/cp:organization")
    assert org.get("structure") == "rooted-hierarchy"
    [top] = cartridge.xpath("cp:item", org)
    assert cartridge.xpath("cp:title", top) == []  # CC: the top item has no title
    modules = cartridge.xpath("cp:item", top)
    assert [cartridge.xpath("string(cp:title)", m) for m in modules] == [BAND_LABELS[b] for b in BANDS]
    resources = cartridge.resources()
    for band, module in zip(BANDS, modules):
        assert module.get("identifierref") is None
        expected = sorted(((d, l) for d, l in lessons.items() if l.band == band), key=lambda dl: dl[1].sequence)
        items = cartridge.xpath("cp:item", module)
        assert [cartridge.xpath("string(cp:title)", i) for i in items] == [l.title for _, l in expected]
        for item, (docname, lesson) in zip(items, expected):
            res = resources[item.get("identifierref")]
            assert res.get("href") == f"{docname}.html"
            files = cartridge.xpath("cp:file/@href", res)
            assert files[0] == f"{docname}.html"
            assert files[1:] == [h.removesuffix(".md") + ".html" for h in lesson.handouts]
            assert lesson.handouts  # every lesson of the real book has a handout, so this checks something


def test_the_pages_carry_nothing_for_teachers(cartridge, built_book):
    assert len(cartridge.pages) == 17 + 17  # the real book's lessons and their handouts
    assert not [n for n in cartridge.names if n.startswith(("book/", "exports/", "_downloads/"))]
    for name, text in cartridge.pages.items():
        soup = BeautifulSoup(text, "html.parser")
        classes = {c for el in soup.find_all(class_=True) for c in el["class"]}
        assert classes & TEACHER_CLASSES == set(), name
        words = soup.select_one("article.bd-article").get_text(" ")
        assert [w for w in TEACHER_WORDS if w in words] == [], name
        # and each page is the student build's own, byte for byte
        assert text == (built_book.html_dir("student") / name).read_text(encoding="utf-8"), name


def test_the_files_are_only_what_the_pages_load(cartridge):
    # no locales, source maps or other pages: the assets are what a lesson page needs
    assert not [n for n in cartridge.names if n.endswith(".map") or "/locales/" in n]
    # the pages' one stylesheet (the theme's and lessonkit's, lessonkit/weight.py), not the sheets it joins
    assert [n for n in cartridge.names if re.fullmatch(r"_static/lessonkit-styles-[0-9a-f]{12}\.css", n)]
    assert not {"_static/lessonkit.css", "_static/styles/pydata-sphinx-theme.css",
                "_static/scripts/fontawesome.js"} & set(cartridge.names)
    assert cartridge.path.stat().st_size < 5e6


def test_each_lesson_renders_from_only_the_files_its_resource_lists(built_book, chromium, tmp_path):
    """An LMS owes an item only the files its resource lists and those of its dependencies: a lesson page and
    its handouts, opened from such a folder with the network blocked, load every stylesheet, script
    and font they ask for, and look like the book (the theme's styles applied, its scripts run)."""
    from browser import Visit

    cc = Cartridge(make(built_book.root, tmp_path / "out").path, "1.1")
    with zipfile.ZipFile(cc.path) as archive:
        for item in cc.xpath("//cp:item[@identifierref]"):
            rid = item.get("identifierref")
            folder = tmp_path / rid
            for name in cc.files(rid):
                archive.extract(name, folder)
            res = cc.resources()[rid]
            for page in cc.xpath("cp:file/@href", res):
                if not page.endswith(".html"):
                    continue
                with Visit(chromium, (folder / unquote(page)).as_uri(), "file://") as visit:
                    # the theme's stylesheet set its colours, and Sphinx's scripts ran
                    primary, scripts = visit.page.evaluate(
                        "() => [getComputedStyle(document.documentElement).getPropertyValue('--pst-color-primary')"
                        ".trim(), typeof DOCUMENTATION_OPTIONS === 'object' && typeof Documentation === 'object']")
                    assert primary and scripts, (page, primary, scripts)
                    visit.close()
                    assert visit.problems() == [], page
            shutil.rmtree(folder)


def test_the_fixture_book_makes_one_module(built_minibook, tmp_path):
    made = make(built_minibook.root, tmp_path)
    cc = Cartridge(made.path, "1.1")
    assert (made.modules, made.lessons) == (1, 1)
    assert cc.xpath("//cp:organization/cp:item/cp:item/cp:title/text()") == ["Grades 6–8"]
    assert cc.xpath("//cp:item[@identifierref]/cp:title/text()") == ["Fixture lesson"]
    # the fixture book marks each kind of teacher-only material with a sentinel: none is in any file
    with zipfile.ZipFile(made.path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", errors="replace")
            assert [s for s in TEACHER_ONLY if s in text] == [], name


def test_the_cartridge_refuses_a_missing_or_failed_student_build(minibook, tmp_path):
    out = tmp_path / "out"  # (the fixture book is in tmp_path too)
    with pytest.raises(CartridgeError, match=r"_build/student/html/index.html: no such file; expected a built "
                                             r"student edition \(run scripts/build.sh --edition student"):
        make(minibook.root, out)
    proc = minibook.run("cartridge")
    assert proc.returncode == 1 and "expected a built student edition" in output(proc)
    assert "Traceback" not in output(proc)
    minibook.edit("lessons/grades-6-8/01-fixture-lesson.md", "duration: 45", "duration: 47")
    minibook.build("student")
    assert (minibook.html_dir("student") / "_lessonkit_failed").exists()
    with pytest.raises(CartridgeError, match=r"_build/student/html: the last student build failed; expected a "
                                             r"successful build"):
        make(minibook.root, out)
    proc = minibook.run("cartridge")
    assert proc.returncode == 1 and "the last student build failed" in output(proc)
    assert "Traceback" not in output(proc)
    assert not out.exists() and not (minibook.root / "_build/cartridge").exists()  # nothing half-made


def test_the_cartridge_refuses_a_teacher_site_or_a_missing_page(built_minibook, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(built_minibook.root, book)
    student = book / "_build/student/html"
    (student / "activities/grades-6-8/handout-fixture.html").unlink()
    with pytest.raises(CartridgeError, match=r"_build/student/html/activities/grades-6-8/handout-fixture.html: "
                                             r"no such file; expected the student page"):
        make(book, tmp_path / "out")
    shutil.rmtree(student)
    shutil.copytree(book / "_build/html", student)  # a teacher edition where the student one belongs
    with pytest.raises(CartridgeError, match=r"holds teacher-only material \(lk-teacher\); expected a student "
                                             r"edition page"):
        make(book, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_cartridge_is_never_half_written(built_minibook, tmp_path, monkeypatch):
    out = tmp_path / "out"
    good = make(built_minibook.root, out).path
    before = good.read_bytes()
    calls = []

    def failing_write(self, *args, **kwargs):
        calls.append(args)
        if len(calls) > 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    original = zipfile.ZipFile.write
    monkeypatch.setattr(zipfile.ZipFile, "write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        make(built_minibook.root, out)
    assert sorted(p.name for p in out.iterdir()) == [good.name]  # no .part left behind
    assert good.read_bytes() == before  # the previous cartridge is untouched


def test_the_cli_writes_the_cartridge_and_says_where(built_minibook, tmp_path):
    book = Book(tmp_path / "book")
    shutil.copytree(built_minibook.root, book.root)
    proc = book.run("cartridge")
    assert proc.returncode == 0, output(proc)
    assert "_build/cartridge/clear-signals-student.imscc" in proc.stdout and "1 module, 1 lesson," in proc.stdout
    assert zipfile.is_zipfile(book.root / "_build/cartridge/clear-signals-student.imscc")

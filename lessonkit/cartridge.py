"""The student edition as an IMS Common Cartridge, for importing into an LMS (Moodle, Canvas, Schoology).

Why it is built this way:

- Version 1.1 by default: the newest one all three import (Moodle's importer reads 1.0 and 1.1).
  1.3 differs, for plain web pages, only in its namespaces and version number, so it is one more
  row in VERSIONS, for an LMS that asks for it.
- Student edition only. A cartridge has no way to hide a page from students that all three LMSs
  honour (CC 1.1 has only a metadata hint, which each treats its own way), so nothing teacher-only
  goes in: the student build has already left it out, and `make` refuses a page that still carries
  a teacher block, in case a teacher build ever sits where the student one should.
- What goes in comes from two things that were already checked, never from the lesson files:
  the validated lesson model (`load_project`: band, sequence, title, handouts) says which lessons,
  in which module and order; the built student site supplies their pages, exactly as the build's
  gates checked them (accessibility, no network, no teacher notes). Nothing is converted.
- One organization: a module per band, an item per lesson. Each lesson is a `webcontent` resource
  whose files are its page and its handouts' pages; it depends on one shared resource holding the
  stylesheets, scripts, fonts and images those pages load (found by reading the pages and, in turn,
  the stylesheets: not the whole `_static/`, which also holds dozens of locales and source maps no
  page loads). A dependency is how a cartridge says "these files are needed to show this one".
- Files keep the site's layout (`lessons/…`, `activities/…`, `_static/…`), so the pages' own
  relative links and `../../_static/` references work unchanged.
- It refuses, with a message naming the path, a missing or failed student build, and writes to a
  temporary name that is renamed only when the cartridge is complete.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from lxml import etree, html

from . import failsafe
from .project import load_project
from .vocab import BAND_LABELS, BANDS

SITE = Path("_build/student/html")
OUT = Path("_build/cartridge")
NAME = "clear-signals-student"
TITLE = "Clear Signals (student edition)"
DESCRIPTION = ("Lessons on healthy relationships, consent, never forwarding a sext and recognizing the "
               "sextortion pattern, for grades 3–5, 6–8 and 9–12: each lesson and its handouts as students "
               "see them. The teacher edition (facilitator notes, answer keys, pages for adults) is not included.")
RIGHTS = ("Clear Signals, by The Clear Signals contributors, is licensed under CC BY-SA 4.0 (Creative Commons "
          "Attribution-ShareAlike 4.0 International): https://creativecommons.org/licenses/by-sa/4.0/")
BUILD = "scripts/build.sh --edition student"

# Per version: the namespaces (content packaging, LOM for resources, LOM for the manifest), where
# the spec puts their schemas, the schemaversion, and the file name.
_PROFILE = "http://www.imsglobal.org/profile/cc"
VERSIONS = {
    v: {"cp": f"http://www.imsglobal.org/xsd/imscc{t}/imscp_v1p1",
        "lom": f"http://ltsc.ieee.org/xsd/imscc{t}/LOM/resource",
        "lomimscc": f"http://ltsc.ieee.org/xsd/imscc{t}/LOM/manifest",
        "xsd": {"cp": f"{_PROFILE}/cc{t}/cc{t}_imscp_v1p2_v1p0.xsd",
                "lom": f"{_PROFILE}/cc{t}/LOM/cc{t}_lomresource_v1p0.xsd",
                "lomimscc": f"{_PROFILE}/cc{t}/LOM/cc{t}_lommanifest_v1p0.xsd"},
        "schemaversion": f"{v}.0", "file": file}
    for v, t, file in [("1.1", "v1p1", f"{NAME}.imscc"), ("1.3", "v1p3", f"{NAME}-cc13.imscc")]
}
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Teacher-only blocks all carry this class (lessonkit/directives.py); a student page never does.
TEACHER_CLASS = "lk-teacher"
# What a page loads to display itself; `<a href>` and `<link rel="next">` are links, not loads.
LOADING_ATTRS = {"img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
                 "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",),
                 "iframe": ("src",), "object": ("data",), "input": ("src",), "image": ("href",), "use": ("href",)}
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon", "mask-icon", "manifest"}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")


class CartridgeError(Exception):
    pass


@dataclass
class Made:
    path: Path
    modules: int
    lessons: int
    files: int


def _local(ref: str, page: PurePosixPath, site: Path, where: str) -> PurePosixPath | None:
    """The site file a relative reference from `page` names; None for data: URLs and #fragments.
    Anything absolute, external or outside the site is refused: the LMS could not load it."""
    ref = ref.strip()
    if not ref or ref.startswith(("#", "data:")):
        return None
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("/"):
        raise CartridgeError(f"{where}: loads {ref!r}; expected only files of the built site (a cartridge "
                             "cannot load anything from elsewhere)")
    target = PurePosixPath(*_normal(page.parent / unquote(parts.path)))
    if not (site / target).is_file():
        raise CartridgeError(f"{where}: loads {ref!r}, but {SITE / target} does not exist; expected a "
                             f"complete student build (run {BUILD})")
    return target


def _normal(path: PurePosixPath) -> list[str]:
    out: list[str] = []
    for part in path.parts:
        if part == "..":
            if not out:
                raise CartridgeError(f"{path}: points above the built site; expected a file inside {SITE}")
            out.pop()
        elif part not in (".", ""):
            out.append(part)
    return out


def _page_needs(page: PurePosixPath, site: Path) -> set[PurePosixPath]:
    """The files a built page loads, and what its stylesheets load in turn."""
    tree = html.document_fromstring((site / page).read_bytes())
    where = str(SITE / page)
    if tree.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {TEACHER_CLASS} ')]"):
        raise CartridgeError(f"{where}: holds teacher-only material ({TEACHER_CLASS}); expected a student "
                             f"edition page (run {BUILD})")
    refs: list[str] = []
    for el in tree.iter(etree.Element):
        tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
        if tag == "link" and LOADING_RELS & set((el.get("rel") or "").lower().split()):
            refs.append(el.get("href", ""))
        for attr in LOADING_ATTRS.get(tag, ()):
            value = el.get(attr) or (el.get("{http://www.w3.org/1999/xlink}href") if attr == "href" else None)
            if value:
                refs += [c.split()[0] for c in value.split(",") if c.split()] if attr == "srcset" else [value]
        if el.get("style"):
            refs += _css_refs(el.get("style"))
        if tag == "style" and el.text:
            refs += _css_refs(el.text)
    needs = {t for r in refs if (t := _local(r, page, site, where))}
    todo = [t for t in needs if t.suffix == ".css"]
    while todo:  # stylesheets load fonts, images and other stylesheets
        sheet = todo.pop()
        for ref in _css_refs((site / sheet).read_text(encoding="utf-8", errors="replace")):
            target = _local(ref, sheet, site, str(SITE / sheet))
            if target and target not in needs:
                needs.add(target)
                if target.suffix == ".css":
                    todo.append(target)
    return needs


def _css_refs(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(css)]


def _page(docname: str, site: Path) -> PurePosixPath:
    page = PurePosixPath(docname).with_suffix(".html")
    if not (site / page).is_file():
        raise CartridgeError(f"{SITE / page}: no such file; expected the student page of {docname} "
                             f"(run {BUILD})")
    return page


def _href(path: PurePosixPath) -> str:
    return quote(path.as_posix(), safe="/")


def manifest(lessons: list[tuple[str, str, str, PurePosixPath, list[PurePosixPath]]],
             assets: list[PurePosixPath], version: str = "1.1") -> bytes:
    """imsmanifest.xml: lessons are (band, id, title, page, handout pages), in module and item order."""
    v = VERSIONS[version]
    cp = f"{{{v['cp']}}}"
    lomm = f"{{{v['lomimscc']}}}"

    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, tag, {k: str(a) for k, a in attrs.items()})
        el.text = text
        return el

    def langstring(parent, tag, text):
        sub(sub(parent, lomm + tag), lomm + "string", text, language="en")

    # The default namespace first: Moodle recognizes a cartridge by finding it in the first 500 bytes.
    root = etree.Element(cp + "manifest", nsmap={None: v["cp"], "lom": v["lom"], "lomimscc": v["lomimscc"],
                                                 "xsi": XSI})
    root.set("identifier", NAME)
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{v[k]} {v['xsd'][k]}" for k in ("cp", "lom", "lomimscc")))
    meta = sub(root, cp + "metadata")
    sub(meta, cp + "schema", "IMS Common Cartridge")
    sub(meta, cp + "schemaversion", v["schemaversion"])
    lom = sub(meta, lomm + "lom")
    general = sub(lom, lomm + "general")
    langstring(general, "title", TITLE)
    sub(general, lomm + "language", "en")
    langstring(general, "description", DESCRIPTION)
    rights = sub(lom, lomm + "rights")
    sub(sub(rights, lomm + "copyrightAndOtherRestrictions"), lomm + "value", "yes")
    langstring(rights, "description", RIGHTS)

    org = sub(sub(root, cp + "organizations"), cp + "organization", identifier="organization",
              structure="rooted-hierarchy")
    top = sub(org, cp + "item", identifier="root")  # CC: the one top item has no title
    resources = sub(root, cp + "resources")
    for band in BANDS:
        rows = [row for row in lessons if row[0] == band]
        if not rows:
            continue
        module = sub(top, cp + "item", identifier=f"module-{band}")
        sub(module, cp + "title", BAND_LABELS[band])
        for _, lesson_id, title, page, handouts in rows:
            item = sub(module, cp + "item", identifier=f"item-{lesson_id}", identifierref=f"lesson-{lesson_id}")
            sub(item, cp + "title", title)
            res = sub(resources, cp + "resource", identifier=f"lesson-{lesson_id}", type="webcontent",
                      href=_href(page))
            for path in [page, *handouts]:
                sub(res, cp + "file", href=_href(path))
            sub(res, cp + "dependency", identifierref="assets")
    shared = sub(resources, cp + "resource", identifier="assets", type="webcontent")
    for path in assets:
        sub(shared, cp + "file", href=_href(path))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def make(root: Path, out_dir: Path | None = None, version: str = "1.1") -> Made:
    root = Path(root)
    site = root / SITE
    problem = failsafe.unbuilt(site, SITE, "student", BUILD, also=", or scripts/cartridge.sh")
    if problem:
        raise CartridgeError(problem)
    project = load_project(root)
    if not project.ok:
        raise CartridgeError(f"{root}: {len(project.problems)} problem(s) in the lesson metadata, first "
                             f"{project.problems[0]}; expected valid lessons (run python -m lessonkit check)")
    if not project.lessons:
        raise CartridgeError(f"{root / 'lessons'}: no lessons; expected lesson files to put in the cartridge")

    rows, needs = [], set()
    for docname, lesson in sorted(project.lessons.items(), key=lambda kv: (BANDS.index(kv[1].band),
                                                                           kv[1].sequence)):
        page = _page(docname, site)
        handouts = [_page(h.removesuffix(".md"), site) for h in lesson.handouts]
        rows.append((lesson.band, lesson.id, lesson.title, page, handouts))
        for p in [page, *handouts]:
            needs |= _page_needs(p, site)
    pages = {p for row in rows for p in [row[3], *row[4]]}
    assets = sorted(needs - pages)  # a page another one loads (none today) stays with its lesson
    xml = manifest(rows, assets, version)

    out_dir = Path(out_dir) if out_dir else root / OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / VERSIONS[version]["file"]
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("imsmanifest.xml", xml)
            for path in sorted(pages | set(assets)):
                archive.write(site / path, path.as_posix())
        partial.replace(target)  # never a half-written cartridge under the real name
    finally:
        partial.unlink(missing_ok=True)
    return Made(target, len({row[0] for row in rows}), len(rows), len(pages) + len(assets))

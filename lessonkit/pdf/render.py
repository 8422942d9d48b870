"""Make the PDFs an edition's build planned (`python -m lessonkit pdf`), from its built HTML.

Each PDF is one built page (or one part of it: a card set, a form) laid out with our own print
stylesheet (print.css) by WeasyPrint, as PDF/UA-1: tagged, with a title, a language, embedded
fonts and an outline from the headings. A band's teacher guide and student packet are the pages of
its lesson and handout PDFs put together behind a contents page, so nothing is laid out twice; only
their footers are made again, to number the whole guide.

Nothing is fetched from a network: the URL fetcher reads only files inside the edition's built
site and this folder, and any other address stops the run with a message naming the page.
"""
from __future__ import annotations

import copy
import datetime as dt
import mimetypes
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from bs4 import BeautifulSoup, NavigableString, Tag

from .. import failsafe
from ..district import DISTRICT_FIELDS, DISTRICT_FIELDS_ES
from . import FOLDER, PLAN

HERE = Path(__file__).parent
PRINT_CSS = HERE / "print.css"
SITES = {"teacher": Path("_build/html"), "student": Path("_build/student/html")}
DOCTREES = {"teacher": Path("_build/.doctrees"), "student": Path("_build/student/.doctrees")}
BUILD = {"teacher": "scripts/build.sh", "student": "scripts/build.sh --edition student"}
FAILED = Path("_build/pdf-failed")
STAGING = Path("_build/pdf-staging")

WORDS = {
    "en": {"page": "Page {page} of {pages}", "edition": {"teacher": "teacher edition", "student": "student edition"},
           "cut": "Cut along the dashed lines: one card per box.", "card": "Card {n}",
           "contents": "Contents", "starts": "page {page}",
           "guide": "Every lesson of the band, as the teacher edition shows it: procedures, facilitator notes, "
                    "\u201clisten for\u201d notes and answer keys included. Do not give this guide to students.",
           "packet": "Every handout of the band, as the student edition shows it: one copy per student of each. "
                     "It holds no teacher notes."},
    "es": {"page": "Página {page} de {pages}", "edition": {"teacher": "edición para docentes",
                                                          "student": "edición para estudiantes"},
           "cut": "Recorte por las líneas de puntos: una tarjeta por recuadro.", "card": "Tarjeta {n}",
           "contents": "Contenido", "starts": "página {page}", "guide": "", "packet": ""},
}
# The teacher edition's placeholder for an unset district detail, "[what: your district adds ...]":
# on paper it becomes a line to write on, labelled with what goes there.
PLACEHOLDER = re.compile(r"^\[(?P<what>[^:\]]+):")
TICK_BOXES = ("\u2610", "\u25a1")  # ☐ □: an answer to tick
KNOWN_FIELDS = set(DISTRICT_FIELDS.values()) | set(DISTRICT_FIELDS_ES.values())


class PdfError(Exception):
    pass


@dataclass
class Made:
    file: str
    title: str
    kind: str
    pages: int | None  # None: a copy of a PDF made by an earlier run
    promised: int | None
    source: str


@dataclass
class Report:
    made: dict[str, list[Made]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_plan(root: Path, edition: str) -> dict:
    import json

    site, plan = root / SITES[edition], root / DOCTREES[edition] / PLAN
    problem = failsafe.unbuilt(site, SITES[edition], edition, BUILD[edition],
                               also=", or scripts/pdf.sh, which builds both editions")
    if problem:
        raise PdfError(problem)
    if not plan.is_file() or plan.stat().st_mtime < (site / "index.html").stat().st_mtime - 60:
        raise PdfError(f"{DOCTREES[edition] / PLAN}: no plan of the PDFs from the last {edition} build; expected "
                       f"the build to write one (run {BUILD[edition]} again)")
    return json.loads(plan.read_text(encoding="utf-8"))


# ---- only local files --------------------------------------------------------------------------

def local_fetcher(allowed: list[Path], page: list[str]):
    """A WeasyPrint URL fetcher that reads files inside `allowed` folders and refuses anything else
    (another scheme, another host, a file elsewhere on disk), stopping the PDF with a message."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [Path(p).resolve() for p in allowed]

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(url2pathname(unquote(parts.path))).resolve() if parts.scheme == "file" else None
            why = ("an address that is not a file" if path is None
                   else "a file on another computer" if parts.netloc not in ("", "localhost")
                   else "a file outside the built book" if not any(path.is_relative_to(r) for r in roots)
                   else "no such file in the built book" if not path.is_file() else None)
            if why:
                raise FatalURLFetchingError(f"{page[0]}: the PDF would load {url} ({why}); expected only files of "
                                            "the built book: nothing is ever fetched from a network")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return LocalOnly()


# ---- from a built page to the HTML we print ----------------------------------------------------

def _fill_in(soup: BeautifulSoup, placeholder: Tag) -> None:
    found = PLACEHOLDER.match(placeholder.get_text().strip())
    what = found["what"].strip() if found else placeholder.get_text().strip("[] ")
    line = soup.new_tag("span", attrs={"class": "lk-fill-in"})
    line.append(soup.new_tag("span", attrs={"class": "lk-fill-in-line"}))
    label = soup.new_tag("span", attrs={"class": "lk-fill-in-label"})
    label.string = f"({what})"
    line.append(label)
    placeholder.replace_with(line)


JUNK_TAGS = {"script", "style", "noscript", "button", "nav", "link", "iframe"}
JUNK_CLASSES = {"lk-pdf-links", "lk-present-link", "toctree-wrapper"}


def clean(soup: BeautifulSoup, body: Tag, page: Path, site: Path) -> None:
    """Drop what only a screen needs, open every choice, make links work on paper.
    (Walks over the tags, not a CSS selector query for each rule: soupsieve matched every tag of the
    page once per query.)"""
    for el in body.find_all(True):
        if el.decomposed:
            continue  # inside something already dropped
        classes = el.get("class") or ()
        if el.name in JUNK_TAGS or JUNK_CLASSES.intersection(classes) or (el.name == "a" and "headerlink" in classes):
            el.decompose()
    for placeholder in body.find_all(class_="lk-placeholder"):
        _fill_in(soup, placeholder)
    tags = body.find_all(True)
    ids = {el["id"] for el in tags if el.has_attr("id")}
    resolved = page.resolve()
    for el in tags:
        classes = el.get("class") or ()
        if "pst-scrollable-table-container" in classes:
            el.unwrap()
            continue
        if el.name == "ul":
            items = el.find_all("li", recursive=False)
            if items and all(li.get_text().lstrip().startswith(TICK_BOXES) for li in items):
                el["class"] = list(classes) + ["lk-tick-list"]  # the box is the bullet
        elif el.name == "details":
            el["open"] = "open"
        if "visually-hidden" in classes or "sr-only" in classes:
            el["class"] = ["lk-print-note"]  # on paper, say it out loud: "A phrase to avoid:"
        if el.has_attr("src"):
            el["src"] = _local(el["src"], page, site)
        if el.name == "a" and el.has_attr("href"):
            href = el["href"].strip()
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                continue  # a help line or an organization's site: a live link in the PDF too
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else resolved
            fragment = unquote(parts.fragment)
            if target == resolved and fragment in ids:
                el["href"] = "#" + fragment
            else:
                el.unwrap()  # another page of the book: on paper, its words are enough


def _local(src: str, page: Path, site: Path) -> str:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return src  # the fetcher refuses it, and says where it was
    return (page.parent / unquote(parts.path)).resolve().as_uri()


def _cards(soup: BeautifulSoup, box: Tag, title: str, lang: str) -> Tag:
    """A card set as a sheet of cut-out cards: instructions, then one card per list item or table row."""
    words = WORDS[lang]
    sheet = soup.new_tag("section", attrs={"class": "lk-cards-sheet"})
    heading = soup.new_tag("h1")
    heading.string = title
    sheet.append(heading)
    cards: list[tuple[str | None, list]] = []
    for teacher in box.select(".lk-teacher"):
        teacher.decompose()  # an answer never goes on a card
    for child in [c for c in box.children if isinstance(c, Tag)]:
        if child.name in ("h2", "h3", "h4", "h5", "h6") and not cards and child is box.find(child.name):
            continue
        table = child if child.name == "table" else child.find("table") if child.name == "div" else None
        if child.name in ("ol", "ul"):
            start = int(child.get("start", 1))
            for i, item in enumerate(child.find_all("li", recursive=False)):
                label = words["card"].format(n=start + i) if child.name == "ol" else None
                cards.append((label, list(item.contents)))
        elif table is not None:
            for row in table.select("tbody tr") or table.select("tr")[1:]:
                cells = row.find_all(["td", "th"], recursive=False)
                if len(cells) >= 2:
                    label = cells[0].get_text(" ", strip=True)
                    label = words["card"].format(n=label) if len(label) <= 3 else label
                    cards.append((label, [c for cell in cells[1:] for c in list(cell.contents)]))
                elif cells:
                    cards.append((None, list(cells[0].contents)))
        elif not cards:
            sheet.append(copy.copy(child))  # the instructions above the cards
    how = soup.new_tag("p", attrs={"class": "lk-cards-cut"})
    how.string = "\u2702 " + words["cut"]
    sheet.append(how)
    grid = soup.new_tag("div", attrs={"class": "lk-cards"})
    row = None
    for i, (label, contents) in enumerate(cards):
        if i % 2 == 0:  # two cards a row, and a row never splits across pages
            row = soup.new_tag("div", attrs={"class": "lk-card-row"})
            grid.append(row)
        card = soup.new_tag("div", attrs={"class": "lk-card"})
        if label:
            tag = soup.new_tag("p", attrs={"class": "lk-card-label"})
            tag.string = label
            card.append(tag)
        text = soup.new_tag("div", attrs={"class": "lk-card-text"})
        for node in contents:
            text.append(copy.copy(node))
        card.append(text)
        foot = soup.new_tag("p", attrs={"class": "lk-card-from"})
        foot.string = title.removeprefix("Cards: ")
        card.append(foot)
        row.append(card)
    if len(cards) % 2:
        row.append(soup.new_tag("div", attrs={"class": "lk-card-none"}))  # keeps the last card half wide
    sheet.append(grid)
    return sheet


ARTICLE = re.compile(r'<article class="bd-article"[^>]*>.*</article>', re.DOTALL)


def _article_html(page: Path) -> str:
    """Only the page's article: the theme's navigation around it is most of the file."""
    text = page.read_text(encoding="utf-8")
    found = ARTICLE.search(text)
    return found.group(0) if found else text


@dataclass
class Sheet:
    """The HTML we print, with the title and language its footer uses."""
    html: str
    title: str
    lang: str


def page_document(site: Path, entry: dict, plan: dict) -> Sheet:
    """The HTML we print for one planned PDF."""
    page = site / entry["html"]
    soup = BeautifulSoup(_article_html(page), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    body = article.find(id=entry["select"]) if entry.get("select") else article
    if body is not None and body.name == "span" and not body.contents:
        body = body.parent  # a label's id stands in an empty span at the top of its section
    if body is None:
        raise PdfError(f"{entry['source']}: no element with id {entry['select']!r} in {entry['html']}; expected "
                       "the built page to hold it (build the edition again)")
    lang = entry.get("lang") or plan["language"]
    clean(soup, body, page, site)
    if entry["kind"] == "cards":
        body = _cards(soup, body, entry["title"], lang if lang in WORDS else "en")
    elif entry["kind"] == "form":
        # a form is what goes to the person who fills it in: a survey's scoring key stays on the page
        for teacher in body.select(".lk-teacher"):
            teacher.decompose()
        heading = body.find(re.compile(r"^h[1-6]$"))
        if heading is not None:
            heading.name = "h1"  # the form's own heading tops the sheet (and the outline)
    edition = WORDS.get(lang, WORDS["en"])["edition"][plan["edition"]]
    kind = entry["kind"] + (f" lk-band-{entry['band']}" if entry.get("band") else "")
    return wrap(str(body) if body is not article else article.decode_contents(), entry["title"], lang,
                plan, kind, f"{plan['book']} ({edition})")


def wrap(content: str, title: str, lang: str, plan: dict, kind: str, book: str) -> Sheet:
    from html import escape

    return Sheet(f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
                 f"<title>{escape(title)} · {escape(book)}</title>"
                 f'<meta name="author" content="{escape(plan.get("author") or plan["book"])}">'
                 f'<meta name="generator" content="lessonkit">'
                 f'</head><body class="lk-pdf lk-pdf-{kind}">{content}</body></html>', f"{title} · {book}", lang)


def cover(entry: dict, plan: dict, members: list[tuple[str, int]]) -> Sheet:
    """The first page of a teacher guide or student packet: what it is, and where each part starts."""
    from html import escape

    lang = entry["lang"] if entry["lang"] in WORDS else "en"
    words = WORDS[lang]
    edition = words["edition"][plan["edition"] if entry["kind"] == "guide" else "student"]
    rows, page = [], 2
    for title, pages in members:
        rows.append(f"<li>{escape(title)} <span class=\"lk-contents-page\">{words['starts'].format(page=page)}"
                    "</span></li>")
        page += pages
    made = dt.date.today().isoformat()
    body = (f'<section class="lk-cover"><p class="lk-cover-book">{escape(plan["book"])}</p>'
            f"<h1>{escape(entry['title'])}</h1><p class=\"lk-cover-about\">{escape(words[entry['kind']])}</p>"
            f"<h2>{words['contents']}</h2><ol class=\"lk-contents\">{''.join(rows)}</ol>"
            f'<p class="lk-cover-made">{escape(plan["book"])}, {escape(edition)}, {made}. Content CC BY-SA 4.0.</p>'
            "</section>")
    return wrap(body, entry["title"], lang, plan, "cover", f"{plan['book']} ({edition})")


# ---- laying out and writing ---------------------------------------------------------------------

class Renderer:
    """One per worker process: the fonts and the parsed print stylesheet serve every PDF it makes."""

    def __init__(self, root: Path):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.root = root
        self.fonts = FontConfiguration()
        self.page = ["(no page yet)"]
        self.CSS = CSS
        # print.css loads nothing (the fonts are the system's), so one parse serves every site
        self.css = CSS(string=PRINT_CSS.read_text(encoding="utf-8"), base_url=HERE.as_uri() + "/",
                       url_fetcher=local_fetcher([HERE], self.page), font_config=self.fonts)

    def _footer(self, lang: str, running: str | None):
        words = WORDS.get(lang, WORDS["en"])["page"].format(page='" counter(page) "', pages='" counter(pages) "')
        left = "none" if running is None else '"' + running.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return self.CSS(string=f'@page {{ @bottom-right {{ content: "{words}"; }} @bottom-left {{ content: {left}; }} }}',
                        font_config=self.fonts)

    def layout(self, sheet: Sheet, site: Path, where: str):
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        self.page[0] = where
        fetcher = local_fetcher([site, HERE], self.page)
        try:
            return HTML(string=sheet.html, base_url=site.as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=[self.css, self._footer(sheet.lang, sheet.title)], font_config=self.fonts,
                pdf_variant="pdf/ua-1")
        except FatalURLFetchingError as exc:
            raise PdfError(str(exc)) from None

    def numbered(self, pages: list, lang: str) -> list:
        """The pages of a guide or packet with footers that number the whole document ("Page 17 of 83"),
        not the lesson or handout each page was laid out in. The footers come from a document of as
        many empty pages, each of the same named page (so its margins, and its footer's place, match):
        laid out by WeasyPrint like any footer, and far cheaper than laying every lesson out again."""
        from html import escape
        from weasyprint import HTML

        kinds = [getattr(page._page_box.page_type, "name", "") or "" for page in pages]
        body = "".join(f'<div style="page: {escape(name) or "auto"}; break-before: page"></div>' for name in kinds)
        blank = HTML(string=f'<!DOCTYPE html><html lang="{escape(lang)}"><body>{body}</body></html>').render(
            stylesheets=[self.css, self._footer(lang, None)], font_config=self.fonts, pdf_variant="pdf/ua-1")
        if len(blank.pages) != len(pages):  # never a footer on the wrong page
            raise PdfError(f"numbering {len(pages)} pages laid out {len(blank.pages)}; expected one page each")
        out = []
        for page, empty in zip(pages, blank.pages):
            footer = [box for box in empty._page_box.children if getattr(box, "at_keyword", None) == "@bottom-right"]
            box = copy.copy(page._page_box)
            box.children = tuple([child for child in box.children
                                  if getattr(child, "at_keyword", None) != "@bottom-right"] + footer)
            page = copy.copy(page)
            page._page_box = box
            out.append(page)
        return out

    def write(self, document, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(target, pdf_variant="pdf/ua-1")


def combined(documents: list, metadata_from, title: str, lang: str, pages: list | None = None):
    from weasyprint.document import Document

    first = documents[0]
    meta = copy.copy(metadata_from.metadata)
    meta.title, meta.lang = title, lang
    pages = pages if pages is not None else [p for doc in documents for p in doc.pages]
    return Document(pages, meta, first.url_fetcher, first.font_config, first.color_profiles,
                    getattr(first, "output_intent", None))


# roughly the seconds a worker spends on each kind of PDF (layout and writing; a guide or packet draws
# its parts' pages again), measured on the book: the pool starts the longest work first
WEIGHT = {"lesson": 5, "guide": 8, "packet": 1, "handout": 1.5, "form": 1.5, "cards": .7, "page": .7}


def groups(plan: dict) -> list[list[dict]]:
    """The work in pieces one process each can do alone: a band's lessons with its teacher guide, a
    band's handouts with its student packet, a lesson in no guide on its own, and the rest by kind."""
    docs = plan["documents"]
    owner = {f: e["file"] for e in docs if "combine" in e and not e.get("from_student") for f in e["combine"]}
    out: dict[str, list[dict]] = {}
    for entry in docs:
        if entry.get("from_student"):
            continue  # the student edition's own packet, copied at the end
        alone = entry["file"] if "combine" in entry or entry["kind"] == "lesson" else entry["kind"]
        out.setdefault(owner.get(entry["file"], alone), []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: "combine" in e)  # a guide or packet after the pages it puts together
    return list(out.values())


def weight(group: list[dict]) -> float:
    return sum(WEIGHT.get(e["kind"], 1) for e in group)


_RENDERER: list = []


def run_group(root: Path, edition: str, plan: dict, entries: list[dict], out: Path) -> tuple[list[Made], list[str]]:
    """Lay out and write one group of PDFs (in a worker process: WeasyPrint's objects stay here)."""
    if not _RENDERER:
        _RENDERER.append(Renderer(root))
    renderer = _RENDERER[0]
    site = root / SITES[edition]
    laid: dict[str, tuple] = {}
    made: list[Made] = []
    problems: list[str] = []
    for entry in entries:
        if "combine" in entry:
            parts = [laid[f] for f in entry["combine"] if f in laid]
            front = renderer.layout(cover(entry, plan, [(e["title"], len(d.pages)) for d, e in parts]), site,
                                    entry["source"])
            docs = [front] + [d for d, _ in parts]
            pages = renderer.numbered([p for d in docs for p in d.pages], entry["lang"])
            doc = combined(docs, front, front.metadata.title, entry["lang"], pages)
        else:
            doc = renderer.layout(page_document(site, entry, plan), site, entry["source"])
            laid[entry["file"]] = (doc, entry)
        renderer.write(doc, out / entry["file"])
        made.append(Made(entry["file"], entry["title"], entry["kind"], len(doc.pages), entry["pages"], entry["source"]))
        if entry["pages"] is not None and len(doc.pages) > entry["pages"]:
            promise = ("`pages:` in its front matter, 1 if unset" if entry["kind"] != "form"
                       else f"`forms:` in the page's front matter, for {entry['select']}")
            problems.append(f"{entry['source']}: its {edition}-edition PDF ({entry['file']}) runs to {len(doc.pages)} "
                            f"pages; expected at most {entry['pages']} (what it promises: {promise}). Shorten it, or "
                            "promise more pages if it truly needs them")
    return made, problems


def copy_packets(root: Path, teacher_out: Path, student_out: Path, report: Report) -> None:
    plan = load_plan(root, "teacher")
    for entry in plan["documents"]:
        if entry.get("from_student"):
            source = student_out / entry["file"]
            if not source.is_file():
                report.problems.append(f"{entry['file']}: the student edition made no such packet; expected "
                                       "the student edition to list the same handouts (build both editions again)")
                continue
            shutil.copyfile(source, teacher_out / entry["file"])
            pages = next((m.pages for m in report.made.get("student", []) if m.file == entry["file"]), None)
            report.made["teacher"].append(Made(entry["file"], entry["title"], "packet", pages, None,
                                               "copied from the student edition"))


LINKS = re.compile(r'<p class="lk-pdf-links">.*?</p>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


def unmade_links(site: Path, made: Path) -> list[tuple[str, str]]:
    """(page, href) for every "PDF" link of an edition's pages whose file is not among those made
    (`made` holds the run's pdf/ folder, as the site will)."""
    out = []
    for page in sorted(site.rglob("*.html")):
        for line in LINKS.findall(page.read_text(encoding="utf-8")):
            for href in HREF.findall(line):
                target = (page.parent / unquote(urlsplit(href).path)).resolve()
                inside = target.is_relative_to(site.resolve())
                if not inside or not (made / target.relative_to(site.resolve())).is_file():
                    out.append((page.relative_to(site).as_posix(), href))
    return out


def missing_links(site: Path, made: Path) -> list[str]:
    return [f"{page}: its PDF link to {href} has no file; expected the PDF run to make every PDF the pages "
            "link to (build both editions again)" for page, href in unmade_links(site, made)]


def make(root: Path, editions: list[str], jobs: int | None = None) -> Report:
    """Make every planned PDF of the editions (in `jobs` processes), into staging folders that replace
    each edition's pdf/ only when all is well."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    root = Path(root)
    report = Report()
    started = time.perf_counter()
    plans = {edition: load_plan(root, edition) for edition in editions}  # every build checked first
    try:
        import weasyprint  # noqa: F401 (it loads Pango as it is imported)
    except OSError as exc:
        raise PdfError(f"The PDFs need Pango and the DejaVu fonts; loading Pango failed ({exc}); expected them "
                       "installed (on Debian or Ubuntu: sudo bash scripts/system-deps.sh pdf)") from None
    order = [e for e in ("student", "teacher") if e in editions]
    parts = {e: root / STAGING / e for e in order}  # each holds pdf/, as the site will
    for edition in order:
        shutil.rmtree(parts[edition], ignore_errors=True)
        (parts[edition] / FOLDER).mkdir(parents=True)
        report.made[edition] = []
    # biggest first across both editions, so no long group starts last while the other workers idle
    work = sorted(((edition, group) for edition in order for group in groups(plans[edition])),
                  key=lambda item: -weight(item[1]))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    # spawn, not fork: Pango and GLib do not survive a fork
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        futures = [(edition, pool.submit(run_group, root, edition, plans[edition], group, parts[edition]))
                   for edition, group in work]
        for edition, future in futures:
            made, problems = future.result()
            report.made[edition] += made
            report.problems += problems
    for edition in order:
        files = [e["file"] for e in plans[edition]["documents"]]
        report.made[edition].sort(key=lambda m: files.index(m.file))
    if "teacher" in order:
        student = parts["student"] if "student" in order else root / SITES["student"]
        copy_packets(root, parts["teacher"], student, report)
    for edition in order:
        report.problems += [f"{SITES[edition]}/{p}" for p in missing_links(root / SITES[edition], parts[edition])]
    for edition in order:
        final = root / SITES[edition] / FOLDER
        shutil.rmtree(final, ignore_errors=True)  # never PDFs that no longer match the pages
        if report.problems:
            failed = root / FAILED / edition
            shutil.rmtree(failed, ignore_errors=True)
            failed.parent.mkdir(parents=True, exist_ok=True)
            (parts[edition] / FOLDER).replace(failed)
            continue
        (parts[edition] / FOLDER).replace(final)
    shutil.rmtree(root / STAGING, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report

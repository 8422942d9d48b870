"""Standards labelled honestly: every entry names its edition, strand-level entries say so, and
pages show both. Bad registry entries and bad citations get a `path:line: field: ...` message."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import MINIBOOK, REPO, copy_book, output
from lessonkit.lint import lint
from lessonkit.standards import STRAND_LEVEL_NOTE
from lessonkit.vocab import STRAND_LEVEL_LABEL

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
LESSON_PAGE = "lessons/grades-6-8/01-fixture-lesson.html"
REGISTRY = "data/standards.yml"
FIXTURE_STANDARDS = "standards: [CASEL-RS, ISTE-2b, NHES.4]"
IV_68 = "Interpersonal Violence strand, grades 6–8"
IV_68_SUMMARY = "Interpersonal violence, such as abuse, harassment, coercion and exploitation, and getting help."


def _entry_block(text: str, code: str) -> str:
    """The lines of one registry entry, from its '- code:' line to the next entry."""
    start = text.index(f"- code: {code}\n")
    end = text.find("\n- code: ", start + 1)
    return text[start:end + 1 if end != -1 else len(text)]


def _edit_entry(book, code: str, old: str, new: str) -> None:
    text = book.path(REGISTRY).read_text(encoding="utf-8")
    block = _entry_block(text, code)
    assert old in block, f"{old!r} not in the {code} entry"
    book.path(REGISTRY).write_text(text.replace(block, block.replace(old, new, 1), 1), encoding="utf-8")


def _where(book, code: str, field: str) -> tuple[int, int]:
    """(index of the entry, line of `field` in it, or of the entry when the field is missing)."""
    text = book.path(REGISTRY).read_text(encoding="utf-8")
    codes = [s["code"] for s in yaml.safe_load(text)["standards"]]
    lines = text.splitlines()
    start = lines.index(f"- code: {code}")
    for number in range(start, len(lines)):
        if number > start and lines[number].startswith("- code: "):
            break
        if lines[number].lstrip("- ").startswith(f"{field}:"):
            return codes.index(code), number + 1
    return codes.index(code), start + 1


# ---- the registry: edition and level are checked, with file, line and field ------------------

REGISTRY_CASES = {
    "missing edition": ("NHES.4", "  edition: 2007 edition\n", "", "edition",
                        "found nothing; expected the edition this entry belongs to, e.g. '2nd edition, 2020'"),
    "edition without a year": ("NHES.4", "  edition: 2007 edition\n", "  edition: 2nd edition\n", "edition",
                               "found '2nd edition'; expected the edition with its year"),
    "missing level": ("ISTE-2b", "  level: code\n", "", "level",
                      "found nothing; expected this field (it is required)"),
    "strand entry not marked strand-level": (
        "NSES-IV-6-8", "  level: strand\n  strand: Interpersonal Violence\n", "  level: code\n", "level",
        "found 'code' for 'NSES-IV-6-8', which is a strand id; expected level: strand"),
    "code entry that names a strand": (
        "NHES.4", "  level: code\n", "  level: code\n  strand: Interpersonal Violence\n", "strand",
        "found 'Interpersonal Violence' on an entry with level: code; expected no strand name"),
    "strand-level entry without its strand's name": (
        "NSES-IV-6-8", "  strand: Interpersonal Violence\n", "", "strand",
        "found nothing; expected the name of the strand a strand-level entry covers"),
    "strand-level entry with a guessed indicator code": (
        "NSES-IV-6-8", "- code: NSES-IV-6-8\n", "- code: IV.8.CC.1\n", "code",
        "found 'IV.8.CC.1' on a strand-level entry for grades 6-8; expected a strand id NSES-<strand letters>-6-8"),
    "strand id for another band": (
        "NSES-CHR-6-8", "  - 6-8\n", "  - 3-5\n", "code",
        "found 'NSES-CHR-6-8' on a strand-level entry for grades 3-5; expected a strand id NSES-<strand letters>-3-5"),
    "strand-level entry for two bands": (
        "NSES-CHR-6-8", "  - 6-8\n", "  - 6-8\n  - 9-12\n", "bands",
        "found a list of 2 on a strand-level entry; expected exactly one band"),
}


@pytest.mark.parametrize("case", sorted(REGISTRY_CASES))
def test_bad_standards_entry_is_reported_with_file_line_and_field(minibook, case):
    code, old, new, field, message = REGISTRY_CASES[case]
    _edit_entry(minibook, code, old, new)
    if code == "NSES-IV-6-8" and field == "code":
        code = "IV.8.CC.1"
    index, line = _where(minibook, code, field)
    proc = minibook.check()
    text = output(proc)
    assert proc.returncode == 1, text
    assert f"{REGISTRY}:{line}: standards[{index}].{field}: {message}" in text, text
    assert "Traceback" not in text


def test_the_real_registry_labels_every_edition():
    entries = yaml.safe_load((REPO / REGISTRY).read_text(encoding="utf-8"))["standards"]
    for entry in entries:
        assert re.search(r"\b(19|20)\d\d\b|\bundated\b", entry["edition"]), entry["code"]
        if re.fullmatch(r"NHES\.\d", entry["code"]):
            assert entry["edition"] == "2007 edition", entry["code"]
        if entry["code"].startswith("NHES2024."):
            assert "2024" in entry["edition"] and entry["publisher"] == "SHAPE America", entry["code"]
    strands = {e["code"]: e for e in entries if e["level"] == "strand"}
    assert {"NSES-CHR-6-8", "NSES-CHR-9-12", "NSES-IV-6-8", "NSES-IV-9-12"} <= set(strands)
    # never a guessed code: the placeholders of the research ("IV.8.CC.?") are not in the registry
    assert not [e["code"] for e in entries if "?" in e["code"] or re.match(r"IV\.|CHR\.(8|12)\.", e["code"])]


# ---- citing: only verified entries, for the lesson's band -----------------------------------

def _line_of(book, rel: str, start: str) -> int:
    return next(i for i, text in enumerate(book.path(rel).read_text().splitlines(), 1) if text.startswith(start))


def test_a_lesson_may_cite_a_verified_strand_level_entry(minibook):
    minibook.edit(LESSON, FIXTURE_STANDARDS, "standards: [NSES-IV-6-8, NSES-CHR-6-8, CASEL-RS]")
    proc = minibook.check()
    assert proc.returncode == 0, output(proc)


@pytest.mark.parametrize("cited, message", [
    ("IV.8.CC.1", "lesson.standards[0]: found 'IV.8.CC.1', which is not in data/standards.yml; expected a code "
                  "from the standards registry"),
    ("NSES-IV-9-12", "lesson.standards[0]: found 'NSES-IV-9-12', a standard for grades 9-12; expected a code "
                     "that fits grades 6-8"),
    ("NSES-IV-6-8", "lesson.standards[0]: found 'NSES-IV-6-8', which the registry marks unverified; expected a "
                    "verified code"),
])
def test_citing_a_guessed_unverified_or_other_band_entry_fails(minibook, cited, message):
    if cited == "NSES-IV-6-8":
        _edit_entry(minibook, cited, "  status: verified\n", "  status: unverified\n")
    minibook.edit(LESSON, FIXTURE_STANDARDS, f"standards: [{cited}, CASEL-RS]")
    proc = minibook.check()
    text = output(proc)
    assert proc.returncode == 1, text
    assert f"{LESSON}:{_line_of(minibook, LESSON, '  standards:')}: {message}" in text, text
    assert "Traceback" not in text


# ---- pages: the edition next to every code; strand-level entries labelled --------------------

@pytest.fixture(scope="module")
def strand_book(tmp_path_factory):
    book = copy_book(MINIBOOK, tmp_path_factory.mktemp("strand") / "book", with_repo_data=True)
    book.edit(LESSON, FIXTURE_STANDARDS, "standards: [NSES-IV-6-8, CASEL-RS, ISTE-2b, NHES.4]")
    proc = book.build()
    assert proc.returncode == 0, output(proc)
    return book


def _items(container, selector: str = "li") -> dict[str, str]:
    """Each list item's (or table cell's) bold name -> its whole text."""
    return {item.select_one("strong").get_text(): item.get_text().strip()
            for item in container.select(selector) if item.select_one("strong")}


def test_glance_panel_shows_editions_and_the_strand_level_label(strand_book):
    panel = strand_book.article(LESSON_PAGE).select_one("#lesson-at-a-glance")
    field = next(dt for dt in panel.select("dt") if dt.get_text(strip=True) == "Standards").find_next_sibling("dd")
    items = _items(field)
    assert items[IV_68] == (f"{IV_68} (National Sex Education Standards, 2nd edition, 2020; {STRAND_LEVEL_LABEL}): "
                            f"{IV_68_SUMMARY}")
    assert items["NHES.4"].startswith("NHES.4 (National Health Education Standards, 2007 edition): Use interpersonal")
    assert items["ISTE-2b"].startswith("ISTE-2b (ISTE Standards for Students, 2016 edition): ")
    assert items["CASEL-RS"].startswith("CASEL-RS (CASEL 5 SEL competencies, current definitions, undated): ")
    assert field.select_one("li em.lk-strand-level").get_text() == STRAND_LEVEL_LABEL
    # a strand-level entry shows no code-like id that could be copied as if it were an NSES code
    assert "NSES-IV-6-8" not in panel.get_text()


def test_alignment_page_shows_editions_and_explains_strand_level_rows(strand_book):
    page = strand_book.article("book/overview.html")
    table = next(t for t in page.select("table.lk-table") if "standards by lesson" in t.get_text())
    rows = _items(table, "tbody td")
    assert rows[IV_68].startswith(f"{IV_68} (National Sex Education Standards, 2nd edition, 2020; "
                                  f"{STRAND_LEVEL_LABEL}): ")
    assert rows["NHES.4"].startswith("NHES.4 (National Health Education Standards, 2007 edition): ")
    assert table.select_one("em.lk-strand-level") is not None
    text = page.get_text(" ", strip=True)
    assert STRAND_LEVEL_NOTE in text
    key = [li.get_text(strip=True) for li in page.select("ul.lk-editions li")]
    assert "National Sex Education Standards, 2nd edition, 2020, published by Future of Sex Education Initiative " \
           "(FoSE)" in key
    assert "National Health Education Standards, 2007 edition, published by Joint Committee on National Health " \
           "Education Standards" in key
    # the entries no lesson cites are listed with their editions too
    unused = _items(page.select_one("ul.lk-unused"))
    assert unused["NHES2024.1"] == "NHES2024.1 (National Health Education Standards, 2024 edition, SHAPE America)"
    assert unused["NHES.1"] == "NHES.1 (National Health Education Standards, 2007 edition)"
    assert unused["Interpersonal Violence strand, grades 9–12"].endswith(f"{STRAND_LEVEL_LABEL})")


def test_alignment_page_explains_strand_level_only_when_a_row_is(tmp_path):
    book = copy_book(MINIBOOK, tmp_path / "book", with_repo_data=True)  # the fixture cites no strand
    proc = book.build()
    assert proc.returncode == 0, output(proc)
    page = book.article("book/overview.html")
    assert STRAND_LEVEL_NOTE not in page.get_text(" ", strip=True)
    assert "NHES.4 (National Health Education Standards, 2007 edition)" in page.get_text(" ", strip=True)


# ---- the lint: strand-level ids typed into prose are checked too ------------------------------

FAMILY = "Talk about who you would tell."


def _new_findings(book, new):
    before = {(f.path, f.rule, f.message) for f in lint(book.root)[0]}
    book.edit(LESSON, FAMILY, new)
    return [f for f in lint(book.root)[0] if (f.path, f.rule, f.message) not in before]


@pytest.mark.parametrize("prose, message", [
    ("This meets NSES-IV-6-8 too.", None),
    ("This meets NSES-CHR-3-5 too.", "standards code NSES-CHR-3-5 is not in data/standards.yml"),
    ("This meets NHES2024.4 too.", "standards code NHES2024.4 is not in data/standards.yml"),
    ("This meets NSES-CHR-9-12 unverified.", "standards code NSES-CHR-9-12 is marked unverified"),
])
def test_lint_checks_strand_ids_and_2024_codes_in_prose(minibook, prose, message):
    if "unverified" in prose:
        _edit_entry(minibook, "NSES-CHR-9-12", "  status: verified\n", "  status: unverified\n")
        prose = prose.replace(" unverified", "")
    found = _new_findings(minibook, prose)
    if message is None:
        assert found == []
    else:
        assert [f.rule for f in found] == ["reg-standard"], found
        assert message in found[0].message
        assert found[0].line == _line_of(minibook, LESSON, prose)

"""A family part in Spanish on an English handout: `{family-connection}` with `:lang: es`."""
from __future__ import annotations

from test_build import assert_failed
from lessonkit.source import read_page, student_text

HANDOUT = "activities/grades-6-8/handout-fixture.md"
PAGE = "activities/grades-6-8/handout-fixture.html"

ENGLISH = """
:::{family-connection}
For my family: ask me what the steps are, and report with {resource}`cybertipline`.
:::
"""
SPANISH = """
:::{family-connection}
:lang: es

Para mi familia: pregúnteme cuáles son los pasos. Puede reportar con {resource}`cybertipline`.

```{help-steps}
```
:::
"""


def add_family_parts(book, spanish: str = SPANISH) -> None:
    path = book.path(HANDOUT)
    path.write_text(path.read_text(encoding="utf-8") + ENGLISH + spanish, encoding="utf-8")


def test_spanish_family_part_is_marked_and_worded_in_spanish(minibook):
    add_family_parts(minibook)
    for edition in ("teacher", "student"):
        proc = minibook.build(edition)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        parts = minibook.article(PAGE, edition).select("div.lk-family")
        assert len(parts) == 2
        english, spanish = parts
        assert english.get("lang") is None and "Family connection" in english.get_text()
        # screen readers switch voice for the block, and its heading and help steps are Spanish
        assert spanish["lang"] == "es"
        assert "Para la familia" in spanish.get_text()
        assert "Deja de responder" in spanish.get_text()
        assert "Stop replying" not in spanish.get_text()
        # the page itself stays English, and so does the rest of its help wording
        assert minibook.soup(PAGE, edition).html["lang"] == "en"
        assert "Deja de responder" not in minibook.article(PAGE, edition).select_one("ol.lk-help-steps").get_text()


def test_unknown_family_language_names_file_option_and_choices(minibook):
    add_family_parts(minibook, SPANISH.replace(":lang: es", ":lang: fr"))
    proc = minibook.build()
    assert_failed(minibook, proc, f"{HANDOUT}:",
                  "the {family-connection} :lang: option: found 'fr'; expected one of 'en', 'es'")


def test_reading_level_measures_only_the_english_text(tmp_path):
    page = tmp_path / "handout-x.md"
    page.write_text("# Handout\n\nI can tell.\n" + ENGLISH + SPANISH, encoding="utf-8")
    text = student_text(read_page(page))
    assert "I can tell." in text and "For my family" in text
    assert "pregúnteme" not in text and "Para mi familia" not in text

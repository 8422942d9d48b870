"""The help steps come from data/help-steps.yml: rendered in order, in the page's language, and a
hand-typed copy is caught by the lint."""
from __future__ import annotations

import pytest
import yaml

from conftest import REPO, assert_only_failure_page, output
from lessonkit.lint import lint

HANDOUT = "activities/grades-6-8/handout-fixture.md"
LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
DATA = yaml.safe_load((REPO / "data/help-steps.yml").read_text(encoding="utf-8"))["bands"]


def _straight(text: str) -> str:
    """The build prints typographic apostrophes; the data has straight ones."""
    return text.replace("\u2019", "'")


def test_handout_lists_the_bands_steps_in_order(built_minibook):
    article = built_minibook.article("activities/grades-6-8/handout-fixture.html")
    steps = article.select("ol.lk-help-steps > li")
    assert [_straight(li.strong.get_text()) for li in steps] == [s["title"] for s in DATA["6-8"]["steps"]]
    # roles inside the data render as links and names from the resources registry
    assert "NCMEC CyberTipline" in steps[-1].get_text()
    line = article.select_one(".lk-help-steps-line").get_text()
    assert _straight(line) == "; ".join(s["short"] for s in DATA["6-8"]["steps"])


def test_telling_a_trusted_adult_comes_right_after_stopping(built_minibook):
    for band in DATA.values():
        assert [s["key"] for s in band["steps"]][:2] == ["stop", "tell"]


def test_spanish_page_gets_the_spanish_steps(minibook):
    minibook.path("book/espanol.md").write_text(
        minibook.path("book/espanol.md").read_text(encoding="utf-8")
        + "\n```{help-steps}\n:band: 3-5\n```\n\nEn una línea: {help-steps}`3-5`.\n", encoding="utf-8")
    assert minibook.build().returncode == 0
    article = minibook.article("book/espanol.html")
    assert [li.strong.get_text() for li in article.select("ol.lk-help-steps > li")] == \
        [s["es"]["title"] for s in DATA["3-5"]["steps"]]
    assert "deja de responder y no envíes nada; cuéntaselo enseguida" in article.get_text()


@pytest.mark.parametrize("page, text, expected", [
    ("book/teacher-page.md", "\n```{help-steps}\n```\n",
     "book/teacher-page.md:{line}: WARNING: help steps: this page is not a lesson or a handout in a grades-N "
     "folder, so it needs a band; expected e.g. ':band: 6-8'"),
    ("book/teacher-page.md", "\n```{help-steps}\n:band: 7-9\n```\n",
     "WARNING: help steps: found the band '7-9'; expected one of 3-5, 6-8, 9-12"),
    (LESSON, "\nSteps: {help-steps}`9-12`.\n",
     "WARNING: help steps: found the band '9-12' on a grades 6-8 page; expected '6-8'"),
])
def test_help_steps_without_a_usable_band_fail_the_build(minibook, page, text, expected):
    original = minibook.path(page).read_text(encoding="utf-8")
    minibook.path(page).write_text(original + text, encoding="utf-8")
    line = len(original.splitlines()) + 2
    proc = minibook.build()
    assert proc.returncode != 0
    assert expected.format(line=line) in output(proc), output(proc)[-3000:]
    assert_only_failure_page(minibook)


@pytest.mark.parametrize("old, new, expected", [
    ('  "9-12":\n    steps:\n', '  "9-11":\n    steps:\n',
     "data/help-steps.yml:{line}: bands.9-11.[key]: found '9-11'; expected '3-5', '6-8' or '9-12'"),
    ('        detect: "\\\\bkeep telling\\\\b"\n', '        detect: "(keep telling"\n',
     "data/help-steps.yml:{line}: bands.3-5.steps[3].detect: found '(keep telling', which is not a valid regular expression"),
    ("          short: guarda el chat (no lo borres)\n", "",
     # a missing field points at its parent's line (the es: block)
     "data/help-steps.yml:{es_line}: bands.3-5.steps[2].es.short: found nothing; expected this field (it is required)"),
])
def test_bad_help_steps_data_is_reported(minibook, old, new, expected):
    lines = minibook.path("data/help-steps.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index(old.splitlines()[0]) + 1
    minibook.edit("data/help-steps.yml", old, new)
    proc = minibook.check()
    text = output(proc)
    assert proc.returncode == 1 and "OK:" not in text
    es_line = max(i for i, text in enumerate(lines[:line], start=1) if text.strip() == "es:")
    assert expected.format(line=line, es_line=es_line) in text, text
    assert "Traceback" not in text


HAND_TYPED = ("If this happens: stop replying, tell a trusted adult, don't pay, keep the evidence and "
              "block and report the account.")


def _steps_findings(book):
    return [f for f in lint(book.root)[0] if f.rule == "reg-help-steps"]


def test_lint_flags_hand_typed_steps(minibook):
    assert _steps_findings(minibook) == []
    minibook.edit(LESSON, "Talk about who you would tell.", HAND_TYPED)
    found = _steps_findings(minibook)
    assert [(f.path, f.line) for f in found] == [
        (LESSON, minibook.path(LESSON).read_text().splitlines().index(HAND_TYPED) + 1)]
    assert "block, evidence, pay, stop, tell" in found[0].message


def test_lint_flags_a_hand_typed_numbered_list(minibook):
    minibook.path(HANDOUT).write_text("# Handout: Fixture steps\n\n1. Stop replying.\n2. Tell a trusted adult.\n"
                                      "3. Do not pay.\n4. Block and report.\n", encoding="utf-8")
    assert [(f.path, f.line) for f in _steps_findings(minibook)] == [(HANDOUT, 3)]


@pytest.mark.parametrize("text", [
    "Jun could stop replying and tell a trusted adult.",  # a character's two actions: narrative
    "| Threat | A deadline | Stop replying. Tell an adult. Block and report. |",  # a table row naming three
    "What to do: {help-steps}`6-8`.",
])
def test_lint_leaves_narrative_and_the_role_alone(minibook, text):
    minibook.edit(LESSON, "Talk about who you would tell.", text)
    assert _steps_findings(minibook) == []

"""The source lint: each rule fails on a known-bad input, with a stable rule id and a useful line."""
from __future__ import annotations

import re

import pytest

from conftest import REPO, output
from lessonkit.lint import lint

LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
SCENARIO = "activities/grades-6-8/scenario-fixture.md"
FAMILY = "Talk about who you would tell."


def _new_findings(book, path, old, new):
    before = {(f.path, f.rule, f.message) for f in lint(book.root)[0]}
    book.edit(path, old, new)
    return [f for f in lint(book.root)[0] if (f.path, f.rule, f.message) not in before]


@pytest.mark.parametrize("new, rule", [
    ("Why did you send that picture? You should have known better.", "sm-blame"),
    ("Just don't send pictures and you will be fine.", "sm-abstinence"),
    ("Once it is online it is out there forever.", "sm-forever"),
    ("A picture like that will ruin your life.", "sm-ruin"),
    ("If you send one you will be arrested.", "sm-legal-threat"),
    ("If they threaten you, just pay them.", "sm-pay"),
    ("Then delete the chat right away.", "sm-delete-evidence"),
    ("Screenshot the nude so you have proof.", "sm-copy-image"),
    ("Tell the student: I promise I won't tell anyone.", "sm-secrecy-promise"),
    ("Take away their phone until this blows over.", "sm-confiscate"),
    ("A boy in another state committed suicide.", "sm-suicide-language"),
    ("This is a form of revenge porn.", "sm-stigma-term"),
    ("Raise your hand if this has happened to you.", "sm-disclosure-prompt"),
    ("Trigger warning: this will be disturbing.", "sm-trigger-warning"),
    ("Remember: stranger danger!", "sm-stranger-danger"),
    ("Call 1-800-843-5678 for help.", "reg-phone"),
    ("You can call or text 988 at any time.", "reg-phone"),
    ("Or text HOME to 741741.", "reg-shortcode"),
    ("Go to takeitdown.ncmec.org for help.", "reg-help-url"),
    ("See https://example.org/help for more.", "reg-help-url"),
    ("This meets CHR.10.CC.1 too.", "reg-standard"),
])
def test_each_rule_catches_its_bad_wording(minibook, new, rule):
    found = _new_findings(minibook, LESSON, FAMILY, new)
    assert [f.rule for f in found] == [rule], found
    assert found[0].path == LESSON
    line = minibook.path(LESSON).read_text().splitlines().index(new) + 1
    assert found[0].line == line


@pytest.mark.parametrize("new", [
    "Do not take the phone away as a punishment.",
    "Never pay them; paying rarely ends it.",
    "Block the account, but do not delete the chat.",
    "If a student says {avoid}`why did you send it?`, answer calmly.",
    "Use {resource}`lifeline-988` or {resource}`cybertipline:url`.",
])
def test_advice_against_harm_and_marked_quotes_pass(minibook, new):
    assert _new_findings(minibook, LESSON, FAMILY, new) == []


def test_an_offender_may_threaten_only_inside_a_scenario(minibook):
    threat = ":::{offender} Rio\nPay now or this will ruin your life.\n:::\n"
    inside = _new_findings(minibook, SCENARIO, "The person asks for a picture and sends one first.\n",
                           "The person asks for a picture and sends one first.\n\n" + threat)
    assert inside == []
    outside = _new_findings(minibook, LESSON, FAMILY + "\n", FAMILY + "\n\n" + threat)
    assert [f.rule for f in outside] == ["sm-ruin"]
    build = minibook.build()
    assert "a {offender} block must sit directly inside a {scene} block" in output(build)


def test_over_level_text_fails_the_reading_check(minibook):
    dense = ("Adolescents' interpersonal negotiations concerning photographic self-representation "
             "necessitate sophisticated metacognitive evaluation of manipulative communicative strategies, "
             "particularly considering asymmetrical relational dynamics and institutional accountability. " * 4)
    found = _new_findings(minibook, LESSON, FAMILY, dense)
    assert [f.rule for f in found] == ["read-level"]
    assert re.search(r"reads at grade \d+\.\d \(Flesch-Kincaid\); expected at most 8.5 for grades 6-8",
                     found[0].message)


def test_teacher_only_text_does_not_count_toward_reading_level(minibook):
    dense = ("Adolescents' interpersonal negotiations concerning photographic self-representation "
             "necessitate sophisticated metacognitive evaluation of manipulative communicative strategies. " * 4)
    assert _new_findings(minibook, LESSON, "TEACHER-ONLY-SENTINEL.", dense) == []


@pytest.mark.parametrize("path, old, new, message", [
    (SCENARIO, "::::{debrief}", "::::{note}", "scenario \"Jun's new follower\" has no {debrief}"),
    (LESSON, ":kind: disclosure", ":kind: general", "no {facilitator-note} with :kind: disclosure"),
    (LESSON, "```{answer-key}", "```{note}", "the check for understanding has no {answer-key}"),
    (LESSON, ":::{family-connection}", ":::{note}", "no {family-connection}"),
])
def test_missing_lesson_parts_are_reported(minibook, path, old, new, message):
    found = _new_findings(minibook, path, old, new)
    assert any(f.rule == "lesson-part" and f.message == message for f in found), found


def test_prompts_need_listen_for_and_follow_up(minibook):
    found = [f for f in lint(minibook.root)[0] if f.rule == "lesson-part"]
    messages = {f.message for f in found}
    assert "found 2 discussion prompt(s); expected at least 3" in messages
    assert "prompt has no {listen-for} note for the teacher" in messages


def test_cli_prints_path_line_rule_message(minibook):
    minibook.edit(LESSON, FAMILY, "Just don't send pictures.")
    proc = minibook.run("lint")
    assert proc.returncode == 1
    assert re.search(rf"^{re.escape(LESSON)}:\d+  sm-abstinence  ", proc.stdout, re.MULTILINE), proc.stdout
    assert "Traceback" not in output(proc)


def test_the_real_book_is_clean():
    # (how fast the lint runs is measured by hand, not asserted: a loaded machine is no verdict)
    findings, grades = lint(REPO)
    assert not findings, "\n".join(map(str, findings))
    assert len(grades) >= 6  # every lesson and handout was measured


# ---- one source for each tool's limits, and the verbs lessonkit writes -----------------------------

@pytest.mark.parametrize("new", [
    "Take It Down only works for pictures taken before age 18.",
    "Use {term}`Take It Down` on your own device; it makes a hash of the picture.",
    "{resource}`take-it-down:name` works only with participating apps, not encrypted chats.",
])
def test_hand_typed_limits_of_take_it_down_are_flagged(minibook, new):
    found = _new_findings(minibook, LESSON, FAMILY, new)
    assert [f.rule for f in found] == ["reg-limits"], found
    assert found[0].line == minibook.path(LESSON).read_text().splitlines().index(new) + 1
    assert "{resource}`take-it-down:limits`" in found[0].message


@pytest.mark.parametrize("new", [
    "What Take It Down can't do: {resource}`take-it-down:limits`",  # the role is the one source
    "Never say {avoid}`Take It Down only works for pictures taken before age 18`.",  # a quoted phrase
    "Block and report, tell the app you are under 18, and use Take It Down.",  # a help step, not a limit
    "The TAKE IT DOWN Act covers adults and people under 18.",  # the law of the same name
    "Cite it {cite:p}`ncmec-take-it-down-faq`: images from under 18 need care.",  # a citation key
])
def test_the_limits_role_quotes_and_other_mentions_pass(minibook, new):
    assert [f for f in _new_findings(minibook, LESSON, FAMILY, new) if f.rule == "reg-limits"] == []


def test_a_verb_typed_before_the_phone_role_is_flagged(minibook):
    found = _new_findings(minibook, LESSON, FAMILY, "In danger right now? Call {resource}`emergency-911:phone`.")
    assert [f.rule for f in found] == ["reg-verb"], found
    assert _new_findings(minibook, LESSON, "In danger right now? Call {resource}`emergency-911:phone`.",
                         "In danger right now? {resource}`emergency-911:phone`.") == []

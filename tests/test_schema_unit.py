"""lessonkit.schema: the Lesson model itself, every field's limits and every validator, in-process.

tests/test_schema.py checks the same rules end to end (`lessonkit check` on the fixture book); these
call the model directly with a small registry, so they run in well under a second and
scripts/mutation.sh can run them against every mutant of lessonkit/schema.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from lessonkit.registries import GlossaryTerm, Registries, Standard
from lessonkit.schema import LESSON_FIELDS, Lesson

FIXTURE_ROOT = Path(__file__).parent / "fixtures" / "minibook"
HANDOUT = "activities/grades-6-8/handout-fixture.md"


def _standard(code, bands=("3-5", "6-8", "9-12"), status="verified"):
    return Standard(code=code, framework="CASEL", edition="2020 edition", level="code", bands=list(bands),
                    summary="A summary of the standard.", status=status, source="https://example.org/s")


REGS = Registries(
    standards={s.code: s for s in [_standard("CASEL-RS"), _standard("CASEL-SA"), _standard("CASEL-G35", ["3-5"]),
                                   _standard("CASEL-OLD", status="unverified"),
                                   _standard("CASEL-EDGES", ["3-5", "9-12"])]},
    resources={},
    glossary={t.term.lower(): t for t in [GlossaryTerm(term=w, definition="A definition of the term.")
                                          for w in ["pressure", "Trusted adult", "consent", "boundary", "coercion",
                                                    "blackmail", "zeal"]]},
    help_steps={},
    paths={},
)
CONTEXT = {"registries": REGS, "root": FIXTURE_ROOT}


def lesson(**changes):
    data = {
        "id": "g68-fixture-lesson",
        "title": "Fixture lesson",
        "band": "6-8",
        "sequence": 1,
        "duration": 45,
        "topics": ["consent", "sextortion-pattern", "getting-help"],
        "stages": ["approach", "coercion"],
        "essential_question": "What can someone do when a chat starts to feel wrong?",
        "objectives": ["Identify two warning signs in an online chat.", "Practice one way to leave a conversation."],
        "standards": ["CASEL-RS"],
        "vocabulary": ["pressure", "trusted adult"],
        "materials": ["Sticky notes"],
        "scenario_copies": "per-pair",
        "preparation": ["Read the notes"],
        "handouts": [HANDOUT],
    }
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return data


def valid(context=CONTEXT, **changes) -> Lesson:
    return Lesson.model_validate(lesson(**changes), context=context)


def errors(context=CONTEXT, **changes) -> list[tuple[tuple, str, str]]:
    """(location, pydantic type, message) of every error."""
    with pytest.raises(ValidationError) as caught:
        Lesson.model_validate(lesson(**changes), context=context)
    return [(tuple(e["loc"]), e["type"], str(e["ctx"]["error"]) if e["type"] == "value_error" else e["msg"])
            for e in caught.value.errors(include_url=False)]


def error(context=CONTEXT, **changes) -> tuple[tuple, str, str]:
    found = errors(context, **changes)
    assert len(found) == 1, found
    return found[0]


def test_the_fixture_lesson_is_valid():
    got = valid()
    assert got.id == "g68-fixture-lesson" and got.band == "6-8" and got.duration == 45
    assert got.handouts == [HANDOUT]


def test_lesson_fields_are_the_models_fields_in_order():
    assert LESSON_FIELDS == ("id", "title", "band", "sequence", "duration", "topics", "stages", "essential_question",
                             "objectives", "standards", "vocabulary", "materials", "scenario_copies", "preparation",
                             "handouts")


@pytest.mark.parametrize("field, value", [("band", "3-5"), ("band", "6-8"), ("band", "9-12")]
                         + [("topics", [t]) for t in ["healthy-relationships", "consent", "never-forward",
                                                      "sextortion-pattern", "getting-help"]]
                         + [("stages", [s]) for s in ["approach", "coercion", "threat"]]
                         + [("scenario_copies", c) for c in ["per-student", "per-pair", "per-group", "jigsaw",
                                                             "projected", "devices", None]])
def test_every_allowed_value_is_accepted(field, value):
    got = valid(context={"root": FIXTURE_ROOT}, **{field: value})  # no registries: any band fits
    assert getattr(got, field) == value


@pytest.mark.parametrize("field, value, message", [
    ("band", "5-7", "Input should be '3-5', '6-8' or '9-12'"),
    ("topics", ["dating"], "Input should be 'healthy-relationships', 'consent', 'never-forward', "
                           "'sextortion-pattern' or 'getting-help'"),
    ("stages", ["grooming"], "Input should be 'approach', 'coercion' or 'threat'"),
    ("scenario_copies", "handout", "Input should be 'per-student', 'per-pair', 'per-group', 'jigsaw', "
                                   "'projected' or 'devices'"),
])
def test_values_outside_a_vocabulary_are_refused(field, value, message):
    loc, kind, msg = error(context={"root": FIXTURE_ROOT}, **{field: value})
    assert (loc[0], kind, msg) == (field, "literal_error", message)


def test_unknown_fields_are_refused_and_text_is_stripped():
    loc, kind, _ = error(grade=7)
    assert (loc, kind) == (("grade",), "extra_forbidden")
    got = valid(title="  Fixture lesson  ", id=" g68-fixture-lesson ")
    assert (got.title, got.id) == ("Fixture lesson", "g68-fixture-lesson")


@pytest.mark.parametrize("field", [f for f in LESSON_FIELDS if f not in
                                   ("stages", "vocabulary", "materials", "scenario_copies", "handouts")])
def test_required_fields(field):
    found = [(loc, kind) for loc, kind, _ in errors(**{field: ...})]
    assert ((field,), "missing") in found


def test_optional_fields_default_to_empty():
    got = valid(context={"root": FIXTURE_ROOT}, stages=..., vocabulary=..., materials=..., scenario_copies=...,
                handouts=..., topics=["consent"])
    assert (got.stages, got.vocabulary, got.materials, got.scenario_copies, got.handouts) == ([], [], [], None, [])


@pytest.mark.parametrize("value", ["a", "g68-lesson", "lesson2", "a-b-c-9"])
def test_good_ids(value):
    assert valid(id=value).id == value


@pytest.mark.parametrize("value", ["G68-lesson", "g68_lesson", "g68--lesson", "-g68", "g68-", "g68 lesson", ""])
def test_bad_ids(value):
    loc, kind, msg = error(id=value)
    assert (loc, kind) == (("id",), "string_pattern_mismatch")
    assert msg == "String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'"


@pytest.mark.parametrize("field, good, bad, kind", [
    ("title", ["abc", "x" * 90], ["ab", "x" * 91], ("string_too_short", "string_too_long")),
    ("sequence", [1, 20], [0, 21], ("greater_than_equal", "less_than_equal")),
    ("essential_question", ["Who helps?", "x" * 200 + "?"], ["Who is it"], ("string_too_short",)),
])
def test_field_limits_are_exact(field, good, bad, kind):
    for value in good:
        assert getattr(valid(**{field: value}), field) == value
    for value, want in zip(bad, kind):
        loc, got, _ = error(**{field: value})
        assert (loc, got) == ((field,), want)


@pytest.mark.parametrize("field, lo, hi", [("objectives", 1, 6), ("topics", 1, None), ("standards", 1, None),
                                           ("preparation", 1, None)])
def test_list_lengths_are_exact(field, lo, hi):
    item = {"objectives": "Identify a sign number {}.", "topics": None, "standards": None,
            "preparation": "Step {}"}[field]
    pool = {"topics": ["consent", "sextortion-pattern", "getting-help", "never-forward", "healthy-relationships"],
            "standards": ["CASEL-RS", "CASEL-SA"]}.get(field)
    make = (lambda n: [item.format(i) for i in range(n)]) if item else (lambda n: pool[:n])
    assert len(getattr(valid(**{field: make(lo)}), field)) == lo
    loc, kind, _ = error(**{field: []})
    assert (loc, kind) == ((field,), "too_short")
    if hi:
        assert len(getattr(valid(**{field: make(hi)}), field)) == hi
        loc, kind, _ = error(**{field: make(hi + 1)})
        assert (loc, kind) == ((field,), "too_long")


@pytest.mark.parametrize("minutes", [20, 25, 45, 115, 120])
def test_durations_that_fit_a_class(minutes):
    assert valid(duration=minutes).duration == minutes


@pytest.mark.parametrize("minutes, message", [
    (15, "found 15 minutes; expected a class time from 20 to 120 minutes"),
    (19, "found 19 minutes; expected a class time from 20 to 120 minutes"),
    (121, "found 121 minutes; expected a class time from 20 to 120 minutes"),
    (125, "found 125 minutes; expected a class time from 20 to 120 minutes"),
    (0, "found 0 minutes; expected a class time from 20 to 120 minutes"),
    (47, "found 47 minutes; expected a multiple of 5 minutes"),
    (21, "found 21 minutes; expected a multiple of 5 minutes"),
    (119, "found 119 minutes; expected a multiple of 5 minutes"),
])
def test_durations_that_do_not(minutes, message):
    assert error(duration=minutes) == (("duration",), "value_error", message)


def test_the_essential_question_ends_with_a_question_mark():
    assert error(essential_question="What can someone do when it feels wrong.") == (
        ("essential_question",), "value_error",
        "found 'What can someone do when it feels wrong.'; expected a question ending with '?'")
    assert valid(essential_question="  What can someone do?  ").essential_question == "What can someone do?"


@pytest.mark.parametrize("objective", ["Identify two signs.", "identify two signs.", "IDENTIFY two signs.",
                                       "Identify, then explain.", "Explain: why.", "Compare; contrast.",
                                       "Role-play a refusal.", "Practice. Then tell."])
def test_objectives_start_with_a_measurable_verb(objective):
    assert valid(objectives=[objective]).objectives == [objective]


@pytest.mark.parametrize("objectives, message", [
    (["Understand warning signs."], "found objective 1 starting with 'understand'; expected it"),
    (["Identify a sign.", "Know who to tell."], "found objective 2 starting with 'know'; expected it"),
    (["Identify a sign.", "   "], "found objective 2 starting with 'nothing'; expected it"),
    (["Identify a sign.", ""], "found objective 2 starting with 'nothing'; expected it"),
    (["Learn, then practice."], "found objective 1 starting with 'learn'; expected it"),
])
def test_objectives_that_cannot_be_checked(objectives, message):
    loc, kind, msg = error(objectives=objectives)
    assert (loc, kind) == (("objectives",), "value_error")
    assert msg == message + (" to start with a measurable verb such as identify, explain, demonstrate, compare, "
                             "practice (not understand, know or learn)")


@pytest.mark.parametrize("field, values, twice", [
    ("topics", ["consent", "getting-help", "consent"], "consent"),
    ("stages", ["approach", "approach"], "approach"),
    ("standards", ["CASEL-RS", "casel-rs"], "casel-rs"),
    ("vocabulary", ["pressure", "Pressure"], "Pressure"),
    ("handouts", [HANDOUT, HANDOUT.upper()], HANDOUT.upper()),
])
def test_no_entry_twice(field, values, twice):
    found = errors(context={}, **{field: values})
    assert ((field,), "value_error", f"found {twice!r} twice; expected each entry once") in found


def test_other_lists_may_repeat():
    got = valid(materials=["Pens", "Pens"], preparation=["Read", "Read"],
                objectives=["Identify a sign.", "Identify a sign."])
    assert got.materials == ["Pens", "Pens"]


def test_vocabulary_comes_from_the_glossary():
    assert valid(vocabulary=["Pressure", " trusted adult "]).vocabulary == ["Pressure", "trusted adult"]
    assert error(vocabulary=["pressure", "grooming"]) == (
        ("vocabulary",), "value_error",
        "found 'grooming', which is not in data/glossary.yml; expected a glossary term (add it to the glossary "
        "first), e.g. Trusted adult, blackmail, boundary, coercion, consent")
    assert valid(context={"root": FIXTURE_ROOT}, vocabulary=["grooming"]).vocabulary == ["grooming"]


def test_handouts_are_files_in_activities():
    assert error(handouts=["activities/grades-6-8/handout-missing.md"]) == (
        ("handouts",), "value_error",
        "found 'activities/grades-6-8/handout-missing.md', but no such file exists; expected the path of a "
        "handout file, relative to the book's root folder")
    shape = ("; expected a path like 'activities/grades-3-5/handout-name.md'")
    for bad in ["lessons/grades-6-8/01-fixture-lesson.md", "activities/grades-6-8/handout-fixture.txt",
                "activities/grades-6-8"]:
        assert error(handouts=[bad]) == (("handouts",), "value_error", f"found {bad!r}" + shape)
    # a folder is not a file
    assert error(handouts=["activities/grades-6-8/.md"])[2].endswith("but no such file exists; expected the path "
                                                                     "of a handout file, relative to the book's "
                                                                     "root folder")
    assert valid(context={"registries": REGS}, handouts=["nowhere.txt"]).handouts == ["nowhere.txt"]
    assert valid(context={"registries": REGS, "root": str(FIXTURE_ROOT)}).handouts == [HANDOUT]


def test_standards_come_from_the_registry():
    assert valid(standards=["CASEL-RS", "CASEL-SA"]).standards == ["CASEL-RS", "CASEL-SA"]
    loc, kind, msg = error(standards=["CASEL-RS", "XYZ.9"])
    assert (loc, kind) == (("standards",), "value_error")
    assert msg == ("found 'XYZ.9', which is not in data/standards.yml; expected a code from the standards registry, "
                   "e.g. CASEL-RS, ISTE-2b, NHES.4, or a strand-level entry such as NSES-CHR-6-8 (never a guessed code)")
    assert valid(context={"root": FIXTURE_ROOT}, standards=["XYZ.9"]).standards == ["XYZ.9"]


def _item(exc_info_errors):
    [err] = exc_info_errors.errors()
    return err["ctx"]["error"]


@pytest.mark.parametrize("codes, index, message", [
    (["CASEL-RS", "XYZ.9"], 1, "found 'XYZ.9', which is not in data/standards.yml"),
    (["CASEL-OLD"], 0, "found 'CASEL-OLD', which the registry marks unverified; expected a verified code (check "
                       "it against the published standard before citing it)"),
    (["CASEL-RS", "CASEL-SA", "CASEL-G35"], 2, "found 'CASEL-G35', a standard for grades 3-5; expected a code "
                                                "that fits grades 6-8"),
    (["CASEL-EDGES"], 0, "found 'CASEL-EDGES', a standard for grades 3-5, 9-12; expected a code that fits "
                         "grades 6-8"),
])
def test_a_bad_standard_points_at_its_item(codes, index, message):
    with pytest.raises(ValidationError) as caught:
        Lesson.model_validate(lesson(standards=codes), context=CONTEXT)
    cause = _item(caught.value)
    assert cause.index == index
    assert str(cause).startswith(message)


def test_a_standard_fits_any_band_it_lists():
    assert valid(band="3-5", standards=["CASEL-G35"]).standards == ["CASEL-G35"]
    # with the band itself wrong there is nothing to compare: only the band is reported
    [(loc, kind, _)] = errors(band="5-7", standards=["CASEL-G35"])
    assert (loc, kind) == (("band",), "literal_error")


def test_pattern_lessons_name_their_stages():
    message = ("found no stages for a lesson on the sextortion pattern; expected the pattern stages its scenarios "
               "show (approach, coercion, threat)")
    assert error(stages=[]) == (("stages",), "value_error", message)
    assert error(stages=...) == (("stages",), "value_error", message)  # checked when left out, too
    assert valid(stages=[], topics=["consent", "getting-help"]).stages == []
    # topics invalid: the stages check has nothing to go on
    assert [loc for loc, _, _ in errors(stages=[], topics=["dating", "sextortion-pattern"])] == [("topics", 0)]


def test_every_problem_is_reported_at_once():
    found = errors(duration=47, essential_question="No question here.", vocabulary=["grooming"], id="Bad ID")
    assert [loc for loc, _, _ in found] == [("id",), ("duration",), ("essential_question",), ("vocabulary",)]

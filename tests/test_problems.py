"""lessonkit.problems: how a validation error becomes `path:line: field: found X; expected Y`.

Fast unit tests (no book, no conftest fixture): scripts/mutation.sh runs them against every mutant of
lessonkit/problems.py.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lessonkit.problems import FieldError, ItemError, Problem, field_name, problems_from_validation, show


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = 0
    label: str = "x"
    when: Optional[dt.date] = None
    items: list[str] = Field(default_factory=list)
    inner: Optional[Inner] = None
    color: Literal["red", "blue"] = "red"
    words: str = Field(default="word", min_length=3)
    codes: list[str] = Field(default_factory=list)
    pair: tuple[int, int] = (0, 0)
    names: dict[str, str] = Field(default_factory=dict)

    @field_validator("label")
    @classmethod
    def _label(cls, value):
        if value == "bad":
            raise ValueError("found 'bad'; expected a good label; not bad")
        if value == "plain":
            raise ValueError("labels cannot be plain")
        if value == "twice":
            raise ValueError("found 'twice'; expected one thing; expected another")
        if value == "found-in-middle":
            raise ValueError("value found here; expected something")
        return value

    @field_validator("codes")
    @classmethod
    def _codes(cls, value):
        for i, code in enumerate(value):
            if code == "XX":
                raise ItemError(i, f"found {code!r}; expected a real code")
        return value

    @model_validator(mode="after")
    def _whole(self):
        if self.count == 13:
            raise FieldError("count", "found 13; expected a lucky number")
        return self


def problems(data, known=(), prefix="sample"):
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    seen = []
    out = problems_from_validation(caught.value, "p.md", lambda loc: seen.append(loc) or len(seen) + 40,
                                   prefix=prefix, known_fields=known)
    return out, seen


def one(data, **kwargs):
    out, seen = problems(data, **kwargs)
    assert len(out) == 1, out
    return out[0], seen[0]


def test_problem_prints_like_a_compiler_message():
    problem = Problem("lessons/a.md", 7, "lesson.band", "'5-7'", "'3-5', '6-8' or '9-12'")
    assert str(problem) == "lessons/a.md:7: lesson.band: found '5-7'; expected '3-5', '6-8' or '9-12'"
    with pytest.raises(AttributeError):
        problem.line = 8  # frozen: problems are values


def test_item_and_field_errors_carry_what_they_point_at():
    item = ItemError(2, "found x; expected y")
    assert (item.index, str(item)) == (2, "found x; expected y")
    assert isinstance(item, ValueError)
    field = FieldError("strand", "found z; expected w")
    assert (field.field, str(field)) == ("strand", "found z; expected w")
    assert isinstance(field, ValueError)


@pytest.mark.parametrize("value, shown", [
    ("text", "'text'"), ("", "an empty value"), (None, "nothing"),
    ({"a": 1}, "a set of fields"), ({}, "an empty set of fields"),
    ([1, 2, 3], "a list of 3"), ([1], "a list of 1"), ([], "an empty list"),
    (5, "5"), (0, "0"), (True, "True"), (2.5, "2.5"),
])
def test_show_describes_a_value_in_words(value, shown):
    assert show(value) == shown


@pytest.mark.parametrize("loc, prefix, name", [
    (("standards", 1), "lesson", "lesson.standards[1]"),
    (("standards", 1, "code"), "", "standards[1].code"),
    ((0, "name"), "", "[0].name"),
    (("resources", "take-it-down", "limits", 0), "", "resources.take-it-down.limits[0]"),
    ((), "lesson", "lesson"),
    ((), "", "(top level)"),
    (("a",), "", "a"),
])
def test_field_name_joins_keys_with_dots_and_indexes_in_brackets(loc, prefix, name):
    assert field_name(loc, prefix) == name


def test_a_missing_field_expects_the_field():
    with pytest.raises(ValidationError) as caught:
        Inner.model_validate({})
    [problem] = problems_from_validation(caught.value, "p.md", lambda loc: 3, prefix="inner")
    assert problem == Problem("p.md", 3, "inner.name", "nothing", "this field (it is required)")


def test_an_unknown_field_lists_the_known_ones():
    problem, loc = one({"colour": "red"}, known=("count", "label"))
    assert problem == Problem("p.md", 41, "sample.colour", "an unknown field 'colour'", "only these fields: count, label")
    assert loc == ("colour",)
    problem, _ = one({"colour": "red"})
    assert (problem.found, problem.expected) == ("an unknown field 'colour'", "no such field")


def test_our_own_found_expected_message_is_split():
    problem, _ = one({"label": "bad"})
    assert (problem.found, problem.expected) == ("'bad'", "a good label; not bad")  # split at the first one only


def test_the_message_is_split_at_its_first_expected_only():
    problem, _ = one({"label": "twice"})
    assert (problem.found, problem.expected) == ("'twice'", "one thing; expected another")


def test_found_is_removed_only_at_the_start():
    problem, _ = one({"label": "found-in-middle"})
    assert (problem.found, problem.expected) == ("value found here", "something")


def test_a_message_without_expected_is_the_expectation():
    problem, _ = one({"label": "plain"})
    assert (problem.found, problem.expected) == ("'plain'", "labels cannot be plain")


def test_an_item_error_points_at_its_item():
    problem, loc = one({"codes": ["AB", "CD", "XX"]})
    assert loc == ("codes", 2)
    assert problem == Problem("p.md", 41, "sample.codes[2]", "'XX'", "a real code")


def test_a_field_error_points_at_its_field():
    problem, loc = one({"count": 13})
    assert loc == ("count",)
    assert problem.field == "sample.count"
    assert (problem.found, problem.expected) == ("13", "a lucky number")


@pytest.mark.parametrize("data, found, expected", [
    ({"count": "many"}, "'many'", "a whole number"),  # int_parsing
    ({"count": [1]}, "a list of 1", "a whole number"),  # int_type
    ({"label": 5}, "5", "text"),
    ({"items": "a, b"}, "'a, b'", "a list (lines starting with '- ')"),
    ({"names": "x"}, "'x'", "a set of 'key: value' fields"),
    ({"when": "yesterday"}, "'yesterday'", "a date written YYYY-MM-DD"),  # date_from_datetime_parsing
    ({"when": True}, "True", "a date written YYYY-MM-DD"),  # date_type
])
def test_common_kinds_get_plain_words(data, found, expected):
    problem, _ = one(data)
    assert (problem.found, problem.expected) == (found, expected)


def test_other_kinds_use_pydantics_message_in_lower_case():
    problem, _ = one({"color": "green"})
    assert (problem.found, problem.expected) == ("'green'", "'red' or 'blue'")
    problem, _ = one({"words": "ab"})
    assert (problem.found, problem.expected) == ("'ab'", "text should have at least 3 characters")
    problem, _ = one({"pair": [1, 2, 3]})
    assert problem.expected == "tuple should have at most 2 items after validation, not 3"
    problem, _ = one({"inner": "x"})  # model_type is not one of the common kinds
    assert (problem.found, problem.expected) == ("'x'", "a valid dictionary or instance of Inner")
    problem, _ = one({"count": 2.5})
    assert (problem.found, problem.expected) == ("2.5", "a valid integer, got a number with a fractional part")


def test_every_error_is_reported_in_order_with_its_own_line():
    out, seen = problems({"count": "x", "label": 5, "extra": 1}, known=("count",))
    assert [(p.field, p.line) for p in out] == [("sample.count", 41), ("sample.label", 42), ("sample.extra", 43)]
    assert seen == [("count",), ("label",), ("extra",)]


def test_nested_locations_and_an_empty_prefix():
    problem, loc = one({"inner": {"name": "a", "age": 3}}, known=("name",), prefix="")
    assert loc == ("inner", "age")
    assert problem.field == "inner.age"
    assert problem.expected == "only these fields: name"

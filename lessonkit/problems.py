"""One shape for every problem an author can make, and how it is printed.

`path:line: field: found X; expected Y` reads like a compiler message, so editors and CI
logs can jump to it, and it never shows a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: found {self.found}; expected {self.expected}"


class ItemError(ValueError):
    """A list-field error that knows which item is wrong, so the message can point at its line."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


class FieldError(ValueError):
    """A whole-entry check that one field fails, so the message names that field and its line."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if value else "an empty value"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a set of fields" if value else "an empty set of fields"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    return repr(value)


def field_name(loc: tuple, prefix: str) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


_EXPECT = {
    "missing": "this field (it is required)",
    "extra_forbidden": None,  # filled in per model: the list of known fields
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a set of 'key: value' fields",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
}


def problems_from_validation(exc: ValidationError, path: str, line_of: Callable[[tuple], int],
                             prefix: str, known_fields: tuple[str, ...] = ()) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        cause = (err.get("ctx") or {}).get("error")
        if getattr(cause, "index", None) is not None:
            loc = loc + (cause.index,)
        if getattr(cause, "field", None) is not None:
            loc = loc + (cause.field,)
        found = "nothing" if kind == "missing" else show(err.get("input"))
        if kind == "extra_forbidden":
            expected = "only these fields: " + ", ".join(known_fields) if known_fields else "no such field"
            found = f"an unknown field {loc[-1]!r}"
        elif kind == "value_error":
            # our own validators say "found ...; expected ..." themselves when they can
            msg = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
            if "; expected " in msg:
                found, expected = msg.split("; expected ", 1)
                found = found.removeprefix("found ")
            else:
                expected = msg
        elif kind in _EXPECT and _EXPECT[kind]:
            expected = _EXPECT[kind]
        else:
            msg = err["msg"]
            expected = msg[0].lower() + msg[1:]
            expected = expected.replace("input should be ", "").replace("string should", "text should")
        out.append(Problem(path, line_of(loc), field_name(loc, prefix), found, expected))
    return out

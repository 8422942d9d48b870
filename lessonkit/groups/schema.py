"""The metadata of a counselor's small-group session (pydantic), checked like a lesson's.

A group session is not a classroom lesson: it belongs to a group for one band (grades 4–5, 6–8
or 9–12), has a place in that group (an orientation, a numbered session, a follow-up), a group
size and the one skill its note home names, and it draws on classroom lessons instead of
repeating them. Objectives, standards, materials and preparation follow the lesson rules, and the
same registries and objective checks apply.
"""
from __future__ import annotations

import re
from typing import ClassVar, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..problems import FieldError, ItemError
from ..schema import (ScenarioCopies, check_handouts, check_objectives, check_standards, check_vocabulary,
                      no_repeats)

GroupBand = Literal["4-5", "6-8", "9-12"]
Kind = Literal["orientation", "session", "follow-up"]

# The lesson band a group's students are in: the registries (standards, help steps, glossary)
# and the classroom lessons a session draws on are those of this band.
LESSON_BAND = {"4-5": "3-5", "6-8": "6-8", "9-12": "9-12"}
GROUP_LABELS = {"4-5": "Grades 4–5", "6-8": "Grades 6–8", "9-12": "Grades 9–12"}
# How many numbered sessions each group has (besides its orientation and follow-up).
SESSION_COUNT = {"4-5": 4, "6-8": 6, "9-12": 6}
KIND_ORDER = {"orientation": 0, "session": 1, "follow-up": 2}


class GroupSession(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    KEY: ClassVar[str] = "session"  # the front-matter block, as messages name it

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                    description="a short unique name in lowercase words joined by '-'")
    title: str = Field(min_length=3, max_length=90)
    group: GroupBand
    kind: Kind
    number: Optional[int] = Field(default=None, validate_default=True)
    duration: int = Field(description="session time in minutes")
    group_size: str
    skill: str = Field(min_length=10, max_length=160)
    objectives: list[str] = Field(min_length=1, max_length=5)
    standards: list[str] = Field(min_length=1)
    draws_on: list[str] = Field(default_factory=list)
    vocabulary: list[str] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    scenario_copies: Optional[ScenarioCopies] = None
    preparation: list[str] = Field(min_length=1)
    handouts: list[str] = Field(default_factory=list)

    # the rules a lesson's fields follow hold here too
    _objectives = field_validator("objectives")(lambda value: check_objectives(value))
    _no_repeats = field_validator("standards", "draws_on", "vocabulary", "handouts")(lambda value: no_repeats(value))
    _vocabulary = field_validator("vocabulary")(lambda value, info: check_vocabulary(value, info))
    _handouts = field_validator("handouts")(lambda value, info: check_handouts(value, info))

    @property
    def band(self) -> str:
        """The lesson band of the group's students (grades 4–5 are in the 3–5 band)."""
        return LESSON_BAND[self.group]

    @property
    def sequence(self) -> int:
        return self.number or 0

    @field_validator("number")
    @classmethod
    def _number(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind, group = info.data.get("kind"), info.data.get("group")
        if kind is None:
            return value
        if kind != "session":
            if value is not None:
                raise ValueError(f"found {value} on a session of kind {kind}; expected no number (only the "
                                 "numbered sessions between the orientation and the follow-up have one)")
            return value
        most = SESSION_COUNT.get(group, 6)
        if value is None or not 1 <= value <= most:
            raise ValueError(f"found {value if value is not None else 'nothing'}; expected the session's place "
                             f"in the group, a number from 1 to {most}")
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: int) -> int:
        if not 30 <= value <= 45 or value % 5:
            raise ValueError(f"found {value} minutes; expected 30, 35, 40 or 45 minutes (a class period "
                             "or less, so a student misses one period at most)")
        return value

    @field_validator("group_size")
    @classmethod
    def _group_size(cls, value: str) -> str:
        match = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", value)
        if not match or not 3 <= int(match[1]) <= int(match[2]) <= 10:
            raise ValueError(f"found {value!r}; expected the smallest and largest group this session works "
                             "for, from 3 to 10 students, e.g. '5-8'")
        return f"{int(match[1])}–{int(match[2])}"

    @field_validator("standards")
    @classmethod
    def _standards(cls, value: list[str], info: ValidationInfo) -> list[str]:
        regs = (info.context or {}).get("registries")
        group = info.data.get("group")
        if regs is None:
            return value
        return check_standards(value, regs, LESSON_BAND.get(group), "ASCA.B-SS.4 or CASEL-RS")

    @field_validator("draws_on")
    @classmethod
    def _draws_on(cls, value: list[str], info: ValidationInfo) -> list[str]:
        lessons = (info.context or {}).get("lessons")
        band = LESSON_BAND.get(info.data.get("group"))
        if lessons is None:
            return value
        by_id = {lesson.id: lesson for lesson in lessons.values()}
        for i, lesson_id in enumerate(value):
            lesson = by_id.get(lesson_id)
            if lesson is None:
                known = ", ".join(sorted(l.id for l in by_id.values() if l.band == band)[:4])
                raise ItemError(i, f"found {lesson_id!r}, which is no lesson's id; expected the id of a classroom "
                                f"lesson this session draws on, e.g. {known}")
            if band and lesson.band != band:
                raise ItemError(i, f"found {lesson_id!r}, a lesson for grades {lesson.band}; expected a lesson "
                                f"for grades {band}, the band of this group")
        return value

    @model_validator(mode="after")
    def _copies(self):
        if self.scenario_copies is not None and self.scenario_copies in ("jigsaw",):
            raise FieldError("scenario_copies", "found 'jigsaw'; expected per-student, per-pair, per-group, "
                             "projected or devices (a group of five to eight reads one story together)")
        return self


SESSION_FIELDS = tuple(GroupSession.model_fields)

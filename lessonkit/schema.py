"""The lesson metadata schema (pydantic), checked against the registries and the file tree.

Everything that depends on the project (known standards, glossary terms, files on disk) is
passed in through the validation context, so the same model serves the build and
`python -m lessonkit check`.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .problems import ItemError
from .vocab import MEASURABLE_VERBS

Band = Literal["3-5", "6-8", "9-12"]
Topic = Literal["healthy-relationships", "consent", "never-forward", "sextortion-pattern", "getting-help"]
Stage = Literal["approach", "coercion", "threat"]
ScenarioCopies = Literal["per-student", "per-pair", "per-group", "jigsaw", "projected", "devices"]


def check_objectives(value: list[str]) -> list[str]:
    for i, objective in enumerate(value):
        first = objective.split()[0].strip(",.:;").lower() if objective.split() else ""
        if first not in MEASURABLE_VERBS:
            examples = "identify, explain, demonstrate, compare, practice"
            raise ValueError(
                f"found objective {i + 1} starting with {first or 'nothing'!r}; expected it to start "
                f"with a measurable verb such as {examples} (not understand, know or learn)")
    return value


def no_repeats(value: list[str]) -> list[str]:
    seen = set()
    for item in value:
        if item.lower() in seen:
            raise ValueError(f"found {item!r} twice; expected each entry once")
        seen.add(item.lower())
    return value


def check_vocabulary(value: list[str], info: ValidationInfo) -> list[str]:
    regs = (info.context or {}).get("registries")
    if regs is None:
        return value
    for term in value:
        if regs.term(term) is None:
            raise ValueError(f"found {term!r}, which is not in data/glossary.yml; expected a glossary "
                             f"term (add it to the glossary first), e.g. {', '.join(sorted(t.term for t in regs.glossary.values())[:5])}")
    return value


def check_handouts(value: list[str], info: ValidationInfo) -> list[str]:
    root = (info.context or {}).get("root")
    if root is None:
        return value
    for item in value:
        if not item.startswith("activities/") or not item.endswith(".md"):
            raise ValueError(f"found {item!r}; expected a path like 'activities/grades-3-5/handout-name.md'")
        if not (Path(root) / item).is_file():
            raise ValueError(f"found {item!r}, but no such file exists; expected the path of a handout "
                             "file, relative to the book's root folder")
    return value


def check_standards(value: list[str], regs, band: str | None, examples: str) -> list[str]:
    """Each code is in the registry, verified, and for the band (a lesson's, or a group's students')."""
    for i, code in enumerate(value):
        std = regs.standards.get(code)
        if std is None:
            raise ItemError(i, f"found {code!r}, which is not in data/standards.yml; expected a code from "
                            f"the standards registry, e.g. {examples} (never a guessed code)")
        if std.status != "verified":
            raise ItemError(i, f"found {code!r}, which the registry marks {std.status}; expected a verified "
                            "code (check it against the published standard before citing it)")
        if band and band not in std.bands:
            raise ItemError(i, f"found {code!r}, a standard for grades {', '.join(std.bands)}; expected a "
                            f"code that fits grades {band}")
    return value


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    KEY: ClassVar[str] = "lesson"  # the front-matter block, as messages name it

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                    description="a short unique name in lowercase words joined by '-'")
    title: str = Field(min_length=3, max_length=90)
    band: Band
    sequence: int = Field(ge=1, le=20, description="position of the lesson in its band")
    duration: int = Field(description="class time in minutes")
    topics: list[Topic] = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list, validate_default=True)
    essential_question: str = Field(min_length=10)
    objectives: list[str] = Field(min_length=1, max_length=6)
    standards: list[str] = Field(min_length=1)
    vocabulary: list[str] = Field(default_factory=list)
    # only what the build cannot infer: it lists handouts, scenarios, card sets and passes itself
    materials: list[str] = Field(default_factory=list)
    scenario_copies: Optional[ScenarioCopies] = Field(
        default=None, description="how students read the lesson's scenarios")
    preparation: list[str] = Field(min_length=1)
    handouts: list[str] = Field(default_factory=list)

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: int) -> int:
        if not 20 <= value <= 120:
            raise ValueError(f"found {value} minutes; expected a class time from 20 to 120 minutes")
        if value % 5:
            raise ValueError(f"found {value} minutes; expected a multiple of 5 minutes")
        return value

    @field_validator("essential_question")
    @classmethod
    def _question(cls, value: str) -> str:
        if not value.endswith("?"):
            raise ValueError(f"found {value!r}; expected a question ending with '?'")
        return value

    _objectives = field_validator("objectives")(lambda value: check_objectives(value))
    _no_repeats = field_validator("topics", "stages", "standards", "vocabulary", "handouts")(
        lambda value: no_repeats(value))
    _vocabulary = field_validator("vocabulary")(lambda value, info: check_vocabulary(value, info))
    _handouts = field_validator("handouts")(lambda value, info: check_handouts(value, info))

    @field_validator("standards")
    @classmethod
    def _standards(cls, value: list[str], info: ValidationInfo) -> list[str]:
        regs = (info.context or {}).get("registries")
        band = info.data.get("band")
        if regs is None:
            return value
        return check_standards(value, regs, band, "CASEL-RS, ISTE-2b, NHES.4, or a strand-level entry such as "
                               "NSES-CHR-6-8")

    @field_validator("stages")
    @classmethod
    def _stages_for_pattern_lessons(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if "sextortion-pattern" in (info.data.get("topics") or []) and not value:
            raise ValueError("found no stages for a lesson on the sextortion pattern; expected the pattern "
                             "stages its scenarios show (approach, coercion, threat)")
        return value


LESSON_FIELDS = tuple(Lesson.model_fields)

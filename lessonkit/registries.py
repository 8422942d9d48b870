"""The three data registries (standards, help resources, glossary), loaded and validated.

They are the single source of truth: pages never retype a code, phone number or definition.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .frontmatter import walk_lines
from .problems import ItemError, Problem, problems_from_validation
from .vocab import FRAMEWORKS

Band = Literal["3-5", "6-8", "9-12"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _matches(value: str | None, pattern: str, expected: str) -> str | None:
    if value is not None and not re.fullmatch(pattern, value):
        raise ValueError(f"found {value!r}; expected {expected}")
    return value


class Standard(_Strict):
    code: str
    framework: Literal["NSES", "CASEL", "ISTE", "NHES"]
    bands: list[Band] = Field(min_length=1)
    summary: str = Field(min_length=10, max_length=160)
    status: Literal["verified", "unverified"]
    source: str
    note: Optional[str] = None

    _code = field_validator("code")(lambda v: _matches(v, r"[A-Za-z0-9][A-Za-z0-9.\-]*", "a code of letters, digits, '.' and '-'"))
    _source = field_validator("source")(lambda v: _matches(v, r"https?://\S+", "the web address of the source that shows the code"))

    @property
    def framework_label(self) -> str:
        return FRAMEWORKS[self.framework]


class Phone(_Strict):
    display: str = Field(min_length=3)
    dial: str

    _dial = field_validator("dial")(lambda v: _matches(v, r"\+?[0-9]{3,15}", "digits to dial, e.g. '+18008435678' or '988'"))


class TextLine(_Strict):
    keyword: str
    number: str

    _keyword = field_validator("keyword")(lambda v: _matches(v, r"[A-Z0-9]+", "the keyword in capitals, e.g. 'HOME'"))
    _number = field_validator("number")(lambda v: _matches(v, r"[0-9]{3,10}", "the short code's digits, e.g. '741741'"))


class ResourceWords(_Strict):
    """A resource's descriptions in another language (the contact details never change)."""
    helps_with: str = Field(min_length=10)
    serves: str = Field(min_length=3)
    hours: Optional[str] = None


class Resource(_Strict):
    name: str = Field(min_length=2)
    helps_with: str = Field(min_length=10)
    serves: str = Field(min_length=3)
    url: Optional[str] = None
    phone: Optional[Phone] = None
    text: Optional[TextLine] = None
    hours: Optional[str] = None
    status: Literal["verified-official", "verified-secondary", "uncertain"]
    source: str
    reviewed: dt.date
    note: Optional[str] = None
    es: Optional[ResourceWords] = None  # Spanish descriptions, used on pages with `language: es`

    def words(self, lang: str) -> tuple[str, str, str | None]:
        """(helps_with, serves, hours) in the page's language when the registry has it."""
        other = getattr(self, lang, None) if lang != "en" else None
        if isinstance(other, ResourceWords):
            return other.helps_with, other.serves, other.hours or self.hours
        return self.helps_with, self.serves, self.hours

    _url = field_validator("url")(lambda v: _matches(v, r"https://\S+", "a full web address starting with https://"))
    _source = field_validator("source")(lambda v: _matches(v, r"https?://\S+", "the web address where the details were confirmed"))

    @model_validator(mode="after")
    def _has_contact(self):
        if not (self.url or self.phone or self.text):
            raise ValueError("a resource needs at least one way to reach it: url, phone or text")
        return self


class GlossaryTerm(_Strict):
    term: str = Field(min_length=2)
    definition: str = Field(min_length=10)
    bands: dict[Band, str] = Field(default_factory=dict)

    def definition_for(self, band: str | None) -> str:
        return self.bands.get(band, self.definition) if band else self.definition


def _once_each(items: list, key, what: str) -> list:
    seen = set()
    for i, item in enumerate(items):
        if key(item).lower() in seen:
            raise ItemError(i, f"found the {what} {key(item)!r} a second time; expected each {what} once")
        seen.add(key(item).lower())
    return items


class _StandardsFile(_Strict):
    standards: list[Standard]

    _unique = field_validator("standards")(lambda v: _once_each(v, lambda s: s.code, "code"))


class _ResourcesFile(_Strict):
    resources: dict[str, Resource]

    @field_validator("resources")
    @classmethod
    def _keys(cls, value):
        for key in value:
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
                raise ValueError(f"found the key {key!r}; expected lowercase words joined by '-'")
        return value


class _GlossaryFile(_Strict):
    terms: list[GlossaryTerm]

    _unique = field_validator("terms")(lambda v: _once_each(v, lambda t: t.term, "term"))


@dataclass
class Registries:
    standards: dict[str, Standard]
    resources: dict[str, Resource]
    glossary: dict[str, GlossaryTerm]  # keyed by lowercase term
    paths: dict[str, Path]  # "standards" | "resources" | "glossary" -> file

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.paths.values())

    def term(self, name: str) -> GlossaryTerm | None:
        return self.glossary.get(name.strip().lower())


FILES = {"standards": "standards.yml", "resources": "resources.yml", "glossary": "glossary.yml"}
_MODELS = {"standards": _StandardsFile, "resources": _ResourcesFile, "glossary": _GlossaryFile}


def load(data_dir: Path, root: Path) -> tuple[Registries | None, list[Problem]]:
    """Load every registry; return (registries or None, problems)."""
    parsed = {}
    problems: list[Problem] = []
    for kind, name in FILES.items():
        path = Path(data_dir) / name
        rel = _rel(path, root)
        if not path.is_file():
            problems.append(Problem(rel, 1, "(file)", "no file", f"the {kind} registry at {rel}"))
            continue
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
            node = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(rel, (mark.line + 1) if mark else 1, "(file)",
                                    f"invalid YAML ({getattr(exc, 'problem', exc)})", "'key: value' YAML"))
            continue
        lines: dict[tuple, int] = {}
        if node is not None:
            walk_lines(node, (), 1, lines)
        try:
            parsed[kind] = _MODELS[kind].model_validate(data or {})
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, rel, lambda loc: _line(lines, loc), prefix=""))
    if problems:
        return None, problems
    regs = Registries(
        standards={s.code: s for s in parsed["standards"].standards},
        resources=dict(parsed["resources"].resources),
        glossary={t.term.lower(): t for t in parsed["glossary"].terms},
        paths={kind: Path(data_dir) / name for kind, name in FILES.items()},
    )
    return regs, []


def _line(lines: dict[tuple, int], loc: tuple) -> int:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return 1


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


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
from .problems import FieldError, ItemError, Problem, problems_from_validation, show
from .vocab import BAND_LABELS, FRAMEWORKS, STRAND_LEVEL_LABEL

Band = Literal["3-5", "6-8", "9-12"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _matches(value: str | None, pattern: str, expected: str) -> str | None:
    if value is not None and not re.fullmatch(pattern, value):
        raise ValueError(f"found {value!r}; expected {expected}")
    return value


# A strand-level entry's id: framework, strand letters, band, e.g. NSES-CHR-6-8.
STRAND_ID = r"(?P<framework>[A-Z]+)-(?P<strand>[A-Z]{2,3})-(?P<band>\d{1,2}-\d{1,2})"
_EDITION_EXAMPLES = "e.g. '2nd edition, 2020' or '2007 edition'"


class Standard(_Strict):
    """One registry entry: a published code (level: code) or a whole strand for one band (level: strand)."""
    code: str
    framework: Literal["NSES", "CASEL", "ISTE", "NHES", "ASCA"]
    edition: Optional[str] = Field(default=None, validate_default=True)
    publisher: Optional[str] = None
    level: Literal["code", "strand"]
    strand: Optional[str] = None  # the strand's name; only on strand-level entries
    bands: list[Band] = Field(min_length=1)
    summary: str = Field(min_length=10, max_length=160)
    status: Literal["verified", "unverified"]
    source: str
    note: Optional[str] = None

    _code = field_validator("code")(lambda v: _matches(v, r"[A-Za-z0-9][A-Za-z0-9.\-]*", "a code of letters, digits, '.' and '-'"))
    _source = field_validator("source")(lambda v: _matches(v, r"https?://\S+", "the web address of the source that shows the code"))

    @field_validator("edition")
    @classmethod
    def _edition(cls, value: str | None) -> str:
        # the year tells editions apart ("3rd edition" alone names two rival NHES documents)
        if not value:
            raise ValueError(f"found nothing; expected the edition this entry belongs to, {_EDITION_EXAMPLES}")
        if not re.search(r"\b(19|20)\d\d\b|\bundated\b", value):
            raise ValueError(f"found {value!r}; expected the edition with its year, {_EDITION_EXAMPLES} "
                             "('undated' only when the framework gives no year)")
        return value

    @model_validator(mode="after")
    def _level(self):
        strand_id = re.fullmatch(STRAND_ID, self.code)
        if self.level == "code":
            if self.strand is not None:
                raise FieldError("strand", f"found {self.strand!r} on an entry with level: code; expected no strand "
                                 "name (an entry for a whole strand says level: strand)")
            if strand_id:
                raise FieldError("level", f"found 'code' for {self.code!r}, which is a strand id; expected "
                                 "level: strand and the strand's name, or a published code")
            return self
        if not self.strand:
            raise FieldError("strand", f"found {show(self.strand)}; expected the name of the strand a strand-level "
                             "entry covers, e.g. 'Consent and Healthy Relationships'")
        if len(self.bands) != 1:
            raise FieldError("bands", f"found {show(self.bands)} on a strand-level entry; expected exactly one band "
                             "(one entry per strand and band)")
        want = f"{self.framework}-<strand letters>-{self.bands[0]}"
        if not strand_id or strand_id["framework"] != self.framework or strand_id["band"] != self.bands[0]:
            raise FieldError("code", f"found {self.code!r} on a strand-level entry for grades {self.bands[0]}; "
                             f"expected a strand id {want}, e.g. '{self.framework}-CHR-{self.bands[0]}', "
                             "never an indicator code")
        return self

    @property
    def framework_label(self) -> str:
        return FRAMEWORKS[self.framework]

    @property
    def edition_label(self) -> str:
        """The framework with its edition, e.g. 'National Health Education Standards, 2007 edition'."""
        return f"{FRAMEWORKS[self.framework]}, {self.edition}"

    @property
    def is_strand(self) -> bool:
        return self.level == "strand"

    @property
    def name(self) -> str:
        """What a page shows in bold: the code, or the strand and band for a strand-level entry."""
        if self.is_strand:
            return f"{self.strand} strand, {BAND_LABELS[self.bands[0]].lower()}"
        return self.code

    @property
    def qualifier(self) -> str:
        """What follows the name in brackets: framework and edition, plus the strand-level label."""
        return f"{self.edition_label}; {STRAND_LEVEL_LABEL}" if self.is_strand else self.edition_label

    @property
    def citation(self) -> str:
        """The plain-text form every page uses: 'NHES.4 (National Health Education Standards, 2007 edition)'."""
        return f"{self.name} ({self.qualifier})"


class Phone(_Strict):
    """A number as people read it. The words around it ("call", "call or text") are lessonkit's,
    written in the page's language, so `display` holds only the number."""
    display: str = Field(min_length=3)
    dial: str
    texts: bool = False  # the same number also takes text messages
    also: Optional[str] = None  # the same number spelled in letters, e.g. 1-800-THE-LOST

    _display = field_validator("display")(lambda v: _matches(
        v, r"\+?[0-9][0-9 .()-]*[0-9]", "only the number, e.g. '1-800-843-5678' or '988' (write 'texts: true' "
        "when the number also takes texts, and a spelled-out form such as 1-800-THE-LOST under 'also')"))
    _dial = field_validator("dial")(lambda v: _matches(v, r"\+?[0-9]{3,15}", "digits to dial, e.g. '+18008435678' or '988'"))
    _also = field_validator("also")(lambda v: _matches(
        v, r"[0-9A-Z-]*[A-Z][0-9A-Z-]*", "the number spelled in capital letters, e.g. '1-800-THE-LOST'"))

    @model_validator(mode="after")
    def _same_number(self):
        def digits(text: str) -> str:
            found = re.sub(r"\D", "", text)
            return found[1:] if len(found) == 11 and found.startswith("1") else found
        if digits(self.display) != digits(self.dial):
            raise FieldError("display", f"found {self.display!r}, which is not the number dialed ({self.dial!r}); "
                             "expected the same number as dial")
        return self


class TextLine(_Strict):
    keyword: str
    number: str

    _keyword = field_validator("keyword")(lambda v: _matches(v, r"[A-Z0-9]+", "the keyword in capitals, e.g. 'HOME'"))
    _number = field_validator("number")(lambda v: _matches(v, r"[0-9]{3,10}", "the short code's digits, e.g. '741741'"))


def _sentence(value: str) -> str:
    if not re.search(r"[.!?]$", value):
        raise ValueError(f"found {value!r}; expected a whole sentence ending with a full stop")
    return value


# kind: what an entry is. A removal or blocking tool works only in some cases, so it must say so.
ResourceKind = Literal["support", "report", "removal-tool", "emergency"]
# Where an offered entry is added: grade bands, and "adult" for pages with no band (adult pages).
OfferPlace = Literal["3-5", "6-8", "9-12", "adult"]


class Offer(_Strict):
    """offer_with: another entry every help box that lists this one also lists, on pages of these bands."""
    key: str
    bands: list[OfferPlace] = Field(default_factory=lambda: ["3-5", "6-8", "9-12", "adult"], min_length=1)


class ResourceWords(_Strict):
    """A resource's words in Spanish (the contact details never change). `name` only when the English
    name is not a proper name ("Emergency services"); the others mirror the English fields."""
    name: Optional[str] = None
    helps_with: str = Field(min_length=10)
    serves: str = Field(min_length=3)
    hours: Optional[str] = None
    note: Optional[str] = None
    limits: list[str] = Field(default_factory=list)

    _limits = field_validator("limits")(lambda v: [_sentence(item) for item in v])


class Resource(_Strict):
    name: str = Field(min_length=2)
    kind: ResourceKind
    helps_with: str = Field(min_length=10)
    serves: str = Field(min_length=3)
    url: Optional[str] = None
    phone: Optional[Phone] = None
    text: Optional[TextLine] = None
    hours: Optional[str] = None
    limits: list[str] = Field(default_factory=list)  # what the tool cannot do, one sentence each
    offer_with: list[Offer] = Field(default_factory=list)
    status: Literal["verified-official", "verified-secondary", "uncertain"]
    source: str
    reviewed: dt.date
    note: Optional[str] = None
    es: Optional[ResourceWords] = None  # required: pages with `language: es` show these words

    def words(self, lang: str) -> tuple[str, str, str | None]:
        """(helps_with, serves, hours) in the page's language."""
        other = self.es if lang == "es" else None
        if other is not None:
            return other.helps_with, other.serves, other.hours
        return self.helps_with, self.serves, self.hours

    def label(self, lang: str) -> str:
        """The name a page shows: a Spanish name where the registry gives one, else the proper name."""
        return (self.es.name if lang == "es" and self.es and self.es.name else None) or self.name

    def limits_for(self, lang: str) -> list[str]:
        return self.es.limits if lang == "es" and self.es else self.limits

    def note_for(self, lang: str) -> str | None:
        return self.es.note if lang == "es" and self.es else self.note

    def offers(self, band: str | None) -> list[str]:
        """Keys of the entries to offer beside this one on a page of this band (None: an adult page)."""
        place = band or "adult"
        return [offer.key for offer in self.offer_with if place in offer.bands]

    _url = field_validator("url")(lambda v: _matches(v, r"https://\S+", "a full web address starting with https://"))
    _source = field_validator("source")(lambda v: _matches(v, r"https?://\S+", "the web address where the details were confirmed"))
    _limits = field_validator("limits")(lambda v: [_sentence(item) for item in v])

    @model_validator(mode="after")
    def _complete(self):
        """A way to reach it; a removal tool's limits; its words in Spanish."""
        if not (self.url or self.phone or self.text):
            raise ValueError("a resource needs at least one way to reach it: url, phone or text")
        if self.kind == "removal-tool" and not self.limits:
            raise FieldError("limits", "found nothing; expected a list of the tool's limits, one sentence each "
                             "(who it is for, what it needs, where it does not reach): every entry with "
                             "kind: removal-tool says what it cannot do, so every page that offers it does too")
        self._complete_spanish()
        return self

    def _complete_spanish(self) -> None:
        """Every entry carries its words in Spanish: a Spanish page never falls back to English."""
        needed = ["helps_with", "serves"] + [f for f in ("hours", "note") if getattr(self, f)]
        needed += ["limits"] if self.limits else []
        if self.es is None:
            raise FieldError("es", f"found nothing; expected the entry's words in Spanish: {', '.join(needed)} "
                             "(and name, if the English name is not a proper name)")
        for field in ("hours", "note"):
            if getattr(self, field) and not getattr(self.es, field):
                raise FieldError("es", f"found no {field}; expected es.{field}, the Spanish of "
                                 f"{getattr(self, field)!r}")
            if getattr(self.es, field) and not getattr(self, field):
                raise FieldError("es", f"found es.{field} but no English {field}; expected both or neither")
        if len(self.es.limits) != len(self.limits):
            raise FieldError("es", f"found {len(self.es.limits)} es.limits for {len(self.limits)} limits; "
                             "expected the Spanish of each limit, in the same order")


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
        for key, entry in value.items():
            for offer in entry.offer_with:
                if offer.key not in value or offer.key == key:
                    raise ValueError(f"found offer_with key {offer.key!r} in {key}; expected the key of another "
                                     f"entry: {', '.join(k for k in value if k != key)}")
        return value


class _GlossaryFile(_Strict):
    terms: list[GlossaryTerm]

    _unique = field_validator("terms")(lambda v: _once_each(v, lambda t: t.term, "term"))


class StepWords(_Strict):
    title: str = Field(min_length=3)
    text: str = ""
    short: str = Field(min_length=3)


class HelpStep(_Strict):
    key: str
    title: str = Field(min_length=3)
    text: str = ""
    short: str = Field(min_length=3)
    detect: str
    es: StepWords  # every page in Spanish gives the same steps

    _key = field_validator("key")(lambda v: _matches(v, r"[a-z]+(-[a-z]+)*", "lowercase words joined by '-'"))

    @field_validator("detect")
    @classmethod
    def _detect(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"found {value!r}, which is not a valid regular expression ({exc}); expected a "
                             "pattern that spots this step typed by hand") from None
        return value

    def words(self, lang: str) -> tuple[str, str, str]:
        """(title, text, short) in the page's language."""
        if lang == "es":
            return self.es.title, self.es.text, self.es.short
        return self.title, self.text, self.short


class BandSteps(_Strict):
    steps: list[HelpStep] = Field(min_length=3)

    _unique = field_validator("steps")(lambda v: _once_each(v, lambda s: s.key, "step key"))


class _HelpStepsFile(_Strict):
    bands: dict[Band, BandSteps]

    @field_validator("bands")
    @classmethod
    def _every_band(cls, value):
        missing = [b for b in ("3-5", "6-8", "9-12") if b not in value]
        if missing:
            raise ValueError(f"found no steps for grades {', '.join(missing)}; expected steps for every band")
        return value


@dataclass
class Registries:
    standards: dict[str, Standard]
    resources: dict[str, Resource]
    glossary: dict[str, GlossaryTerm]  # keyed by lowercase term
    help_steps: dict[str, list[HelpStep]]  # band -> the steps, in order
    paths: dict[str, Path]  # "standards" | "resources" | "glossary" -> file

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.paths.values())

    def term(self, name: str) -> GlossaryTerm | None:
        return self.glossary.get(name.strip().lower())


FILES = {"standards": "standards.yml", "resources": "resources.yml", "glossary": "glossary.yml",
         "help_steps": "help-steps.yml"}
_MODELS = {"standards": _StandardsFile, "resources": _ResourcesFile, "glossary": _GlossaryFile,
           "help_steps": _HelpStepsFile}


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
        help_steps={band: entry.steps for band, entry in parsed["help_steps"].bands.items()},
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


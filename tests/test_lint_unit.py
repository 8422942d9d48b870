"""lessonkit.lint, function by function, on small pages written to a temporary folder.

tests/test_lint.py and tests/test_lint_rules.py run the lint on copies of the fixture book; these call
its parts directly and need no conftest fixture (about 3 s of CPU in all, most of it textstat loading
its dictionary), so scripts/mutation.sh can run them against every mutant of lessonkit/lint.py.
"""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from lessonkit import lint as L
from lessonkit.source import Line, read_page, student_text

REPO = Path(__file__).resolve().parents[1]
MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"
STANDARDS = {"NHES.4": {"code": "NHES.4", "status": "verified"},
             "CHR.10.CC.1": {"code": "CHR.10.CC.1", "status": "unverified"}}


def page(tmp_path, text, name="lessons/grades-6-8/page.md", follow=True):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_page(path, follow_includes=follow)


def lint_text(tmp_path, text, name="lessons/grades-6-8/page.md"):
    return L.lint_lines(page(tmp_path, text, name).lines, tmp_path, STANDARDS)


def rules(findings):
    return [(f.line, f.rule) for f in findings]


# ---- safe messaging and registry rules: one example for each rule entry ---------------------------

# one example per _rule(...) entry, in the order of SAFE_MESSAGING and REGISTRY; each matches only its own entry
EXAMPLES = [
    ("Why did you send that picture to him?", "sm-blame"),
    ("You should have known better than that.", "sm-blame"),
    ("That was a stupid mistake to make.", "sm-shame"),
    ("Just don't send pictures, ever.", "sm-abstinence"),
    ("Once it is online it is out there forever.", "sm-forever"),
    ("A picture like that will ruin your life.", "sm-ruin"),
    ("If you send one you will be arrested.", "sm-legal-threat"),
    ("If they threaten you, just pay them.", "sm-pay"),
    ("Then delete the chat right away.", "sm-delete-evidence"),
    ("Screenshot the nude so you have proof.", "sm-copy-image"),
    ("Tell the student: I promise I won't tell anyone.", "sm-secrecy-promise"),
    ("Take away their phone until this blows over.", "sm-confiscate"),
    ("A boy in another state committed suicide.", "sm-suicide-language"),
    ("The news said sextortion caused his death.", "sm-suicide-cause"),
    ("This is a form of revenge porn.", "sm-stigma-term"),
    ("The statute calls it child pornography.", "sm-stigma-term"),
    ("Her nudes got out at school.", "sm-hidden-actor"),
    ("Then press 3 for the youth line.", "sm-outdated-help"),
    ("The old line was 1-800-273-TALK.", "sm-outdated-help"),
    ("Take It Down removes it from the internet forever.", "sm-takeitdown-overpromise"),
    ("Trigger warning: this will be disturbing.", "sm-trigger-warning"),
    ("Raise your hand if this has happened to you.", "sm-disclosure-prompt"),
    ("Some people call it safe sexting.", "sm-safe-sexting"),
    ("Sadly there is nothing you can do about it.", "sm-hopeless"),
    ("Remember: stranger danger!", "sm-stranger-danger"),
    ("Call 202-555-0143 for help.", "reg-phone"),
    ("You can call or text 988 at any time.", "reg-phone"),
    ("Or text HOME to 741741.", "reg-shortcode"),
    ("Go to takeitdown.ncmec.org for help.", "reg-help-url"),
]


def test_every_rule_entry_has_an_example():
    assert [rule for _, rule in EXAMPLES] == [r.id for r in L.SAFE_MESSAGING + L.REGISTRY]


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_rule_entry_catches_its_example(tmp_path, index):
    text, rule = EXAMPLES[index]
    entry = (L.SAFE_MESSAGING + L.REGISTRY)[index]
    assert entry.pattern.search(text), "the example must match its own entry"
    found = lint_text(tmp_path, f"# Title\n\nSome words.\n{text}\n")
    also = [(4, "reg-phone")] if text.endswith("1-800-273-TALK.") else []  # an old number is a typed number too
    assert rules(found) == [(4, rule)] + also
    assert found[0].message == entry.message
    assert found[0].path == "lessons/grades-6-8/page.md"


def test_rules_ignore_case_and_every_message_says_what_to_do_instead():
    for rule in L.SAFE_MESSAGING + L.REGISTRY:
        assert rule.pattern.flags & 2, rule.id  # re.IGNORECASE
    assert L.Finding("a.md", 3, "sm-pay", "msg") == L.Finding("a.md", 3, "sm-pay", "msg")
    assert str(L.Finding("a.md", 3, "sm-pay", "don't.")) == "a.md:3  sm-pay  don't."


@pytest.mark.parametrize("text", [
    "Never pay them; paying rarely ends it.",
    "Do not delete the chat.",
    "Don't screenshot the nude, ever.",
    "We do not say take away their phone.",
    "Avoid saying I promise I won't tell.",
    "It is not out there forever.",
    "Never teach stranger danger.",
    "No trigger warning is needed here.",
    "Without saying you will be arrested, explain the law.",
    "Instead of just pay them, say no.",
    "Rather than delete the chat, keep it.",
    "We won't pay them.",
    "We will not delete the chat.",
    "Do NOT pay them.",
])
def test_advice_against_a_negatable_action_passes(tmp_path, text):
    assert lint_text(tmp_path, text + "\n") == []


def test_each_negatable_rule_is_one_the_lint_knows():
    assert L.NEGATABLE <= {r.id for r in L.SAFE_MESSAGING}
    assert L.NEGATABLE == {"sm-pay", "sm-delete-evidence", "sm-copy-image", "sm-confiscate", "sm-secrecy-promise",
                           "sm-forever", "sm-stranger-danger", "sm-trigger-warning", "sm-legal-threat"}


@pytest.mark.parametrize("text, rule", [
    ("Never say why did you send it.", "sm-blame"),  # blaming is never advice
    ("Do not say it was a stupid mistake.", "sm-shame"),
    ("Don't say it will ruin your life.", "sm-ruin"),
])
def test_a_negation_does_not_excuse_other_rules(tmp_path, text, rule):
    assert rules(lint_text(tmp_path, text + "\n")) == [(1, rule)]


@pytest.mark.parametrize("text", [
    "Do not worry. Just pay them.",  # the sentence ended
    "Never mind; just pay them.",
    "Not now! Just pay them.",
    "Is it? Just pay them.",
    "Never do anything rash or unkind or silly, they say, and just pay them.",  # too far back (over 40)
    "Notice this and pay them.",  # 'not' only as a whole word
])
def test_a_negation_counts_only_shortly_before_in_the_same_sentence(tmp_path, text):
    assert rules(lint_text(tmp_path, text + "\n")) == [(1, "sm-pay")]


def test_a_negation_may_end_the_line_before(tmp_path):
    assert lint_text(tmp_path, "Whatever they say, never\npay them.\n") == []
    assert rules(lint_text(tmp_path, "Whatever they say, never\n\npay them.\n")) == [(3, "sm-pay")]
    assert rules(lint_text(tmp_path, "Never.\npay them.\n")) == [(2, "sm-pay")]


def test_one_finding_per_rule_and_line_but_every_rule(tmp_path):
    found = lint_text(tmp_path, "Why did you send it? You should have known. That was a stupid mistake.\n")
    assert rules(found) == [(1, "sm-blame"), (1, "sm-shame")]
    found = lint_text(tmp_path, "Why did you send it?\nYou should have known.\n")
    assert rules(found) == [(1, "sm-blame"), (2, "sm-blame")]


def test_one_registry_finding_per_line(tmp_path):
    found = lint_text(tmp_path, "Call 202-555-0143 or see https://example.org.\n")
    assert rules(found) == [(1, "reg-phone")]
    found = lint_text(tmp_path, "Pay them. See https://example.org.\n")
    assert rules(found) == [(1, "sm-pay"), (1, "reg-help-url")]


@pytest.mark.parametrize("text", [
    "If a student says {avoid}`why did you send it?`, answer calmly.",
    "Use {resource}`lifeline-988` or {resource}`cybertipline:url`.",
    "See {doc}`the help page <../help.md>` and {ref}`help-page`.",
    "Read [the help page](../help-page.md) with {term}`trusted adult`.",
    "Ask {district}`counselor_name`.",
    "Dates such as 2025-01-02 and codes such as NHES.4 are not phone numbers.",
])
def test_marked_quotes_roles_and_own_links_pass(tmp_path, text):
    assert lint_text(tmp_path, text + "\n") == []


def test_a_web_link_is_still_a_typed_address(tmp_path):
    assert rules(lint_text(tmp_path, "Read [the site](https://example.org/help).\n")) == [(1, "reg-help-url")]


def test_scannable_keeps_columns():
    text = "Say {avoid}`just pay them` now."
    out = L._scannable(text)
    assert len(out) == len(text) and out.startswith("Say ") and out.endswith(" now.")
    assert "pay" not in out


def test_front_matter_and_code_are_not_prose(tmp_path):
    text = """\
    ---
    title: Just pay them
    ---
    ```
    just pay them
    ```
    :::{note}
    just pay them
    :::
    """
    assert rules(lint_text(tmp_path, text)) == [(8, "sm-pay")]


def test_offender_lines_pass_only_inside_a_scenario(tmp_path):
    text = """\
    :::::{scenario} A story
    ::::{scene} One
    :::{offender} Rio
    Pay now or this will ruin your life.
    :::
    ::::
    :::::

    :::{offender} Rio
    This will ruin your life.
    :::
    """
    assert rules(lint_text(tmp_path, text)) == [(10, "sm-ruin")]


def test_fence_lines_are_checked_only_for_standards(tmp_path):
    text = """\
    :::{note} Just pay them, see NHES.4 and CHR.10.CC.1 and NHES.9
    Words.
    :::
    """
    found = lint_text(tmp_path, text)
    assert [(f.line, f.rule, f.message) for f in found] == [
        (1, "reg-standard", "standards code CHR.10.CC.1 is marked unverified in data/standards.yml; cite only "
                            "verified codes"),
        (1, "reg-standard", "standards code NHES.9 is not in data/standards.yml"),
    ]


@pytest.mark.parametrize("code", ["CHR.8.CC.1", "IV.12.IC.2", "NSES-CHR-6-8", "CASEL-RS", "ISTE-2b", "ISTE-3",
                                  "NHES.4", "NHES2024.4", "SH.10.INF.3", "PS.5.GI.1"])
def test_every_kind_of_standard_code_is_checked(tmp_path, code):
    found = L.lint_lines(page(tmp_path, f"This meets {code} too.\n").lines, tmp_path, {})
    assert [(f.rule, f.message) for f in found] == [("reg-standard", f"standards code {code} is not in "
                                                                     "data/standards.yml")]


@pytest.mark.parametrize("text", ["Grade NHES4 is not a code.", "CHR.8.C.1", "ISTE-2e"])
def test_what_is_not_a_standard_code(tmp_path, text):
    assert [f for f in L.lint_lines(page(tmp_path, text + "\n").lines, tmp_path, {}) if f.rule == "reg-standard"] == []


@pytest.mark.parametrize("text", ["Call (202) 555-0143.", "Call +1 202 555 0143.", "Call 1-800-THE-LOST.",
                                  "Call 202.555.0143."])
def test_phone_numbers_in_their_usual_forms(tmp_path, text):
    assert rules(lint_text(tmp_path, text + "\n")) == [(1, "reg-phone")]


def test_a_path_outside_the_root_is_shown_as_given(tmp_path):
    line = Line(tmp_path / "x.md", 1, "just pay them")
    assert L.lint_lines([line], tmp_path / "other", {})[0].path == str(tmp_path / "x.md")
    assert L._rel(tmp_path / "a" / "b.md", tmp_path) == "a/b.md"


# ---- Take It Down's limits, and verbs before the phone role -----------------------------------------

@pytest.mark.parametrize("text", [
    "Take It Down only works for pictures taken before age 18.",
    "Take-It-Down works for pictures from before 18.",
    "Use Take It Down on your own device; it makes a hash of the picture.",
    "Take It Down works only with participating apps.",
    "take it down cannot see encrypted chats.",
    "Take It Down is for pictures taken under 18.",
])
def test_hand_typed_limits_are_flagged(tmp_path, text):
    found = L.hand_typed_limits(page(tmp_path, "# T\n" + text + "\n").lines, tmp_path)
    assert [(f.line, f.rule) for f in found] == [(2, "reg-limits")]
    assert found[0].message == ("Take It Down's limits typed by hand; they come from data/resources.yml: insert them "
                                "with {resource}`take-it-down:limits` (a {help-resources} box that lists the tool "
                                "shows them already)")
    assert found[0].path == "lessons/grades-6-8/page.md"


@pytest.mark.parametrize("text", [
    "What Take It Down can't do: {resource}`take-it-down:limits` (before 18 only).",
    "Never say {avoid}`Take It Down only works for pictures taken before age 18`.",
    "Block and report, tell the app you are under 18, and use Take It Down.",
    "Tell the app you're under 18 and use Take It Down.",
    "The TAKE IT DOWN Act covers adults and people under 18.",
    "The Take-It-Down act covers people under 18.",
    "Cite it {cite:p}`ncmec-take-it-down-faq`: images from under 18 need care.",
    "See [Take It Down](https://takeitdown.ncmec.org/encrypted).",
    "Take It Down helps.",
    "Pictures taken under 18 matter.",
])
def test_other_mentions_of_take_it_down_pass(tmp_path, text):
    assert L.hand_typed_limits(page(tmp_path, text + "\n").lines, tmp_path) == []


def test_the_limits_role_excuses_only_its_own_line(tmp_path):
    text = ("What it can't do: {resource}`take-it-down:limits` (before 18).\n"
            "Take It Down works only before 18.\n")
    assert [f.line for f in L.hand_typed_limits(page(tmp_path, text).lines, tmp_path)] == [2]


def test_the_age_step_may_wrap_onto_the_next_line(tmp_path):
    lines = page(tmp_path, "Block and report, tell the app you are\nunder 18, and use Take It Down.\n").lines
    assert L.hand_typed_limits(lines, tmp_path) == []
    lines = page(tmp_path, "Tell the app your age.\nTake It Down is for under 18.\n").lines
    assert [f.line for f in L.hand_typed_limits(lines, tmp_path)] == [2]


def test_limits_in_front_matter_code_or_fences_pass(tmp_path):
    text = """\
    ---
    note: Take It Down works only before 18.
    ---
    ```
    Take It Down works only before 18.
    ```
    :::{note} Take It Down works only before 18.
    :::
    Take It Down works only before 18.
    """
    assert [f.line for f in L.hand_typed_limits(page(tmp_path, text).lines, tmp_path)] == [9]


def test_a_fence_resets_the_line_before(tmp_path):
    text = "Tell the app you are\n:::{note}\nunder 18 for Take It Down.\n:::\n"
    assert [f.line for f in L.hand_typed_limits(page(tmp_path, text).lines, tmp_path)] == [3]


@pytest.mark.parametrize("text, flagged", [
    ("In danger? Call {resource}`emergency-911:phone`.", True),
    ("Or text {resource}`lifeline-988:phone` now.", True),
    ("Dial {resource}`lifeline-988:phone`.", True),
    ("Phone {resource}`lifeline-988:phone`.", True),
    ("Call or text {resource}`lifeline-988:phone`.", True),
    ("Llame al {resource}`emergency-911:phone`.", True),
    ("Marque el {resource}`emergency-911:phone`.", True),
    ("CALL {resource}`emergency-911:phone`.", True),
    ("In danger? {resource}`emergency-911:phone`.", False),
    ("Call {resource}`emergency-911` now.", False),
    ("Call {resource}`emergency-911:url`.", False),
    ("Recall {resource}`emergency-911:phone`.", False),
])
def test_a_verb_typed_before_the_phone_role(tmp_path, text, flagged):
    found = L.doubled_verbs(page(tmp_path, "# T\n" + text + "\n").lines, tmp_path)
    assert [(f.line, f.rule) for f in found] == ([(2, "reg-verb")] if flagged else [])
    if flagged:
        assert found[0].message == ("a verb typed before {resource}`key:phone`, which writes its own (\"call 911\", "
                                    "\"call or text 988\", in the page's language); drop the typed verb")
        assert found[0].path == "lessons/grades-6-8/page.md"


def test_fence_lines_have_no_doubled_verbs(tmp_path):
    assert L.doubled_verbs(page(tmp_path, ":::{note} Call {resource}`emergency-911:phone`\n:::\n").lines,
                           tmp_path) == []


# ---- hand-typed help steps ------------------------------------------------------------------------

STEPS_YML = """bands:
  "6-8":
    steps:
      - {key: stop, detect: "\\\\bstop (replying|answering)\\\\b"}
      - {key: tell, detect: "\\\\btell a trusted adult\\\\b"}
      - {key: pay, detect: "\\\\bdon't pay\\\\b"}
  "9-12":
    steps:
      - {key: stop, detect: "\\\\bstop responding\\\\b"}
      - {key: report, detect: "\\\\breport (it|the account)\\\\b"}
      - {key: block, detect: "\\\\bblock\\\\b"}
"""


@pytest.fixture
def detectors(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "help-steps.yml").write_text(STEPS_YML, encoding="utf-8")
    return L.step_detectors(tmp_path)


def test_step_detectors_join_each_keys_patterns_across_bands(detectors):
    assert sorted(detectors) == ["block", "pay", "report", "stop", "tell"]
    assert detectors["stop"].pattern == r"(?:\bstop (replying|answering)\b)|(?:\bstop responding\b)"
    assert detectors["stop"].search("STOP RESPONDING now")
    assert detectors["tell"].pattern == r"(?:\btell a trusted adult\b)"


def test_step_detectors_of_an_empty_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "help-steps.yml").write_text("", encoding="utf-8")
    assert L.step_detectors(tmp_path) == {}
    (tmp_path / "data" / "help-steps.yml").write_text("bands:\n  '6-8': {}\n", encoding="utf-8")
    assert L.step_detectors(tmp_path) == {}


def steps_found(tmp_path, detectors, text):
    return L.hand_typed_steps(page(tmp_path, text).lines, tmp_path, detectors)


def test_four_steps_in_one_paragraph_are_a_copy(tmp_path, detectors):
    text = "# T\n\nFirst stop replying, then\ntell a trusted adult. Don't pay.\nReport it.\n\nBlock them.\n"
    found = steps_found(tmp_path, detectors, text)
    assert [(f.line, f.rule) for f in found] == [(3, "reg-help-steps")]
    assert found[0].message == (
        "the help steps typed by hand (pay, report, stop, tell); insert them with a {help-steps} block, or "
        "{help-steps}`band` on one line, so every page gives the same steps in the same order")
    assert found[0].path == "lessons/grades-6-8/page.md"


def test_three_steps_or_steps_split_by_a_blank_line_pass(tmp_path, detectors):
    assert steps_found(tmp_path, detectors, "Stop replying, tell a trusted adult, and don't pay.\n") == []
    assert steps_found(tmp_path, detectors, "Stop replying, tell a trusted adult.\n\nDon't pay. Report it.\n") == []
    assert steps_found(tmp_path, detectors, "Stop replying, tell a trusted adult.\n   \nDon't pay. Report it.\n") == []


def test_a_list_is_one_block_and_ends_at_the_file_end(tmp_path, detectors):
    found = steps_found(tmp_path, detectors, "Steps:\n- Stop replying.\n- Tell a trusted adult.\n- Don't pay.\n- Block.")
    assert [f.line for f in found] == [1]


def test_table_rows_are_read_one_by_one(tmp_path, detectors):
    text = ("| Stage | Steps |\n| --- | --- |\n| One | Stop replying; tell a trusted adult |\n"
            "| Two | Don't pay; block |\n")
    assert steps_found(tmp_path, detectors, text) == []
    text = "Before the table: stop replying.\n| One | Tell a trusted adult; don't pay; block |\n"
    assert steps_found(tmp_path, detectors, text) == []
    text = "| All | Stop replying; tell a trusted adult; don't pay; block |\nAfter.\n"
    assert [f.line for f in steps_found(tmp_path, detectors, text)] == [1]


def test_fences_close_a_block(tmp_path, detectors):
    text = "Stop replying, tell a trusted adult.\n:::{note}\nDon't pay. Block.\n:::\n"
    assert steps_found(tmp_path, detectors, text) == []


def test_the_help_steps_role_and_avoid_quotes_are_not_a_copy(tmp_path, detectors):
    assert steps_found(tmp_path, detectors, "Stop replying, {help-steps}`6-8`, tell a trusted adult, don't pay, "
                                            "block.\n") == []
    assert steps_found(tmp_path, detectors, "Never say {avoid}`stop replying, tell a trusted adult`; don't pay; "
                                            "block.\n") == []
    # a role that names a step still names it: {term}`trusted adult` reads as "trusted adult"
    found = steps_found(tmp_path, detectors, "Stop replying, tell a {term}`trusted adult`, don't pay, block.\n")
    assert [f.line for f in found] == [1]


def test_steps_in_front_matter_code_or_offender_lines_pass(tmp_path, detectors):
    text = ("---\nnote: stop replying, tell a trusted adult, don't pay, block\n---\n"
            "```\nstop replying, tell a trusted adult, don't pay, block\n```\n"
            ":::{offender} Rio\nStop replying, tell a trusted adult, don't pay, block.\n:::\n")
    assert steps_found(tmp_path, detectors, text) == []
    # and the lines after them are read again
    after = "Stop replying, tell a trusted adult, don't pay, block.\n"
    assert [f.line for f in steps_found(tmp_path, detectors, text + after)] == [10]
    assert [f.line for f in steps_found(tmp_path, detectors, "---\na: 1\n---\n" + after)] == [4]


def test_lines_after_a_table_are_read_again(tmp_path, detectors):
    text = "| One | Stop replying |\nStop replying, tell a trusted adult, don't pay, block.\n"
    assert [f.line for f in steps_found(tmp_path, detectors, text)] == [2]


# ---- lesson completeness --------------------------------------------------------------------------

FULL = """\
---
lesson:
  topics: [consent, getting-help]
---
# A lesson

::::{procedure}
:::{segment} One
:minutes: 45
Go.
:::
::::

::::{discussion} Talk
:::{prompt}
One?
```{listen-for}
A.
```
```{follow-up}
B?
```
:::
:::{prompt}
Two?
```{listen-for}
A.
```
```{follow-up}
B?
```
:::
:::{prompt}
Three?
```{listen-for}
A.
```
```{follow-up}
B?
```
:::
::::

:::::{scenario} A story
::::{scene} One
:::{choice} Go
Went.
:::
::::
::::{debrief}
1. Why?
::::
:::::

:::{facilitator-note}
:kind: disclosure
A.
:::
:::{facilitator-note}
:kind: opt-out
B.
:::
:::{facilitator-note}
:kind: differentiation
C.
:::

:::{check-for-understanding}
1. Name one. {checks}`1`
```{answer-key}
A.
```
:::

:::{family-connection}
Talk.
:::

```{help-resources}
:keys: cybertipline
```
"""


def completeness(tmp_path, text=FULL, lesson=None):
    p = page(tmp_path, text)
    return L.completeness(p, "lessons/x.md", p.metadata.get("lesson", {}) if lesson is None else lesson)


def test_a_complete_lesson_passes(tmp_path):
    assert completeness(tmp_path) == []


def line_of(text, marker, nth=1):
    """1-based line of the nth line that starts with marker."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(marker)][nth - 1]


@pytest.mark.parametrize("old, new, where, messages", [
    ("::::{discussion} Talk", "::::{note} Talk", None, ["no {discussion} block; expected discussion prompts",
                                                        "found 0 discussion prompt(s); expected at least 3"]),
    (":::{prompt}\nThree?", ":::{note}\nThree?", ("::::{discussion}", 1),
     ["found 2 discussion prompt(s); expected at least 3"]),
    ("```{listen-for}\nA.\n```\n```{follow-up}\nB?\n```\n:::\n::::", "```{follow-up}\nB?\n```\n:::\n::::",
     (":::{prompt}", 3), ["prompt has no {listen-for} note for the teacher"]),
    ("```{follow-up}\nB?\n```\n:::\n::::", ":::\n::::", (":::{prompt}", 3), ["prompt has no {follow-up} question"]),
    (":::::{scenario} A story", ":::::{note} A story", None,
     ["no {scenario}; expected a scenario activity (in activities/, included)"]),
    ("::::{debrief}", "::::{note}", (":::::{scenario}", 1), ["scenario 'A story' has no {debrief}"]),
    (":::{choice} Go", ":::{note} Go", (":::::{scenario}", 1), ["scenario 'A story' has no {choice}"]),
    (":::{check-for-understanding}", ":::{note}", None, ["no {check-for-understanding}",
                                                         "the check for understanding has no {answer-key}"]),
    ("```{answer-key}", "```{note}", (":::{check-for-understanding}", 1),
     ["the check for understanding has no {answer-key}"]),
    (":::{family-connection}", ":::{note}", None, ["no {family-connection}"]),
    ("::::{procedure}", "::::{note}", None, ["no {procedure}; expected a minute-by-minute plan"]),
    (":kind: disclosure", ":kind: general", None, ["no {facilitator-note} with :kind: disclosure"]),
    (":kind: opt-out", ":kind: safety", None, ["no {facilitator-note} with :kind: opt-out"]),
    (":kind: differentiation", "", None, ["no {facilitator-note} with :kind: differentiation"]),
])
def test_each_missing_part_is_reported(tmp_path, old, new, where, messages):
    assert old in FULL
    text = FULL.replace(old, new, 1)
    line = line_of(text, *where) if where else 1
    found = completeness(tmp_path, text)
    assert [(f.path, f.line, f.rule, f.message) for f in found] == [("lessons/x.md", line, "lesson-part", m)
                                                                    for m in messages]


def test_a_page_with_nothing_lists_every_part(tmp_path):
    found = completeness(tmp_path, "# Empty\n", {"topics": ["never-forward"]})
    assert [(f.line, f.message) for f in found] == [
        (1, "no {discussion} block; expected discussion prompts"),
        (1, "found 0 discussion prompt(s); expected at least 3"),
        (1, "no {scenario}; expected a scenario activity (in activities/, included)"),
        (1, "no {check-for-understanding}"),
        (1, "the check for understanding has no {answer-key}"),
        (1, "no {family-connection}"),
        (1, "no {procedure}; expected a minute-by-minute plan"),
        (1, "no {facilitator-note} with :kind: disclosure"),
        (1, "no {facilitator-note} with :kind: opt-out"),
        (1, "no {facilitator-note} with :kind: differentiation"),
        (1, "a lesson on this topic must end with {help-resources}"),
    ]


@pytest.mark.parametrize("topics, needed", [(["sextortion-pattern"], True), (["getting-help"], True),
                                            (["never-forward"], True), (["consent", "healthy-relationships"], False),
                                            ([], False), (None, False)])
def test_help_topics_end_with_help_resources(tmp_path, topics, needed):
    text = FULL.replace("```{help-resources}\n:keys: cybertipline\n```\n", "")
    found = completeness(tmp_path, text, {"topics": topics})
    assert [f.message for f in found] == (["a lesson on this topic must end with {help-resources}"] if needed else [])


def test_help_resources_come_last(tmp_path):
    text = FULL + "\n:::{note}\nAfter.\n:::\n"
    found = completeness(tmp_path, text)
    assert [(f.line, f.message) for f in found] == [
        (line_of(text, "```{help-resources}"), "{help-resources} should be the lesson's last block, so it ends "
                                                "with resources")]
    assert completeness(tmp_path, text, {"topics": ["consent"]}) == []
    # code after it is not a block a reader sees as the end
    assert completeness(tmp_path, FULL + "\n```\ncode\n```\n") == []


def test_a_general_facilitator_note_is_general(tmp_path):
    text = FULL.replace(":kind: differentiation\n", "")
    assert [f.message for f in completeness(tmp_path, text)] == ["no {facilitator-note} with :kind: differentiation"]


# ---- objective counts -----------------------------------------------------------------------------

CHECK = """\
# L

:::{check-for-understanding}
1. Name two warning signs. {checks}`1`
2. List three ways
   to leave a chat. {checks}`2, 3`

```{answer-key}
Five things.
```
3) Give one more example {checks}`3`
:::

1. Name ten things. {checks}`1`
"""


def test_check_items_are_numbered_items_of_the_check(tmp_path):
    items = L.check_items(page(tmp_path, CHECK))
    assert items == [(4, "1. Name two warning signs. ", [1]),
                     (5, "2. List three ways to leave a chat. ", [2, 3]),
                     (11, "3) Give one more example ", [3])]


def test_check_items_skip_an_introduction_and_wrap_onto_lines(tmp_path):
    text = ("# L\n\n:::{check-for-understanding}\nAnswer these.\n\n1. Name two\n   warning signs.\n"
            "2. Say one line.\n   Then another.\n:::\n")
    assert L.check_items(page(tmp_path, text)) == [(6, "1. Name two warning signs.", []),
                                                   (8, "2. Say one line. Then another.", [])]


def test_any_fence_ends_an_item(tmp_path):
    text = "# L\n\n:::{check-for-understanding}\n1. Name two signs.\n::::{note}\nFive more.\n::::\n:::\n"
    assert L.check_items(page(tmp_path, text)) == [(4, "1. Name two signs.", [])]


def test_an_answer_key_ends_an_item(tmp_path):
    text = CHECK.replace("3) Give one more example {checks}`3`\n", "and more words\n")
    items = L.check_items(page(tmp_path, text))
    assert items[-1] == (5, "2. List three ways to leave a chat. ", [2, 3])


def objective_counts(tmp_path, objectives, text=CHECK):
    return L.objective_counts(page(tmp_path, text), "lessons/x.md", {"objectives": objectives})


def test_an_objective_that_promises_more_than_its_checks_ask(tmp_path):
    found = objective_counts(tmp_path, ["Identify at least three warning signs."])
    assert [(f.path, f.line, f.rule, f.message) for f in found] == [(
        "lessons/x.md", 4, "obj-count",
        "objective 1 asks for 3, but the check items that check it ask for at most 2; expected a check that asks "
        "for 3 (or an objective that promises what the check asks)")]


@pytest.mark.parametrize("objectives, lines", [
    (["Identify two warning signs."], []),  # the count right after the verb
    (["Identify three warning signs."], [4]),
    (["Compare and contrast three choices."], [4]),  # "verb and verb N"
    (["Name at least 3 signs."], [4]),
    (["Identify warning signs."], []),  # no count promised
    (["Identify two signs.", "Practice four ways to leave."], [5]),  # objective 2: asked for three
    (["Identify two signs.", "Practice three ways.", "Explain two reasons."], []),  # 3) "one more" is no count
    (["Identify two signs.", "Practice three ways.", "Explain four reasons."], [5]),
    (["Identify warning signs.", "Practice four ways to leave."], [5]),  # one without a count is skipped
    ([], []),
])
def test_objective_counts(tmp_path, objectives, lines):
    assert [f.line for f in objective_counts(tmp_path, objectives)] == lines


def test_the_check_that_asks_most_is_named(tmp_path):
    text = CHECK.replace("3) Give one more example {checks}`3`", "3) Give four examples {checks}`2`")
    found = objective_counts(tmp_path, ["Identify two signs.", "Practice five ways."], text)
    assert [(f.line, f.message.split(";")[0]) for f in found] == [
        (11, "objective 2 asks for 5, but the check items that check it ask for at most 4")]
    assert objective_counts(tmp_path, ["Identify two signs.", "Practice four ways."], text) == []


def test_a_count_may_open_the_item(tmp_path):
    text = "# L\n\n:::{check-for-understanding}\n1. Three ways to say no. {checks}`1`\n:::\n"
    assert [f.line for f in objective_counts(tmp_path, ["Name four ways to say no."], text)] == [4]
    assert objective_counts(tmp_path, ["Name three ways to say no."], text) == []


def test_items_without_a_count_are_left_to_review(tmp_path):
    text = "# L\n\n:::{check-for-understanding}\n1. Name some signs. {checks}`1`\n:::\n"
    assert objective_counts(tmp_path, ["Identify at least five signs."], text) == []


def test_counts_in_words_and_digits():
    assert [L._count(w) for w in ["1", "12", "one", "Two", "THREE", "ten"]] == [1, 12, 1, 2, 3, 10]
    assert L.NUMBER_WORDS == {w: i for i, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"], start=1)}


# ---- reading level, bands, and the whole lint -------------------------------------------------------

def test_reading_ceilings_are_the_bands_targets():
    assert L.READING_CEILING == {"3-5": 5.5, "6-8": 8.5, "9-12": 11.0}
    assert L.PAGES == ("book", "lessons", "activities")
    assert L.STEPS_IN_A_COPY == 4


@pytest.mark.parametrize("path, band", [("lessons/grades-3-5/a.md", "3-5"), ("activities/grades-6-8/h.md", "6-8"),
                                        ("x/grades-9-12/y/z.md", "9-12"), ("book/a.md", None),
                                        ("lessons/grades-6-8-old.md", None)])
def test_band_of_a_path(path, band):
    assert L.band_of(Path(path)) == band


def test_reading_grade_needs_thirty_words(tmp_path):
    short = page(tmp_path, "# Title\n\n" + "Short words here. " * 9 + "\n")  # 27 words + title
    assert L.reading_grade(short, {}) is None
    thirty = page(tmp_path, "# Title\n\n" + "Short words here. " * 9 + "Two more.\n")
    assert len(student_text(thirty, {}).split()) == 30
    assert L.reading_grade(thirty, {}) is not None
    assert L.reading_grade(page(tmp_path, "# Title\n\n" + "Short words here. " * 9 + "One.\n"), {}) is None
    enough = page(tmp_path, "# Hi\n\n" + "The cat sat on the mat. " * 5 + "\n")  # 31 words
    assert 0 > L.reading_grade(enough, {}) > -5
    hard = page(tmp_path, "# Hi\n\n" + "Interpersonal negotiations necessitate sophisticated metacognitive "
                                        "evaluation of manipulative communicative strategies. " * 4 + "\n")
    assert L.reading_grade(hard, {}) > 16


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("lintbook") / "book"
    shutil.copytree(MINIBOOK, root)
    shutil.copytree(REPO / "data", root / "data")
    return root


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_of_a_book(book, tmp_path):
    root = tmp_path / "b"
    shutil.copytree(book, root)
    write(root, "book/extra.md", "# Extra\n\nJust pay them.\nJust pay them.\n")
    write(root, "lessons/grades-6-8/index.md", "# Index\n\nJust pay them.\n")  # linted, not a lesson
    write(root, "lessons/grades-6-8/notes.txt", "Just pay them.\n")  # not a page
    hard = ("Interpersonal negotiations necessitate sophisticated metacognitive evaluation of manipulative "
            "communicative strategies. " * 4)
    write(root, "activities/grades-3-5/handout-hard.md", f"# Handout\n\n{hard}\n")
    write(root, "activities/grades-3-5/scenario-hard.md", f"# Story\n\n{hard}\n")  # not a handout: no level
    write(root, "book/hard.md", f"# Adults\n\n{hard}\n")  # no band: no level
    write(root, "book/codes.md", "# Codes\n\nThis meets NHES.4 and CHR.10.CC.1.\n")  # from data/standards.yml
    findings, grades = L.lint(root)
    assert [(f.line, f.message) for f in findings if f.path == "book/codes.md"] == [
        (3, "standards code CHR.10.CC.1 is marked unverified in data/standards.yml; cite only verified codes")]
    shown = [(f.path, f.line, f.rule) for f in findings]
    assert shown == sorted(shown)
    assert ("book/extra.md", 3, "sm-pay") in shown and ("book/extra.md", 4, "sm-pay") in shown
    assert ("lessons/grades-6-8/index.md", 3, "sm-pay") in shown
    assert not any(p.endswith(".txt") for p, _, _ in shown)
    assert not any(p == "lessons/grades-6-8/index.md" and r == "lesson-part" for p, _, r in shown)
    # the fixture lesson misses parts; its handout and lesson are measured
    assert ("lessons/grades-6-8/01-fixture-lesson.md", 1, "lesson-part") in shown
    assert set(grades) == {"lessons/grades-6-8/01-fixture-lesson.md", "activities/grades-3-5/handout-hard.md"}
    [level] = [f for f in findings if f.rule == "read-level"]
    assert (level.path, level.line) == ("activities/grades-3-5/handout-hard.md", 1)
    assert level.message == (f"student-facing text reads at grade {grades[level.path]:.1f} (Flesch-Kincaid); "
                             "expected at most 5.5 for grades 3-5: shorter sentences, more common words")


MIDDLE = "Some online friends pressure people into sharing a picture. " * 4  # reads at about grade 7.6


@pytest.mark.parametrize("band, flagged", [("3-5", True), ("6-8", False)])
def test_a_lessons_band_comes_from_its_metadata_not_its_folder(book, tmp_path, band, flagged):
    root = tmp_path / "b"
    shutil.copytree(book, root)
    rel = "lessons/grades-6-8/02-middle.md"
    write(root, rel, f"---\nlesson:\n  band: '{band}'\n---\n{MIDDLE}\n")
    findings, grades = L.lint(root)
    assert 5.5 < grades[rel] < 8.5, grades[rel]
    assert [f.path for f in findings if f.rule == "read-level"] == ([rel] if flagged else [])


def test_a_lesson_without_a_band_is_not_measured(book, tmp_path):
    root = tmp_path / "b"
    shutil.copytree(book, root)
    write(root, "lessons/grades-6-8/02-middle.md", f"---\nlesson:\n  title: x\n---\n{MIDDLE}\n")
    assert "lessons/grades-6-8/02-middle.md" not in L.lint(root)[1]


@pytest.mark.parametrize("grade, flagged", [(8.5, False), (8.51, True)])
def test_the_ceiling_itself_passes(book, monkeypatch, grade, flagged):
    monkeypatch.setattr(L, "reading_grade", lambda page, names: grade)
    findings, grades = L.lint(book)
    assert grades["lessons/grades-6-8/01-fixture-lesson.md"] == grade
    assert [f.path for f in findings if f.rule == "read-level"] == (  # the lesson and its handout, both 6-8
        ["activities/grades-6-8/handout-fixture.md", "lessons/grades-6-8/01-fixture-lesson.md"] if flagged else [])


def test_lesson_checks_read_the_lessons_metadata(book, tmp_path):
    root = tmp_path / "b"
    shutil.copytree(book, root)
    write(root, "lessons/grades-6-8/02-help.md", "---\nlesson:\n  topics: [getting-help]\n---\n# Help\n")
    write(root, "lessons/grades-6-8/03-consent.md", "---\nlesson:\n  topics: [consent]\n---\n# Consent\n")
    messages = {(f.path, f.message) for f in L.lint(root)[0] if f.rule == "lesson-part"}
    assert ("lessons/grades-6-8/02-help.md", "a lesson on this topic must end with {help-resources}") in messages
    assert ("lessons/grades-6-8/03-consent.md", "a lesson on this topic must end with {help-resources}") not in messages


def test_help_lines_are_read_by_their_names(book):
    # the student edition shows a resource's name where a page has {resource}`key`
    import yaml
    rel = "lessons/grades-6-8/01-fixture-lesson.md"
    names = {k: v["name"] for k, v in yaml.safe_load((book / "data/resources.yml").read_text())["resources"].items()}
    lesson = read_page(book / rel)
    assert L.reading_grade(lesson, names) != L.reading_grade(lesson, {})
    assert L.lint(book)[1][rel] == L.reading_grade(lesson, names)


def test_each_finding_once_and_lesson_checks_only_for_lessons(book, tmp_path):
    root = tmp_path / "b"
    shutil.copytree(book, root)
    write(root, "activities/grades-6-8/handout-two.md", "# Two\n\nJust pay them.\n")
    findings, _ = L.lint(root)
    assert len(findings) == len(set(findings))
    assert [f.rule for f in findings if f.path == "activities/grades-6-8/handout-two.md"] == ["sm-pay"]
    objective = [f for f in findings if f.rule == "obj-count"]
    assert objective == []
    lesson = root / "lessons/grades-6-8/01-fixture-lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Identify two warning signs",
                                                                 "Identify five warning signs"), encoding="utf-8")
    assert [f.rule for f in L.lint(root)[0] if f.rule == "obj-count"] == ["obj-count"]


def test_objective_counts_skip_an_objective_yaml_read_as_a_mapping(tmp_path):
    # `check` reports the malformed objective; the lint must not crash on it
    found = objective_counts(tmp_path, [{"Say": "no"}, "Practice four ways to leave."])
    assert [(f.line, f.message.split(",")[0]) for f in found] == [(5, "objective 2 asks for 4")]

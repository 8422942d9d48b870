"""lessonkit.registries: every registry model, its checks and messages, and load(), in-process.

tests/test_schema.py and tests/test_standards.py check registry errors end to end (`lessonkit check`);
these call the models directly, so they run in well under a second and scripts/mutation.sh can run them
against every mutant of lessonkit/registries.py.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from lessonkit import registries as R
from lessonkit.problems import Problem


def fails(model, data):
    """(location, message) of each error; our own ValueErrors by their text."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    out = []
    for e in caught.value.errors(include_url=False):
        cause = (e.get("ctx") or {}).get("error")
        loc = tuple(e["loc"]) + ((cause.index,) if hasattr(cause, "index") else ()) \
            + ((cause.field,) if hasattr(cause, "field") else ())
        out.append((loc, str(cause) if cause is not None else e["type"]))
    return out


def fail(model, data):
    found = fails(model, data)
    assert len(found) == 1, found
    return found[0]


# ---- standards -------------------------------------------------------------------------------------

def std(**changes):
    data = {"code": "NHES.4", "framework": "NHES", "edition": "2007 edition", "level": "code",
            "bands": ["3-5", "6-8"], "summary": "Use interpersonal skills.", "status": "verified",
            "source": "https://example.org/nhes"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


STRAND = dict(code="NSES-CHR-6-8", framework="NSES", level="strand", strand="Consent and Healthy Relationships",
              bands=["6-8"], edition="2nd edition, 2020")


def test_a_code_level_standard_and_its_citation():
    s = R.Standard.model_validate(std())
    assert (s.framework_label, s.edition_label) == ("National Health Education Standards",
                                                    "National Health Education Standards, 2007 edition")
    assert (s.is_strand, s.name, s.qualifier) == (False, "NHES.4", s.edition_label)
    assert s.citation == "NHES.4 (National Health Education Standards, 2007 edition)"
    assert (s.publisher, s.strand, s.note) == (None, None, None)


def test_a_strand_level_standard_and_its_citation():
    s = R.Standard.model_validate(std(**STRAND))
    assert s.is_strand
    assert s.name == "Consent and Healthy Relationships strand, grades 6–8"
    assert s.qualifier == ("National Sex Education Standards, 2nd edition, 2020; strand-level alignment: no "
                           "indicator code verified")
    assert s.citation == f"{s.name} ({s.qualifier})"


@pytest.mark.parametrize("code", ["NHES.4", "CHR.10.CC.1", "ISTE-2b", "a", "9-x.Y"])
def test_good_codes(code):
    assert R.Standard.model_validate(std(code=code)).code == code


@pytest.mark.parametrize("code", [".NHES", "-A", "NHES 4", "NHES_4", "NHES.4!", ""])
def test_bad_codes(code):
    assert fail(R.Standard, std(code=code)) == (("code",), f"found {code!r}; expected a code of letters, digits, "
                                                           "'.' and '-'")


@pytest.mark.parametrize("source", ["https://example.org/a", "http://example.org"])
def test_good_sources(source):
    assert R.Standard.model_validate(std(source=source)).source == source


@pytest.mark.parametrize("source", ["example.org", "ftp://example.org", "https://exa mple.org", "https://"])
def test_bad_sources(source):
    assert fail(R.Standard, std(source=source)) == (
        ("source",), f"found {source!r}; expected the web address of the source that shows the code")


@pytest.mark.parametrize("edition", ["2007 edition", "2nd edition, 2020", "1999", "undated", "edition 2024 draft"])
def test_editions_with_a_year(edition):
    assert R.Standard.model_validate(std(edition=edition)).edition == edition


@pytest.mark.parametrize("edition", ["3rd edition", "edition 2107", "x2007", "20071", "1899 edition", "undatedx"])
def test_editions_without_a_year(edition):
    assert fail(R.Standard, std(edition=edition)) == (
        ("edition",), f"found {edition!r}; expected the edition with its year, e.g. '2nd edition, 2020' or "
                      "'2007 edition' ('undated' only when the framework gives no year)")


@pytest.mark.parametrize("edition", [..., None, "", "   "])
def test_an_edition_is_required(edition):
    assert fail(R.Standard, std(edition=edition)) == (
        ("edition",), "found nothing; expected the edition this entry belongs to, e.g. '2nd edition, 2020' or "
                      "'2007 edition'")


@pytest.mark.parametrize("field, value", [("framework", "NSES2"), ("level", "indicator"), ("status", "maybe"),
                                          ("bands", ["3-6"]), ("bands", []), ("summary", "Too short"),
                                          ("summary", "x" * 161), ("extra", 1), ("code", ...)])
def test_other_standard_fields(field, value):
    assert fails(R.Standard, std(**{field: value}))
    for ok in [{"summary": "x" * 10}, {"summary": "x" * 160}, {"status": "unverified"}, {"framework": "CASEL"},
               {"framework": "ISTE"}, {"bands": ["9-12"]}, {"summary": "  Ten chars.  "}]:
        assert R.Standard.model_validate(std(**ok))


def test_a_code_level_entry_has_no_strand_name():
    assert fail(R.Standard, std(strand="Consent")) == (
        ("strand",), "found 'Consent' on an entry with level: code; expected no strand name (an entry for a "
                     "whole strand says level: strand)")


def test_a_strand_id_is_not_a_code_level_entry():
    assert fail(R.Standard, std(code="NSES-CHR-6-8", framework="NSES")) == (
        ("level",), "found 'code' for 'NSES-CHR-6-8', which is a strand id; expected level: strand and the "
                    "strand's name, or a published code")
    # only a whole strand id counts: an NSES indicator code is a code
    assert R.Standard.model_validate(std(code="CHR.8.CC.1", framework="NSES")).level == "code"
    assert R.Standard.model_validate(std(code="NSES-CHR-6-8x", framework="NSES")).level == "code"


@pytest.mark.parametrize("strand, shown", [(None, "nothing"), ("", "an empty value"), ("  ", "an empty value")])
def test_a_strand_level_entry_names_its_strand(strand, shown):
    assert fail(R.Standard, std(**{**STRAND, "strand": strand})) == (
        ("strand",), f"found {shown}; expected the name of the strand a strand-level entry covers, e.g. 'Consent "
                     "and Healthy Relationships'")


def test_a_strand_level_entry_has_one_band():
    assert fail(R.Standard, std(**{**STRAND, "bands": ["6-8", "9-12"]})) == (
        ("bands",), "found a list of 2 on a strand-level entry; expected exactly one band (one entry per strand "
                    "and band)")


@pytest.mark.parametrize("code, framework, band", [
    ("CHR.8.CC.1", "NSES", "6-8"),  # an indicator code
    ("CASEL-CHR-6-8", "NSES", "6-8"),  # another framework's id
    ("NSES-CHR-9-12", "NSES", "6-8"),  # another band's id
    ("NSES-CHR-6-8", "CASEL", "6-8"),
])
def test_a_strand_level_entry_has_a_matching_strand_id(code, framework, band):
    assert fail(R.Standard, std(**{**STRAND, "code": code, "framework": framework, "bands": [band]})) == (
        ("code",), f"found {code!r} on a strand-level entry for grades {band}; expected a strand id "
                   f"{framework}-<strand letters>-{band}, e.g. '{framework}-CHR-{band}', never an indicator code")


@pytest.mark.parametrize("code, band", [("NSES-CHR-6-8", "6-8"), ("NSES-IV-9-12", "9-12"), ("NSES-ABC-3-5", "3-5")])
def test_strand_ids_that_match(code, band):
    assert R.Standard.model_validate(std(**{**STRAND, "code": code, "bands": [band]})).is_strand


def test_the_standards_file_names_each_code_once():
    one = std()
    assert R._StandardsFile.model_validate({"standards": [one, std(code="NHES.5")]})
    assert fail(R._StandardsFile, {"standards": [one, std(code="NHES.5"), std(code="nhes.4")]}) == (
        ("standards", 2), "found the code 'nhes.4' a second time; expected each code once")


# ---- resources -------------------------------------------------------------------------------------

def phone(**changes):
    return R.Phone.model_validate({"display": "1-800-843-5678", "dial": "+18008435678", **changes})


@pytest.mark.parametrize("display, dial", [("1-800-843-5678", "+18008435678"), ("988", "988"),
                                           ("202 555 0143", "2025550143"), ("+1 202.555.0143", "+12025550143"),
                                           ("1-202-555-0143", "2025550143"), ("741741", "741741"),
                                           ("18008435678", "8008435678")])
def test_phone_numbers_that_match_their_dial_string(display, dial):
    p = phone(display=display, dial=dial)
    assert (p.display, p.dial, p.texts, p.also) == (display, dial, False, None)


@pytest.mark.parametrize("display, dial", [("1-800-843-5679", "+18008435678"), ("988", "911"),
                                           ("2-800-843-5678", "8008435678"), ("1-800-843-567", "+18008435678"),
                                           ("1-800-843-5678", "+28008435678")])
def test_phone_numbers_that_do_not(display, dial):
    assert fail(R.Phone, {"display": display, "dial": dial}) == (
        ("display",), f"found {display!r}, which is not the number dialed ({dial!r}); expected the same number as dial")


@pytest.mark.parametrize("display", ["call 988", "1-800-THE-LOST", "-988", "988-", "(202) 555-0143", "9 8 x"])
def test_a_display_is_only_the_number(display):
    assert fails(R.Phone, {"display": display, "dial": "988"}) == [(("display",), (
        f"found {display!r}; expected only the number, e.g. '1-800-843-5678' or '988' (write 'texts: true' when "
        "the number also takes texts, and a spelled-out form such as 1-800-THE-LOST under 'also')"))]
    assert phone(display=" 988 ", dial="988").display == "988"  # stripped first


def test_display_is_at_least_three_characters():
    assert fails(R.Phone, {"display": "98", "dial": "98"})[0][0] == ("display",)
    assert phone(display="988", dial="988").display == "988"


@pytest.mark.parametrize("dial, good", [("988", True), ("+18008435678", True), ("123456789012345", True),
                                        ("98", False), ("1234567890123456", False), ("1-800", False),
                                        ("++988", False), ("988x", False)])
def test_dial_strings(dial, good):
    if good:
        assert R.Phone.model_validate({"display": dial, "dial": dial}).dial == dial
    else:
        assert (("dial",), f"found {dial!r}; expected digits to dial, e.g. '+18008435678' or '988'") in \
            fails(R.Phone, {"display": "988", "dial": dial})


@pytest.mark.parametrize("also, good", [("1-800-THE-LOST", True), ("CALLFBI", True), ("A", True),
                                        ("1-800-843-5678", False), ("1-800-the-lost", False), ("", False)])
def test_spelled_numbers(also, good):
    if good:
        assert phone(also=also, texts=True).also == also
    else:
        assert fail(R.Phone, {"display": "988", "dial": "988", "also": also}) == (
            ("also",), f"found {also!r}; expected the number spelled in capital letters, e.g. '1-800-THE-LOST'")


@pytest.mark.parametrize("data, error", [
    ({"keyword": "home", "number": "741741"}, (("keyword",), "found 'home'; expected the keyword in capitals, e.g. 'HOME'")),
    ({"keyword": "HOME 2", "number": "741741"}, (("keyword",), "found 'HOME 2'; expected the keyword in capitals, e.g. 'HOME'")),
    ({"keyword": "HOME", "number": "74"}, (("number",), "found '74'; expected the short code's digits, e.g. '741741'")),
    ({"keyword": "HOME", "number": "12345678901"}, (("number",), "found '12345678901'; expected the short code's digits, e.g. '741741'")),
    ({"keyword": "HOME", "number": "741-741"}, (("number",), "found '741-741'; expected the short code's digits, e.g. '741741'")),
])
def test_text_lines(data, error):
    assert fail(R.TextLine, data) == error
    assert R.TextLine.model_validate({"keyword": "HOME2", "number": "741"}).number == "741"
    assert R.TextLine.model_validate({"keyword": "H", "number": "1234567890"}).keyword == "H"


ES = {"helps_with": "Ayuda a las personas jóvenes.", "serves": "Cualquier persona"}


def resource(**changes):
    data = {"name": "Help line", "kind": "support", "helps_with": "Helps young people.", "serves": "Anyone",
            "url": "https://example.org", "status": "verified-official", "source": "https://example.org/about",
            "reviewed": "2026-01-02", "es": dict(ES)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def test_a_resource_and_its_words():
    r = R.Resource.model_validate(resource(hours="24/7", note="A note.", es={**ES, "hours": "24/7 es", "note": "Nota.",
                                                                            "name": "Línea de ayuda"}))
    assert r.reviewed == dt.date(2026, 1, 2)
    assert r.words("en") == ("Helps young people.", "Anyone", "24/7")
    assert r.words("es") == ("Ayuda a las personas jóvenes.", "Cualquier persona", "24/7 es")
    assert r.words("fr") == r.words("en")
    assert (r.label("en"), r.label("es")) == ("Help line", "Línea de ayuda")
    assert (r.note_for("en"), r.note_for("es")) == ("A note.", "Nota.")
    assert (r.limits_for("en"), r.limits_for("es")) == ([], [])


def test_a_proper_name_is_kept_in_spanish():
    r = R.Resource.model_validate(resource())
    assert r.label("es") == "Help line"
    assert r.note_for("es") is None and r.note_for("en") is None
    assert r.words("es")[2] is None and r.words("en")[2] is None  # no hours: nothing, not an empty text
    r = R.Resource.model_construct(**{**resource(), "es": None})  # no Spanish words at all (not valid, but safe)
    assert (r.label("es"), r.note_for("es"), r.limits_for("es")) == ("Help line", None, [])
    assert r.words("es") == ("Helps young people.", "Anyone", None)


def test_limits_in_both_languages():
    r = R.Resource.model_validate(resource(kind="removal-tool", limits=["It works only here.", "Not there!"],
                                           es={**ES, "limits": ["Solo aquí.", "¿Allí no?"]}))
    assert r.limits_for("en") == ["It works only here.", "Not there!"]
    assert r.limits_for("es") == ["Solo aquí.", "¿Allí no?"]


@pytest.mark.parametrize("limit", ["It works only here", "Two sentences. Then none", ""])
def test_each_limit_is_a_sentence(limit):
    assert ((("limits",), f"found {limit!r}; expected a whole sentence ending with a full stop")
            in fails(R.Resource, resource(limits=[limit], es={**ES, "limits": ["Uno."]})))
    assert ((("es", "limits"), f"found {limit!r}; expected a whole sentence ending with a full stop")
            in fails(R.Resource, resource(limits=["One."], es={**ES, "limits": [limit]})))


def test_offers_by_band():
    r = R.Resource.model_validate(resource(offer_with=[{"key": "a", "bands": ["9-12", "adult"]}, {"key": "b"}]))
    assert r.offers("9-12") == ["a", "b"]
    assert r.offers("3-5") == ["b"]
    assert r.offers(None) == ["a", "b"]
    assert r.offers("") == ["a", "b"]
    assert R.Offer.model_validate({"key": "x"}).bands == ["3-5", "6-8", "9-12", "adult"]
    assert fails(R.Offer, {"key": "x", "bands": []})[0][0] == ("bands",)
    assert fails(R.Offer, {"key": "x", "bands": ["k-2"]})[0][0] == ("bands", 0)


@pytest.mark.parametrize("place", ["3-5", "6-8", "9-12", "adult"])
def test_an_offer_may_name_one_place(place):
    assert R.Offer.model_validate({"key": "x", "bands": [place]}).bands == [place]


@pytest.mark.parametrize("url, good", [("https://example.org", True), ("http://example.org", False),
                                       ("example.org", False), ("https://exa mple.org", False)])
def test_resource_urls_are_https(url, good):
    if good:
        assert R.Resource.model_validate(resource(url=url)).url == url
    else:
        assert fail(R.Resource, resource(url=url)) == (
            ("url",), f"found {url!r}; expected a full web address starting with https://")


@pytest.mark.parametrize("source, good", [("https://a.org/x", True), ("http://a.org", True), ("a.org", False)])
def test_resource_sources(source, good):
    if good:
        assert R.Resource.model_validate(resource(source=source)).source == source
    else:
        assert fail(R.Resource, resource(source=source)) == (
            ("source",), f"found {source!r}; expected the web address where the details were confirmed")


def test_a_resource_needs_a_way_to_reach_it():
    assert fail(R.Resource, resource(url=...)) == ((), "a resource needs at least one way to reach it: url, phone or text")
    assert R.Resource.model_validate(resource(url=..., phone={"display": "988", "dial": "988"})).phone.dial == "988"
    assert R.Resource.model_validate(resource(url=..., text={"keyword": "HOME", "number": "741741"})).text.number == "741741"


def test_a_removal_tool_says_what_it_cannot_do():
    assert fail(R.Resource, resource(kind="removal-tool")) == (
        ("limits",), "found nothing; expected a list of the tool's limits, one sentence each (who it is for, what "
                     "it needs, where it does not reach): every entry with kind: removal-tool says what it cannot "
                     "do, so every page that offers it does too")
    for kind in ("support", "report", "emergency"):
        assert R.Resource.model_validate(resource(kind=kind)).kind == kind


@pytest.mark.parametrize("changes, needed", [
    ({}, "helps_with, serves"),
    ({"hours": "24/7"}, "helps_with, serves, hours"),
    ({"note": "A note."}, "helps_with, serves, note"),
    ({"hours": "24/7", "note": "A note.", "limits": ["One."]}, "helps_with, serves, hours, note, limits"),
])
def test_every_resource_has_its_words_in_spanish(changes, needed):
    message = (f"found nothing; expected the entry's words in Spanish: {needed} (and name, if the English name "
               "is not a proper name)")
    assert fail(R.Resource, resource(es=None, **changes)) == (("es",), message)
    assert fail(R.Resource, resource(es=..., **changes)) == (("es",), message)  # no `es:` at all


@pytest.mark.parametrize("field", ["hours", "note"])
def test_spanish_hours_and_note_mirror_the_english(field):
    assert fail(R.Resource, resource(**{field: "Some words."})) == (
        ("es",), f"found no {field}; expected es.{field}, the Spanish of 'Some words.'")
    assert fail(R.Resource, resource(es={**ES, field: "Unas palabras."})) == (
        ("es",), f"found es.{field} but no English {field}; expected both or neither")
    assert R.Resource.model_validate(resource(**{field: "Words."}, es={**ES, field: "Palabras."}))


@pytest.mark.parametrize("en, es", [(["One."], []), (["One.", "Two."], ["Uno."]), ([], ["Uno."])])
def test_spanish_limits_match_one_for_one(en, es):
    assert fail(R.Resource, resource(limits=en, es={**ES, "limits": es})) == (
        ("es",), f"found {len(es)} es.limits for {len(en)} limits; expected the Spanish of each limit, in the same order")


@pytest.mark.parametrize("field, value", [("name", "A"), ("kind", "hotline"), ("helps_with", "Too short"),
                                          ("serves", "ab"), ("status", "verified"), ("reviewed", "soon"),
                                          ("other", 1)])
def test_other_resource_fields(field, value):
    assert fails(R.Resource, resource(**{field: value}))
    for ok in [{"name": "AB"}, {"helps_with": "x" * 10}, {"serves": "abc"}, {"status": "uncertain"},
               {"status": "verified-secondary"}]:
        assert R.Resource.model_validate(resource(**ok))


@pytest.mark.parametrize("field, value", [("helps_with", "Corto"), ("serves", "ab"), ("other", 1)])
def test_spanish_words_fields(field, value):
    assert fails(R.ResourceWords, {**ES, field: value})
    assert R.ResourceWords.model_validate({"helps_with": "x" * 10, "serves": "abc"}).limits == []


def resources_file(**entries):
    return {"resources": {key: resource(**changes) for key, changes in entries.items()}}


def test_resource_keys_are_lowercase_words():
    assert R._ResourcesFile.model_validate(resources_file(**{"a": {}, "lifeline-988": {}}))
    for key in ["Lifeline", "life_line", "life--line", "-a", "a-"]:
        assert fail(R._ResourcesFile, resources_file(**{key: {}})) == (
            ("resources",), f"found the key {key!r}; expected lowercase words joined by '-'")


def test_offers_name_another_entry():
    good = resources_file(a={"offer_with": [{"key": "b"}]}, b={}, c={})
    assert R._ResourcesFile.model_validate(good).resources["a"].offer_with[0].key == "b"
    for target in ["zzz", "a"]:
        assert fail(R._ResourcesFile, resources_file(a={"offer_with": [{"key": target}]}, b={}, c={})) == (
            ("resources",), f"found offer_with key {target!r} in a; expected the key of another entry: b, c")


# ---- glossary and help steps -----------------------------------------------------------------------

def test_glossary_terms_and_band_definitions():
    t = R.GlossaryTerm.model_validate({"term": "consent", "definition": "Saying yes freely.",
                                       "bands": {"3-5": "Saying yes."}})
    assert t.definition_for("3-5") == "Saying yes."
    assert t.definition_for("6-8") == "Saying yes freely."
    assert t.definition_for(None) == "Saying yes freely."
    assert R.GlossaryTerm.model_validate({"term": "ab", "definition": "x" * 10}).bands == {}
    for bad in [{"term": "a", "definition": "x" * 10}, {"term": "ab", "definition": "x" * 9},
                {"term": "ab", "definition": "x" * 10, "bands": {"k-2": "x"}}]:
        assert fails(R.GlossaryTerm, bad)


def test_the_glossary_names_each_term_once():
    t = {"term": "consent", "definition": "Saying yes freely."}
    assert fail(R._GlossaryFile, {"terms": [t, {**t, "term": "boundary"}, {**t, "term": "Consent"}]}) == (
        ("terms", 2), "found the term 'Consent' a second time; expected each term once")


def step(key, **changes):
    return {"key": key, "title": "Stop replying.", "short": "stop replying", "detect": r"\bstop\b",
            "es": {"title": "Deja de responder.", "short": "deja de responder"}, **changes}


def test_a_help_step_and_its_words():
    s = R.HelpStep.model_validate(step("keep-telling", text="Keep going.", es={"title": "Sigue.", "text": "Sigue así.",
                                                                               "short": "sigue"}))
    assert s.words("en") == ("Stop replying.", "Keep going.", "stop replying")
    assert s.words("es") == ("Sigue.", "Sigue así.", "sigue")
    assert s.words("fr") == s.words("en")
    plain = R.HelpStep.model_validate(step("stop"))
    assert plain.text == "" and plain.words("es") == ("Deja de responder.", "", "deja de responder")


@pytest.mark.parametrize("key", ["Stop", "stop2", "stop_now", "-stop", "stop--now", ""])
def test_help_step_keys(key):
    assert fail(R.HelpStep, step(key)) == (("key",), f"found {key!r}; expected lowercase words joined by '-'")


def test_help_step_detect_is_a_regular_expression():
    assert fail(R.HelpStep, step("stop", detect="(stop")) == (
        ("detect",), "found '(stop', which is not a valid regular expression (missing ), unterminated subpattern at "
                     "position 0); expected a pattern that spots this step typed by hand")


def test_help_step_words_have_limits():
    for bad in [step("stop", title="ab"), step("stop", short="ab"), step("stop", es={"title": "ab", "short": "abc"}),
                step("stop", es={"title": "abc", "short": "ab"}), step("stop", es=...)]:
        assert fails(R.HelpStep, {k: v for k, v in bad.items() if v is not ...})
    assert R.HelpStep.model_validate(step("stop", title="abc", short="abc", es={"title": "abc", "short": "abc"}))


def test_each_band_has_three_steps_or_more_each_once():
    assert len(R.BandSteps.model_validate({"steps": [step("a"), step("b"), step("c")]}).steps) == 3
    assert fails(R.BandSteps, {"steps": [step("a"), step("b")]})[0][0] == ("steps",)
    assert fail(R.BandSteps, {"steps": [step("a"), step("b"), step("A".lower())]}) == (
        ("steps", 2), "found the step key 'a' a second time; expected each step key once")


def test_every_band_has_steps():
    three = {"steps": [step("a"), step("b"), step("c")]}
    assert R._HelpStepsFile.model_validate({"bands": {"3-5": three, "6-8": three, "9-12": three}})
    assert fail(R._HelpStepsFile, {"bands": {"6-8": three}}) == (
        ("bands",), "found no steps for grades 3-5, 9-12; expected steps for every band")
    assert fail(R._HelpStepsFile, {"bands": {"3-5": three, "6-8": three}}) == (
        ("bands",), "found no steps for grades 9-12; expected steps for every band")


# ---- load() ----------------------------------------------------------------------------------------

STEPS = """bands:
{}""".format("".join(f"""  "{band}":
    steps:
""" + "".join(f"""      - key: {key}
        title: Step {key}.
        short: step {key}
        detect: "{key}"
        es: {{title: Paso {key}., short: paso {key}}}
""" for key in ("stop", "tell", "report")) for band in ("3-5", "6-8", "9-12")))

FILES = {
    "standards.yml": """standards:
  - code: NHES.4
    framework: NHES
    edition: 2007 edition
    level: code
    bands: [3-5, 6-8]
    summary: Use interpersonal skills.
    status: verified
    source: https://example.org/nhes
""",
    "resources.yml": """resources:
  lifeline-988:
    name: 988 Lifeline
    kind: support
    helps_with: Support for anyone in distress.
    serves: Anyone
    phone: {display: "988", dial: "988", texts: true}
    status: verified-official
    source: https://example.org/988
    reviewed: 2026-01-02
    es: {helps_with: Apoyo para quien lo necesite., serves: Cualquier persona}
""",
    "glossary.yml": """terms:
  - term: Trusted adult
    definition: An adult you can go to.
""",
    "help-steps.yml": STEPS,
}


def data_dir(tmp_path, **changes) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in {**FILES, **changes}.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_load_reads_every_registry(tmp_path):
    folder = data_dir(tmp_path)
    regs, problems = R.load(folder, tmp_path)
    assert problems == []
    assert list(regs.standards) == ["NHES.4"] and regs.standards["NHES.4"].bands == ["3-5", "6-8"]
    assert list(regs.resources) == ["lifeline-988"] and regs.resources["lifeline-988"].phone.texts is True
    assert list(regs.glossary) == ["trusted adult"]  # keyed by the lowercase term
    assert regs.term("  Trusted Adult ").term == "Trusted adult"
    assert regs.term("stranger") is None
    assert list(regs.help_steps) == ["3-5", "6-8", "9-12"]
    assert [s.key for s in regs.help_steps["6-8"]] == ["stop", "tell", "report"]
    assert regs.paths == {"standards": folder / "standards.yml", "resources": folder / "resources.yml",
                          "glossary": folder / "glossary.yml", "help_steps": folder / "help-steps.yml"}
    assert regs.files == tuple(regs.paths.values())
    assert R.load(str(folder), str(tmp_path))[1] == []


def test_load_reports_a_missing_file(tmp_path):
    folder = data_dir(tmp_path, **{"glossary.yml": None})
    regs, problems = R.load(folder, tmp_path)
    assert regs is None
    assert problems == [Problem("data/glossary.yml", 1, "(file)", "no file", "the glossary registry at data/glossary.yml")]


def test_load_reports_every_missing_file_at_once(tmp_path):
    folder = data_dir(tmp_path, **{"standards.yml": None, "help-steps.yml": None})
    regs, problems = R.load(folder, tmp_path)
    assert regs is None
    assert [(p.path, p.found) for p in problems] == [("data/standards.yml", "no file"), ("data/help-steps.yml", "no file")]


def test_load_reports_every_file_that_is_not_yaml_at_once(tmp_path):
    folder = data_dir(tmp_path, **{"standards.yml": "standards: [\n", "resources.yml": "a: \x07\n"})
    regs, problems = R.load(folder, tmp_path)
    assert regs is None
    assert [(p.path, p.line, p.field) for p in problems] == [("data/standards.yml", 2, "(file)"),
                                                             ("data/resources.yml", 1, "(file)")]
    # a reader error has no position and no `problem`: line 1 and the whole message
    assert problems[1].found.startswith("invalid YAML (unacceptable character #x0007")


def test_load_reports_invalid_yaml_at_its_line(tmp_path):
    folder = data_dir(tmp_path, **{"standards.yml": "standards:\n  - code: A\n    bands: [3-5\n"})
    regs, problems = R.load(folder, tmp_path)
    assert regs is None
    assert problems == [Problem("data/standards.yml", 4, "(file)", "invalid YAML (expected ',' or ']', but got "
                                "'<stream end>')", "'key: value' YAML")]


def test_load_reports_each_bad_field_at_its_line(tmp_path):
    text = FILES["standards.yml"].replace("    bands: [3-5, 6-8]\n", "    bands: [3-5, 5-7]\n") \
        .replace("    status: verified\n", "    status: verified\n    colour: red\n")
    folder = data_dir(tmp_path, **{"standards.yml": text,
                                   "glossary.yml": "terms:\n  - term: a\n    definition: An adult you can go to.\n"})
    regs, problems = R.load(folder, tmp_path)
    assert regs is None
    assert [(p.path, p.line, p.field, p.found) for p in problems] == [
        ("data/standards.yml", 6, "standards[0].bands[1]", "'5-7'"),
        ("data/standards.yml", 9, "standards[0].colour", "an unknown field 'colour'"),
        ("data/glossary.yml", 2, "terms[0].term", "'a'"),
    ]


def test_load_points_a_whole_file_error_at_line_1(tmp_path):
    folder = data_dir(tmp_path, **{"glossary.yml": "", "resources.yml": "# nothing yet\n"})
    regs, problems = R.load(folder, tmp_path)
    assert [(p.path, p.line, p.field, p.found) for p in problems] == [
        ("data/resources.yml", 1, "resources", "nothing"), ("data/glossary.yml", 1, "terms", "nothing")]


def test_line_falls_back_to_the_closest_known_key():
    lines = {("a",): 3, ("a", "b"): 5}
    assert R._line(lines, ("a", "b", 2)) == 5
    assert R._line(lines, ["a", "c"]) == 3
    assert R._line(lines, ("z",)) == 1
    assert R._line({}, ()) == 1


def test_rel_is_relative_to_the_root_when_it_can_be(tmp_path):
    assert R._rel(tmp_path / "data" / "x.yml", tmp_path) == "data/x.yml"
    assert R._rel(tmp_path / "x.yml", tmp_path / "other") == str(tmp_path / "x.yml")

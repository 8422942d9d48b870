"""Help resources and the district's own contacts, always drawn from their single source.

{resource}`key` and {help-resources} read data/resources.yml; {district}`field` reads the
lessonkit_district block of _config.yml. Nothing here holds a phone number or URL itself: the
registry holds the data, and this module writes the words around it in the page's language.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import frontmatter
from .district import DISTRICT_DEFAULTS, DISTRICT_FIELDS, DISTRICT_FIELDS_ES
from .nodes import lk_heading
from .registries import Resource

logger = logging.getLogger(__name__)

RESOURCE_PARTS = ("name", "url", "phone", "text", "contact", "limits")

# The words lessonkit itself writes around registry data, in English and for pages whose front
# matter sets `language: es`. `{number}` is where the phone link goes.
WORDS = {
    "en": {
        "call": "call {number}", "call_text": "call or text {number}", "text": "text {keyword} to {number}",
        "at_school": "At school: ", "where": "Where to get help", "limits": "Limits:",
        "placeholder": "[{what}: your district adds this in _config.yml]",
        "serves": "Who it serves: {serves} ", "checked": "Contact details {status}; last reviewed {date}. ",
        "verified-official": "confirmed on the organization's own site",
        "verified-secondary": "confirmed through trusted secondary sources",
        "uncertain": "not yet confirmed on the organization's own site: check before sharing",
        "avoid": "A phrase to avoid: ",
    },
    "es": {
        "call": "llame al {number}", "call_text": "llame o envíe un mensaje de texto al {number}",
        "text": "envíe {keyword} por mensaje de texto al {number}",
        "at_school": "En la escuela: ", "where": "Dónde encontrar ayuda", "limits": "Límites:",
        "placeholder": "[{what}: su distrito lo agrega en _config.yml]",
        "serves": "A quién atiende: {serves} ", "checked": "Datos de contacto {status}; última revisión: {date}. ",
        "verified-official": "confirmados en el sitio de la propia organización",
        "verified-secondary": "confirmados mediante fuentes secundarias de confianza",
        "uncertain": "todavía sin confirmar en el sitio de la propia organización: verifíquelos antes de "
                     "compartirlos",
        "avoid": "Una frase que conviene evitar: ",
    },
}


@contextmanager
def block_language(env, lang: str):
    """While a block in another language is parsed (`{family-connection}` with `:lang:`), roles and
    blocks inside it write that language's wording."""
    stack = env.temp_data.setdefault("lessonkit_block_language", [])
    stack.append(lang)
    try:
        yield
    finally:
        stack.pop()


def page_language(env) -> str:
    """The language of the text being read: the innermost block's `:lang:`, else the page's front
    matter `language:`, English by default."""
    if env.temp_data.get("lessonkit_block_language"):
        return env.temp_data["lessonkit_block_language"][-1]
    cache = env.temp_data.setdefault("lessonkit_language", {})
    if env.docname not in cache:
        try:
            fm = frontmatter.read(Path(env.doc2path(env.docname)))
            cache[env.docname] = str((fm.data.get("language") if fm else None) or "en")
        except (frontmatter.FrontMatterError, OSError, UnicodeDecodeError):
            cache[env.docname] = "en"
    return cache[env.docname] if cache[env.docname] in WORDS else "en"


BAND_IN_NAME = re.compile(r"(?:^|[/-])grades-(3-5|6-8|9-12)(?=$|[/-])")


def page_band(env) -> str | None:
    """The grade band a page is for: its lesson's band; for a handout, the band of the lesson that lists
    it; otherwise a `grades-X-Y` in its path or name (activities/grades-6-8/..., survey-grades-6-8).
    None for a page with no band: the adult pages."""
    project = env.app.lessonkit
    lesson = project.unit(env.docname)
    if lesson is not None:
        return lesson.band
    for lesson in project.lessons.values():
        if any(PurePosixPath(path).with_suffix("").as_posix() == env.docname for path in lesson.handouts):
            return lesson.band
    found = BAND_IN_NAME.search(env.docname)
    return found.group(1) if found else None


def _link(text: str, uri: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=uri)


def _around(template: str, node: nodes.Node) -> list[nodes.Node]:
    """The words of a template with a node where it says {number}."""
    before, _, after = template.partition("{number}")
    return [n for n in (nodes.Text(before) if before else None, node, nodes.Text(after) if after else None) if n]


def contact_nodes(res: Resource, part: str = "contact", lang: str = "en") -> list[nodes.Node]:
    """Inline nodes for one part of a resource: its name, url, phone, text line, limits or all contacts."""
    words = WORDS[lang]
    out: list[nodes.Node] = []
    if part == "name":
        return [nodes.Text(res.label(lang))]
    if part == "limits":
        limits = res.limits_for(lang)
        return [nodes.Text(" ".join(limits))] if limits else []
    if part in ("url", "contact") and res.url:
        out.append(_link(res.url.removeprefix("https://").rstrip("/"), res.url))
    if part in ("phone", "contact") and res.phone:
        if out:
            out.append(nodes.Text(" · "))
        phone = res.phone
        out += _around(words["call_text" if phone.texts else "call"], _link(phone.display, f"tel:{phone.dial}"))
        if phone.also:
            out.append(nodes.Text(f" ({phone.also})"))
    if part in ("text", "contact") and res.text:
        if out:
            out.append(nodes.Text(" · "))
        out.append(nodes.Text(words["text"].format(keyword=res.text.keyword, number=res.text.number)))
    return out


def resource_inline(res: Resource, part: str, lang: str = "en") -> list[nodes.Node]:
    if part in ("name", "url", "phone", "text", "limits"):
        return contact_nodes(res, part, lang)
    name = res.label(lang)
    return [nodes.strong(name, name), nodes.Text(" ("), *contact_nodes(res, lang=lang), nodes.Text(")")]


class ResourceRole(SphinxRole):
    """{resource}`key` or {resource}`key:part` with part one of name, url, phone, text, limits."""

    def run(self):
        key, _, part = self.text.strip().partition(":")
        part = part or "full"
        regs = self.env.app.lessonkit.registries
        if regs:
            self.env.note_dependency(str(regs.paths["resources"]))
        res = regs.resources.get(key) if regs else None
        if res is None:
            known = ", ".join(sorted(regs.resources)) if regs else "(the registry did not load)"
            logger.warning(f"unknown help resource {key!r}; expected a key from data/resources.yml: {known}",
                           location=self.get_location(), type="lessonkit", subtype="resource")
            return [nodes.inline(self.text, self.text, classes=["lk-missing"])], []
        if part not in RESOURCE_PARTS + ("full",):
            logger.warning(f"unknown resource part {part!r} in {{resource}}`{self.text}`; expected one of "
                           f"{', '.join(RESOURCE_PARTS)}", location=self.get_location(),
                           type="lessonkit", subtype="resource")
            part = "full"
        found = resource_inline(res, part, page_language(self.env))
        if not found:
            logger.warning(f"help resource {key!r} has no {part}; expected a part it has",
                           location=self.get_location(), type="lessonkit", subtype="resource")
        classes = ["lk-resource"] + (["lk-resource-limits"] if part == "limits" else [])
        return [nodes.inline("", "", *found, classes=classes)], []


def district_value(config, field: str) -> str:
    return str((config.lessonkit_district or {}).get(field) or "").strip()


def district_inline(env, field: str, lang: str = "en", wording: str | None = None) -> nodes.Node:
    """A district detail: its value; if unset, plain words in the student edition and a highlighted
    placeholder in the teacher edition (so whoever prepares the book sees what is missing)."""
    value = district_value(env.config, field)
    if value:
        return nodes.inline(value, value, classes=["lk-district"])
    if env.config.lessonkit_edition == "student":
        text = wording or DISTRICT_DEFAULTS[lang][field]
        return nodes.inline(text, text, classes=["lk-district", "lk-district-default"])
    what = (DISTRICT_FIELDS_ES if lang == "es" else DISTRICT_FIELDS)[field]
    text = WORDS[lang]["placeholder"].format(what=what)
    # the field and the student edition's words ride along, for views shown to students (projector.py)
    return nodes.inline(text, text, classes=["lk-placeholder"], lk_field=field, lk_lang=lang, lk_wording=wording or "")


WORDING = re.compile(r"(?P<wording>.*?)\s*<(?P<field>[^<>]+)>", re.DOTALL)


class DistrictRole(SphinxRole):
    """{district}`field`: a detail the school or district fills in once, in _config.yml.
    {district}`words <field>`: the same, with the words the student edition shows in this sentence
    when the detail is not filled in (instead of the field's usual plain words)."""

    def run(self):
        text = self.text.strip()
        found = WORDING.fullmatch(text)
        field, wording = (found["field"].strip(), found["wording"].strip() or None) if found else (text, None)
        if field not in DISTRICT_FIELDS:
            logger.warning(f"unknown district detail {field!r}; expected one of {', '.join(DISTRICT_FIELDS)}",
                           location=self.get_location(), type="lessonkit", subtype="district")
            return [nodes.inline(field, field, classes=["lk-missing"])], []
        return [district_inline(self.env, field, page_language(self.env), wording)], []


class AvoidRole(SphinxRole):
    """{avoid}`why did you send it?`: a phrase adults should not say, quoted so they can spot it.
    The safe-messaging lint skips it; readers see it marked as a phrase to avoid."""

    def run(self):
        text = self.text.strip()
        hidden = WORDS[page_language(self.env)]["avoid"]
        node = nodes.inline(text, "", classes=["lk-avoid"])
        node += nodes.inline(hidden, hidden, classes=["visually-hidden"])
        node += nodes.Text(f"\u201c{text}\u201d")
        return [node], []


def disclosure_link(directive) -> list[nodes.Node]:
    """The closing line of every disclosure note: a checked link to the book's disclosure protocol
    (lessonkit_disclosure_page), so no lesson can forget it and a missing page fails the build."""
    target = str(directive.config.lessonkit_disclosure_page or "").strip().strip("/").removesuffix(".md")
    if not target:
        return []
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{target}", refexplicit=False,
                                refwarn=True, refdoc=directive.env.docname)
    ref += nodes.inline(target, target, classes=["xref", "std", "std-doc"])
    directive.set_source_info(ref)
    lead = "The whole protocol, with what to say and who to tell: "
    return [nodes.paragraph("", "", nodes.Text(lead), ref, nodes.Text("."), classes=["lk-disclosure-link"])]


def with_offers(keys: list[str], resources: dict[str, Resource], band: str | None) -> list[str]:
    """The keys a help box lists: its own, each followed by the entries it offers on this band's pages
    (offer_with in the registry) when the box does not list them already."""
    out: list[str] = []
    for key in keys:
        if key in out:
            continue
        out.append(key)
        res = resources.get(key)
        for offered in res.offers(band) if res else []:
            if offered not in keys and offered not in out:
                out.append(offered)
    return out


class HelpResources(SphinxDirective):
    """A 'where to get help' box: chosen resources (with the limits of any tool among them, and the
    entries they offer beside them) plus the school's own contact."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"keys": directives.unchanged_required, "details": directives.flag}

    def run(self):
        regs = self.env.app.lessonkit.registries
        self.env.note_dependency(str(regs.paths["resources"]))
        keys = [k for k in self.options.get("keys", "").replace(",", " ").split() if k] or sorted(regs.resources)
        lang = page_language(self.env)
        words = WORDS[lang]
        title = self.arguments[0] if self.arguments else words["where"]
        box = nodes.container(classes=["lk-block", "lk-help"])
        self.set_source_info(box)
        box += lk_heading(title, title)
        items = nodes.bullet_list(classes=["lk-help-list"])
        school = nodes.paragraph()
        school += [nodes.strong(words["at_school"], words["at_school"]),
                   district_inline(self.env, "counselor_name", lang), nodes.Text(" ("),
                   district_inline(self.env, "counselor_contact", lang), nodes.Text(")")]
        items += nodes.list_item("", school)
        for key in [k for k in keys if k not in regs.resources]:
            logger.warning(f"unknown help resource {key!r} in :keys:; expected keys from data/resources.yml: "
                           f"{', '.join(sorted(regs.resources))}", location=self.get_location(),
                           type="lessonkit", subtype="resource")
        for key in with_offers([k for k in keys if k in regs.resources], regs.resources, page_band(self.env)):
            items += self.item(key, regs.resources[key], lang, offered=key not in keys)
        box += items
        return [box]

    def item(self, key: str, res: Resource, lang: str, offered: bool) -> nodes.list_item:
        words = WORDS[lang]
        details = "details" in self.options
        para = nodes.paragraph()
        helps_with, serves, hours = res.words(lang)
        name = res.label(lang)
        para += [nodes.strong(name, name), nodes.Text(": " + helps_with + " ")]
        contact = contact_nodes(res, lang=lang)
        if contact and isinstance(contact[0], nodes.Text) and helps_with.rstrip().endswith((".", "!", "?")):
            # "...in danger right now. Call 911": the contact starts a sentence of its own
            first = str(contact[0])
            contact[0] = nodes.Text(first[:1].upper() + first[1:])
        para += contact
        if hours:
            para += nodes.Text(f" ({hours})")
        item = nodes.list_item("", para, ids=[f"resource-{key}"] if details else [],
                               classes=["lk-offered"] if offered else [])
        limits = res.limits_for(lang)
        if limits:
            item += nodes.paragraph("", "", nodes.strong(words["limits"], words["limits"]),
                                    classes=["lk-resource-limits-label"])
            listing = nodes.bullet_list(classes=["lk-resource-limits"])
            for limit in limits:
                listing += nodes.list_item("", nodes.paragraph(limit, limit))
            item += listing
        if details:
            detail = nodes.paragraph(classes=["lk-resource-meta"])
            detail += nodes.Text(words["serves"].format(serves=serves) + words["checked"].format(
                status=words[res.status], date=res.reviewed.isoformat()))
            note = res.note_for(lang)
            if note:
                detail += nodes.Text(note)
            item += detail
        return item

"""Help resources and the district's own contacts, always drawn from their single source.

{resource}`key` and {help-resources} read data/resources.yml; {district}`field` reads the
lessonkit_district block of _config.yml. Nothing here holds a phone number or URL itself.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import frontmatter
from .nodes import lk_heading
from .registries import Resource

logger = logging.getLogger(__name__)

DISTRICT_FIELDS = {
    "school_name": "name of your school",
    "district_name": "name of your district",
    "counselor_name": "name of the school counselor",
    "counselor_contact": "how to reach the school counselor",
    "report_concern_locally": "how to report a concern at your school",
    "unit_contact": "who families contact about this unit",
}
RESOURCE_PARTS = ("name", "url", "phone", "text", "contact")

# The words lessonkit itself writes around registry data, for pages whose front matter sets
# `language: es`. (The registry's own descriptions stay in the registry's language.)
WORDS = {
    "en": {"call": "call ", "text": "text {keyword} to {number}", "at_school": "At school: ",
           "where": "Where to get help", "placeholder": "[{what}: your district adds this in _config.yml]"},
    "es": {"call": "llame al ", "text": "envíe {keyword} por mensaje de texto al {number}",
           "at_school": "En la escuela: ", "where": "Dónde encontrar ayuda",
           "placeholder": "[{what}: su distrito lo agrega en _config.yml]"},
}
DISTRICT_FIELDS_ES = {
    "school_name": "nombre de su escuela",
    "district_name": "nombre de su distrito",
    "counselor_name": "nombre del consejero o la consejera escolar",
    "counselor_contact": "cómo comunicarse con el consejero o la consejera escolar",
    "report_concern_locally": "cómo reportar una preocupación en su escuela",
    "unit_contact": "a quién contactar sobre esta unidad",
}


def page_language(env) -> str:
    """The language of the page being read (front matter `language:`), English by default."""
    cache = env.temp_data.setdefault("lessonkit_language", {})
    if env.docname not in cache:
        try:
            fm = frontmatter.read(Path(env.doc2path(env.docname)))
            cache[env.docname] = str((fm.data.get("language") if fm else None) or "en")
        except (frontmatter.FrontMatterError, OSError, UnicodeDecodeError):
            cache[env.docname] = "en"
    return cache[env.docname] if cache[env.docname] in WORDS else "en"


def _link(text: str, uri: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=uri)


def contact_nodes(res: Resource, part: str = "contact", lang: str = "en") -> list[nodes.Node]:
    """Inline nodes for one part of a resource: its name, url, phone, text line or all contacts."""
    words = WORDS[lang]
    out: list[nodes.Node] = []
    if part == "name":
        return [nodes.Text(res.name)]
    if part in ("url", "contact") and res.url:
        out.append(_link(res.url.removeprefix("https://").rstrip("/"), res.url))
    if part in ("phone", "contact") and res.phone:
        if out:
            out.append(nodes.Text(" · "))
        out += [nodes.Text(words["call"]), _link(res.phone.display, f"tel:{res.phone.dial}")]
    if part in ("text", "contact") and res.text:
        if out:
            out.append(nodes.Text(" · "))
        out.append(nodes.Text(words["text"].format(keyword=res.text.keyword, number=res.text.number)))
    return out


def resource_inline(res: Resource, part: str, lang: str = "en") -> list[nodes.Node]:
    if part in ("name", "url", "phone", "text"):
        return contact_nodes(res, part, lang)
    return [nodes.strong(res.name, res.name), nodes.Text(" ("), *contact_nodes(res, lang=lang), nodes.Text(")")]


class ResourceRole(SphinxRole):
    """{resource}`key` or {resource}`key:part` with part one of name, url, phone, text."""

    def run(self):
        key, _, part = self.text.strip().partition(":")
        part = part or "full"
        regs = self.env.app.lessonkit.registries
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
        return [nodes.inline("", "", *found, classes=["lk-resource"])], []


def district_value(config, field: str) -> str:
    return str((config.lessonkit_district or {}).get(field) or "").strip()


def district_inline(config, field: str, lang: str = "en") -> nodes.Node:
    value = district_value(config, field)
    if value:
        return nodes.inline(value, value, classes=["lk-district"])
    what = (DISTRICT_FIELDS_ES if lang == "es" else DISTRICT_FIELDS)[field]
    text = WORDS[lang]["placeholder"].format(what=what)
    return nodes.inline(text, text, classes=["lk-placeholder"])


class DistrictRole(SphinxRole):
    """{district}`field`: a detail the school or district fills in once, in _config.yml."""

    def run(self):
        field = self.text.strip()
        if field not in DISTRICT_FIELDS:
            logger.warning(f"unknown district detail {field!r}; expected one of {', '.join(DISTRICT_FIELDS)}",
                           location=self.get_location(), type="lessonkit", subtype="district")
            return [nodes.inline(field, field, classes=["lk-missing"])], []
        return [district_inline(self.config, field, page_language(self.env))], []


class AvoidRole(SphinxRole):
    """{avoid}`why did you send it?`: a phrase adults should not say, quoted so they can spot it.
    The safe-messaging lint skips it; readers see it marked as a phrase to avoid."""

    def run(self):
        text = self.text.strip()
        node = nodes.inline(text, "", classes=["lk-avoid"])
        node += nodes.inline("A phrase to avoid: ", "A phrase to avoid: ", classes=["visually-hidden"])
        node += nodes.Text(f"\u201c{text}\u201d")
        return [node], []


class HelpResources(SphinxDirective):
    """A 'where to get help' box: chosen resources plus the school's own contact."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"keys": directives.unchanged_required, "details": directives.flag}

    def run(self):
        regs = self.env.app.lessonkit.registries
        self.env.note_dependency(str(regs.paths["resources"]))
        keys = [k for k in self.options.get("keys", "").replace(",", " ").split() if k] or sorted(regs.resources)
        lang = page_language(self.env)
        title = self.arguments[0] if self.arguments else WORDS[lang]["where"]
        box = nodes.container(classes=["lk-block", "lk-help"])
        self.set_source_info(box)
        box += lk_heading(title, title)
        items = nodes.bullet_list(classes=["lk-help-list"])
        school = nodes.paragraph()
        school += [nodes.strong(WORDS[lang]["at_school"], WORDS[lang]["at_school"]),
                   district_inline(self.config, "counselor_name", lang), nodes.Text(", "),
                   district_inline(self.config, "counselor_contact", lang)]
        items += nodes.list_item("", school)
        for key in keys:
            res = regs.resources.get(key)
            if res is None:
                logger.warning(f"unknown help resource {key!r} in :keys:; expected keys from data/resources.yml: "
                               f"{', '.join(sorted(regs.resources))}", location=self.get_location(),
                               type="lessonkit", subtype="resource")
                continue
            para = nodes.paragraph()
            helps_with, serves, hours = res.words(lang)
            para += [nodes.strong(res.name, res.name), nodes.Text(": " + helps_with + " ")]
            para += contact_nodes(res, lang=lang)
            if hours:
                para += nodes.Text(f" ({hours})")
            item = nodes.list_item("", para, ids=[f"resource-{key}"] if "details" in self.options else [])
            if "details" in self.options:
                detail = nodes.paragraph(classes=["lk-resource-meta"])
                status = {"verified-official": "confirmed on the organization's own site",
                          "verified-secondary": "confirmed through trusted secondary sources",
                          "uncertain": "not yet confirmed on the organization's own site: check before sharing"}
                detail += nodes.Text(f"Who it serves: {serves} Contact details {status[res.status]}; "
                                     f"last reviewed {res.reviewed.isoformat()}. ")
                if res.note:
                    detail += nodes.Text(res.note)
                item += detail
            items += item
        box += items
        return [box]

"""The help steps, drawn from data/help-steps.yml so every page gives the same steps in one order.

{help-steps} writes the band's steps as a numbered list; {help-steps}`6-8` writes them on one
line (for tables, letters and answer keys). On a lesson page the band is the lesson's, on a
handout it is its folder's; any other page names it.
"""
from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .help import page_language
from .vocab import BAND_FOLDERS, BANDS

logger = logging.getLogger(__name__)


def page_band(env) -> str | None:
    lesson = env.app.lessonkit.unit(env.docname)
    if lesson is not None:
        return lesson.band
    parts = env.docname.split("/")
    return next((band for band, folder in BAND_FOLDERS.items() if parts[0] == "activities" and folder in parts), None)


def _band(env, given: str | None, location) -> str | None:
    if given:
        if given not in BANDS:
            logger.warning(f"help steps: found the band {given!r}; expected one of {', '.join(BANDS)}",
                           location=location, type="lessonkit", subtype="help-steps")
            return None
        own = page_band(env)
        if own is not None and own != given:
            logger.warning(f"help steps: found the band {given!r} on a grades {own} page; expected {own!r} "
                           "(or no band: the page's own is used)", location=location, type="lessonkit",
                           subtype="help-steps")
        return given
    band = page_band(env)
    if band is None:
        logger.warning("help steps: this page is not a lesson or a handout in a grades-N folder, so it needs "
                       f"a band; expected e.g. ':band: 6-8' (or {{help-steps}}`6-8`), one of {', '.join(BANDS)}",
                       location=location, type="lessonkit", subtype="help-steps")
    return band


class HelpSteps(SphinxDirective):
    """The band's help steps as a numbered list: title in bold, then its sentence or two."""

    option_spec = {"band": directives.unchanged_required, "titles-only": directives.flag}

    def run(self):
        regs = self.env.app.lessonkit.registries
        self.env.note_dependency(str(regs.paths["help_steps"]))
        band = _band(self.env, self.options.get("band"), self.get_location())
        if band is None:
            return []
        lang = page_language(self.env)
        listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["lk-help-steps"])
        self.set_source_info(listing)
        for step in regs.help_steps[band]:
            title, text, _ = step.words(lang)
            para = nodes.paragraph("", "", nodes.strong(title, title))
            if text and "titles-only" not in self.options:
                parsed, messages = self.state.inline_text(text, self.lineno)
                para += [nodes.Text(" "), *parsed, *messages]
            listing += nodes.list_item("", para, classes=[f"lk-step-{step.key}"])
        return [listing]


class HelpStepsRole(SphinxRole):
    """{help-steps}`6-8` (or {help-steps}`` on a lesson or handout): the steps on one line."""

    def run(self):
        regs = self.env.app.lessonkit.registries
        self.env.note_dependency(str(regs.paths["help_steps"]))
        band = _band(self.env, self.text.strip() or None, self.get_location())
        if band is None:
            return [], []
        lang = page_language(self.env)
        text = "; ".join(step.words(lang)[2] for step in regs.help_steps[band])
        return [nodes.inline(text, text, classes=["lk-help-steps-line"])], []


def setup_help_steps(app) -> None:
    app.add_directive("help-steps", HelpSteps)
    app.add_role("help-steps", HelpStepsRole())

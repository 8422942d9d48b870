"""The footer's license line, linked to the book's reuse page on every page.

`lessonkit-license.html` (in our template folder) is a footer item: list it in
`html_theme_options.footer_content_items` and name the page in `lessonkit_license_page`. The
template writes the link with Sphinx's `pathto()`, which gives an address relative to the page
being written (`license.html`, `../license.html`, `../../book/license.html`, ...), so it works
at any folder depth and when the book is opened from disk. A raw-HTML `extra_footer` cannot do
that: one fixed relative address is wrong on every page at another depth.
"""
from __future__ import annotations

from sphinx.util import logging

logger = logging.getLogger(__name__)

TEMPLATE = "lessonkit-license.html"


def footer_items(config) -> list[str]:
    items = (config.html_theme_options or {}).get("footer_content_items") or []
    if isinstance(items, str):  # the theme also accepts "a.html, b.html"
        items = items.split(",")
    return [item.strip() for item in items]


def check_license_page(app, env) -> None:
    """A named page that this edition does not build, or a footer without the template, would
    leave pages with a broken link or none: both are build warnings (and so fail a strict build)."""
    page = app.config.lessonkit_license_page
    if not page or app.builder.format != "html":
        return
    if page not in env.found_docs:
        logger.warning(f"lessonkit_license_page: {page!r} is not a page of this build; expected a page "
                       "listed in _toc.yml for every edition (not `audience: teacher`)",
                       type="lessonkit", subtype="license")
    if TEMPLATE not in footer_items(app.config) and TEMPLATE.removesuffix(".html") not in footer_items(app.config):
        logger.warning(f"lessonkit_license_page is set, but html_theme_options.footer_content_items does not "
                       f"list {TEMPLATE}, so no page links to it", type="lessonkit", subtype="license")


def license_context(app, pagename, templatename, context, doctree) -> None:
    page = app.config.lessonkit_license_page
    context["lessonkit_license_page"] = page if page and page in app.env.found_docs else ""


def setup_license(app) -> None:
    app.add_config_value("lessonkit_license_page", "", "html", [str])
    app.connect("env-updated", check_license_page)
    app.connect("html-page-context", license_context)

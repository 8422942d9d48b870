"""Small repairs to the theme's HTML so every page passes axe-core with no exceptions.

- The sidebar's expand/collapse toggles are <summary> elements holding only an icon: give each
  one a name ("Pages under Grades 3–5").
- Our template folder provides `lessonkit-brand.html`, the sidebar's book name inside a landmark.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.util import logging

from . import frontmatter

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "_templates"

# <a ...>Section title</a><details ...><summary>  (as the theme's toctree renders it)
TOGGLE = re.compile(r'(<a class="reference internal[^"]*" href="[^"]*">(?P<title>[^<]*)</a>\s*<details[^>]*>\s*)<summary>')


def name_toctree_toggles(markup):
    """Works on the theme's output, which is a string or a BeautifulSoup tree depending on the call."""
    if isinstance(markup, str):
        def named(match):
            title = html.unescape(match["title"]).strip()
            return f'{match.group(1)}<summary aria-label="{html.escape("Pages under " + title)}">'

        return TOGGLE.sub(named, markup)
    for summary in markup.select("li.has-children > details > summary"):
        link = summary.parent.find_previous_sibling("a")
        if link is not None and not summary.get_text(strip=True):
            summary["aria-label"] = "Pages under " + link.get_text(strip=True)
    return markup


def wrap_toctree(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_lessonkit", False):
        return

    def generate_named(*args, **kwargs):
        return name_toctree_toggles(generate(*args, **kwargs))

    generate_named._lessonkit = True
    context["generate_toctree_html"] = generate_named


def page_language(app, pagename, templatename, context, doctree) -> None:
    """`language: es` in a page's front matter declares that page's language (<html lang="es">),
    so screen readers switch voice; the rest of the book keeps the book's language."""
    if pagename not in app.env.found_docs:
        return
    try:
        fm = frontmatter.read(Path(app.env.doc2path(pagename)))
    except (frontmatter.FrontMatterError, OSError, UnicodeDecodeError):
        return
    language = (fm.data.get("language") if fm else None)
    if isinstance(language, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", language):
        context["language"] = language


def visit_citation(self, node):
    # docutils marks entries with the deprecated role doc-biblioentry inside role="list", which
    # axe reports (deprecated role; a list without listitems): keep the list, mark items as such.
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def visit_graphviz_img(self, node):
    """A diagram as <img alt> (Sphinx writes SVG into an <object>, which has no text alternative)."""
    from docutils import nodes
    from sphinx.ext.graphviz import render_dot

    fname, _ = render_dot(self, node["code"], node["options"], "svg", "graphviz")
    alt = node.get("alt")
    if not alt:
        logger.warning("a diagram needs :alt: (a one-line description) and a text version on the page",
                       location=node, type="lessonkit", subtype="diagram")
        alt = "diagram"
    classes = " ".join(["graphviz", *node.get("classes", [])])
    self.body.append(f'<div class="{classes}"><img src="{html.escape(fname)}" alt="{html.escape(alt)}" '
                     f'class="graphviz"></div>\n')
    raise nodes.SkipNode


def setup_a11y(app) -> None:
    from docutils import nodes

    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    if "sphinx.ext.graphviz" in app.extensions:
        from sphinx.ext.graphviz import graphviz

        app.add_node(graphviz, override=True, html=(visit_graphviz_img, None))
    # after the theme has put its toctree function in the page context
    app.connect("html-page-context", wrap_toctree, priority=900)
    app.connect("html-page-context", page_language)

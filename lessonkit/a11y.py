"""Small repairs to the theme's HTML so every page passes axe-core with no exceptions.

- The sidebar's expand/collapse toggles are <summary> elements holding only an icon: give each
  one a name ("Pages under Grades 3–5").
- Our template folder provides `lessonkit-brand.html`, the sidebar's book name inside a landmark.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

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


def setup_a11y(app) -> None:
    # after the theme has put its toctree function in the page context
    app.connect("html-page-context", wrap_toctree, priority=900)

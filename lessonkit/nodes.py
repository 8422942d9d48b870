"""Doctree nodes of our own, and how each output format renders them.

HTML gets real semantics (<details>/<summary> so choices open without JavaScript, headings
at the right level for screen readers). Other formats fall back to their plain content.
"""
from __future__ import annotations

from docutils import nodes


class lk_details(nodes.General, nodes.Element):
    """<details>: a choice whose outcome is revealed by the reader."""


class lk_summary(nodes.General, nodes.TextElement):
    """<summary>: the clickable line of a <details>."""


class lk_heading(nodes.General, nodes.TextElement):
    """A heading one level below the section that contains it (not in the page's TOC)."""


class lk_overview(nodes.General, nodes.Element):
    """Placeholder for a generated overview (scope and sequence, standards matrix).

    Filled in at write time from every lesson's metadata, so the page stays current.
    """


def _heading_level(node: nodes.Node) -> int:
    """One below the enclosing section, and one more for each enclosing block that has its own heading."""
    level = 1
    parent = node.parent.parent if node.parent is not None else None
    while parent is not None:
        if isinstance(parent, nodes.section):
            level += 1
        elif isinstance(parent, nodes.Element) and parent.children and isinstance(parent[0], lk_heading):
            level += 1
        parent = parent.parent
    return level


def visit_details_html(self, node):
    extra = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", "", **extra))


def depart_details_html(self, node):
    self.body.append("</details>\n")


def visit_summary_html(self, node):
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary_html(self, node):
    self.body.append("</summary>\n")


def visit_heading_html(self, node):
    level = min(6, _heading_level(node))
    node["lk_level"] = level
    self.body.append(self.starttag(node, f"h{level}", ""))


def depart_heading_html(self, node):
    self.body.append(f"</h{node['lk_level']}>\n")


def visit_passthrough(self, node):
    pass


def depart_passthrough(self, node):
    pass


def setup_nodes(app) -> None:
    plain = (visit_passthrough, depart_passthrough)
    others = {fmt: plain for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(lk_details, html=(visit_details_html, depart_details_html), **others)
    app.add_node(lk_summary, html=(visit_summary_html, depart_summary_html), **others)
    app.add_node(lk_heading, html=(visit_heading_html, depart_heading_html), **others)
    app.add_node(lk_overview, html=plain, **others)

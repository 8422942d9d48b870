"""How a standard is shown on a page: always with its framework's edition, and a strand-level
entry always with its label, so no page can show a bare code or pass a strand off as a code.

The glance panel and the standards-alignment page both use these helpers.
"""
from __future__ import annotations

from docutils import nodes

from .vocab import FRAMEWORKS, STRAND_LEVEL_LABEL

STRAND_LEVEL_NOTE = (
    "Strand-level alignment: where no indicator code in a strand could be verified against a published "
    "copy of the standards, a lesson is aligned to the whole strand for its grade band instead of a guessed "
    "code. These rows name the strand and band, and carry no code.")


def sort_key(std) -> tuple:
    """Framework order, then codes before strand-level entries, then by code."""
    return (list(FRAMEWORKS).index(std.framework), std.is_strand, std.code)


def cite(std, summary: bool = True) -> list[nodes.Node]:
    """'**NHES.4** (National Health Education Standards, 2007 edition): summary', or for a strand
    '**Interpersonal Violence strand, grades 6–8** (National Sex Education Standards, 2nd edition,
    2020; *strand-level alignment: no indicator code verified*): summary'."""
    out: list[nodes.Node] = [nodes.strong(std.name, std.name), nodes.Text(f" ({std.edition_label}")]
    if std.is_strand:
        out += [nodes.Text("; "), nodes.emphasis(STRAND_LEVEL_LABEL, STRAND_LEVEL_LABEL, classes=["lk-strand-level"])]
    out.append(nodes.Text(f"): {std.summary}" if summary else ")"))
    return out


def editions_key(stds) -> nodes.bullet_list:
    """One line per framework edition the entries use, with its publisher."""
    seen: dict[str, str] = {}
    for std in sorted(stds, key=sort_key):
        text = std.edition_label
        if std.publisher and std.publisher not in text:
            text += f", published by {std.publisher}"
        seen.setdefault(text, text)
    out = nodes.bullet_list(classes=["lk-editions"])
    for text in seen:
        out += nodes.list_item("", nodes.paragraph(text, text))
    return out

"""Read a MyST page as lines with their directive context, without building the book.

The lint and the readability check need to know, for every line, which blocks it sits in
(a scenario, a teacher-only note...) and what a student would read. A full Sphinx build would
tell us, but authors want the lint to answer in a second, so this follows the fences instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import frontmatter

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>:{3,}|`{3,}|~{3,})\s*(?:\{(?P<name>[\w:-]+)\})?\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")

# Blocks whose text never reaches the student edition (they return nothing there).
TEACHER_ONLY = frozenset({"procedure", "segment", "short-on-time", "listen-for", "follow-up", "answer-key",
                          "teacher-only", "facilitator-note"})
# Blocks with no prose of their own (generated, or code).
NO_PROSE = frozenset({"scope-and-sequence", "standards-alignment", "lesson-list", "lesson-glossary",
                      "help-resources", "include", "toctree", "code", "code-block", None})


@dataclass
class Line:
    path: Path
    number: int
    text: str
    blocks: tuple[str, ...] = ()  # directive names this line sits in, outermost first
    is_fence: bool = False
    lang: str | None = None  # the innermost surrounding block's :lang: option, if any

    @property
    def teacher_only(self) -> bool:
        return any(b in TEACHER_ONLY for b in self.blocks)

    def inside(self, name: str) -> bool:
        return name in self.blocks


@dataclass
class Directive:
    name: str
    argument: str
    line: int
    options: dict[str, str] = field(default_factory=dict)
    children: list["Directive"] = field(default_factory=list)

    def find(self, name: str) -> list["Directive"]:
        found = []
        for child in self.children:
            if child.name == name:
                found.append(child)
            found.extend(child.find(name))
        return found


@dataclass
class Page:
    path: Path
    metadata: dict
    lines: list[Line]
    root: Directive
    includes: list["Page"] = field(default_factory=list)

    def directives(self, name: str) -> list[Directive]:
        found = self.root.find(name)
        for page in self.includes:
            found.extend(page.directives(name))
        return found

    def all_lines(self) -> list[Line]:
        out = list(self.lines)
        for page in self.includes:
            out.extend(page.all_lines())
        return out


def read_page(path: Path, follow_includes: bool = True, _seen: frozenset = frozenset()) -> Page:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        fm = frontmatter.parse(text)
    except frontmatter.FrontMatterError:
        fm = None
    raw = text.splitlines()
    start = fm.body_start - 1 if fm else 0
    root = Directive("(page)", "", 0)
    stack: list[tuple[str, int, Directive]] = []  # (fence chars, fence length, directive)
    lines: list[Line] = [Line(path, i + 1, raw[i], ("(front matter)",)) for i in range(start)]
    includes: list[Page] = []
    in_options = False
    for i in range(start, len(raw)):
        line = raw[i]
        match = FENCE.match(line)
        blocks = tuple(d.name for _, _, d in stack)
        if in_options and OPTION.match(line):
            key, _, value = line.strip()[1:].partition(":")
            stack[-1][2].options[key] = value.strip()
            lines.append(Line(path, i + 1, line, blocks, is_fence=True))
            continue
        in_options = False
        if match:
            fence = match["fence"]
            closes = (stack and fence[0] == stack[-1][0] and len(fence) >= stack[-1][1]
                      and not match["name"] and not match["arg"])
            if closes:
                stack.pop()
                lines.append(Line(path, i + 1, line, blocks, is_fence=True))
                continue
            parent = stack[-1][2] if stack else root
            directive = Directive(match["name"] or "code", match["arg"].strip(), i + 1)
            parent.children.append(directive)
            stack.append((fence[0], len(fence), directive))
            in_options = bool(match["name"])
            lines.append(Line(path, i + 1, line, blocks + (directive.name,), is_fence=True))
            if directive.name == "include" and follow_includes:
                target = (path.parent / directive.argument).resolve()
                if target.is_file() and target not in _seen:
                    page = read_page(target, True, _seen | {path.resolve()})
                    _prefix(page, blocks)
                    includes.append(page)
            continue
        lang = next((d.options["lang"] for _, _, d in reversed(stack) if "lang" in d.options), None)
        lines.append(Line(path, i + 1, line, blocks, lang=lang))
    return Page(path, (fm.data if fm else {}), lines, root, includes)


def _prefix(page: Page, blocks: tuple[str, ...]) -> None:
    """An included file's lines sit inside the blocks that surround the include."""
    for line in page.lines:
        line.blocks = blocks + line.blocks
    for sub in page.includes:
        _prefix(sub, blocks)


ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")
LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")


def plain(text: str, resource_names: dict[str, str] | None = None) -> str:
    """Markdown and roles as a reader sees them (roughly): `{term}`consent`` -> consent."""

    def role(match):
        name, body = match["role"], match["body"]
        if name == "term":
            return re.sub(r"\s*<[^>]*>\s*$", "", body)
        if name == "resource":
            key = body.partition(":")[0]
            return (resource_names or {}).get(key, "a help line")
        if name == "district":
            return "the school counselor"
        return body

    text = ROLE.sub(role, text)
    text = LINK.sub(lambda m: m["text"], text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", text)
    text = re.sub(r"^\s*(#{1,6}|[-*+]|\d+[.)]|>)\s+", "", text)
    text = text.replace("|", " ")
    return text.strip()


def _kept(line: Line) -> bool:
    """Would this line's text reach a student, in English? (Not a fence, not teacher-only, not
    generated, not a block in another language: the reading-level formula is for English.)"""
    if line.lang not in (None, "en"):
        return False
    if line.is_fence or line.teacher_only or "(front matter)" in line.blocks:
        return False
    if any(b in NO_PROSE for b in line.blocks):
        return False
    return not re.match(r"^\s*(\|?\s*:?-{3,}|<!--)", line.text)


ITEM = re.compile(r"^\s*(#{1,6}|[-*+]|\d+[.)])\s+")


def student_text(page: Page, resource_names: dict[str, str] | None = None) -> str:
    """The prose the student edition keeps, one sentence-ending per paragraph, heading or list item
    (so a list without full stops is not read as one endless sentence)."""
    sentences: list[str] = []
    current: list[str] = []

    def flush():
        if current:
            sentence = " ".join(current).strip()
            sentences.append(sentence if sentence[-1:] in ".!?:\"')\u201d\u2019" else sentence + ".")
            current.clear()

    for line in page.all_lines():
        if not _kept(line):
            continue
        text = plain(line.text, resource_names)
        if not text or set(text) <= set("_-=. "):
            flush()
            continue
        if ITEM.match(line.text):
            flush()
        current.append(text)
        if line.text.lstrip().startswith("#"):
            flush()
    flush()
    return "\n".join(sentences)

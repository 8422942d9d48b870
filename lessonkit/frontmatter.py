"""Read a MyST file's YAML front matter, keeping the line of every key.

Line numbers let an author jump straight to the field that is wrong.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class FrontMatterError(Exception):
    """The front matter is missing or is not valid YAML."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class FrontMatter:
    data: dict[str, Any]
    # key path (e.g. ("lesson", "standards", 1)) -> 1-based line in the file
    lines: dict[tuple, int] = field(default_factory=dict)
    body_start: int = 1

    def line_of(self, path: tuple) -> int:
        """Line of the closest known ancestor of `path` (a missing field points at its parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def split(text: str) -> tuple[str, int] | None:
    """Return (yaml text, line where it starts) or None when there is no front matter."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2
    raise FrontMatterError("front matter starts with '---' but never closes; expected a second '---' line", 1)


def walk_lines(node: yaml.Node, path: tuple, offset: int, out: dict[tuple, int]) -> None:
    out[path] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[path + (k,)] = key.start_mark.line + offset
            walk_lines(value, path + (k,), offset, out)
            out[path + (k,)] = key.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            walk_lines(item, path + (i,), offset, out)


def parse(text: str) -> FrontMatter | None:
    found = split(text)
    if found is None:
        return None
    fm_text, first_line = found
    try:
        data = yaml.safe_load(fm_text)
        node = yaml.compose(fm_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}, {problem}" if context else problem
        raise FrontMatterError(f"front matter is not valid YAML ({detail}); expected 'key: value' lines", line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a set of 'key: value' lines", first_line)
    lines: dict[tuple, int] = {(): first_line - 1}
    if node is not None:
        walk_lines(node, (), first_line, lines)
        lines[()] = first_line - 1
    return FrontMatter(data=data, lines=lines, body_start=first_line + fm_text.count("\n") + 2)


def read(path: Path) -> FrontMatter | None:
    """A page's front matter. A build reads each page's several times (the project, the glance
    panel's checks, the page language, ...): the parse of a given text is kept for the process,
    and each caller gets its own copy."""
    found = _parse_cached(Path(path).read_text(encoding="utf-8"))
    return copy.deepcopy(found)


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> FrontMatter | None:
    return parse(text)

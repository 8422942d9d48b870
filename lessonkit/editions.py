"""Teacher and student editions of one book.

The student edition is the same sources built with `lessonkit_edition = "student"`: teacher-only
directives produce nothing, and pages whose front matter says `audience: teacher` are left out of
its table of contents (and so out of the build), instead of being hidden with CSS.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from . import frontmatter

EDITIONS = ("teacher", "student")


def audience(path: Path) -> str:
    try:
        fm = frontmatter.read(path)
    except (frontmatter.FrontMatterError, OSError):
        return "all"
    return str((fm.data.get("audience") if fm else None) or "all")


def _doc_path(srcdir: Path, name: str) -> Path:
    path = srcdir / name
    return path if path.suffix else path.with_suffix(".md")


def _filter(entries: list, srcdir: Path, dropped: list[str]) -> list:
    kept = []
    for entry in entries:
        if not isinstance(entry, dict):
            kept.append(entry)
            continue
        name = entry.get("file")
        if name and audience(_doc_path(srcdir, name)) == "teacher":
            dropped.append(name)
            continue
        entry = dict(entry)
        for key in ("parts", "chapters", "sections"):
            if key in entry:
                entry[key] = _filter(entry[key], srcdir, dropped)
                if not entry[key]:
                    del entry[key]
        if name or any(k in entry for k in ("parts", "chapters", "sections", "url", "glob")):
            kept.append(entry)
    return kept


def student_toc(toc_path: Path, srcdir: Path, out_path: Path) -> list[str]:
    """Write a copy of the book's _toc.yml without teacher-only pages; return what was left out."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    dropped: list[str] = []
    for key in ("parts", "chapters", "sections"):
        if key in toc:
            toc[key] = _filter(toc[key], Path(srcdir), dropped)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return dropped

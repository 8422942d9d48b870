"""Find and validate the counselor guide's group sessions, without building.

The guide lives in `book/counselors/`. Every page there is for adults only (`audience:
teacher`), so the student edition never holds it; a page in a `grades-*` folder under it is a
group session and carries a `session:` block. Each group must be whole: one orientation, its
numbered sessions 1..N with none missing or doubled, and one follow-up.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .. import frontmatter
from ..problems import Problem, problems_from_validation, show
from .schema import GROUP_LABELS, SESSION_COUNT, SESSION_FIELDS, GroupSession

GUIDE_DIR = "book/counselors"
# the folder of each group's sessions, by the group's band
GROUP_FOLDERS = {"4-5": "grades-4-5", "6-8": "grades-6-8", "9-12": "grades-9-12"}


def guide_pages(root: Path) -> list[Path]:
    base = Path(root) / GUIDE_DIR
    return sorted(base.rglob("*.md")) if base.is_dir() else []


def is_session_page(path: Path, root: Path) -> bool:
    rel = Path(path).resolve().relative_to((Path(root) / GUIDE_DIR).resolve())
    return len(rel.parts) > 1 and rel.parts[0].startswith("grades-") and path.name != "index.md"


def load_session(path: Path, root: Path, context: dict) -> tuple[GroupSession | None, list[Problem]]:
    from ..project import read_front_matter  # (project loads this module lazily)

    rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    fm, problems = read_front_matter(path, rel)
    if problems:
        return None, problems
    data = fm.data.get("session") if fm else None
    if not isinstance(data, dict):
        return None, [Problem(rel, fm.line_of(("session",)) if fm else 1, "session", show(data),
                              "a 'session:' block holding the group session's metadata fields: "
                              + ", ".join(SESSION_FIELDS))]
    try:
        session = GroupSession.model_validate(data, context=context)
    except ValidationError as exc:
        return None, problems_from_validation(exc, rel, lambda loc: fm.line_of(("session",) + tuple(loc)),
                                              prefix="session", known_fields=SESSION_FIELDS)
    folder = Path(rel).parent.name
    if GROUP_FOLDERS[session.group] != folder:
        return session, [Problem(rel, fm.line_of(("session", "group")), "session.group", repr(session.group),
                                 f"the group of the folder the file is in ({folder})")]
    return session, []


def check_audience(path: Path, root: Path) -> list[Problem]:
    rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    try:
        fm = frontmatter.read(path)
    except (frontmatter.FrontMatterError, UnicodeDecodeError):
        return []  # load_session, or the build, reports the file itself
    found = (fm.data.get("audience") if fm else None)
    if found != "teacher":
        return [Problem(rel, fm.line_of(("audience",)) if fm else 1, "audience", show(found),
                        "'teacher': the counselor guide is for adults and is left out of the student edition")]
    return []


def check_groups(sessions: dict[str, GroupSession], rels: dict[str, str]) -> list[Problem]:
    """Each group that has any session is whole: orientation, sessions 1..N, follow-up."""
    problems = []
    for group, count in SESSION_COUNT.items():
        mine = {doc: s for doc, s in sessions.items() if s.group == group}
        if not mine:
            continue
        label = GROUP_LABELS[group].lower()
        first = min(rels[doc] for doc in mine)
        for kind in ("orientation", "follow-up"):
            have = sorted(rels[doc] for doc, s in mine.items() if s.kind == kind)
            if len(have) != 1:
                problems.append(Problem(have[1] if len(have) > 1 else first, 1, "session.kind",
                                        f"{len(have)} {kind} session(s) in the {label} group",
                                        f"exactly one {kind} session per group"))
        numbers: dict[int, str] = {}
        for doc, s in sorted(mine.items(), key=lambda pair: rels[pair[0]]):
            if s.kind != "session":
                continue
            if s.number in numbers:
                problems.append(Problem(rels[doc], 1, "session.number", str(s.number),
                                        f"a number no other session of the {label} group has "
                                        f"({numbers[s.number]} has it)"))
            numbers.setdefault(s.number, rels[doc])
        missing = [n for n in range(1, count + 1) if n not in numbers]
        if missing:
            problems.append(Problem(first, 1, "session.number",
                                    f"no session {', '.join(map(str, missing))} in the {label} group",
                                    f"sessions numbered 1 to {count}, one page each"))
    return problems

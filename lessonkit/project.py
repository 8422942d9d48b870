"""Find and validate every lesson of a book, without building it.

Used by the Sphinx extension at the start of a build and by `python -m lessonkit check`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from . import frontmatter, registries
from .problems import Problem, problems_from_validation, show
from .schema import LESSON_FIELDS, Lesson
from .vocab import BAND_FOLDERS

LESSONS_DIR = "lessons"


@dataclass
class Project:
    root: Path
    registries: registries.Registries | None = None
    lessons: dict[str, Lesson] = field(default_factory=dict)  # docname -> lesson
    sessions: dict = field(default_factory=dict)  # docname -> counselor group session
    problems: list[Problem] = field(default_factory=list)

    def unit(self, docname: str):
        """The lesson or group session a page is (both carry objectives, a duration and a band)."""
        return self.lessons.get(docname) or self.sessions.get(docname)

    @property
    def ok(self) -> bool:
        return not self.problems

    def unused(self) -> dict[str, list[str]]:
        """Registry entries no lesson cites yet: reported, so nothing is silently ignored."""
        if self.registries is None:
            return {}
        cited = {c for unit in [*self.lessons.values(), *self.sessions.values()] for c in unit.standards}
        words = {w.lower() for lesson in self.lessons.values() for w in lesson.vocabulary}
        return {
            "verified standards no lesson cites": sorted(
                c for c, s in self.registries.standards.items() if s.status == "verified" and c not in cited),
            "glossary terms no lesson lists as vocabulary": sorted(
                t.term for k, t in self.registries.glossary.items() if k not in words),
        }


def lesson_files(root: Path) -> list[Path]:
    base = Path(root) / LESSONS_DIR
    return sorted(p for p in base.rglob("*.md") if p.name != "index.md") if base.is_dir() else []


def docname_of(path: Path, root: Path) -> str:
    return Path(path).resolve().relative_to(Path(root).resolve()).with_suffix("").as_posix()


def read_front_matter(path: Path, rel: str) -> tuple[frontmatter.FrontMatter | None, list[Problem]]:
    """A page's front matter, or the problem that stops it being read (for lessons and group sessions)."""
    try:
        return frontmatter.read(path), []
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(rel, exc.line, "(front matter)", "a problem", exc.message)]
    except UnicodeDecodeError:
        return None, [Problem(rel, 1, "(file)", "bytes that are not UTF-8 text", "a UTF-8 Markdown file")]


def load_lesson(path: Path, root: Path, regs: registries.Registries | None) -> tuple[Lesson | None, list[Problem]]:
    rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    fm, problems = read_front_matter(path, rel)
    if problems:
        return None, problems
    if fm is None:
        return None, [Problem(rel, 1, "(front matter)", "no front matter",
                              "the file to start with '---', a 'lesson:' block of metadata, and '---'")]
    data = fm.data.get("lesson")
    if not isinstance(data, dict):
        return None, [Problem(rel, fm.line_of(("lesson",)), "lesson", show(data),
                              "a 'lesson:' block holding the lesson's metadata fields: " + ", ".join(LESSON_FIELDS))]
    try:
        lesson = Lesson.model_validate(data, context={"registries": regs, "root": Path(root)})
    except ValidationError as exc:
        return None, problems_from_validation(exc, rel, lambda loc: fm.line_of(("lesson",) + tuple(loc)),
                                              prefix="lesson", known_fields=LESSON_FIELDS)
    problems = []
    folder = Path(rel).parent.name
    if folder.startswith("grades-") and BAND_FOLDERS[lesson.band] != folder:
        problems.append(Problem(rel, fm.line_of(("lesson", "band")), "lesson.band", repr(lesson.band),
                                f"the band of the folder the file is in ({folder})"))
    return lesson, problems


def load_project(root: Path, data_dir: str = "data") -> Project:
    root = Path(root)
    project = Project(root=root)
    regs, problems = registries.load(root / data_dir, root)
    project.registries = regs
    project.problems.extend(problems)
    ids: dict[str, str] = {}
    places: dict[tuple[str, int], str] = {}
    for path in lesson_files(root):
        lesson, problems = load_lesson(path, root, regs)
        project.problems.extend(problems)
        if lesson is None:
            continue
        docname = docname_of(path, root)
        rel = docname + path.suffix
        if lesson.id in ids:
            project.problems.append(Problem(rel, 1, "lesson.id", repr(lesson.id),
                                            f"an id no other lesson uses ({ids[lesson.id]} has it)"))
        if (lesson.band, lesson.sequence) in places:
            project.problems.append(Problem(rel, 1, "lesson.sequence", str(lesson.sequence),
                                            f"a position not taken in grades {lesson.band} "
                                            f"({places[(lesson.band, lesson.sequence)]} has it)"))
        ids.setdefault(lesson.id, rel)
        places.setdefault((lesson.band, lesson.sequence), rel)
        project.lessons[docname] = lesson
    load_guide(project, ids)
    return project


def load_guide(project: Project, ids: dict[str, str]) -> None:
    """The counselor guide: every page teacher-only, every group session valid and every group whole."""
    from .groups import load as guide

    root = project.root
    context = {"registries": project.registries, "root": root, "lessons": project.lessons}
    rels: dict[str, str] = {}
    for path in guide.guide_pages(root):
        project.problems.extend(guide.check_audience(path, root))
        if not guide.is_session_page(path, root):
            continue
        session, problems = guide.load_session(path, root, context)
        project.problems.extend(problems)
        if session is None:
            continue
        docname = docname_of(path, root)
        rel = docname + path.suffix
        if session.id in ids:
            project.problems.append(Problem(rel, 1, "session.id", repr(session.id),
                                            f"an id no lesson or other session uses ({ids[session.id]} has it)"))
        ids.setdefault(session.id, rel)
        rels[docname] = rel
        project.sessions[docname] = session
    project.problems.extend(guide.check_groups(project.sessions, rels))

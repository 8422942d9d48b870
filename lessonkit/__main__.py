"""Command line: `python -m lessonkit check`, `build [--edition student]`, `lint`, `offline`, `cartridge`, `pdf`
and `bench`."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .project import load_project

OUTPUT = {"teacher": Path("_build"), "student": Path("_build") / "student"}


def district_notes(root: Path) -> list[str]:
    """Notes (not problems) about the district block of _config.yml: what is still unset."""
    from .district import unset_district_fields

    unset, unknown = unset_district_fields(root / "_config.yml")
    out = []
    if unset:
        out.append(f"note: {len(unset)} district details not set in _config.yml (lessonkit_district); the "
                   f"teacher edition shows a placeholder and the student edition plain words: {', '.join(unset)}")
    if unknown:
        out.append(f"note: lessonkit_district in _config.yml has {len(unknown)} field(s) lessonkit does not "
                   f"use: {', '.join(unknown)}")
    return out


def check(root: Path) -> int:
    """Validate every lesson and registry without building; print problems like a compiler."""
    started = time.perf_counter()
    project = load_project(root)
    for problem in project.problems:
        print(problem)
    if not project.ok:
        print(f"{len(project.problems)} problem(s) found.")
        return 1
    for what, items in project.unused().items():
        if items:
            print(f"note: {len(items)} {what}: {', '.join(items)}")
    for line in district_notes(root):
        print(line)
    sessions = f", {len(project.sessions)} group sessions" if project.sessions else ""
    print(f"OK: {len(project.lessons)} lessons{sessions} and {len(project.registries.files)} registries are valid "
          f"({time.perf_counter() - started:.2f} s).")
    return 0


def lint(root: Path) -> int:
    """Safe messaging, registry discipline, readability and lesson completeness, without a build."""
    from .lint import READING_CEILING, lint as run_lint

    started = time.perf_counter()
    findings, grades = run_lint(root)
    for finding in findings:
        print(finding)
    for path, grade in sorted(grades.items()):
        print(f"reading level: {path}: grade {grade:.1f}")
    verdict = f"{len(findings)} finding(s)" if findings else "no findings"
    print(f"lint: {verdict} ({time.perf_counter() - started:.1f} s; reading ceilings "
          + ", ".join(f"{b}: {c}" for b, c in READING_CEILING.items()) + ")")
    return 1 if findings else 0


def default_jobs() -> int:
    """One Sphinx worker per CPU this process may use (Sphinx's `-j auto`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(root: Path, edition: str, fresh: bool = False, jobs: int | None = None) -> int:
    from jupyter_book.sphinx import build_sphinx

    if not (root / "_config.yml").is_file():
        print(f"{root / '_config.yml'}: no such file; expected the book's Jupyter Book configuration "
              "(run the command from the book's root folder, or pass --root)", file=sys.stderr)
        return 1
    out = root / OUTPUT[edition]
    started = time.perf_counter()
    result = build_sphinx(
        str(root), str(out / "html"),
        noconfig=True,  # as `jupyter-book build` does: the config comes from _config.yml
        path_config=str(root / "_config.yml"),
        doctreedir=str(out / ".doctrees"),
        confoverrides={"lessonkit_edition": edition, "latex_individualpages": False},
        freshenv=fresh, force_all=fresh,
        # every extension the book loads declares parallel reading and writing safe (lessonkit's
        # data merges through env-merge-info; tests/test_parallel.py builds the book this way)
        jobs=default_jobs() if jobs is None else jobs,
    )
    index = out / "html" / "index.html"
    if isinstance(result, BaseException) or result:
        print(f"The {edition} edition did not build; see the messages above.", file=sys.stderr)
        return 1
    # Jupyter Book 2 ignores _config.yml and can exit 0 without HTML: never trust the exit code alone.
    if not index.is_file() or (out / "html" / "_lessonkit_failed").exists():
        print(f"The build reported success but wrote no book at {index}.", file=sys.stderr)
        return 1
    print(f"The {edition} edition is ready ({time.perf_counter() - started:.1f} s): "
          f"open {index.relative_to(root) if index.is_relative_to(root) else index}")
    return 0


def offline(root: Path, edition: str) -> int:
    from .offline import OfflineError, make

    for name in (["teacher", "student"] if edition == "both" else [edition]):
        try:
            target = make(root, name)
        except OfflineError as exc:
            print(exc, file=sys.stderr)
            return 1
        size = target.stat().st_size / 1e6
        print(f"The {name} edition for offline use: {target.relative_to(root)} ({size:.1f} MB)")
    return 0


def cartridge(root: Path, version: str) -> int:
    from .cartridge import CartridgeError, make

    try:
        made = make(root, version=version)
    except CartridgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    size = made.path.stat().st_size / 1e6
    print(f"The student edition as an IMS Common Cartridge {version}: {made.path.relative_to(root)} "
          f"({size:.1f} MB; {made.modules} module{'s' * (made.modules != 1)}, "
          f"{made.lessons} lesson{'s' * (made.lessons != 1)}, {made.files} files)")
    return 0


def pdf(root: Path, edition: str, jobs: int | None = None) -> int:
    """The print-ready PDFs of editions already built, into each edition's pdf/ folder."""
    from .pdf.render import FAILED, SITES, PdfError, make

    editions = ["teacher", "student"] if edition == "both" else [edition]
    try:
        report = make(root, editions, jobs)
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return 1
    for name in editions:
        made = report.made.get(name, [])
        pages = sum(m.pages or 0 for m in made)
        print(f"The {name} edition's PDFs: {len(made)} files, {pages} pages, in {SITES[name]}/pdf/")
        for m in made:
            promise = f" (promises at most {m.promised})" if m.promised else ""
            count = "copied from the student edition" if m.pages is None else \
                f"{m.pages} page{'s' if m.pages != 1 else ''}{promise}"
            print(f"  {m.file}: {count}")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print(f"{len(report.problems)} problem(s): no PDFs were put in the book; the ones made are in {FAILED}/ "
              "to look at.", file=sys.stderr)
        return 1
    print(f"PDFs ready ({report.seconds:.1f} s).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessonkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate lesson metadata and registries without building")
    p_check.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_lint = sub.add_parser("lint", help="safe-messaging, registry, readability and completeness checks")
    p_lint.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_build = sub.add_parser("build", help="build the book strictly (a warning fails the build)")
    p_build.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_build.add_argument("--edition", choices=sorted(OUTPUT), default="teacher",
                         help="teacher (default, to _build/html) or student (to _build/student/html)")
    p_build.add_argument("--fresh", action="store_true", help="ignore cached state and rebuild every page")
    p_build.add_argument("--jobs", type=int, default=None,
                         help="processes to read and write pages in (default: one per CPU; 1 builds serially)")
    p_off = sub.add_parser("offline", help="zip each built edition for use with no network (build them first)")
    p_off.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_off.add_argument("--edition", choices=[*sorted(OUTPUT), "both"], default="both",
                       help="which edition to zip (default: both)")
    p_cc = sub.add_parser("cartridge", help="the built student edition as an IMS Common Cartridge for an LMS "
                                            "(build it first)")
    p_cc.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_cc.add_argument("--cc-version", choices=["1.1", "1.3"], default="1.1",  # cartridge.VERSIONS
                      help="Common Cartridge version (default 1.1, which Moodle, Canvas and Schoology import)")
    p_pdf = sub.add_parser("pdf", help="make the print-ready PDFs of the built editions (build both first)")
    p_pdf.add_argument("--root", type=Path, default=Path("."), help="the book's root folder")
    p_pdf.add_argument("--edition", choices=[*sorted(OUTPUT), "both"], default="both",
                       help="whose PDFs to make (default: both; the teacher edition copies the student packets)")
    p_pdf.add_argument("--jobs", type=int, default=None, help="processes to lay pages out in (default: one per CPU)")
    sub.add_parser("bench", help="time builds at 1x and 10x against a base commit and plain Sphinx "
                                 "(scripts/bench.sh; --help for its options)", add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from .bench import main as bench

        return bench(argv[1:])
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "offline":
        return offline(root, args.edition)
    if args.command == "cartridge":
        return cartridge(root, args.cc_version)
    if args.command == "pdf":
        return pdf(root, args.edition, args.jobs)
    if args.command == "check":
        return check(root)
    if args.command == "lint":
        return lint(root)
    return build(root, args.edition, args.fresh, args.jobs)


if __name__ == "__main__":
    sys.exit(main())

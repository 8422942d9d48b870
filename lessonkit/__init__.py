"""lessonkit: the Clear Signals lesson toolkit, a Sphinx extension for Jupyter Book 1.

It validates lesson metadata before anything is written, renders lesson directives, inserts
the lesson-at-a-glance panel, generates overview pages, and builds teacher and student
editions from the same sources.
"""
from __future__ import annotations

import logging as std_logging
import shutil
import sys
from pathlib import Path

from sphinx.util import logging

from . import editions, exports, failsafe
from .a11y import TEMPLATES, setup_a11y
from .alignment import setup_alignment
from .directives import setup_directives
from .frontdoor import setup_frontdoor
from .glance import setup_glance
from .groups import setup_groups
from .help import AvoidRole, DistrictRole, HelpResources, ResourceRole
from .helpsteps import setup_help_steps
from .license import setup_license
from .materials import setup_materials
from .nodes import setup_nodes
from .overview import setup_overview
from .pdf import setup_pdf
from .project import load_project
from .projector import setup_projector
from .rawhtml import setup_rawhtml
from .shortpath import setup_shortpath
from .speed import setup_speed
from .weight import setup_weight

__version__ = "0.1.0"

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "_static"

# Per-document data kept on the Sphinx environment (so parallel reads can merge it).
ENV_DICTS = ("lessonkit_lessons", "lessonkit_sessions", "lessonkit_scenarios", "lessonkit_alignment",
             "lessonkit_contents")
ENV_SETS = ("lessonkit_overviews",)


class _WarningCollector(std_logging.Handler):
    """Keeps the text of every warning so a failed strict build can list them on its failure page."""

    def __init__(self, app):
        super().__init__(level=std_logging.WARNING)
        self.app = app
        self.messages: list[str] = []

    def source_of(self, docname: str) -> str:
        """lessons/x -> lessons/x.md, as the build log names it."""
        env = getattr(self.app, "env", None)
        try:
            return Path(env.doc2path(docname)).relative_to(self.app.srcdir).as_posix()
        except (AttributeError, ValueError, TypeError):
            return docname

    def emit(self, record):
        # Sphinx's own handlers run first and turn a (docname, line) or a node into "path:line"
        location = getattr(record, "location", None)
        if isinstance(location, tuple):
            location = f"{self.source_of(location[0])}:{location[1]}" if location[0] else None
        message = (f"{location}: " if isinstance(location, str) and location else "") + record.getMessage()
        if message not in self.messages:  # a warning can reach the logger twice (read, then re-emitted)
            self.messages.append(message)


def _stop(app, lines: list[str], summary: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)
    print(summary, file=sys.stderr)
    failsafe.mark_failed(Path(app.outdir), lines, Path(app.doctreedir))
    raise SystemExit(1)


def on_config_inited(app, config) -> None:
    if config.lessonkit_edition not in editions.EDITIONS:
        _stop(app, [f"_config.yml: lessonkit_edition: found {config.lessonkit_edition!r}; expected "
                    f"one of {', '.join(editions.EDITIONS)}"], "Build stopped: unknown edition.")
    if config.lessonkit_strict and not app.warningiserror:
        # the config equivalent of `-W --keep-going`: build everything, then fail on any warning
        app.keep_going = True
    config.html_static_path = list(config.html_static_path) + [str(STATIC)]
    config.templates_path = list(config.templates_path) + [str(TEMPLATES)]
    if config.lessonkit_edition == "student":
        srcdir = Path(app.srcdir)
        toc = Path(config.external_toc_path)
        toc = toc if toc.is_absolute() else srcdir / toc
        out = Path(app.doctreedir) / "lessonkit-student-toc.yml"
        editions.student_toc(toc, srcdir, out)
        config.external_toc_path = str(out)
        config.html_title = f"{config.html_title or config.project} (student edition)"


def refresh_static(app) -> None:
    """Sphinx copies static files only when some page is rewritten; a changed lessonkit CSS or JS
    file must reach the site even when no page changed."""
    target = Path(app.outdir) / "_static"
    if app.builder.format != "html" or not target.is_dir():
        return
    for source in STATIC.iterdir():
        dest = target / source.name
        if source.is_file() and (not dest.exists() or dest.read_bytes() != source.read_bytes()):
            shutil.copyfile(source, dest)


def on_builder_inited(app) -> None:
    failsafe.clear_failure(Path(app.outdir))
    refresh_static(app)
    env = app.env
    for name in ENV_DICTS:
        if not hasattr(env, name):
            setattr(env, name, {})
    for name in ENV_SETS:
        if not hasattr(env, name):
            setattr(env, name, set())
    project = load_project(Path(app.srcdir), app.config.lessonkit_data_dir)
    app.lessonkit = project
    if not project.ok:
        _stop(app, [str(p) for p in project.problems],
              f"Build stopped: {len(project.problems)} problem(s) in lesson metadata or registries. "
              "Fix them (or run `python -m lessonkit check` to see them without building).")


def on_purge(app, env, docname) -> None:
    for name in ENV_DICTS:
        getattr(env, name, {}).pop(docname, None)
    for name in ENV_SETS:
        getattr(env, name, set()).discard(docname)


def on_merge(app, env, docnames, other) -> None:
    for name in ENV_DICTS:
        mine = getattr(env, name)
        for docname in docnames:
            if docname in getattr(other, name, {}):
                mine[docname] = getattr(other, name)[docname]
    for name in ENV_SETS:
        getattr(env, name).update(getattr(other, name, set()) & set(docnames))


def check_stages(app, env) -> None:
    """A lesson's `stages` must be exactly the pattern stages its scenarios show."""
    for docname, lesson in env.lessonkit_lessons.items():
        shown = {stage for scenario in env.lessonkit_scenarios.get(docname, []) for stage in scenario["stages"]}
        declared = set(lesson["stages"])
        if shown != declared:
            logger.warning(f"lesson.stages lists {', '.join(sorted(declared)) or 'none'}, but its scenarios show "
                           f"{', '.join(sorted(shown)) or 'none'}; expected the same stages in both",
                           location=(docname, 1), type="lessonkit", subtype="stages")


def on_build_finished(app, exception) -> None:
    collector = app.lessonkit_warnings
    failed = exception is not None or (app.config.lessonkit_strict and getattr(app, "_warncount", 0))
    if failed and app.builder.format == "html":
        problems = collector.messages or [str(exception)]
        failsafe.mark_failed(Path(app.outdir), problems, Path(app.doctreedir))
        logger.error(f"lessonkit: the build failed ({len(problems)} problem(s)); "
                     f"{app.outdir} now holds only a page that says so.")
        return
    if exception is None and app.builder.format == "html":
        write_redirect(app)
        exports.write(app)
    project = getattr(app, "lessonkit", None)
    if project is not None and exception is None:
        for what, items in project.unused().items():
            if items:
                logger.info(f"lessonkit: {len(items)} {what}: {', '.join(items)}")


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}"></head>
<body><main><p><a href="{target}">Open {title}</a></p></main></body></html>
"""


def write_redirect(app) -> None:
    """A real small page (language, title, link) in place of the bare redirect index.html."""
    if app.config.root_doc == "index":
        return
    index = Path(app.outdir) / "index.html"
    target = app.builder.get_target_uri(app.config.root_doc)
    index.write_text(REDIRECT.format(lang=app.config.language or "en", target=target,
                                     title=app.config.html_title or app.config.project), encoding="utf-8")


def setup(app):
    app.add_config_value("lessonkit_edition", "teacher", "env", [str])
    app.add_config_value("lessonkit_strict", True, "", [bool])
    app.add_config_value("lessonkit_data_dir", "data", "env", [str])
    app.add_config_value("lessonkit_district", {}, "env", [dict])
    # the page every disclosure note links to (a docname; empty: no link)
    app.add_config_value("lessonkit_disclosure_page", "book/when-a-student-tells-you", "env", [str])

    setup_nodes(app)
    setup_directives(app)
    setup_glance(app)
    setup_frontdoor(app)
    setup_alignment(app)
    setup_materials(app)
    setup_help_steps(app)
    setup_shortpath(app)
    setup_overview(app)
    setup_groups(app)
    exports.setup_exports(app)
    setup_a11y(app)
    setup_rawhtml(app)
    setup_license(app)
    setup_projector(app)
    setup_pdf(app)
    setup_speed(app)
    setup_weight(app)
    app.add_directive("help-resources", HelpResources)
    app.add_role("resource", ResourceRole())
    app.add_role("district", DistrictRole())
    app.add_role("avoid", AvoidRole())

    # before sphinx-external-toc (priority 900) reads the table of contents
    app.connect("config-inited", on_config_inited, priority=800)
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("env-check-consistency", check_stages)
    # after other extensions' build-finished handlers (sphinx-external-toc writes index.html)
    app.connect("build-finished", on_build_finished, priority=900)
    app.add_css_file("lessonkit.css")
    app.add_js_file("lessonkit.js")

    sphinx_logger = std_logging.getLogger("sphinx")
    for old in [h for h in sphinx_logger.handlers if isinstance(h, _WarningCollector)]:
        sphinx_logger.removeHandler(old)  # one collector per process, for the app built last
    collector = _WarningCollector(app)
    sphinx_logger.addHandler(collector)
    app.lessonkit_warnings = collector
    return {"version": __version__, "env_version": 5, "parallel_read_safe": True, "parallel_write_safe": True}

"""Build-time work done once per build (or per process) instead of once per page or per citation.

- pybtex finds its plugins (styles, backends) through the installed packages' entry points, and
  sphinxcontrib-bibtex asks for a style on every citation it resolves: each look-up reads every
  installed distribution's metadata (a quarter of a full build, profiled). The installed entry
  points cannot change during a build, so each answer is kept for the process; plugins registered
  at run time (pybtex.plugin.register_plugin) are still looked up first, every time, as pybtex does.
- Search indexing stems every word of every page; the stems are kept for the build.
- The theme renders the sidebar navigation, the whole table of contents, anew for every page
  (Sphinx resolves the whole toctree, then pydata-sphinx-theme re-parses it with BeautifulSoup),
  so the time per page grows with the number of pages and the build with its square
  (sphinx-book-theme #561, pydata-sphinx-theme #381). With `collapse_navbar` off (the book's
  setting) the navigation is the same on every page but for the links' relative paths and the
  current page's branch (classes `current active`, `<details open>`, the page's own link `#`).
  It is rendered once per build, through the theme's own code, for a page outside the toc; each
  page then gets that HTML with its paths and its branch filled in. `lessonkit_shared_nav: false`
  turns this off, and tests/test_speed.py checks the two give the same bytes on every page.
  That one rendering is kept between builds, named by a hash of what it is made from (_nav_stamp):
  it was most of what an edit-one-lesson rebuild spent on the navigation.
- Jinja compiles every template the first time a build process renders it (the theme's layout,
  its components, ours): a fifth of an edit-one-lesson rebuild, profiled. The compiled templates
  are kept between builds with Jinja's own bytecode cache, in the doctree folder, keyed by each
  template's source (Jinja checks it) and the Python version; Jinja writes each file atomically,
  so parallel writers are safe.
- Parallel reading: see PARALLEL_READ_CHECKED.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from markupsafe import Markup
from sphinx.util.osutil import relative_uri

# a docname no page has, at the root of the book: its links are the pages' paths from the root
NEUTRAL = "_lessonkit_navigation_"
NAV_VERSION = 1  # SharedNav's or name_toctree_toggles's output changes: a new number, so kept navigations are remade
TAG = re.compile(r'<(/?)(li|ul|a|details)\b([^>]*)>')
CLASS = re.compile(r'\sclass="([^"]*)"')
HREF = re.compile(r'\shref="([^"]*)"')


# ---------------------------------------------------------------- pybtex

def cache_pybtex_plugins() -> None:
    try:
        import pybtex.plugin as plugin
    except ImportError:
        return
    original = getattr(plugin, "_load_entry_point", None)
    if original is None or getattr(original, "_lessonkit", False) or not hasattr(plugin, "_RUNTIME_PLUGINS"):
        return  # another pybtex than the pinned one: leave it as it is

    @functools.cache
    def installed(group: str, name: str):
        for entry_point in plugin.entry_points(group=group, name=name):
            return entry_point.load()
        return None

    def load_entry_point(group, name, use_aliases=False):
        for search_group in ([group, group + ".aliases"] if use_aliases else [group]):
            klass = plugin._RUNTIME_PLUGINS.get(search_group, {}).get(name)
            if klass is not None:
                return klass
            klass = installed(search_group, name)
            if klass is not None:
                return klass
        raise plugin.PluginNotFound(group, name)

    load_entry_point._lessonkit = True
    plugin._load_entry_point = load_entry_point


# ---------------------------------------------------------------- search indexing

def cache_search_stems() -> None:
    """Sphinx stems each page's words for the search index, memoising within one page only; the
    book's pages share most of their words, so the stems are kept for the build (same stemmer,
    same answers: the Snowball stemmer is a pure function of the word)."""
    from sphinx.search import en

    original = en.SearchEnglish.stem
    if getattr(original, "_lessonkit", False):
        return

    def stem(self, word: str) -> str:
        memo = self.__dict__.setdefault("_lessonkit_stems", {})
        found = memo.get(word)
        if found is None:
            found = memo[word] = original(self, word)
        return found

    stem._lessonkit = True
    en.SearchEnglish.stem = stem


# ---------------------------------------------------------------- the sidebar navigation

class SharedNav:
    """The navigation's HTML cut into pieces, with the tags a page's position changes kept apart."""

    def __init__(self, markup: str):
        self.pieces: list[str] = []
        self.tags: list[tuple[str, int, str]] = []  # (kind, owner element, attributes)
        self.parent: dict[int, int | None] = {}  # li/ul element -> enclosing li/ul element
        self.links: dict[str, list[int]] = {}  # href -> the li elements whose own link it is
        stack: list[int] = []
        last = 0
        for match in TAG.finditer(markup):
            closing, kind, attrs = match.groups()
            self.pieces.append(markup[last:match.start()])
            last = match.end()
            if closing:
                if kind in ("li", "ul") and stack:
                    stack.pop()
                self.pieces.append(match.group(0))
                continue
            if kind in ("li", "ul"):
                element = len(self.tags)
                self.parent[element] = stack[-1] if stack else None
                stack.append(element)
                self.tags.append((kind, element, attrs))
            else:
                owner = next((e for e in reversed(stack) if self.tags[e][0] == "li"), None)
                self.tags.append((kind, owner, attrs))
                href = HREF.search(attrs)
                if kind == "a" and owner is not None and href and "internal" in _classes(attrs):
                    self.links.setdefault(href.group(1), []).append(owner)
            self.pieces.append(len(self.tags) - 1)  # an int: a tag to write for each page
        self.pieces.append(markup[last:])

    def for_page(self, target: str) -> str:
        """The navigation as the page whose URI (from the root) is `target` shows it."""
        own = set(self.links.get(target, ()))
        branch: set[int] = set()
        for element in own:
            while element is not None and element not in branch:
                branch.add(element)
                element = self.parent[element]
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            kind, owner, attrs = self.tags[piece]
            current = owner in branch
            if kind == "li" and current:
                attrs = _set_classes(attrs, lambda c: c[:1] + ["current", "active"] + c[1:])
            elif kind == "ul" and current:
                def mark(c):
                    at = c.index("nav") if c[-2:] == ["nav", "bd-sidenav"] else len(c)
                    return c[:at] + ["current"] + c[at:]
                attrs = _set_classes(attrs, mark)
            elif kind == "details" and current and "open=" not in attrs:
                attrs += ' open="open"'
            elif kind == "a" and "internal" in _classes(attrs):
                href = HREF.search(attrs).group(1)
                if current and href == target:
                    attrs = _set_classes(attrs, lambda c: ["current", *c])
                attrs = HREF.sub(lambda _: f' href="{relative_uri(target, href) or "#"}"', attrs, count=1)
            out.append(f"<{kind}{attrs}>")
        return "".join(out)


def _classes(attrs: str) -> list[str]:
    found = CLASS.search(attrs)
    return found.group(1).split() if found else []


def _set_classes(attrs: str, change) -> str:
    classes = " ".join(change(_classes(attrs)))
    if CLASS.search(attrs):
        return CLASS.sub(lambda _: f' class="{classes}"', attrs, count=1)
    return f' class="{classes}"{attrs}'


# the theme's own arguments to generate_toctree_html; the rest go to Sphinx's toctree()
THEME_ARGS = ("kind", "startdepth", "show_nav_level")
NAV_FOLDER = "lessonkit-nav"
NAV_KEPT = 8  # navigations kept between builds (one per table of contents the book has had lately)


def _nav_stamp(app, call: dict) -> str:
    """A hash of everything Sphinx's global toctree for NEUTRAL and the theme's work on it read:
    the root page's toctree nodes, each page's toc, title and tocdepth, the toctree includes, the
    tags (`only`), the patterns and link suffixes, the builder, the arguments, the language and
    the versions. Resolving that toctree (which un-pickles the root page's doctree and copies
    every page's toc) took about 0.25 s of an edit rebuild; the hash takes about 0.03 s. Anything
    left out would keep a stale navigation, so tests/test_speed.py renames a page and compares
    the rebuilt pages with the theme's own navigation."""
    import hashlib

    import pydata_sphinx_theme
    import sphinx
    from sphinx import addnodes

    env, builder, config = app.env, app.builder, app.config
    root = env.get_doctree(config.root_doc)
    toctrees = [sorted((k, repr(v)) for k, v in node.attributes.items()) for node in root.findall(addnodes.toctree)]
    # nodes as text: a pickle would differ between a page read this build and one loaded from the
    # last, for the same nodes (it records which strings are one object), and miss every time
    pages = [(d, _as_text(env.tocs.get(d)), _as_text(env.titles.get(d)), env.metadata.get(d, {}).get("tocdepth"))
             for d in sorted(env.found_docs)]
    inputs = (NAV_VERSION, sphinx.__version__, pydata_sphinx_theme.__version__, config.language, builder.name,
              sorted(builder.tags), config.root_doc, config.include_patterns, config.exclude_patterns,
              config.html_link_suffix, config.html_file_suffix, sorted(call.items()), toctrees,
              sorted((k, sorted(v)) for k, v in env.toctree_includes.items()), pages)
    return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()[:32]


def _as_text(node) -> str | None:
    return None if node is None else node.pformat()  # docutils' pseudo-XML: every node, every attribute


def _neutral_nav(app, templatename: str, key: tuple, wrap) -> SharedNav:
    """The navigation for NEUTRAL, kept between builds in the doctree folder under _nav_stamp:
    an edit rebuild whose edit leaves every title and heading as it was renders none of it."""
    import os

    from pydata_sphinx_theme.toctree import add_toctree_functions

    builder = app.builder
    args, kwargs = key
    call = dict(zip(THEME_ARGS, args), **dict(kwargs))
    kept = Path(app.doctreedir) / NAV_FOLDER / f"{_nav_stamp(app, call)}.html"
    try:
        markup = kept.read_text(encoding="utf-8")
        os.utime(kept)  # in use: not among the oldest that prune_navs drops
        return SharedNav(markup)
    except OSError:
        pass
    context = {"toctree": lambda **kw: builder._get_local_toctree(NEUTRAL, **kw)}
    add_toctree_functions(app, NEUTRAL, templatename, context, None)
    markup = str(wrap(context["generate_toctree_html"])(*args, **dict(kwargs)))
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{kept.name}.{os.getpid()}")  # parallel writers: each its own, then a rename
    partial.write_text(markup, encoding="utf-8")
    os.replace(partial, kept)
    return SharedNav(markup)


def prune_navs(app, exception) -> None:
    folder = Path(app.doctreedir) / NAV_FOLDER
    if not folder.is_dir():
        return
    files = sorted(folder.glob("*.html"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[NAV_KEPT:]:
        old.unlink(missing_ok=True)


def share_nav(app, pagename, templatename, context, doctree) -> None:
    """Right after the theme has put its toctree function in the page's context (see hook_theme)."""
    generate = context.get("generate_toctree_html")
    if (generate is None or getattr(generate, "_lessonkit_shared", False) or not app.config.lessonkit_shared_nav
            or app.builder.name != "html"):
        return
    from .a11y import name_toctree_toggles

    cache = app.builder.__dict__.setdefault("_lessonkit_nav", {})
    target = app.builder.get_target_uri(pagename)
    mine: dict = {}  # the theme renders the sidebar twice per page (an emptiness check, then the page)

    def generate_shared(*args, **kwargs):
        kind = kwargs.get("kind", args[0] if args else None)
        startdepth = kwargs.get("startdepth", args[1] if len(args) > 1 else 1)
        try:
            shareable = (kind == "sidebar" and int(startdepth) == 0 and not kwargs.get("collapse", True)
                         and int(kwargs.get("maxdepth", 0) or 0) > 0)
        except (TypeError, ValueError):
            shareable = False
        if not shareable:
            return generate(*args, **kwargs)
        key = (args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = _neutral_nav(app, templatename, key,
                                      lambda f: lambda *a, **k: name_toctree_toggles(f(*a, **k)))
        if key not in mine:
            mine[key] = Markup(cache[key].for_page(target))
        return mine[key]

    generate_shared._lessonkit_shared = True
    context["generate_toctree_html"] = generate_shared


def hook_theme(app) -> None:
    """The theme renders each sidebar template once during html-page-context, to drop empty ones,
    in the listener after the one that defines generate_toctree_html (both at the default
    priority, before any lessonkit listener): so the shared function goes in with the theme's own."""
    try:
        from pydata_sphinx_theme.toctree import add_toctree_functions
    except ImportError:
        return
    listeners = app.events.listeners.get("html-page-context", [])
    for i, listener in enumerate(listeners):
        if listener.handler is add_toctree_functions:
            def with_shared_nav(app, pagename, templatename, context, doctree, _theirs=listener.handler):
                _theirs(app, pagename, templatename, context, doctree)
                share_nav(app, pagename, templatename, context, doctree)

            listeners[i] = listener._replace(handler=with_shared_nav)


# Extensions Jupyter Book loads that declare nothing about parallel reading, so Sphinx warns (a
# strict build fails) and reads serially; read, at these versions, and safe:
# - sphinx-multitoc-numbering replaces TocTreeCollector.assign_section_numbers, which Sphinx runs
#   in the main process once the workers' environments are merged; it keeps no state of its own;
# - sphinx-jupyterbook-latex's read-time transforms change only the doctree being read (which the
#   worker sends back), and the environment attributes it sets are set before the workers start.
PARALLEL_READ_CHECKED = {"sphinx_multitoc_numbering": "0.1.3", "sphinx_jupyterbook_latex": "1.0.0"}


def declare_parallel_read_safe(app) -> None:
    import importlib

    for name, version in PARALLEL_READ_CHECKED.items():
        extension = app.extensions.get(name)
        if extension is None or extension.parallel_read_safe is not None:
            continue
        if getattr(importlib.import_module(name), "__version__", None) == version:
            extension.parallel_read_safe = True


def reset_nav(app, env) -> None:
    """A new build (or a re-read) may change the table of contents."""
    if getattr(app, "builder", None) is not None:
        app.builder.__dict__.pop("_lessonkit_nav", None)


def cache_templates(app) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return  # not a templating builder, or a cache set elsewhere
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir) / "lessonkit-templates"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


# Sphinx reads this many changed documents or fewer in one process (Builder.read): starting a
# worker costs more than it saves. Its writing has no such rule, and after a one-lesson edit a
# worker process took about 0.4 s (profiled: fork, pipe, polling) to write three pages.
FEW_TO_WRITE = 5


def write_few_serially(app) -> None:
    builder = app.builder
    write = builder.write

    def write_serially_when_few(build_docnames, updated_docnames, method="update"):
        if build_docnames is None or build_docnames == ["__all__"]:
            names = set(builder.env.found_docs)
        else:
            names = set(build_docnames)
        if method == "update":
            names.update(updated_docnames)
        if builder.parallel_ok and len(names) <= FEW_TO_WRITE:
            builder.parallel_ok = False
        return write(build_docnames, updated_docnames, method)

    builder.write = write_serially_when_few


def setup_speed(app) -> None:
    cache_pybtex_plugins()
    cache_search_stems()
    app.add_config_value("lessonkit_shared_nav", True, "", [bool])
    # the theme's listeners exist once the builder has loaded the theme
    app.connect("builder-inited", hook_theme)
    app.connect("builder-inited", declare_parallel_read_safe)
    app.connect("builder-inited", cache_templates)
    app.connect("builder-inited", write_few_serially)
    app.connect("env-updated", reset_nav)
    app.connect("build-finished", prune_navs)

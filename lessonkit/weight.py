"""A light first visit: every page loads only the styles, scripts and icon glyphs the book uses.

Out of the box a lesson page made the browser fetch about 2.8 MB in 29 requests: Font Awesome's
whole icon set as a 1.5 MB script, the theme's stylesheet with all of Bootstrap and every icon
class (0.4 MB), the whole solid icon font (0.16 MB), the search index (0.3 MB, growing with the
book) on every page, and a dozen stylesheets and seven scripts that each held up the first paint.
Now (tests/test_page_weight.py holds the budget):

- `layout.html` in our template folder leaves out `fontawesome.js` (the theme's stylesheet already
  draws the `<i class="fa-…">` icons with the icon font) and the search index with its two
  scripts, which only the search page needs: it loads them itself, and the search box elsewhere
  only sends the reader there (search-as-you-type is off).
- Each page links one stylesheet, `_static/lessonkit-styles-<id>.css`: the sheets it would have
  linked, in the same order, each theme and extension sheet (not lessonkit's own) keeping only the
  rules whose classes and ids occur in some built page or in a script a page loads (a class a
  script adds is a word in that script). The originals stay in `_static/`.
- Each icon font those rules still name is cut down to the glyphs they still use and put inside
  the bundle (about 3 KB); a font none of them uses is left out. Custom properties nothing reads
  go too (Bootstrap's palette).
- The page's scripts are deferred, so none holds up the first paint; documentation_options.js
  stays as it was, since the page's inline scripts set its options, and the search page is left
  as the theme has it.

The bundles are made after the build, from every page; the work is skipped when neither the
pages' classes nor the source files changed since it was last done (a stamp in the doctree
folder), so a rebuild with nothing new pays only the scan of the pages.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath

import tinycss2
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript
from sphinx.util import logging

from . import failsafe

logger = logging.getLogger(__name__)

# The stylesheets the theme's layout links itself (lessonkit's layout.html links the bundle instead):
# Sphinx's basic.css (the theme's theme.css only @imports it) and pydata-sphinx-theme's own.
THEME_CSS = ("_static/basic.css", "_static/styles/pydata-sphinx-theme.css")
# the themes this step knows the sheets of; under any other (the benchmark's plain-Sphinx build uses
# alabaster) pages keep the theme's own links (lessonkit/_templates/layout.html)
PYDATA_THEMES = ("sphinx_book_theme", "pydata_sphinx_theme")
OURS = "_static/lessonkit"  # lessonkit's own files are written for this book and stay whole
# Classes a script builds from parts, so they are in no page and no script as one word
# (Bootstrap's tooltip adds `bs-${NAME}-auto`).
DYNAMIC_CLASSES = {"bs-tooltip-auto"}
# Bootstrap's script names every component's classes, used or not: its words for a component that
# no page turns on (data-bs-toggle="…", or another script's bootstrap.Tooltip) do not count.
BOOTSTRAP_COMPONENTS = {
    "alert": ("alert",), "carousel": ("carousel",), "collapse": ("collaps",),
    "dropdown": ("dropdown", "dropend", "dropstart", "dropup"), "modal": ("modal",),
    "offcanvas": ("offcanvas",), "popover": ("popover", "bs-popover"), "scrollspy": ("scrollspy",),
    "tab": ("tab-pane", "nav-tabs"), "toast": ("toast",), "tooltip": ("tooltip", "bs-tooltip")}
BOOTSTRAP_ON = re.compile(r'data-bs-(?:toggle|ride|spy|dismiss)="(\w+)"|\bbootstrap\.([A-Z]\w+)')
BUNDLE = "_static/lessonkit-styles-{}.css"
BUNDLE_HREF = re.compile(r'lessonkit-styles-([0-9a-f]{12})\.css')
MANIFESTS = "lessonkit-styles"  # in the doctree folder: which sheets each bundle holds, in order
STAMP = "lessonkit-styles.json"
VERSION = 2  # bump when the rules below change, so the bundles are made again
NOT_DEFERRED = {"_static/documentation_options.js"}
# scripts that hold data, not code: no class they name is ever put on a page. The search index holds
# every word of the book, so reading it would make each new word in a lesson re-make the bundles.
DATA_SCRIPTS = {"searchindex.js"}

# no \b before them: a pattern that starts with a literal is searched several times faster
CLASS_ATTR = re.compile(r'class="([^"]*)"')
ID_ATTR = re.compile(r'id="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
SCRIPT_SRC = re.compile(r'<script[^>]*\bsrc="([^"?#]+)')
WORD = re.compile(r"-?[A-Za-z_][\w-]*|--[A-Za-z_][\w-]*")  # with custom properties a script may read
ICON_CODEPOINT = range(0xE000, 0xF900)  # the Private Use Area, where icon fonts put their glyphs


def _bundled(css) -> bool:
    """A local stylesheet for every medium (a print-only or alternate sheet keeps its own link)."""
    name = str(css.filename)
    extra = {k: v for k, v in css.attributes.items() if (k, v) not in (("rel", "stylesheet"), ("type", "text/css"))}
    return name.endswith(".css") and "://" not in name and not name.startswith("/") and not extra


def _deferred(js):
    name = str(js.filename)
    if (not name or "://" in name or name in NOT_DEFERRED or js.attributes.get("body")
            or {"async", "defer", "type"} & set(js.attributes)):
        return js
    return _JavaScript(js.filename, priority=js.priority, **js.attributes, defer="defer")


def light_page(app, pagename, templatename, context, doctree) -> None:
    """One stylesheet link for the page, and its scripts deferred."""
    if app.config.html_theme not in PYDATA_THEMES:
        return
    # in the order the page would link them: Sphinx sorts by priority after this event
    css_files = sorted(context.get("css_files", []), key=lambda css: css.priority)
    sheets = list(THEME_CSS) + [str(css.filename) for css in css_files if _bundled(css)]
    key = hashlib.sha256("\n".join(sheets).encode()).hexdigest()[:12]
    manifest = Path(app.doctreedir) / MANIFESTS / f"{key}.json"
    if not manifest.is_file():  # pages are written in parallel: each process may write it, the same
        manifest.parent.mkdir(parents=True, exist_ok=True)
        tmp = manifest.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(sheets), encoding="utf-8")
        tmp.replace(manifest)
    context["lk_styles"] = BUNDLE.format(key)
    context["css_files"] = [css for css in css_files if not _bundled(css)]
    if pagename != "search" and "script_files" in context:
        context["script_files"] = [_deferred(js) for js in context["script_files"]]


# ---- what the site uses ----------------------------------------------------------------------

def site_words(outdir: Path) -> tuple[set[str], set[str], int]:
    """Every class and id of every built page and every word of the scripts the pages run (inline
    and loaded); the bundles the pages link; how many script files were read."""
    words: set[str] = set(DYNAMIC_CLASSES)
    bundles: set[str] = set()
    scripts: set[Path] = set()
    components: set[str] = set()
    root = outdir.resolve()
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue  # the theme's template snippets, copied as static files
        text = page.read_text(encoding="utf-8", errors="replace")
        for attr in CLASS_ATTR.findall(text) + ID_ATTR.findall(text):
            words.update(attr.split())
        for script in INLINE_SCRIPT.findall(text):
            words.update(WORD.findall(script))
        words.update(VAR_REF.findall(text))  # var(--x) in a style attribute
        for src in SCRIPT_SRC.findall(text):
            target = (page.parent / src).resolve()
            if target.is_file() and target.is_relative_to(root) and target.name not in DATA_SCRIPTS:
                scripts.add(target)
        bundles.update(BUNDLE_HREF.findall(text))
        components.update(on.lower() for pair in BOOTSTRAP_ON.findall(text) for on in pair if on)
    bootstrap: set[str] = set()
    for script in scripts:
        text = script.read_text(encoding="utf-8", errors="replace")
        if script.name == "bootstrap.js":
            bootstrap = set(WORD.findall(text))
        else:
            words.update(WORD.findall(text))
            components.update(on.lower() for pair in BOOTSTRAP_ON.findall(text) for on in pair if on)
    off = tuple(prefix for name, prefixes in BOOTSTRAP_COMPONENTS.items() if name not in components
                for prefix in prefixes)
    words.update(word for word in bootstrap if not word.startswith(off))
    return words, bundles, len(scripts)


# ---- pruning a stylesheet ----------------------------------------------------------------------

def _split_selectors(prelude: list) -> list[list]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def _needs(selector: list) -> set[str]:
    """The classes and ids an element must have for the selector to match it. Inside :not(), :is(),
    :has() and the like a class is not required (`:not(.x)` matches where .x is absent)."""
    needed = set()
    for i, token in enumerate(selector):
        if token.type == "hash" and token.is_identifier:
            needed.add(token.value)
        elif (token.type == "literal" and token.value == "." and i + 1 < len(selector)
              and selector[i + 1].type == "ident"):
            needed.add(selector[i + 1].value)
    return needed


def _strip(tokens: list) -> str:
    return tinycss2.serialize(tokens).strip()


def prune_rules(rules: list, words: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [_strip(sel) for sel in _split_selectors(rule.prelude) if _needs(sel) <= words]
            if kept:
                out.append(",".join(kept) + "{" + _strip(rule.content) + "}")
        elif rule.type == "at-rule":
            head = "@" + rule.at_keyword + tinycss2.serialize(rule.prelude)
            keyword = rule.lower_at_keyword
            if keyword == "charset":
                continue  # only the first rule of a file may be one; the bundle is UTF-8 anyway
            if keyword == "import":
                raise ValueError(f"a bundled stylesheet cannot @import ({tinycss2.serialize(rule.prelude).strip()})")
            if rule.content is None:
                out.append(head.strip() + ";")
            elif keyword in ("media", "supports", "layer", "container", "document"):
                inner = prune_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                              skip_comments=True), words)
                if inner:
                    out.append(head.strip() + "{" + "".join(inner) + "}")
            else:  # @font-face, @keyframes, @page, @property: kept whole (fonts are cut below)
                out.append(head.strip() + "{" + _strip(rule.content) + "}")
    return out


KEYFRAMES = re.compile(r"@(?:-webkit-)?keyframes\s+([\w-]+)\s*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")


VAR_REF = re.compile(r"var\(\s*(--[\w-]+)")
# a custom property's declaration, where a block or the one before it ends
CUSTOM = re.compile(r"""(?<=[{;])\s*(--[\w-]+)\s*:(?:[^;{}"']|"[^"]*"|'[^']*')*(?:;|(?=\}))""")


def drop_unused_properties(sheets: dict[str, str], keep: set[str], words: set[str]) -> dict[str, str]:
    """Custom properties nothing reads (Bootstrap's and the theme's palettes hold hundreds): those of
    the sheets named in `keep` stay; the others go unless a var() in any sheet, a page or a script
    names them, until no more go."""
    while True:
        used = words | set().union(*(VAR_REF.findall(css) for css in sheets.values()))
        out = {name: css if name in keep else CUSTOM.sub(lambda m: m.group(0) if m.group(1) in used else "", css)
               for name, css in sheets.items()}
        if out == sheets:
            return out
        sheets = out


def prune(css: str, words: set[str]) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    text = "\n".join(prune_rules(rules, words)) + "\n"
    # animations no kept rule runs (Font Awesome's beat, bounce, spin, …)
    used = KEYFRAMES.sub("", text)
    return KEYFRAMES.sub(lambda m: m.group(0) if re.search(rf"(?<![\w-]){re.escape(m.group(1))}(?![\w-])", used)
                         else "", text)


# ---- icon fonts --------------------------------------------------------------------------------

FONT_FACE = re.compile(r"@font-face\{[^{}]*\}")
FONT_URL = re.compile(r"""url\(\s*["']?([^"')]+\.woff2)["']?\s*\)""")
ICON_FONT = re.compile(r"font-family:\s*[\"']?Font Awesome")  # the theme's icon fonts


def icon_codepoints(css: str) -> set[int]:
    """Codepoints in the Private Use Area that the stylesheet's strings hold (`content: "\\f185"`,
    and the icon custom properties such as --pst-icon-admonition-note)."""
    points = set()
    for token in tinycss2.parse_component_value_list(FONT_FACE.sub("", css)):
        for string in _strings(token):
            points.update(ord(ch) for ch in string if ord(ch) in ICON_CODEPOINT)
    return points


def _strings(token):
    if token.type == "string":
        yield token.value
    for child in getattr(token, "content", None) or getattr(token, "arguments", None) or []:
        if not isinstance(child, str):
            yield from _strings(child)


def _font_cmap(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path)) as font:
        return set(font.getBestCmap())


def subset_font(source: Path, codepoints: set[int], cache: Path) -> bytes:
    """The font cut to the codepoints, as WOFF2; kept in `cache`, since cutting takes a moment."""
    from fontTools import subset

    key = hashlib.sha256(source.read_bytes() + json.dumps(sorted(codepoints)).encode()).hexdigest()[:16]
    cached = cache / f"{source.stem}-{key}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]  # the font's name and its license notice stay in the file
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    cache.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(cached), options)
    return cached.read_bytes()


def _plain(css: str) -> str:
    return css.replace("\\", "").replace('"', "").replace("'", "")


def lean_fonts(css: str, base: Path, cache: Path) -> str:
    """Each @font-face of an icon font: the font cut to the glyphs the sheet uses, inside the sheet
    (a few KB; one request fewer, and none that waits for the sheet), or gone if it uses none.
    `base` is the folder the sheet's relative URLs start from."""
    used = icon_codepoints(css)
    named = _plain(FONT_FACE.sub("", css))  # where the rules name a family

    def face(match):
        rule = match.group(0)
        url = FONT_URL.search(rule)
        if not url or not ICON_FONT.search(rule):
            return rule  # a text font: not ours to cut
        if _plain(re.search(r"font-family:([^;}]*)", rule).group(1)).strip() not in named:
            return ""  # no rule left uses the family (Font Awesome's brand icons)
        font = (base / url.group(1)).resolve()
        if not font.is_file():
            return rule
        keep = _font_cmap(font) & used
        if not keep:
            return ""
        data = base64.b64encode(subset_font(font, keep, cache)).decode("ascii")
        src = re.search(r"src:[^;}]*", rule).group(0)
        return rule.replace(src, f'src:url(data:font/woff2;base64,{data}) format("woff2")')

    return FONT_FACE.sub(face, css)


URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


def rebase(css: str, sheet: str, bundle: str) -> str:
    """The sheet's relative url()s, made relative to the bundle's folder instead of the sheet's."""
    here, there = PurePosixPath(sheet).parent, PurePosixPath(bundle).parent

    def move(match):
        ref = match.group(2).strip()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", ref, re.I):
            return match.group(0)
        return f'url("{os.path.relpath(os.path.normpath(here / ref), there)}")'

    return URL.sub(move, css)


# ---- the build step ----------------------------------------------------------------------------

def write_bundles(app, exception) -> None:
    outdir = Path(app.outdir)
    if exception is not None or app.builder.format != "html" or (outdir / failsafe.MARKER).exists() \
            or app.config.html_theme not in PYDATA_THEMES:
        return  # a failed build leaves only its failure page
    words, bundles, scripts = site_words(outdir)
    manifests = {key: json.loads((Path(app.doctreedir) / MANIFESTS / f"{key}.json").read_text(encoding="utf-8"))
                 for key in sorted(bundles)}
    sheets = sorted({name for names in manifests.values() for name in names})
    digest = hashlib.sha256(f"{VERSION}\n{json.dumps(manifests, sort_keys=True)}\n".encode())
    digest.update("\n".join(sorted(words)).encode())
    for name in sheets:
        digest.update(name.encode() + b"\0" + (outdir / name).read_bytes())
    stamp_file = Path(app.doctreedir) / STAMP
    try:
        done = json.loads(stamp_file.read_text(encoding="utf-8")) == digest.hexdigest()
    except (OSError, ValueError):
        done = False
    if done and all((outdir / BUNDLE.format(key)).is_file() for key in manifests):
        return
    lean: dict[str, str] = {}
    for name in sheets:
        text = (outdir / name).read_text(encoding="utf-8")
        try:
            text = text if name.startswith(OURS) else prune(text, words)
        except ValueError as err:
            logger.warning(f"{name}: {err}", type="lessonkit", subtype="styles")
        lean[name] = text
    lean = drop_unused_properties(lean, {name for name in sheets if name.startswith(OURS)}, words)
    before = after = 0
    for key, names in manifests.items():
        bundle = BUNDLE.format(key)
        css = "\n".join(f"/* {name} */\n" + rebase(lean[name], name, bundle) for name in names)
        data = lean_fonts(css, (outdir / bundle).parent, Path(app.doctreedir) / MANIFESTS).encode("utf-8")
        before = max(before, sum((outdir / name).stat().st_size for name in names))
        after = max(after, len(data))
        target = outdir / bundle
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    for old in (outdir / "_static").glob("lessonkit-styles-*.css"):
        if BUNDLE_HREF.fullmatch(old.name) and BUNDLE_HREF.fullmatch(old.name).group(1) not in manifests:
            old.unlink()  # a bundle no page links any more
    stamp_file.write_text(json.dumps(digest.hexdigest()), encoding="utf-8")
    logger.info(f"lessonkit: {len(manifests)} stylesheet bundle(s), each up to {after // 1024} KB "
                f"(the sheets they join: up to {before // 1024} KB; {scripts} scripts read)")


def setup_weight(app) -> None:
    app.connect("html-page-context", light_page)
    # after Sphinx has copied the static files and every page is written
    app.connect("build-finished", write_bundles, priority=950)

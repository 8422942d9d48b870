"""Content cannot carry code: the build refuses raw HTML, unsafe URLs and template code in pages.

MyST passes raw HTML straight to the page, so one contributed lesson could put a script (or a
tracker, a form, a frame) on every page: the navigation repeats each page's title. The promise
"no login, no tracking" must not rest on every author's good will, so the build checks every page
as it is read and refuses:

- **Raw HTML**, from inline or block HTML in Markdown, a ```` ```{raw} html ```` block, an
  `{eval-rst}` `.. raw:: html`, a substitution's value, or a notebook's saved HTML/JavaScript
  output, except the allowed inline tags below. Never allowed: any other element (`<script>`,
  `<iframe>`, `<object>`, `<embed>`, `<form>`, `<img>`, `<style>`, `<a>`, `<div>`...), any
  attribute but the listed ones (so no event handler `on...=`, no `style=`, which can hide text
  or load an image from another site, no `class=`/`id=`, which can borrow the theme's behaviour),
  declarations and processing instructions; a `{raw}` block that reads a file or a URL (it could
  publish a file from the machine that builds the book).
- **Unsafe URLs** in links and images: `javascript:`, `vbscript:` and `data:` (a `data:` link
  can carry a whole HTML page; a `data:` image is a blob no reviewer can read: keep images as
  files). Markdown itself already refuses `[x](javascript:...)` and prints it as text; that text
  is refused too, so the mistake cannot pass unnoticed. Also refused: an **image from another
  site** (it loads from that site on every page view, which is tracking).
- **`http-equiv` in `html_meta`** front matter (a refresh can send readers to another site).
- **Notebook widget state** (myst-nb would load JavaScript from a CDN on that page).
- **Substitutions other than a plain name**: MyST renders `{{ ... }}` with Jinja and hands it the
  Sphinx environment, so `{{ env.app.add_js_file(...) }}` would add a script to every page and an
  expression can run any code on the machine that builds the book. Only `{{ name }}` is allowed
  (a page can switch the substitution extension on in its own front matter, so this holds
  whatever `_config.yml` says).

Allowed inline tags (all harmless: no URL, no script, no style, and each only changes the look of
its own words); each must be closed in the same paragraph or heading:

    <br> <wbr> <sub> <sup> <kbd> <abbr title="..."> <span lang="..."> and HTML comments

`<br>` is the only line break inside a table cell; `<sub>`, `<sup>`, `<kbd>` and `<abbr title>`
are common in pasted text and harmless (the roles {sub}, {sup}, {kbd} and {abbr} do the same);
`<span lang="es">` tells a screen reader to switch voice for a phrase in another language, which
Markdown cannot say. Comments are notes for authors: allowed, and they never reach the page.

An allowed tag is not copied through as written: it is parsed and written again from what was
parsed (attribute values escaped), so a browser sees exactly what this check saw. A refused node is
removed from the page before anything is written, so even a non-strict build cannot emit it;
the warning (type lessonkit, subtype raw-html) names the file and line, what was found and what is
allowed, and a strict build fails on it. `lessonkit check` does not look at page bodies: only
the build catches these.
"""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: tag -> the attributes it may carry
ALLOWED: dict[str, frozenset[str]] = {
    "br": frozenset(), "wbr": frozenset(), "sub": frozenset(), "sup": frozenset(), "kbd": frozenset(),
    "abbr": frozenset({"title"}), "span": frozenset({"lang"}),
}
VOID = frozenset({"br", "wbr"})
ALLOWED_TEXT = "<br>, <wbr>, <sub>, <sup>, <kbd>, <abbr title=…>, <span lang=…> and HTML comments"
EXPECTED = f"expected Markdown, or one of the allowed inline tags: {ALLOWED_TEXT}"
LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
BAD_SCHEMES = ("javascript", "vbscript", "data")
URL_EXPECTED = "expected an https:, http: or mailto: link, or a link to a page of the book"
# What Markdown refused to make a link and left as text: [x](javascript:...), a reference
# definition `[x]: javascript:...` at the start of a line, an autolink <javascript:...>.
REFUSED_LINK = re.compile(r"(\]\(\s*<?\s*|^ {0,3}\[[^\]\n]+\]:\s*<?\s*|<)(javascript|vbscript|data)\s*:",
                          re.IGNORECASE | re.MULTILINE)
# the only thing a MyST substitution `{{ ... }}` may hold
PLAIN_NAME = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*")
# text shown as written (code): a refused link inside it is only an example
CODE = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment, nodes.math)
# a browser drops these around a URL (and tabs and newlines anywhere in it)
URL_STRIP = "".join(map(chr, range(0x21))) + "\x7f"
ENV = "lessonkit_rawhtml_refused"  # pages with a refusal: read again by every build, so it repeats


def _refused(env) -> set[str]:
    if not hasattr(env, ENV):
        setattr(env, ENV, set())
    return getattr(env, ENV)


def _warn(env, message: str, location) -> None:
    logger.warning(message, location=location, type="lessonkit", subtype="raw-html")
    if env is not None and getattr(env, "docname", None):
        _refused(env).add(env.docname)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see, in lowercase (None for a relative URL)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip(URL_STRIP)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


class _Checker(HTMLParser):
    """Parses one raw HTML fragment: lists what is not allowed, and writes the allowed rest again.

    `events` holds the allowed tags in order, ("open" | "close", tag), for the closing check."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.refused: list[str] = []
        self.events: list[tuple[str, str]] = []

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        shown = "<" + tag + "".join(f" {name}=…" for name in names) + ">"
        if tag not in ALLOWED:
            self.refused.append(shown)
            return
        allowed = ALLOWED[tag]
        bad = [name for name in names if name not in allowed]
        if bad:
            if any(name.startswith("on") for name in bad):
                why = "event-handler attributes are never allowed"
            elif "style" in bad:
                why = "style attributes are not allowed"
            else:
                why = f"<{tag}> takes " + (f"only {', '.join(sorted(allowed))}" if allowed else "no attributes")
            self.refused.append(f"{shown} ({why})")
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # a browser keeps the first of two
        if "lang" in values and not LANG.fullmatch(values["lang"]):
            lang = _shorten(values["lang"], 20)
            self.refused.append(f'<{tag} lang="{lang}"> (expected a language code such as es)')
            return
        self.out.append("<" + tag + "".join(f' {n}="{escape(v, quote=True)}"' for n, v in values.items()) + ">")
        if tag not in VOID:
            self.events.append(("open", tag))

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        # `<br/>`; on any other element HTML ignores the slash, so `<sub/>` opens a <sub>
        self._start(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ALLOWED:
            self.refused.append(f"</{tag}>")
        elif tag not in VOID:  # `</br>`: nothing to close, and nothing written
            self.out.append(f"</{tag}>")
            self.events.append(("close", tag))

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))

    def handle_comment(self, data):
        pass  # a note for authors: allowed, and left out of the page

    def handle_decl(self, decl):
        self.refused.append(f"<!{_shorten(decl, 30)}>")

    def unknown_decl(self, data):
        self.refused.append(f"<![{_shorten(data, 30)}]>")

    def handle_pi(self, data):
        self.refused.append(f"<?{_shorten(data, 30)}>")


def check_fragment(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker


def _unclosed(events: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The allowed tags whose nesting is wrong, ("open" | "close", tag): each must be closed, in
    order, where it was opened."""
    stack: list[str] = []
    problems: list[tuple[str, str]] = []
    for kind, tag in events:
        if kind == "open":
            stack.append(tag)
        elif stack and stack[-1] == tag:
            stack.pop()
        else:
            problems.append(("close", tag))
    return problems + [("open", tag) for tag in stack]


def _unclosed_text(problem: tuple[str, str]) -> str:
    kind, tag = problem
    return (f"found <{tag}> with no </{tag}> after it" if kind == "open"
            else f"found </{tag}> with no <{tag}> open before it")


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


class RefuseRawHtml(SphinxTransform):
    """Check every raw HTML node, link, image and meta tag of a page before Sphinx records it."""

    # after docutils' meta Filter (780) has made html_meta into meta nodes, and before
    # doctree-read (880), where Sphinx copies each page's title for the navigation
    default_priority = 865

    def warn(self, message: str, location) -> None:
        _warn(self.env, message, location)

    def apply(self, **kwargs) -> None:
        self.check_raw()
        self.check_urls()
        self.check_refused_links()
        self.check_meta()
        self.check_notebook_scripts()

    def check_raw(self) -> None:
        inline: dict[int, tuple[nodes.Element, list[tuple[nodes.raw, _Checker]]]] = {}
        reported: dict[int, set[str]] = {}  # per parent: the elements already reported
        for node in list(self.document.findall(nodes.raw)):
            if "html" not in node.get("format", "").lower().split():
                continue  # LaTeX and other formats never reach a web page
            if node.get("source"):  # `{raw}` with :file: or :url: (docutils records where it read)
                self.warn("a raw block that reads a file or a URL is not allowed in book content: found "
                          f"{_shorten(node['source'])}; expected the text written in the page, as Markdown", node)
                node.parent.remove(node)
                continue
            checker = check_fragment(node.astext())
            if checker.refused:
                seen = reported.setdefault(id(node.parent), set())
                for found in checker.refused:
                    tag = re.match(r"</?([^\s>]*)", found).group(1)
                    if found.startswith("</") and tag in seen:
                        continue  # `<script>…</script>` is one finding, not two
                    seen.add(tag)
                    self.warn(f"raw HTML is not allowed in book content: found {found}; {EXPECTED}", node)
                node.parent.remove(node)
            elif isinstance(node.parent, nodes.TextElement):
                inline.setdefault(id(node.parent), (node.parent, []))[1].append((node, checker))
            else:
                problems = _unclosed(checker.events)
                for problem in problems:
                    self.warn("raw HTML tags must be closed in the block that opens them: "
                              f"{_unclosed_text(problem)}; {EXPECTED}", node)
                self._settle(node, checker, drop=bool(problems))
        for parent, members in inline.values():
            # MyST makes one raw node per inline tag: `H<sub>2</sub>O` is <sub>, text, </sub>
            problems = _unclosed([event for _, checker in members for event in checker.events])
            for problem in problems:
                if problem[0] == "close" and problem[1] in reported.get(id(parent), ()):
                    continue  # the end of a refused `<span onclick=…>`: already reported
                self.warn("raw HTML tags must be closed in the paragraph or heading that opens them: "
                          f"{_unclosed_text(problem)}; {EXPECTED}", members[0][0])
            for node, checker in members:
                self._settle(node, checker, drop=bool(problems))

    @staticmethod
    def _settle(node: nodes.raw, checker: _Checker, drop: bool) -> None:
        """Keep the fragment as parsed and written again, or drop it (refused, or only comments)."""
        html = "".join(checker.out)
        if drop or not html.strip():
            node.parent.remove(node)
            return
        node.children = []
        node += nodes.Text(html)

    def check_urls(self) -> None:
        for node in list(self.document.findall(lambda n: isinstance(n, (nodes.reference, nodes.image)))):
            if isinstance(node, nodes.image):
                uri = node.get("uri", "")
                scheme = url_scheme(uri)
                if scheme in BAD_SCHEMES:
                    self.warn(f"an image from a {scheme}: URL is not allowed in book content: found "
                              f"{_shorten(uri)}; expected an image file kept in the book", node)
                elif scheme is not None or uri.startswith("//"):
                    self.warn("an image from another site is not allowed in book content (it would load from "
                              f"that site on every page view): found {_shorten(uri)}; expected an image file "
                              "kept in the book", node)
                else:
                    continue
                node.parent.remove(node)
                continue
            uri = node.get("refuri", "")
            scheme = url_scheme(uri)
            if scheme in BAD_SCHEMES:
                self.warn(f"a {scheme}: link is not allowed in book content: found {_shorten(uri)}; {URL_EXPECTED}",
                          node)
                node.replace_self(nodes.inline("", "", *node.children))  # keep the words, drop the link

    def check_refused_links(self) -> None:
        for node in list(self.document.findall(nodes.Text)):
            if any(isinstance(a, CODE) for a in _ancestors(node.parent)):
                continue
            text = node.astext()
            match = REFUSED_LINK.search(text)
            if not match:
                continue
            begin = match.start()
            if match.group(1).startswith("]"):
                begin = max(text.rfind("[", 0, begin), 0)
                begin -= 1 if begin and text[begin - 1] == "!" else 0
            self.warn(f"a {match.group(2).lower()}: link is not allowed in book content: found "
                      f"{_shorten(text[begin:], 50)} (Markdown shows it as plain text); {URL_EXPECTED}",
                      node.parent)

    def check_meta(self) -> None:
        for node in list(self.document.findall(nodes.meta)):
            if "http-equiv" in node.attributes:
                self.warn("html_meta with http-equiv is not allowed in book content (it can send readers to "
                          f"another site): found http-equiv={node['http-equiv']}; expected only name= entries "
                          "such as description", node if node.line else (self.env.docname, 1))
                node.parent.remove(node)

    def check_notebook_scripts(self) -> None:
        # myst-nb records, while it parses a notebook, the scripts a page with widgets will load
        scripts = getattr(self.env, "nb_metadata", {}).get(self.env.docname, {}).get("js_files") or {}
        if scripts:
            uris = [uri for uri, _ in scripts.values() if uri] or list(scripts)
            self.warn("notebook widget state is not allowed in book content (the page would run JavaScript "
                      f"from {', '.join(_shorten(u, 80) for u in uris)}): found widget state in the notebook's "
                      "metadata; expected a notebook saved without it (in Jupyter, Widgets → Clear Widget "
                      "State, or delete metadata.widgets)", (self.env.docname, 1))
            scripts.clear()


def _guard_substitutions() -> None:
    """Let MyST's substitutions name a value and nothing else.

    MyST renders the text between `{{` and `}}` as a Jinja expression, with the Sphinx environment
    in scope and no sandbox. Every substitution arrives here, wherever it was written (a page, an
    included file, a front-matter value however YAML spells it, the configuration, a value that
    itself holds `{{ }}`), so there is no way round. myst-parser is pinned, and a test covers this."""
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line

    original = DocutilsRenderer.render_substitution
    if getattr(original, "_lessonkit", False):
        return

    def render_substitution(self, token, inline: bool) -> None:
        if PLAIN_NAME.fullmatch(token.content) and token.content.strip() != "env":
            return original(self, token, inline)
        _warn(self.sphinx_env, "a substitution may only name a value (anything else runs as code while the book "
              f"builds): found {{{{ {_shorten(token.content.strip(), 80)} }}}}; expected {{{{ name }}}} with "
              "name defined under substitutions: in the front matter",
              f"{self.document['source']}:{token_line(token, 1)}")

    render_substitution._lessonkit = True
    DocutilsRenderer.render_substitution = render_substitution


def reread_refused(app, env, added, changed, removed) -> list[str]:
    """A refused page is read again by the next build even if unchanged, so that build repeats the
    warning instead of passing the page from its cache (say, a strict build after a lenient one)."""
    return sorted(_refused(env) - set(removed) - set(added) - set(changed))


def on_purge(app, env, docname) -> None:
    _refused(env).discard(docname)


def on_merge(app, env, docnames, other) -> None:
    _refused(env).update(_refused(other) & set(docnames))


def setup_rawhtml(app) -> None:
    app.add_transform(RefuseRawHtml)
    app.connect("env-get-outdated", reread_refused)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    _guard_substitutions()

"""Privacy and offline use: nothing in either built edition can make a reader's browser contact another host.

Every HTML, SVG, CSS and JavaScript file of both editions is read whole (the theme's and Sphinx's
files too, not only ours) and every absolute URL in it is a failure, with no allowlist of hosts or
addresses. An absolute URL is `scheme://…` (http, https, ws, ftp, file, any scheme) or a
protocol-relative `//host…`, wherever it stands: quoted or not, in `url()`, `@import`, `src`, a
script's strings, template literals or regular expressions.

The rule separates what a browser can load from what it never dereferences, by where the URL
stands, never by what it points to:

- Not loads, so allowed:
  - a link the reader may follow: the `href` of `<a>` and `<area>` (the help resources and sources
    the book cites); nothing else of those elements (`ping` is a load);
  - words for the reader: the page's text and the attributes TEXT_ATTRIBUTES (`title`, `alt`,
    `aria-label`, …; a citation's tooltip shows its address);
  - comments in HTML, SVG, CSS and JavaScript (a license header's address), except a
    `sourceMappingURL`/`sourceURL` comment, which the developer tools fetch;
  - an XML namespace name, which is an identifier: exactly one of NAMESPACES, and only as the value
    of an `xmlns`/`xmlns:…` attribute (also inside an SVG `data:` URL in a stylesheet), a
    `createElementNS`/`…AttributeNS`-style argument, a `xmlns:` key in a script, or `@namespace`;
  - the system identifier of a `<!DOCTYPE>` (SVG 1.1's DTD): browsers parse SVG and HTML without
    fetching external DTDs;
  - the first argument of `console.log/info/warn/error/debug(…)`, a message for a developer
    (pydata-sphinx-theme.js points to its documentation in one).
- Everything else is a failure: any other attribute (`src`, `srcset`, `<link href>` of every
  `rel`, `poster`, `data`, `action`, `content`, `style`, `on…`, `data-…`, `<base href>`), any URL in
  CSS outside comments, any URL in a script's code or strings, a namespace name used anywhere else
  (`fetch("http://www.w3.org/2000/svg")` is a load), an `<?xml-stylesheet?>`.

Other built files are fonts, images, message catalogs and the like that no page runs (KINDS); a file
of a kind not listed there fails until someone decides how to read it.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO

NAMESPACES = {
    "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/",
}
# Built files by how they are read: markup, stylesheets, scripts, and kinds no page runs.
MARKUP = {".html", ".htm", ".xhtml", ".svg", ".xml"}
STYLE = {".css"}
SCRIPT = {".js", ".mjs", ".cjs"}
INERT = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot",
         ".po", ".mo", ".txt", ".inv", ".buildinfo", ".map", ".pdf", ".ipynb", ".md", ".docx", ".odt",
         ".csv", "",
         # the exports (lessons.json, the alignment, the JSON Schema): downloads no page loads, whose
         # source addresses are data for a district's spreadsheet, not requests
         ".json"}
KINDS = MARKUP | STYLE | SCRIPT | INERT

# scheme://… , or //host… where a URL may start (not the middle of a path such as a//b)
URL = re.compile(r"""(?ix)
    [a-z][a-z0-9+.-]*:// [^\s"'`()<>\\]*
  | (?: ^ | (?<=[\s"'`(=,]) | (?<=%2[27289]) | (?<=%3[dD]) )
    // (?: localhost | \[[0-9a-f:.]+\] | [a-z0-9-]+(?:\.[a-z0-9-]+)+ ) [^\s"'`()<>\\]*
""")
_QUOTE = r"""(?:["'`]|\\["']|%22|%27|&quot;|&\#39;)"""
NAMESPACE_BEFORE = re.compile(
    r"""(?ix)(?: xmlns (?::[\w.-]+)? \s* = \s* """ + _QUOTE + r"""        # xmlns="…", also in a data: URL
           | xmlns (?::[\w.-]+)? ["']? \s* : \s* ["']                       # {xmlns: "…"} in a script
           | \b(?:create(?:Element|Attribute)NS|(?:get|set|has|remove)Attribute(?:Node)?NS
                 |getElementsByTagNameNS|lookupPrefix|isDefaultNamespace) \s* \( \s* ["'`]
           | @namespace \s+ (?:[\w-]+\s+)? (?:url\(\s*)? ["']? )$""")
NAMESPACE_AFTER = re.compile(r"""(?:["'`)]|\\["']|%22|%27|&quot;|&\#39;)""")
CONSOLE_BEFORE = re.compile(r"\bconsole\s*\.\s*(?:log|info|warn|error|debug)\s*\(\s*$")
SOURCE_MAP = re.compile(r"[#@]\s*source(?:Mapping)?URL\s*=")
JS_KEYWORDS_BEFORE_REGEX = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
                            "case", "do", "else", "yield", "await"}


def _namespace_at(text: str, start: int) -> str | None:
    """The namespace name that starts at text[start], if it stands where a namespace name goes."""
    for name in NAMESPACES:
        if (text.startswith(name, start) and NAMESPACE_AFTER.match(text, start + len(name))
                and NAMESPACE_BEFORE.search(text[max(0, start - 80):start])):
            return name
    return None


def _urls(text: str, where: str, skip=None) -> list[str]:
    """Every absolute URL in text that is not a namespace name in namespace use."""
    found, pos = [], 0
    while match := URL.search(text, pos):
        name = _namespace_at(text, match.start())
        if name:
            pos = match.start() + len(name)  # what follows (an encoded data: URL's markup) is read too
            continue
        pos = match.end()
        if not (skip and skip(match)):
            found.append(f"{where}: {match.group()}")
    return found


# ---- stylesheets -----------------------------------------------------------------------------

CSS_TOKEN = re.compile(r"""/\*.*?(?:\*/|\Z)|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|[^/"']+|/""", re.S)


def css_urls(text: str, where: str) -> list[str]:
    """Absolute URLs in a stylesheet (or a style attribute), comments left out."""
    code, found = [], []
    for token in CSS_TOKEN.finditer(text):
        chunk = token.group()
        if chunk.startswith("/*"):
            if SOURCE_MAP.search(chunk):
                found += _urls(chunk, f"{where} (source map comment)")
            code.append(" " * len(chunk))  # keep positions and separate tokens
        else:
            code.append(chunk)
    return found + _urls("".join(code), where)


# ---- scripts ---------------------------------------------------------------------------------

JS_TOKEN = re.compile(r"""
    (?P<line>//[^\n\r]*)
  | (?P<block>/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:\\.|[^"\\\n\r])*"?|'(?:\\.|[^'\\\n\r])*'?)
  | (?P<template>`(?:\\.|[^`\\])*`?)
  | (?P<word>[\w$\u0080-\uffff]+)
  | (?P<space>\s+)
  | (?P<punct>[^\w\s/"'`$\u0080-\uffff]+|.)
""", re.S | re.X)
JS_REGEX = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\\n\r])*\]|[^/\\\n\r\[])+/[a-z]*")


def js_spans(text: str):
    """Split a script into (kind, start, end): comment, string (also templates and regular
    expressions) and code. A slash starts a regular expression unless it follows a value."""
    pos, prev = 0, ""
    while pos < len(text):
        if text[pos] == "/" and not text.startswith(("//", "/*"), pos) and not (
                prev and (prev[-1].isalnum() or prev[-1] in "_$)]}") and prev not in JS_KEYWORDS_BEFORE_REGEX):
            regex = JS_REGEX.match(text, pos)
            if regex:
                yield "string", pos, regex.end()
                pos, prev = regex.end(), "value"
                continue
        token = JS_TOKEN.match(text, pos)
        kind = token.lastgroup
        if kind in ("line", "block"):
            yield "comment", pos, token.end()
        elif kind in ("string", "template"):
            yield "string", pos, token.end()
            prev = "value"
        elif kind != "space":
            yield "code", pos, token.end()
            prev = token.group()
        pos = token.end()


def js_urls(text: str, where: str) -> list[str]:
    """Absolute URLs in a script: in its code, strings, templates and regular expressions, not in
    comments (save source-map comments) nor in a console message."""
    found = []
    comments, messages = [], []
    for kind, start, end in js_spans(text):
        if kind == "comment":
            comments.append((start, end))
            if SOURCE_MAP.search(text, start, end):
                found += _urls(text[start:end], f"{where} (source map comment)")
        elif kind == "string" and CONSOLE_BEFORE.search(text[max(0, start - 40):start]):
            messages.append((start, end))

    def exempt(match):
        return any(s <= match.start() < e for s, e in comments + messages)

    return found + _urls(text, where, skip=exempt)


# ---- markup ----------------------------------------------------------------------------------

TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "placeholder"}  # words shown to people


class _Markup(HTMLParser):
    def __init__(self, where: str):
        super().__init__(convert_charrefs=True)
        self.where, self.found, self.inside = where, [], None

    def handle_starttag(self, tag, attrs):
        for attr, value in attrs:
            value = value or ""
            if attr in TEXT_ATTRIBUTES or (attr in ("href", "xlink:href") and tag in ("a", "area")):
                continue  # words for the reader, or a link the reader may follow
            if attr == "xmlns" or attr.startswith("xmlns:"):
                if value not in NAMESPACES:
                    self.found.append(f"{self.where}: <{tag} {attr}={value!r}> is not a namespace name")
                continue
            self.found += _urls(f'{attr}="{value}"', f"{self.where} <{tag} {attr}>")
        self.inside = tag if tag in ("script", "style") else None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.inside = None

    def handle_endtag(self, tag):
        self.inside = None

    def handle_data(self, data):
        if self.inside == "script":
            self.found += js_urls(data, f"{self.where} <script>")
        elif self.inside == "style":
            self.found += css_urls(data, f"{self.where} <style>")
        # anything else is text for the reader

    def handle_pi(self, data):  # <?xml-stylesheet href=…?> loads
        self.found += _urls(data, f"{self.where} <?{data[:30]}")

    def unknown_decl(self, data):  # <![CDATA[…]]> in SVG holds script or style text
        self.found += js_urls(data, f"{self.where} <![CDATA[") if self.inside == "script" else _urls(
            data, f"{self.where} <![CDATA[")

    # handle_decl (the DOCTYPE) and handle_comment are not loads


def markup_urls(text: str, where: str) -> list[str]:
    """Absolute URLs in HTML or SVG: every attribute but words for the reader and a link's href,
    inline scripts and styles, processing instructions; not the text, comments or the DOCTYPE."""
    parser = _Markup(where)
    parser.feed(text)
    parser.close()
    return parser.found


def file_urls(path: Path, where: str | None = None) -> list[str]:
    where = where or str(path)
    suffix = path.suffix.lower()
    if suffix in INERT or suffix not in KINDS:
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in STYLE:
        return css_urls(text, where)
    if suffix in SCRIPT:
        return js_urls(text, where)
    return markup_urls(text, where)


# ---- the gate --------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_no_file_of_the_built_book_names_a_loadable_url(built_book, edition):
    root = built_book.html_dir(edition)
    files = [p for p in root.rglob("*") if p.is_file()]
    unknown = sorted({p.suffix.lower() or p.name for p in files if p.suffix.lower() not in KINDS})
    assert not unknown, f"built files of a kind nobody decided how to scan (add it to test_offline.py): {unknown}"
    read = [p for p in files if p.suffix.lower() in MARKUP | STYLE | SCRIPT]
    assert {p.suffix.lower() for p in read} >= {".html", ".css", ".js", ".svg"}, "the scan read nothing"
    offenders = [u for p in read for u in file_urls(p, str(p.relative_to(root)))]
    assert not offenders, f"{edition} edition:\n" + "\n".join(offenders[:60])


@pytest.mark.parametrize("path", sorted(p for folder in ("lessonkit/_static", "lessonkit/_templates", "book/_static")
                                        for p in (REPO / folder).rglob("*") if p.is_file()),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_source_asset_names_a_loadable_url(path):
    """The same scan on our own static files and templates, without a build (fast feedback)."""
    assert path.suffix.lower() in KINDS, f"a kind nobody decided how to scan: {path}"
    assert not file_urls(path, str(path.relative_to(REPO)))


def test_no_analytics_or_comment_widgets(built_book):
    for edition in ("teacher", "student"):
        for page in built_book.html_dir(edition).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            for marker in ("plausible", "googletagmanager", "gtag(", "hypothes.is", "utteranc.es"):
                assert marker not in text, f"{page}: {marker}"


# ---- the scan itself must catch every form, and only those -----------------------------------

SVG = "http://www.w3.org/2000/svg"

CAUGHT = {
    "css @import url quoted": ("a.css", '@import url("https://fonts.example.com/a.css");\np{}'),
    "css @import url single": ("a.css", "@import url('https://fonts.example.com/a.css');"),
    "css @import string": ("a.css", '@import "https://fonts.example.com/a.css";'),
    "css @import protocol-relative": ("a.css", "@import '//fonts.example.com/a.css';"),
    "css url unquoted": ("a.css", "body{background:url(https://img.example.com/a.png)}"),
    "css url protocol-relative": ("a.css", "body{background:url(//img.example.com/a.png)}"),
    "css font-face src": ("a.css", '@font-face{font-family:x;src:url("http://f.example.com/x.woff2")}'),
    "css after a comment": ("a.css", "/* https://fine.example.com */ a{background:url(ws://x.example.com/)}"),
    "css data url after a namespace": ("a.css", f"a{{background:url(data:image/svg+xml,%3Csvg%20xmlns=%22{SVG}%22%3E"
                                                "%3Cimage%20href=%22https://x.example.com/a.png%22/%3E)}"),
    "css encoded protocol-relative": ("a.css", "a{background:url(data:image/svg+xml,"
                                               "%3Cimage%20href=%22//x.example.com/a.png%22/%3E)}"),
    "css namespace fetched": ("a.css", 'a{background:url("http://www.w3.org/2000/svg")}'),
    "css source map": ("a.css", "a{}\n/*# sourceMappingURL=https://maps.example.com/a.css.map */"),
    "js fetch": ("a.js", 'setTimeout(function(){ fetch("https://beacon.example.com/x"); }, 2000);'),
    "js single quotes": ("a.js", "var u = 'http://t.example.com/p.gif';"),
    "js template": ("a.js", "const h = 'x'; new Image().src = `https://${h}.example.com/p.gif`;"),
    "js protocol-relative": ("a.js", 's.src = "//cdn.example.com/lib.js";'),
    "js concatenated": ("a.js", 'var u = "https:" + "//cdn.example.com/lib.js";'),
    "js after a regex": ("a.js", 'var r = /["\']/g; var u = "https://x.example.com/";'),
    "js websocket": ("a.js", 'new WebSocket("wss://live.example.com/");'),
    "js namespace fetched": ("a.js", 'fetch("http://www.w3.org/2000/svg");'),
    "js namespace with a path": ("a.js", 'document.createElementNS("http://www.w3.org/2000/svg/../x", "svg");'),
    "js source map": ("a.js", "x();\n//# sourceMappingURL=https://maps.example.com/a.js.map"),
    "js after a division": ("a.js", 'var a = b / 2, u = "https://x.example.com/"; // /'),
    "html script src": ("a.html", '<script src="https://cdn.example.com/lib.js"></script>'),
    "html stylesheet": ("a.html", '<link rel="stylesheet" href="//cdn.example.com/a.css">'),
    "html preconnect": ("a.html", '<link rel="preconnect" href="https://fonts.example.com">'),
    "html dns-prefetch": ("a.html", '<link rel="dns-prefetch" href="//fonts.example.com">'),
    "html img": ("a.html", '<img alt="" src="http://img.example.com/a.png">'),
    "html srcset": ("a.html", '<img alt="" src="a.png" srcset="a.png 1x, https://img.example.com/b.png 2x">'),
    "html unquoted attribute": ("a.html", "<img alt=x src=https://img.example.com/a.png>"),
    "html style attribute": ("a.html", '<p style="background:url(//img.example.com/a.png)">x</p>'),
    "html style element": ("a.html", '<style>@import url("https://fonts.example.com/a.css");</style>'),
    "html inline script": ("a.html", '<script>fetch("https://beacon.example.com/x")</script>'),
    "html json script": ("a.html", '<script type="speculationrules">'
                                   '{"prefetch":[{"urls":["https://x.example.com/"]}]}</script>'),
    "html event handler": ("a.html", '<body onload="fetch(\'https://beacon.example.com/\')">'),
    "html link ping": ("a.html", '<a href="https://help.example.org/" ping="https://track.example.com/">help</a>'),
    "html base": ("a.html", '<base href="https://cdn.example.com/">'),
    "html meta refresh": ("a.html", '<meta http-equiv="refresh" content="0; url=https://x.example.com/">'),
    "html form": ("a.html", '<form action="https://forms.example.com/"><button>send</button></form>'),
    "html data attribute": ("a.html", '<div data-pst-announcement-url="https://x.example.com/a.html"></div>'),
    "html iframe srcdoc": ("a.html", "<iframe title=x srcdoc=\"<img src='https://x.example.com/a.png'>\"></iframe>"),
    "html bogus namespace": ("a.html", '<svg xmlns="https://evil.example.com/svg"></svg>'),
    "svg image": ("a.svg", '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example.com/a.png"/></svg>'),
    "svg use xlink": ("a.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                               '<use xlink:href="https://x.example.com/s.svg#i"/></svg>'),
    "svg xml-stylesheet": ("a.svg", '<?xml-stylesheet href="https://x.example.com/a.css"?><svg></svg>'),
}
CLEAN = {
    "css comment": ("a.css", "/* Font Awesome - https://fontawesome.example.com/license */\na{color:red}"),
    "css svg data url": ("a.css", f"a{{background:url(\"data:image/svg+xml,%3Csvg xmlns='{SVG}'%3E%3C/svg%3E\")}}"),
    "css encoded svg data url": ("a.css", f"a{{background:url(data:image/svg+xml,%3Csvg%20xmlns=%22{SVG}%22%3E)}}"),
    "css namespace rule": ("a.css", '@namespace svg url(http://www.w3.org/2000/svg);'),
    "css relative": ("a.css", '@import url("basic.css"); a{background:url(../img/a.png)}'),
    "js comments": ("a.js", "// see https://developer.example.org/x\n/* https://github.example.com/LICENSE */\nx();"),
    "js namespace": ("a.js", 'var s = document.createElementNS(\n  "http://www.w3.org/2000/svg",\n  "tspan");'),
    "js namespace key": ("a.js", 'var a = {xmlns:"http://www.w3.org/2000/svg", viewBox:"0 0 1 1"};'),
    "js console message": ("a.js", 'console.info("[PST] the switcher needs CORS. See https://docs.example.org/x.html");'),
    "js regex with slashes": ("a.js", r'var r = /^\/\/[a-z]+$/; var s = "a//b.c";'),
    "js relative": ("a.js", 'fetch(DOCUMENTATION_OPTIONS.URL_ROOT + "searchindex.js");'),
    "html link": ("a.html", '<p>Call or text <a href="https://988lifeline.example.org/">988</a>.</p>'),
    "html citation tooltip": ("a.html", '<a href="#id1" title="Thorn (2024). https://example.org/r">Thorn</a>'),
    "html text": ("a.html", "<p>Source: https://www.example.gov/report.pdf</p><!-- https://x.example.com -->"),
    "html inline svg": ("a.html", f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink"></svg>'),
    "html mailto": ("a.html", '<a href="mailto:help@example.org">mail</a><a href="tel:988">988</a>'),
    "svg doctype": ("a.svg", '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                             '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
                             f' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="{SVG}"></svg>'),
    "svg link": ("a.svg", f'<svg xmlns="{SVG}"><a href="https://help.example.org/"><text>help</text></a></svg>'),
}


@pytest.mark.parametrize("name", CAUGHT)
def test_the_scan_catches(tmp_path, name):
    filename, text = CAUGHT[name]
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    assert file_urls(path), f"not caught: {text}"


@pytest.mark.parametrize("name", CLEAN)
def test_the_scan_lets_pass(tmp_path, name):
    filename, text = CLEAN[name]
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    assert not file_urls(path)

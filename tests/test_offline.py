"""Privacy and offline use: no page loads anything from another host."""
from __future__ import annotations

from bs4 import BeautifulSoup

# tag -> attributes that make the browser fetch something when the page loads
LOADING = {"script": ["src"], "link": ["href"], "img": ["src", "srcset"], "iframe": ["src"],
           "source": ["src", "srcset"], "video": ["src", "poster"], "audio": ["src"], "embed": ["src"],
           "object": ["data"]}


def _remote(value: str) -> bool:
    value = value.strip().lower()
    return value.startswith(("http:", "https:", "//"))


def test_no_page_loads_anything_from_another_host(built_book):
    offenders = []
    for edition in ("teacher", "student"):
        root = built_book.html_dir(edition)
        for page in root.rglob("*.html"):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for tag, attrs in LOADING.items():
                for element in soup.find_all(tag):
                    if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "icon", "preload",
                                                                            "modulepreload", "manifest"}:
                        continue
                    for attr in attrs:
                        if element.has_attr(attr) and _remote(element[attr]):
                            offenders.append(f"{page.relative_to(root)}: <{tag} {attr}={element[attr]}>")
            for style in soup.find_all(style=True):
                if "url(http" in style["style"]:
                    offenders.append(f"{page.relative_to(root)}: inline style loads {style['style']}")
    assert not offenders, "\n".join(offenders)


def test_no_stylesheet_or_script_fetches_another_host(built_book):
    offenders = []
    static = built_book.html_dir() / "_static"
    for path in list(static.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "@import url(http" in text or "url(https://" in text or "url(http://" in text:
            offenders.append(str(path.relative_to(static)))
    assert not offenders, offenders


def test_no_analytics_or_comment_widgets(built_book):
    for page in built_book.html_dir().rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in ("plausible", "googletagmanager", "gtag(", "hypothes.is", "utteranc.es"):
            assert marker not in text, f"{page}: {marker}"

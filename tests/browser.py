"""Drive Debian's Chromium with Playwright over the built site, served on 127.0.0.1.

Playwright cannot download its own browsers here, so it launches the system's Chromium
(`executable_path`); axe-core comes bundled in axe-playwright-python.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse


CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags this workplace's Chromium needs to start cleanly with no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# axe rules switched off, each with its reason. Keep this list short; every entry is a promise.
AXE_EXCEPTIONS: dict[str, str] = {}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A static file server on 127.0.0.1 with a free port, for one folder."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Visit:
    """What happened while a page loaded: every request, failure and console error."""
    url: str
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"request to another host: {u}" for u in self.foreign]
                + [f"failed request: {u}" for u in self.failed]
                + [f"console error: {m}" for m in self.console_errors])


def visit(page, url: str, origin: str) -> Visit:
    record = Visit(url)
    host = urlparse(origin).netloc

    def on_request(request):
        if urlparse(request.url).netloc not in (host, "") and not request.url.startswith(("data:", "blob:")):
            record.foreign.append(request.url)

    def on_response(response):
        if response.status >= 400:
            record.failed.append(f"{response.status} {response.url}")

    # Nothing may leave the machine: requests to any other host are recorded, then aborted.
    page.route(lambda u: urlparse(u).netloc not in (host, "") and not u.startswith(("data:", "blob:")),
               lambda route: route.abort())
    page.on("request", on_request)
    page.on("requestfailed", lambda r: record.failed.append(f"{r.failure} {r.url}")
            if urlparse(r.url).netloc == host else None)
    page.on("response", on_response)
    page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    # later requests (axe fetching stylesheets to inspect them) are the test's, not the page's
    page.remove_listener("request", on_request)
    page.remove_listener("response", on_response)
    return record


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    rules = {rule: {"enabled": False} for rule in AXE_EXCEPTIONS}
    result = Axe().run(page, options={"resultTypes": ["violations"], "rules": rules})
    out = []
    for violation in result.response["violations"]:
        targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in violation["nodes"][:4])
        out.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return out


def site_pages(repo: Path, edition: str) -> list[str]:
    """Every HTML page a reader can reach in one edition, from the table of contents."""
    from conftest import toc_files

    files = toc_files(repo)
    pages = []
    for name in files:
        text = (repo / f"{name}.md").read_text(encoding="utf-8")
        if edition == "student" and text.startswith("---") and "\naudience: teacher" in text.split("\n---", 1)[0]:
            continue
        pages.append(f"{name}.html")
    return pages + ["genindex.html", "search.html"]


MARK = """(selector) => {
  const visible = [...document.querySelectorAll(selector)].filter(el => el.checkVisibility({checkVisibilityCSS: true}));
  visible.forEach((el, i) => el.dataset.lkKey = String(i));
  return visible.map(el => el.textContent.trim().slice(0, 60) || el.getAttribute('aria-label'));
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
  return {key: el.dataset ? el.dataset.lkKey : undefined, visible: visible};
}"""
OPEN = "() => document.activeElement.parentElement.open"


def keyboard_problems(page, selector: str = "details > summary", max_tabs: int = 800) -> list[str]:
    """Tab through the page: every visible expandable (scenario choices, navigation toggles) must be
    reached, show its focus, and open and close with Enter."""
    names = page.evaluate(MARK, selector)
    if not names:
        return [f"no {selector} on the page"]
    reached, problems = set(), []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        key = info["key"]
        if key is None or key in reached:
            continue
        reached.add(key)
        name = names[int(key)]
        if not info["visible"]:
            problems.append(f"no visible focus on {name!r}")
        before = page.evaluate(OPEN)
        page.keyboard.press("Enter")
        if page.evaluate(OPEN) == before:
            problems.append(f"Enter did not open or close {name!r}")
        page.keyboard.press("Enter")
        if len(reached) == len(names):
            break
    for key in sorted(set(map(str, range(len(names)))) - reached, key=int):
        problems.append(f"not reachable with the Tab key: {names[int(key)]!r}")
    return problems


def _words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def print_problems(page) -> list[str]:
    """Print to PDF: every choice outcome and teacher note must be there, the navigation must not."""
    import io
    import re
    import unicodedata

    from pypdf import PdfReader

    # text_content, not inner_text: a closed <details> has no rendered text, and we want what it holds
    outcomes = [_words(t, 4) for t in page.locator("details .lk-outcome").all_text_contents()]
    notes = [_words(t.replace("For the teacher · Listen for", "", 1), 4)
             for t in page.locator(".lk-listen-for").all_text_contents()]
    nav = [t.strip() for t in page.locator(".bd-sidebar-primary .caption-text").all_inner_texts()]
    pdf = page.pdf(format="Letter", print_background=True)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    # NFKC undoes typographic ligatures ("ﬂ" -> "fl") in the PDF's text
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
    problems = [f"not in the printout: {o!r}" for o in outcomes + notes if o not in text]
    if nav and nav[-1] in text:
        problems.append(f"the sidebar navigation was printed ({nav[-1]!r})")
    if not outcomes:
        problems.append("no scenario choices on the page")
    return problems

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
import time
from pathlib import Path
from urllib.parse import urlparse


CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags this workplace's Chromium needs to start cleanly with no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


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


# A page is watched for its whole life: from navigation until it is closed. Its timers run on
# Playwright's clock, installed before the page loads: time flows as usual while the test reads and
# clicks, and before the page is closed PAGE_LIFETIME_MS more pass in an instant, so what a script
# would do 2 s or 4 minutes after load (or after a click) happens, and is recorded, without waiting.
PAGE_LIFETIME_MS = 5 * 60 * 1000
SETTLE_S = 2.0  # at most this long (real time), once per page, for requests still in flight at the end


def _local(url: str, host: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or urlparse(url).netloc in (host, "")


class Visit:
    """One page in a browser context of its own, watched from navigation until it is closed: every
    request (the page's, its workers' and any window it opens), failed request, web socket and
    console error. Use it as a context manager; problems() is complete once the page is closed.

    Requests are seen three ways, so none slips past when the page closes right after sending one:
    the route that aborts them, Playwright's request events, and the renderer's own report
    (DevTools' Network.requestWillBeSent), which arrives in order with a round trip to the page."""

    def __init__(self, browser, url: str, origin: str, **context_options):
        self.url, self.host = url, urlparse(origin).netloc
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.closed = False
        self._in_flight: set[str] = set()
        self.context = browser.new_context(**context_options)
        # Nothing may leave the machine: requests to any other host are recorded, then aborted.
        self.context.route(lambda u: not _local(u, self.host), self._abort)
        self.context.on("request", lambda r: self._foreign(r.url))
        self.context.on("requestfailed", self._on_failed)
        self.context.on("response", self._on_response)
        self._watched: list = []
        self.context.on("page", self._watch)  # and any window the page opens
        self.context.clock.install()
        self.page = self.context.new_page()
        self._watch(self.page)
        self._cdp = self.context.new_cdp_session(self.page)
        self._cdp.on("Network.requestWillBeSent", self._will_be_sent)
        self._cdp.on("Network.loadingFinished", lambda e: self._in_flight.discard(e["requestId"]))
        self._cdp.on("Network.loadingFailed", lambda e: self._in_flight.discard(e["requestId"]))
        self._cdp.send("Network.enable")
        self.page.goto(url, wait_until="networkidle")

    def _foreign(self, url: str):
        if not _local(url, self.host) and url not in self.foreign:
            self.foreign.append(url)

    def _abort(self, route):
        self._foreign(route.request.url)
        route.abort()

    def _watch(self, page):
        if any(page is seen for seen in self._watched):
            return
        self._watched.append(page)
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("websocket", lambda ws: self._foreign(ws.url))
        page.on("worker", lambda w: w.on("console", lambda m: self.console_errors.append(m.text)
                                         if m.type == "error" else None))

    def _will_be_sent(self, event):
        self._in_flight.add(event["requestId"])
        self._foreign(event["request"]["url"])

    def _on_failed(self, request):
        if urlparse(request.url).netloc == self.host:
            self.failed.append(f"{request.failure} {request.url}")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def close(self) -> list[str]:
        """Let the page live out PAGE_LIFETIME_MS, wait (bounded) for what it sent, close it."""
        if not self.closed:
            try:
                self.context.clock.run_for(PAGE_LIFETIME_MS)
                self.page.evaluate("0")  # a round trip: what the timers sent has been reported
                self._cdp.send("Runtime.evaluate", {"expression": "0"})
                deadline = time.monotonic() + SETTLE_S
                while self._in_flight and time.monotonic() < deadline:
                    self.page.wait_for_timeout(20)
            finally:
                self.closed = True
                self.context.close()
        return self.problems()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def problems(self) -> list[str]:
        return ([f"request to another host: {u}" for u in self.foreign]
                + [f"failed request: {u}" for u in self.failed]
                + [f"console error: {m}" for m in self.console_errors])


# What a reader does on a page besides reading it. The privacy and console gate records through all
# of them on every page, in every mode, in both editions. A new way to use a page joins here, and
# the gate covers it everywhere (tests/test_browser.py checks that the projector view has joined).
def open_every_choice(page):
    """Open every scenario choice and other <details> as a click would (click handlers, toggle)."""
    page.evaluate("() => document.querySelectorAll('details:not([open]) > summary').forEach(s => s.click())")


def print_and_back(page):
    """What printing does for scripts: beforeprint, then afterprint (lessonkit opens branches)."""
    page.evaluate("() => { window.dispatchEvent(new Event('beforeprint'));"
                  " window.dispatchEvent(new Event('afterprint')); }")


PROJECTOR_STATE = ("() => [scrollY, document.querySelectorAll('details[open]').length, "
                   "document.querySelector('.lk-present-status').textContent]")


def step_through_projector(page, max_presses: int = 1000):
    """On a projector view: Next, key by key, to the end of the last screen, opening each choice and
    showing the rest of each long screen on the way (until a press changes nothing)."""
    state = None
    for _ in range(max_presses):
        page.keyboard.press("ArrowRight")
        now = page.evaluate(PROJECTOR_STATE)
        if now == state:
            return
        state = now
    raise AssertionError(f"Next still moved the projector view after {max_presses} presses")


def leave_projector(page):
    """Escape, back to the lesson page."""
    with page.expect_navigation():
        page.keyboard.press("Escape")


def enter_projector(page):
    """On a lesson page: follow its "Projector view" link, step through every screen and press
    Escape to return. Other pages have no link and are left as they are."""
    link = page.locator(".lk-present-link a")
    if not link.count():
        return
    with page.expect_navigation():
        link.first.click()
    step_through_projector(page)
    leave_projector(page)


VIEWS = {"choices opened": open_every_choice, "printed": print_and_back, "projector": enter_projector}


def use_page(page):
    """Put the page through every view in VIEWS."""
    for view in VIEWS.values():
        view(page)


# axe rules switched off, each with its reason. Keep this list short; every entry is a promise, and
# tests/test_browser.py pins it to the list README.md documents (none: "no rule is switched off").
AXE_EXCEPTIONS: dict[str, str] = {}


def axe_options() -> dict:
    """The options the gate runs axe with: every rule axe enables by default (WCAG A and AA, and the
    best-practice rules) except AXE_EXCEPTIONS, no tag filter, every impact level."""
    return {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in AXE_EXCEPTIONS},
            # axe's "cssom" preload fetches every stylesheet again and resolves the theme's
            # `@import "../basic.css"` against the page, not the sheet: a 404 of axe's own that the
            # privacy gate, still listening, would blame on the page. Only css-orientation-lock, an
            # experimental rule axe leaves off, reads it; "media" (for no-autoplay-audio) stays.
            "preload": {"assets": ["media"]}}


def axe_run(page, options: dict | None = None) -> dict:
    """axe-core's whole result for the page."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=axe_options() if options is None else options).response


def axe_violations(page) -> list[str]:
    """Every violation axe reports, whatever its impact or tags, one line each: 'rule (impact): …'."""
    out = []
    for violation in axe_run(page)["violations"]:
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

"""Shared test helpers: copy a book to a temporary folder, change it, build it, read its HTML."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"
SKIP = shutil.ignore_patterns(".venv", ".venv-py*", "_build", ".git", "tests", "__pycache__", ".pytest_cache",
                              "*.egg-info", "mutants", ".mutmut-cache", "html")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Book:
    """A copy of a book in a temporary folder that a test may change and build."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        return self.root / rel

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.path(rel)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "lessonkit", *args, "--root", str(self.root)],
                              capture_output=True, text=True, cwd=self.root)
        proc.stdout, proc.stderr = ANSI.sub("", proc.stdout), ANSI.sub("", proc.stderr)
        return proc

    def check(self) -> subprocess.CompletedProcess:
        return self.run("check")

    def build(self, edition: str = "teacher") -> subprocess.CompletedProcess:
        return self.run("build", "--edition", edition)

    def jupyter_book(self, *args: str) -> subprocess.CompletedProcess:
        exe = Path(sys.executable).with_name("jupyter-book")
        proc = subprocess.run([str(exe), "build", str(self.root), *args], capture_output=True, text=True,
                              cwd=self.root)
        proc.stdout, proc.stderr = ANSI.sub("", proc.stdout), ANSI.sub("", proc.stderr)
        return proc

    def html_dir(self, edition: str = "teacher") -> Path:
        return self.root / ("_build/html" if edition == "teacher" else "_build/student/html")

    def soup(self, page: str, edition: str = "teacher") -> BeautifulSoup:
        return BeautifulSoup((self.html_dir(edition) / page).read_text(encoding="utf-8"), "html.parser")

    def article(self, page: str, edition: str = "teacher"):
        return self.soup(page, edition).select_one("article.bd-article")


def copy_book(src: Path, dest: Path, with_repo_data: bool = False) -> Book:
    shutil.copytree(src, dest, ignore=SKIP)
    if with_repo_data:
        shutil.copytree(REPO / "data", dest / "data")
    return Book(dest)


@pytest.fixture
def minibook(tmp_path) -> Book:
    """The small fixture book, with the project's real registries."""
    return copy_book(MINIBOOK, tmp_path / "book", with_repo_data=True)


@pytest.fixture(scope="session")
def built_minibook(tmp_path_factory) -> Book:
    book = copy_book(MINIBOOK, tmp_path_factory.mktemp("mini") / "book", with_repo_data=True)
    for edition in ("teacher", "student"):
        proc = book.build(edition)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return book


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Book:
    """The real book, built strictly in both editions from a clean copy."""
    book = copy_book(REPO, tmp_path_factory.mktemp("real") / "book")
    for edition in ("teacher", "student"):
        proc = book.build(edition)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return book


@pytest.fixture(scope="session")
def served(built_book):
    """Both built editions on a local HTTP server, for the browser gates (one for the whole run)."""
    from browser import Server

    server = Server(built_book.root / "_build")
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright, one for the whole run (tests/browser.py says why)."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def toc_files(repo: Path) -> list[str]:
    """Every page the table of contents lists, root first, in order (names without .md)."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk(toc.get("parts") or toc.get("chapters"))
    return files


def output(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


def assert_only_failure_page(book: Book, edition: str = "teacher") -> None:
    """A failed build leaves nothing that looks like a book: only the failure page and its marker."""
    html = book.html_dir(edition)
    assert sorted(p.name for p in html.iterdir()) == ["_lessonkit_failed", "index.html"], \
        f"a failed build left a site behind in {html}"
    assert "This book did not build" in (html / "index.html").read_text(encoding="utf-8")

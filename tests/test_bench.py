"""The benchmark's scaled book (lessonkit.bench.scale_book): it must really be about N times the book,
and still a valid book, or the figures the benchmark prints measure something else.
Timing belongs to the benchmark (scripts/bench.sh), not here."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import REPO, copy_book, output
from lessonkit.bench import book_pages, scale_book, toc_files


def test_the_10x_book_is_ten_times_the_pages_and_still_passes_the_checks(tmp_path):
    book = copy_book(REPO, tmp_path / "book")
    root = book.root
    one = book_pages(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    added = scale_book(root, 10)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    assert added["pages"] == {"1x": one, "10x": book_pages(toc)}
    assert 9.5 <= book_pages(toc) / one <= 10.5, added
    files = toc_files(toc)
    assert len(files) == len(set(files))
    assert all((root / (f + ".md")).is_file() for f in files)
    handouts = [f for f in files if f.startswith("activities/grades-")]  # the lesson copies' too
    assert sum(f.startswith("activities/tr") for f in files) == added["translations"] * len(handouts)
    assert added["translations"] >= 5
    # a translated page links to the translation of a translated page, to the original of a lesson
    letter = (root / "book/tr3/letters/letter-grades-6-8.md").read_text(encoding="utf-8")
    assert "](/book/tr3/for-families.md)" in letter and "](/lessons/grades-6-8/index.md)" in letter
    assert not re.search(r"\]\(\.\./", letter)
    for command in ("check", "lint"):
        proc = book.run(command)
        assert proc.returncode == 0, output(proc)[-4000:]

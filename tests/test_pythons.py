"""Every Python the README promises installs the pinned dependencies, lints and builds.

For each version that pyproject.toml allows (and the README and scripts/env.sh name), this makes a
virtual environment under the repository, `.venv-py3.X`, installs the project into it with its
pinned dependencies (again only when pyproject.toml changed, as scripts/env.sh does for .venv), and
runs `python -m lessonkit lint` and a strict `python -m lessonkit build` on a copy of the fixture
book. The Python running these tests is always checked, in the environment it already has; any
other version this machine lacks is skipped, and the skip names it.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ANSI, MINIBOOK, REPO, copy_book, output

LESSON = "lessons/grades-6-8/01-fixture-lesson"
CURRENT = "%d.%d" % sys.version_info[:2]
SHOW_VERSION = "'%d.%d' % sys.version_info[:2]"  # what a child Python prints to say which it is
# what a child Python must not inherit from the environment running the tests
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}


def promised_versions() -> list[str]:
    """3.11, 3.12, ... from requires-python (">=3.11,<3.14")."""
    spec = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    low, high = re.search(r">=\s*3\.(\d+)", spec), re.search(r"<\s*3\.(\d+)", spec)
    return [f"3.{minor}" for minor in range(int(low[1]), int(high[1]))]


VERSIONS = promised_versions()


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", Path(path).parents[1].name))


def find_python(version: str) -> tuple[str | None, str]:
    """The real interpreter for `version` (not a pyenv shim that fails), or None and why not."""
    name = f"python{version}"
    pyenv = sorted(Path.home().glob(f".pyenv/versions/{version}*/bin/{name}"), key=lambda p: _version_key(str(p)))
    candidates = [shutil.which(name), *map(str, reversed(pyenv)), f"/usr/bin/{name}", f"/usr/local/bin/{name}"]
    why = f"Python {version} is not on this machine (no working {name} on PATH or in ~/.pyenv/versions)"
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            probe = subprocess.run([candidate, "-c", f"import sys; print({SHOW_VERSION}, sys.executable)"],
                                   capture_output=True, text=True, timeout=60, env=CLEAN_ENV)
        except (OSError, subprocess.TimeoutExpired):
            continue
        found = probe.stdout.split()
        if probe.returncode != 0 or found[:1] != [version]:
            continue
        real = found[1]
        venv_ok = subprocess.run([real, "-c", "import venv, ensurepip"], capture_output=True, timeout=60,
                                 env=CLEAN_ENV).returncode == 0
        if venv_ok:
            return real, ""
        why = (f"Python {version} at {real} cannot make a virtual environment (no ensurepip; on Debian: "
               f"apt-get install {name}-venv)")
    return None, why


def _usable(python: Path, version: str) -> bool:
    """The cached environment still runs this version and imports lessonkit from this repository."""
    try:
        probe = subprocess.run([str(python), "-c", f"import sys, importlib.util; print({SHOW_VERSION}); "
                                "print(importlib.util.find_spec('lessonkit').origin)"],
                               capture_output=True, text=True, timeout=60, cwd="/", env=CLEAN_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return False
    lines = probe.stdout.splitlines()
    return probe.returncode == 0 and lines[:1] == [version] and Path(lines[1]).resolve().is_relative_to(REPO)


def environment(version: str) -> Path:
    """A Python `version` with the project and its pinned dependencies installed."""
    if version == CURRENT:
        return Path(sys.executable)  # .venv, which scripts/env.sh made from the same pins
    base, why = find_python(version)
    if base is None:
        pytest.skip(why)
    venv = REPO / f".venv-py{version}"
    python, stamp, log = venv / "bin" / "python", venv / ".installed-pyproject", venv / "install.log"
    pyproject = (REPO / "pyproject.toml").read_bytes()
    venv.mkdir(exist_ok=True)
    lock = os.open(venv, os.O_RDONLY)  # two test runs at once must not install into it together
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_bytes() == pyproject and _usable(python, version):
            return python
        steps = [[base, "-m", "venv", "--clear", str(venv)],
                 [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--upgrade", "pip"],
                 [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-e", str(REPO)]]
        for step in steps:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"$ {' '.join(step)}\n")
                out.flush()
                done = subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=CLEAN_ENV,
                                      timeout=1800)
            assert done.returncode == 0, f"{' '.join(step)} failed:\n" + log.read_text(encoding="utf-8")[-4000:]
        assert _usable(python, version), f"{python} does not import lessonkit from {REPO}"
        stamp.write_bytes(pyproject)
        return python
    finally:
        os.close(lock)


def lessonkit(python: Path, *args: str, root: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(python), "-m", "lessonkit", *args, "--root", str(root)], capture_output=True,
                          text=True, cwd=root, env=CLEAN_ENV, timeout=600)
    proc.stdout, proc.stderr = ANSI.sub("", proc.stdout), ANSI.sub("", proc.stderr)
    return proc


def _lines_without_timing(text: str) -> list[str]:
    """The lint's lines in a stable order (findings on one line and rule may come in any order)."""
    return sorted(re.sub(r"\(\d+\.\d+ s; ", "(", text).splitlines())


def test_the_readme_and_env_sh_promise_what_pyproject_allows():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"Python {VERSIONS[0]}–{VERSIONS[-1]}" in readme
    env_sh = (REPO / "scripts/env.sh").read_text(encoding="utf-8")
    low, high = VERSIONS[0].split(".")[1], int(VERSIONS[-1].split(".")[1]) + 1
    assert f"(3, {low}) <= sys.version_info[:2] < (3, {high})" in env_sh


@pytest.mark.parametrize("version", VERSIONS)
def test_lint_and_build_work_on_every_promised_python(version, tmp_path):
    python = environment(version)
    probe = subprocess.run([str(python), "-c", "import sys, importlib.util, textstat; "
                            f"print({SHOW_VERSION}, importlib.util.find_spec('pkg_resources'))"],
                           capture_output=True, text=True, cwd=tmp_path, env=CLEAN_ENV)
    assert probe.stdout.split() == [version, "None"], output(probe)  # textstat imports, with no pkg_resources

    book = copy_book(MINIBOOK, tmp_path / "book", with_repo_data=True)
    lint = lessonkit(python, "lint", root=book.root)
    assert "Traceback" not in output(lint) and lint.returncode in (0, 1), output(lint)
    levels = re.findall(r"^reading level: (\S+): grade (-?\d+\.\d)$", lint.stdout, re.MULTILINE)
    assert f"{LESSON}.md" in dict(levels), lint.stdout  # the lesson was measured
    assert all(float(grade) <= 8.5 for _, grade in levels), levels  # the fixture is grades 6-8
    assert re.search(r"^lint: .*reading ceilings", lint.stdout, re.MULTILINE), lint.stdout
    # the same findings and the same reading grades as the Python running these tests
    reference = lessonkit(Path(sys.executable), "lint", root=book.root)
    assert _lines_without_timing(lint.stdout) == _lines_without_timing(reference.stdout)
    assert lint.returncode == reference.returncode

    build = lessonkit(python, "build", root=book.root)
    assert build.returncode == 0, output(build)[-4000:]
    assert "The teacher edition is ready" in build.stdout, output(build)[-4000:]
    front_matter = book.path(f"{LESSON}.md").read_text(encoding="utf-8").split("---")[1]
    title = yaml.safe_load(front_matter)["lesson"]["title"]
    heading = book.article(f"{LESSON}.html").find("h1")
    assert heading is not None and title in heading.get_text(), heading

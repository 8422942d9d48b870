"""The publishing workflows, tested as far as they can be here: they parse, use only the official
actions they are meant to, keep the Pages rules (permissions, one deploy at a time), and call the
project's own scripts, so publishing runs what CI and the README run and cannot drift."""
from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github/workflows"
# The official GitHub actions the workflows may use, at the major versions they are written for.
ALLOWED = {"actions/checkout@v4", "actions/setup-python@v5", "actions/configure-pages@v5",
           "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"}


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def commands(workflow: dict) -> list[list[str]]:
    out = []
    for step in steps(workflow):
        for line in step.get("run", "").splitlines():
            line = line.split(" >")[0].split(" ||")[0].strip()
            if line:
                out.append(shlex.split(line))
    return out


@pytest.mark.parametrize("name", ["pages.yml", "release.yml"])
def test_workflow_parses_uses_only_official_actions_and_calls_existing_scripts(name):
    workflow = load(name)
    used = {step["uses"] for step in steps(workflow) if "uses" in step}
    assert used <= ALLOWED, used - ALLOWED
    for cmd in commands(workflow):
        if cmd[0] == "sudo":
            cmd = cmd[1:]
        scripts = [word for word in cmd if word.startswith("scripts/")]
        for script in scripts:
            assert (REPO / script).is_file() and os.access(REPO / script, os.X_OK), script
        if cmd[:3] == [".venv/bin/python", "-m", "lessonkit"]:
            # the subcommand exists: its --help answers
            proc = subprocess.run([str(REPO / ".venv/bin/python"), "-m", "lessonkit", cmd[3], "--help"],
                                  capture_output=True, text=True, cwd=REPO)
            assert proc.returncode == 0, proc.stderr
        assert cmd[0] in {"bash", "scripts/system-deps.sh", ".venv/bin/python", "gh"}, cmd


def test_pages_workflow_follows_the_pages_rules_and_runs_the_readme_build():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    flat = [" ".join(c) for c in commands(workflow)]
    assert "bash scripts/publish.sh" in flat
    assert ".venv/bin/python -m lessonkit check" in flat and ".venv/bin/python -m lessonkit lint" in flat
    # publish.sh builds with the README's own build command, for both editions
    readme_build = re.search(r"^(scripts/build\.sh)\s", (REPO / "README.md").read_text(encoding="utf-8"), re.M)[1]
    publish = (REPO / "scripts/publish.sh").read_text(encoding="utf-8")
    assert f"bash {readme_build}\n" in publish and f"bash {readme_build} --edition student" in publish


def test_release_workflow_attaches_what_release_sh_makes():
    workflow = load("release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*"] and workflow["permissions"] == {"contents": "write"}
    flat = " ".join(" ".join(c) for c in commands(workflow))
    assert "bash scripts/release.sh" in flat and "_build/release/*" in flat
    release = (REPO / "scripts/release.sh").read_text(encoding="utf-8")
    assert "bash scripts/offline.sh" in release and "bash scripts/cartridge.sh" in release
    assert "SHA256SUMS.txt" in release
    for script in re.findall(r"bash (scripts/\S+)", release):
        assert (REPO / script).is_file() and os.access(REPO / script, os.X_OK), script


def test_publish_assembles_teacher_root_and_student_path(built_book):
    script = built_book.root / "scripts/publish.sh"
    proc = subprocess.run(["bash", str(script), "--no-build"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    site = built_book.root / "_build/site"
    assert (site / "index.html").is_file() and (site / ".nojekyll").is_file()
    assert (site / "book/counselors/index.html").is_file()  # the teacher edition at the root
    assert (site / "student/index.html").is_file() and not (site / "student/book/counselors").exists()
    assert not (site / ".buildinfo").exists()
    proc = subprocess.run(["bash", str(script), "--no-build"], capture_output=True, text=True,
                          env={**os.environ, "PUBLISH_STUDENT": "no"})
    assert proc.returncode == 0 and not (site / "student").exists()

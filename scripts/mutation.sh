#!/usr/bin/env bash
# Mutation testing of lessonkit's pure modules (not part of CI or scripts/test.sh): mutmut changes the
# code one small way at a time (a number, a comparison, a string, a removed decorator...) and runs that
# module's fast unit tests; a mutant the tests do not notice ("survived") is behaviour no test checks.
#
#   scripts/mutation.sh                      # all five modules, two at a time (about 25 minutes)
#   scripts/mutation.sh schema problems      # only these (schema registries lint frontmatter problems)
#   MUTATION_TESTS="tests/test_schema.py" scripts/mutation.sh schema   # other tests (pytest arguments)
#   scripts/mutation.sh --fresh lint         # forget earlier results (else only survivors are re-run)
#
# Each module runs in its own copy, mutants/<module>/ (git-ignored): mutmut 2 writes each mutant into
# the file itself, so the working tree is never touched and a build or test run beside it is safe.
# PYTHONPATH points at the copy, so a test that runs `python -m lessonkit` also runs the mutant.
# Afterwards (not during a run: `show` rewrites the cache from the file being mutated):
#   cd mutants/<module> && ../../.venv/bin/mutmut results   (then `mutmut show <id>`, or `html`)
#
# mutmut 2.5.1, not 3.x: mutmut 3 mutates only undecorated functions, so it makes no mutant at all
# of the pydantic validators (schema.py, most of registries.py) or of module-level tables such as
# lint's rules; mutmut 2 mutates every line. Pinned in pyproject.toml's [mutation] extra, installed
# into .venv on the first run only; the main install stays as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
PY="$ROOT/.venv/bin/python"
cd "$ROOT"

fresh=0
modules=()
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    schema|registries|lint|frontmatter|problems) modules+=("$arg") ;;
    *) echo "usage: scripts/mutation.sh [--fresh] [schema|registries|lint|frontmatter|problems ...]" >&2; exit 2 ;;
  esac
done
[ ${#modules[@]} -gt 0 ] || modules=(schema registries lint frontmatter problems)

# Each module's tests: unit tests that call lessonkit directly and need no conftest fixture, so one
# mutant costs a Python start and well under a second of tests (a build would take a minute).
tests_for() {
  case "$1" in
    schema) echo "tests/test_schema_unit.py" ;;
    registries) echo "tests/test_registries_unit.py" ;;
    lint) echo "tests/test_lint_unit.py" ;;
    frontmatter) echo "tests/test_frontmatter.py" ;;
    problems) echo "tests/test_problems.py tests/test_schema_unit.py tests/test_registries_unit.py" ;;
  esac
}

# The pinned tool, once: the pins of pyproject.toml's [mutation] extra (only those: lessonkit's
# editable install in .venv is left as it is).
pins="$("$PY" -c '
import sys, tomllib
from importlib.metadata import PackageNotFoundError, version
pins = tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["mutation"]
def installed(pin):
    name, _, want = pin.partition("==")
    try:
        return version(name) == want
    except PackageNotFoundError:
        return False
if not all(map(installed, pins)):
    print(" ".join(pins))
' "$ROOT/pyproject.toml")"
if [ -n "$pins" ]; then
  echo "Installing the pinned mutation tester into .venv (first run only): $pins" >&2
  # shellcheck disable=SC2086  # the pins are words
  "$PY" -m pip install --disable-pip-version-check -q $pins >"$ROOT/.venv/mutation-install.log" 2>&1 \
    || { tail -n 30 "$ROOT/.venv/mutation-install.log" >&2; exit 1; }
fi

run_module() {
  local module="$1" work="$ROOT/mutants/$1"
  # (tests of one's own choosing may use conftest.py's fixtures, at a second or two more per mutant)
  local tests="${MUTATION_TESTS:-"--noconftest $(tests_for "$module")"}"
  local started=$SECONDS status=1 try pid
  [ "$fresh" = 0 ] || rm -rf "$work"
  for try in 1 2; do
    [ "$try" = 1 ] || rm -f "$work/.mutmut-cache"
    mkdir -p "$work"
    # a fresh copy of the code and tests; .mutmut-cache (earlier results) stays
    rm -rf "$work/lessonkit" "$work/tests" "$work/data"
    cp -r "$ROOT/lessonkit" "$ROOT/tests" "$ROOT/data" "$ROOT/pyproject.toml" "$work/"
    find "$work" -name __pycache__ -prune -exec rm -rf {} +
    if [ "$try" = 1 ]; then : >"$work/run.log"; else echo "---- again, with an empty cache" >>"$work/run.log"; fi
    # mutmut 2 counts only exit code 1 as "tests failed": a mutant that breaks the import (pytest exits
    # 2) would be a false survivor, so every failure exits 1. setsid: its own process group, see below.
    (cd "$work" && PYTHONPATH="$work" PYTHONDONTWRITEBYTECODE=1 exec setsid "$ROOT/.venv/bin/mutmut" run \
        --paths-to-mutate "lessonkit/$module.py" --tests-dir tests \
        --runner "bash -c '$PY -m pytest -x -q -p no:cacheprovider $tests || exit 1'" \
        --test-time-base 10 --simple-output --no-progress) >>"$work/run.log" 2>&1 &
    pid=$!
    # `mutmut show` or `apply` during a run re-reads the half-mutated file into .mutmut-cache, and the
    # run then crashes (pony: "Attribute Mutant.line is required") and waits forever for its worker:
    # stop it (its whole process group) and start once more with an empty cache
    while kill -0 "$pid" 2>/dev/null && ! grep -q "^Traceback (most recent call last)" "$work/run.log"; do
      sleep 2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -- "-$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      echo "$module: mutmut crashed (try $try of 2); see mutants/$module/run.log" >&2
      status=1
      continue
    fi
    status=0
    wait "$pid" || status=$?
    break
  done
  # mutmut exits 2, 4 or 8 for survivors, timeouts or slow mutants; 1 is its own failure
  if [ $(( status & 1 )) = 1 ] || grep -q "^Traceback (most recent call last)" "$work/run.log"; then
    echo "$module: mutmut failed (exit $status); see mutants/$module/run.log" >&2
    tail -n 20 "$work/run.log" >&2
    return 1
  fi
  echo "$module: $(( SECONDS - started )) s" >"$work/time.txt"
}

# two modules at a time (two cores); each one is a single serial mutmut
pids=()
for module in "${modules[@]}"; do
  run_module "$module" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "${MUTATION_JOBS:-2}" ]; do sleep 1; done
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done

"$PY" - "$ROOT/mutants" "${modules[@]}" <<'EOF'
import sqlite3, sys
from pathlib import Path
root = Path(sys.argv[1])
names = {"ok_killed": "killed", "bad_survived": "survived", "bad_timeout": "timeout",
         "ok_suspicious": "slow (killed)", "skipped": "skipped", "untested": "untested"}
print(f"{'module':12} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6}  time")
for module in sys.argv[2:]:
    db = root / module / ".mutmut-cache"
    if not db.is_file():
        print(f"{module:12} (no results)")
        continue
    counts = dict(sqlite3.connect(db).execute("select status, count(*) from Mutant group by status"))
    total = sum(counts.values())
    killed = counts.get("ok_killed", 0) + counts.get("ok_suspicious", 0)
    survived = counts.get("bad_survived", 0)
    took = (root / module / "time.txt").read_text().split(": ")[-1].strip() if (root / module / "time.txt").is_file() else "?"
    print(f"{module:12} {total:7} {killed:7} {survived:8} {total - killed - survived:6}  {took}")
print("survivors: cd mutants/<module> && ../../.venv/bin/mutmut results   (then: mutmut show <id>)")
EOF
exit $failed

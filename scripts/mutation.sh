#!/usr/bin/env bash
# Mutation testing of lessonkit's pure modules (not part of CI or scripts/test.sh): mutmut changes the
# code one small way at a time (a number, a comparison, a string, a removed decorator...) and runs that
# module's fast unit tests; a mutant the tests do not notice ("survived") is behaviour no test checks.
#
#   scripts/mutation.sh                      # all five modules, two at a time (13 min on 2 idle cores)
#   scripts/mutation.sh schema problems      # only these (schema registries lint frontmatter problems)
#   MUTATION_TESTS="tests/test_schema.py" scripts/mutation.sh schema   # other tests (pytest arguments)
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

modules=()
for arg in "$@"; do
  case "$arg" in
    schema|registries|lint|frontmatter|problems) modules+=("$arg") ;;
    *) echo "usage: scripts/mutation.sh [schema|registries|lint|frontmatter|problems ...]" >&2; exit 2 ;;
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

# mutmut 2 counts only exit code 1 as "tests failed": a mutant that breaks the import (pytest exits 2)
# would be a false survivor, so pytest runs in-process and every failure exits 1 (not through a shell:
# mutmut's timeout kills only the process it started, so an endless loop would otherwise never end)
EXIT_1='import sys, pytest; sys.exit(1 if pytest.main(sys.argv[1:]) else 0)'

run_module() {
  local module="$1" work="$ROOT/mutants/$1"
  # (tests of one's own choosing may use conftest.py's fixtures, at a second or two more per mutant)
  local tests="${MUTATION_TESTS:-"--noconftest $(tests_for "$module")"}"
  local started=$SECONDS status=1 try pid
  for try in 1 2; do
    # a fresh copy of the code and tests, and no earlier results: mutmut 2 looks a cached result up by
    # the line's text alone, so on a resumed run a mutant on a repeated line (a `continue`, say) takes
    # another line's verdict and is never tested
    rm -rf "$work"
    mkdir -p "$work"
    cp -r "$ROOT/lessonkit" "$ROOT/tests" "$ROOT/data" "$ROOT/pyproject.toml" "$work/"
    find "$work" -name __pycache__ -prune -exec rm -rf {} +
    # setsid: its own process group, see below
    (cd "$work" && PYTHONPATH="$work" PYTHONDONTWRITEBYTECODE=1 exec setsid "$ROOT/.venv/bin/mutmut" run \
        --paths-to-mutate "lessonkit/$module.py" --tests-dir tests \
        --runner "$PY -c '$EXIT_1' -x -q -p no:cacheprovider $tests" \
        --test-time-base 10 --simple-output --no-progress) >"$work/run.log" 2>&1 &
    pid=$!
    # `mutmut show` or `apply` during a run re-reads the half-mutated file into .mutmut-cache, and the
    # run then crashes (pony: "Attribute Mutant.line is required") and waits forever for its worker:
    # stop it (its whole process group) and start once more
    while kill -0 "$pid" 2>/dev/null && ! grep -q "^Traceback (most recent call last)" "$work/run.log"; do
      sleep 2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -- "-$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      cp "$work/run.log" "$ROOT/mutants/$module.crash.log"
      echo "$module: mutmut crashed (try $try of 2); see mutants/$module.crash.log" >&2
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
print(f"{'module':12} {'mutants':>7} {'killed':>7} {'timeout':>7} {'survived':>8} {'untested':>8}  time")
for module in sys.argv[2:]:
    work = root / module
    if not (work / ".mutmut-cache").is_file():
        print(f"{module:12} (no results)")
        continue
    counts = dict(sqlite3.connect(work / ".mutmut-cache").execute("select status, count(*) from Mutant group by status"))
    killed = counts.get("ok_killed", 0) + counts.get("ok_suspicious", 0)  # suspicious: killed, but slowly
    timeout = counts.get("bad_timeout", 0)  # an endless loop, say: the tests did not pass either
    survived = counts.get("bad_survived", 0)
    rest = sum(counts.values()) - killed - timeout - survived
    took = (work / "time.txt").read_text().split(": ")[-1].strip() if (work / "time.txt").is_file() else "?"
    print(f"{module:12} {sum(counts.values()):7} {killed:7} {timeout:7} {survived:8} {rest:8}  {took}")
print("survivors: cd mutants/<module> && ../../.venv/bin/mutmut results   (then: mutmut show <id>)")
EOF
exit $failed

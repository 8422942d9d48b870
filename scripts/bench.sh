#!/usr/bin/env bash
# The build benchmark (a measurement, not a test): builds the teacher edition of a base commit
# (a git worktree), of the working tree, and of the working tree's sources with plain Sphinx and
# the alabaster theme, at 1x and 10x, then an edit-one-lesson and a no-change rebuild, and prints
# seconds, pages, cost per page and the ratios (see the README for how long it takes).
#   scripts/bench.sh                 base = the commit before the speed work
#   scripts/bench.sh --base REV      compare with REV
#   scripts/bench.sh --quick         the 1x book only
#   scripts/bench.sh --scale 2       a 2x book instead of 10x (lesson copies, then translated editions)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m lessonkit bench --root "$ROOT" "$@"

#!/usr/bin/env bash
# Build the book strictly (any warning fails the build).
#   scripts/build.sh                     teacher edition -> _build/html/index.html
#   scripts/build.sh --edition student   student edition -> _build/student/html/index.html
#   scripts/build.sh --fresh             ignore cached pages and rebuild everything
#   scripts/build.sh --jobs 1            one process (default: one per CPU, for reading and writing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m lessonkit build "$@"

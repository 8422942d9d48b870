#!/usr/bin/env bash
# The offline download: build both editions strictly and make their PDFs, then zip each one into _build/offline/
# (clear-signals-teacher.zip, clear-signals-student.zip), to unzip and open from disk with no network.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
bash scripts/build.sh "$@"
bash scripts/build.sh --edition student "$@"
bash scripts/system-deps.sh pdf
"$ROOT/.venv/bin/python" -m lessonkit pdf  # the PDFs the pages link to, in each zip
exec "$ROOT/.venv/bin/python" -m lessonkit offline

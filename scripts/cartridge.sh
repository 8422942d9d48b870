#!/usr/bin/env bash
# The LMS export: build the student edition strictly, then write it as an IMS Common Cartridge 1.1
# (_build/cartridge/clear-signals-student.imscc) for Moodle, Canvas or Schoology to import.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
bash scripts/build.sh --edition student "$@"
exec "$ROOT/.venv/bin/python" -m lessonkit cartridge

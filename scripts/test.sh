#!/usr/bin/env bash
# Run every test: lesson validation, strict builds of both editions, HTML assertions, the source
# lint, and the quality gates in a real browser (installs chromium and Java on first use).
# Extra arguments go to pytest (e.g. scripts/test.sh -k editions).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
bash "$ROOT/scripts/system-deps.sh" test
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m pytest "$@"

#!/usr/bin/env bash
# The print-ready PDFs: build both editions strictly, then make every PDF their pages link to, into
# _build/html/pdf/ (teacher guides, lessons, handouts, cut-out cards, family letters, counselor forms)
# and _build/student/html/pdf/ (student packets, lessons, handouts, cards, letters).
# `python -m lessonkit pdf` makes the PDFs of editions already built. Extra arguments go to the builds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
bash "$ROOT/scripts/system-deps.sh" pdf
cd "$ROOT"
bash scripts/build.sh "$@"
bash scripts/build.sh --edition student "$@"
exec "$ROOT/.venv/bin/python" -m lessonkit pdf

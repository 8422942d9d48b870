#!/usr/bin/env bash
# Lighthouse (mobile, its default) on a lesson page of the built book, served on 127.0.0.1; prints
# the performance, accessibility and best-practices scores. Not a test: the scores depend on the
# machine's speed, so the suite checks bytes (tests/test_page_weight.py) and this script the rest.
#   scripts/lighthouse.sh                       build the teacher edition, then score the default page
#   scripts/lighthouse.sh --no-build [PAGE]     score PAGE (relative to the site) of the book as built
#   SITE=_build/student/html scripts/lighthouse.sh --no-build   the student edition
# Lighthouse 12.2.3 is pinned in tools/lighthouse (package.json, package-lock.json); Node 18 or 20.
# The full reports are left in _build/lighthouse/ (report.html, report.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
PAGE="${1:-lessons/grades-6-8/04-it-stops-with-me.html}"
SITE="${SITE:-_build/html}"
if [ "$build" = 1 ]; then bash scripts/build.sh; fi
bash scripts/system-deps.sh lighthouse
[ -f "$SITE/$PAGE" ] || { echo "$SITE/$PAGE: no such page (build the book first)" >&2; exit 1; }

TOOLS="$ROOT/tools/lighthouse"
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  echo "Installing the pinned Lighthouse into tools/lighthouse (first run only) ..." >&2
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

PY="$(command -v python3)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
  sleep 0.1
done

OUT="$ROOT/_build/lighthouse"
mkdir -p "$OUT"
CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$TOOLS/node_modules/.bin/lighthouse" \
  "http://127.0.0.1:$PORT/$PAGE" \
  --only-categories=performance,accessibility,best-practices \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
  --output=json --output=html --output-path="$OUT/report" --quiet
"$PY" - "$OUT/report.report.json" <<'PY'
import json, sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
print(f"Lighthouse {report['lighthouseVersion']} ({report['configSettings']['formFactor']}) {report['finalDisplayedUrl']}")
for key in ("performance", "accessibility", "best-practices"):
    print(f"  {report['categories'][key]['title']}: {report['categories'][key]['score']:.2f}")
audits = report["audits"]
for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
            "total-byte-weight"):
    print(f"  {audits[key]['title']}: {audits[key]['displayValue']}")
failed = [a["title"] for key in ("accessibility", "best-practices")
          for ref in report["categories"][key]["auditRefs"]
          if (a := audits[ref["id"]])["score"] is not None and a["score"] < 1 and a["scoreDisplayMode"] == "binary"]
for title in failed:
    print(f"  not passed: {title}")
PY

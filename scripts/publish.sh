#!/usr/bin/env bash
# The site to publish: the teacher edition at the root and the student edition under student/,
# assembled in _build/site (what .github/workflows/pages.yml deploys to GitHub Pages).
#   scripts/publish.sh             build both editions strictly and make their PDFs, then assemble
#   scripts/publish.sh --no-build  assemble the editions already built
#   PUBLISH_STUDENT=no scripts/publish.sh   the teacher edition only (no student/ path)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
student="${PUBLISH_STUDENT:-yes}"
if [ "${1:-}" != --no-build ]; then
  bash scripts/build.sh
  bash scripts/build.sh --edition student  # the teacher edition's pages link the student packets too
  bash scripts/system-deps.sh pdf
  .venv/bin/python -m lessonkit pdf  # the PDFs every page links to
fi
for site in _build/html $([ "$student" = no ] || echo _build/student/html); do
  if [ ! -f "$site/index.html" ] || [ -e "$site/_lessonkit_failed" ]; then
    echo "$site: no successful build to publish; expected scripts/build.sh to have built it" >&2
    exit 1
  fi
done
rm -rf _build/site.part
cp -r _build/html _build/site.part
rm -f _build/site.part/.buildinfo
if [ "$student" != no ]; then
  cp -r _build/student/html _build/site.part/student
  rm -f _build/site.part/student/.buildinfo
fi
touch _build/site.part/.nojekyll  # serve _static/ and _images/ as they are
rm -rf _build/site
mv _build/site.part _build/site
echo "The site to publish is in _build/site (student edition: ${student})."

#!/usr/bin/env bash
# What a release attaches: the offline download of each edition, the LMS cartridge and their
# SHA-256 checksums, in _build/release (used by .github/workflows/release.yml on a tag).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/offline.sh
bash scripts/cartridge.sh
rm -rf _build/release
mkdir -p _build/release
cp _build/offline/*.zip _build/cartridge/*.imscc _build/release/
(cd _build/release && sha256sum -- *.zip *.imscc > SHA256SUMS.txt)
echo "Release files are in _build/release:"
ls -l _build/release

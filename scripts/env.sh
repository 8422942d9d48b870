#!/usr/bin/env bash
# Creates .venv and installs the pinned dependencies on first use, and again whenever
# pyproject.toml changes. Sourced by build.sh and test.sh; safe to run on its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

if ! "$PY" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
  echo "Clear Signals needs Python 3.11, 3.12 or 3.13 as '$PY' (set PYTHON=/path/to/python3 to choose one)." >&2
  exit 1
fi

# PYTHON chooses the Python of .venv: one that names another version than .venv has makes it anew.
if [ -n "${PYTHON:-}" ] && [ -e "$VENV" ]; then
  version='import sys; print("%d.%d" % sys.version_info[:2])'
  want="$("$PY" -c "$version")"
  have="$("$VENV/bin/python" -c "$version" 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    echo "Making .venv again with Python $want (PYTHON=$PY; it had ${have:-no working Python}) ..." >&2
    rm -rf "$VENV"
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian ships venv separately; install it when we are allowed to.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing python3-venv (Debian package) ..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv "$VENV"
    else
      echo "Could not create a virtual environment. On Debian or Ubuntu: sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi

STAMP="$VENV/.installed-pyproject"
if [ ! -f "$STAMP" ] || ! cmp -s "$ROOT/pyproject.toml" "$STAMP"; then
  echo "Installing the book's pinned dependencies into .venv (first run only) ..." >&2
  LOG="$VENV/install.log"
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip \
         && "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$ROOT[test]"; } >"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    echo "Installing the dependencies failed; the whole log is in $LOG" >&2
    exit 1
  fi
  cp "$ROOT/pyproject.toml" "$STAMP"
fi

# Debian packages the build itself needs (graphviz for diagrams).
bash "$ROOT/scripts/system-deps.sh" build

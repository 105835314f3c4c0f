#!/usr/bin/env bash
# The project's test command: installs what the tests need, then runs them.
# Usage: bash tests/run.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use: Chromium for the HTML view, raptor's rapper as a
# second, independent RDF parser. Installed from Debian when missing.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

python -m pip install -q --disable-pip-version-check -e ".[test]"
python -m ruff check .
python tests/lint_imports.py  # lint-imports: the layers contract in pyproject.toml
python -m pytest "$@"

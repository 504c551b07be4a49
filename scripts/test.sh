#!/usr/bin/env bash
# Set up a fresh virtual environment with the package and its test extras, then run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
pip install -q --upgrade pip
pip install -q -e ".[test]"
python -m pytest -q "$@"

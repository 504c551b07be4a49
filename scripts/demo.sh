#!/usr/bin/env bash
# Set up a fresh virtual environment with the package, analyse the bundled samples and write report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
pip install -q --upgrade pip
pip install -q -e .
sourcetrace demo -o report.html

#!/usr/bin/env bash
# A fresh virtual environment with the package alone (no extras, not editable): what a user's
# `pip install` gets. Every module must import (bar those of an optional extra) and an HTML page must
# be analysed: a dependency the code imports but pyproject.toml does not declare fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
quiet() { grep -v "is ignored: it is neither" >&2 || true; }  # the local mirror's harmless notices
"$work/venv/bin/pip" install -q --upgrade pip 2> >(quiet)
"$work/venv/bin/pip" install -q "$repo" 2> >(quiet)
cd "$work"  # away from the source tree: the installed package is what is imported
"$work/venv/bin/python" "$repo/scripts/import_all.py"
cat > page.html <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council votes on bridge</title></head><body>
<article><h1>Council votes on bridge</h1>
<p>The city council voted 7 to 2 on Tuesday to rebuild the Mill Street bridge, officials said.</p>
<p>"This bridge has carried our town for ninety years," said council member Ada Brooks.</p>
</article></body></html>
HTML
"$work/venv/bin/sourcetrace" analyze page.html --format json > report.json
"$work/venv/bin/python" -c "
import json
report = json.load(open('report.json'))
assert report['attributions'], report
print('fresh install: analysed page.html,', len(report['attributions']), 'attributions')
"

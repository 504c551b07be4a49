"""Word lists kept as data files under ``sourcetrace/data/lexicons`` (one entry a line, ``#`` comments)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> frozenset[str]:
    path = resources.files("sourcetrace") / "data" / "lexicons" / f"{name}.txt"
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.add(line.lower())
    return frozenset(entries)

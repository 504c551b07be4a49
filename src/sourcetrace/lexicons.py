"""Word lists kept as data files under ``sourcetrace/data/lexicons`` (one entry a line, ``#`` comments)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from .textspans import normalise


@lru_cache(maxsize=None)
def load(name: str) -> frozenset[str]:
    path = resources.files("sourcetrace") / "data" / "lexicons" / f"{name}.txt"
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.add(line.lower())
    return frozenset(entries)


@lru_cache(maxsize=None)
def load_mapping(name: str) -> MappingProxyType[str, str]:
    """A ``key|value`` lexicon file (the value may be empty) as a read-only mapping, keys lower-cased."""
    path = resources.files("sourcetrace") / "data" / "lexicons" / f"{name}.txt"
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition("|")
            entries[key.strip().lower()] = value.strip()
    return MappingProxyType(entries)


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """A ``canonical|alias,alias|note`` lexicon file as ``(canonical, aliases, note)`` rows."""
    path = resources.files("sourcetrace") / "data" / "lexicons" / f"{name}.txt"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        parts = line.split("|")
        canonical = parts[0].strip()
        aliases = tuple(a.strip() for a in parts[1].split(",") if a.strip()) if len(parts) > 1 else ()
        note = parts[2].strip() if len(parts) > 2 else ""
        rows.append((canonical, aliases, note))
    return tuple(rows)


@lru_cache(maxsize=1)
def media_aliases() -> dict[str, str]:
    """Normalised outlet name or alias -> canonical outlet name (``source_media``)."""
    out = {}
    for canonical, aliases, _ in load_table("source_media"):
        for alias in aliases + (canonical,):
            out[normalise(alias)] = canonical
    return out


@lru_cache(maxsize=1)
def media_short_forms() -> dict[str, tuple[str, ...]]:
    """Normalised short form ("the Post") -> the outlets it may stand for (``source_media_short``)."""
    return {normalise(short): outlets for short, outlets, _ in load_table("source_media_short")}


@lru_cache(maxsize=1)
def government_aliases() -> dict[str, tuple[str, str]]:
    """Normalised capital, seat or building -> (the government it stands for, who it means) (``source_governments``)."""
    out = {}
    for canonical, aliases, note in load_table("source_governments"):
        for alias in aliases + (canonical,):
            out[normalise(alias)] = (canonical, note)
    return out

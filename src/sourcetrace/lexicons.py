"""Word lists kept as data files, one folder of them a language (one entry a line, ``#`` comments).

A ``Lexicons`` reads the files of one folder inside the package; a language's record names its folder
(``LanguageRecord.lexicons``, English: ``data/lexicons``) and the extractors of an analyzer read the
folder of the analyzer's language (``LanguageRecord.lexicon_files()``, ``Context.lexicons``). The
module-level ``load``, ``load_mapping``, ``media_aliases``... read the English folder: they serve the
parts that work across articles on English data (story clustering, the store's outlet names, training on
the English corpora).
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from types import MappingProxyType

from .textspans import normalise

ENGLISH_FOLDER = "data/lexicons"


def _file(folder: str, name: str, suffix: str = ".txt") -> Traversable:
    if os.path.isabs(folder):  # a folder outside the package (a language added by its user, a test's copy)
        return Path(folder) / f"{name}{suffix}"
    path = resources.files("sourcetrace")
    for part in folder.split("/"):
        path = path / part
    return path / f"{name}{suffix}"


@lru_cache(maxsize=None)
def _words(folder: str, name: str) -> frozenset[str]:
    entries = set()
    for line in _file(folder, name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.add(line.lower())
    return frozenset(entries)


@lru_cache(maxsize=None)
def _mapping(folder: str, name: str) -> MappingProxyType[str, str]:
    entries = {}
    for line in _file(folder, name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition("|")
            entries[key.strip().lower()] = value.strip()
    return MappingProxyType(entries)


@lru_cache(maxsize=None)
def _table(folder: str, name: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    rows = []
    for line in _file(folder, name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        parts = line.split("|")
        canonical = parts[0].strip()
        aliases = tuple(a.strip() for a in parts[1].split(",") if a.strip()) if len(parts) > 1 else ()
        note = parts[2].strip() if len(parts) > 2 else ""
        rows.append((canonical, aliases, note))
    return tuple(rows)


@lru_cache(maxsize=None)
def _media_aliases(folder: str) -> dict[str, str]:
    out = {}
    for canonical, aliases, _ in _table(folder, "source_media"):
        for alias in aliases + (canonical,):
            out[normalise(alias)] = canonical
    return out


@lru_cache(maxsize=None)
def _media_short_forms(folder: str) -> dict[str, tuple[str, ...]]:
    return {normalise(short): outlets for short, outlets, _ in _table(folder, "source_media_short")}


@lru_cache(maxsize=None)
def _government_aliases(folder: str) -> dict[str, tuple[str, str]]:
    out = {}
    for canonical, aliases, note in _table(folder, "source_governments"):
        for alias in aliases + (canonical,):
            out[normalise(alias)] = (canonical, note)
    return out


class Lexicons:
    """The word lists of one language: the files of ``folder`` (a path inside the package, or an absolute
    one), each read once per process."""

    def __init__(self, folder: str):
        self.folder = folder

    def __repr__(self) -> str:
        return f"Lexicons({self.folder!r})"

    def words(self, name: str) -> frozenset[str]:
        """``name.txt`` as a set of lower-cased entries."""
        return _words(self.folder, name)

    def mapping(self, name: str) -> MappingProxyType[str, str]:
        """A ``key|value`` file (the value may be empty) as a read-only mapping, keys lower-cased."""
        return _mapping(self.folder, name)

    def table(self, name: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """A ``canonical|alias,alias|note`` file as ``(canonical, aliases, note)`` rows."""
        return _table(self.folder, name)

    def text(self, name: str) -> str:
        """``name.txt`` as it is (for files with their own format, such as ``structure_lines``)."""
        return _file(self.folder, name).read_text(encoding="utf-8")

    def media_aliases(self) -> dict[str, str]:
        """Normalised outlet name or alias -> canonical outlet name (``source_media``)."""
        return _media_aliases(self.folder)

    def media_short_forms(self) -> dict[str, tuple[str, ...]]:
        """Normalised short form ("the Post") -> the outlets it may stand for (``source_media_short``)."""
        return _media_short_forms(self.folder)

    def government_aliases(self) -> dict[str, tuple[str, str]]:
        """Normalised capital, seat or building -> (the government it stands for, who it means) (``source_governments``)."""
        return _government_aliases(self.folder)


@lru_cache(maxsize=None)
def at(folder: str) -> Lexicons:
    """The one ``Lexicons`` of ``folder`` in this process."""
    return Lexicons(folder)


def english() -> Lexicons:
    return at(ENGLISH_FOLDER)


# the English lists, for the parts that are not per-article analysis (see the module's docstring)
def load(name: str) -> frozenset[str]:
    return english().words(name)


def load_mapping(name: str) -> MappingProxyType[str, str]:
    return english().mapping(name)


def load_table(name: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    return english().table(name)


def media_aliases() -> dict[str, str]:
    return english().media_aliases()


def media_short_forms() -> dict[str, tuple[str, ...]]:
    return english().media_short_forms()


def government_aliases() -> dict[str, tuple[str, str]]:
    return english().government_aliases()

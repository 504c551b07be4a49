"""Extractor registry.

An extractor is a callable ``(Context) -> None`` that fills part of the report.
Each module registers a factory with ``@register(name, order)``; a new
extractor is added by writing a module and listing it in ``_MODULES``, without
touching the others. Lower ``order`` runs first.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

_REGISTRY: dict[str, tuple[int, Callable[[Any], Callable]]] = {}

# the modules whose import registers the default extractors
_MODULES = (
    "sourcetrace.extractors.attributions",
    "sourcetrace.extractors.chains",
    "sourcetrace.extractors.sources",
    "sourcetrace.extractors.stance",
    "sourcetrace.extractors.propaganda.loaded_language",
    "sourcetrace.extractors.claims",
    "sourcetrace.extractors.profile",
)


def register(name: str, order: int):
    def deco(factory):
        _REGISTRY[name] = (order, factory)
        return factory

    return deco


def default_extractors(options) -> list[Callable]:
    for module in _MODULES:
        importlib.import_module(module)
    return [factory(options) for _, (_, factory) in sorted(_REGISTRY.items(), key=lambda kv: kv[1][0])]


def registered_names() -> list[str]:
    for module in _MODULES:
        importlib.import_module(module)
    return [name for name, _ in sorted(_REGISTRY.items(), key=lambda kv: kv[1][0])]

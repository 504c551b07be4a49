"""The extractors and the contract between them.

An extractor is a callable ``(Context) -> None`` that fills part of the report. It declares, as
class attributes, its ``name``, what it ``requires`` (names that earlier extractors assign) and
what it ``assigns`` (the same idea as spaCy's component ``requires``/``assigns``). The names are
the report fields and per-article state they fill: ``attributions``, ``attribution_chains``,
``sources``, ``stance``, ``loaded_language``, ``claims``, ``profile``, and the typed state on
``Context`` (``first_reports``, ``source_keys``).

``build_order`` checks the declarations when an ``Analyzer`` is built and computes the run order
from them: a name no extractor assigns, a name assigned twice or a cycle is a ``PipelineError``
at start-up, never a silently empty field later. Among extractors whose requirements are met,
the one listed first runs first.

A new extractor is a module with a factory ``(AnalysisOptions) -> extractor`` and one line in
``EXTRACTORS``.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import SourcetraceError

if TYPE_CHECKING:
    from ..options import AnalysisOptions

# "module:factory" of every default extractor; the order here only breaks ties the contract leaves open
EXTRACTORS = (
    "sourcetrace.extractors.structure:make_structure_reader",
    "sourcetrace.extractors.attributions:make_attribution_extractor",
    "sourcetrace.extractors.layout:make_layout_statements",
    "sourcetrace.extractors.chains:make_chain_linker",
    "sourcetrace.extractors.sources:make_source_resolver",
    "sourcetrace.extractors.speakers:make_speaker_resolution",
    "sourcetrace.extractors.stance:make_stance_classifier",
    "sourcetrace.extractors.confidence:make_confidence_scorer",
    "sourcetrace.extractors.propaganda.loaded_language:make_loaded_language_extractor",
    "sourcetrace.extractors.claims:make_claim_finder",
    "sourcetrace.extractors.profile:make_profile_builder",
)


class PipelineError(SourcetraceError):
    """The extractors' declared requirements cannot be met (found when the pipeline is built)."""


def _factory(spec: str) -> Callable[[Any], Callable]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def describe(extractor: Callable) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """``(name, requires, assigns)``; a bare callable (a test's step) declares nothing."""
    name = str(getattr(extractor, "name", None) or getattr(extractor, "__name__", type(extractor).__name__))
    return name, tuple(getattr(extractor, "requires", ())), tuple(getattr(extractor, "assigns", ()))


def build_order(extractors: Sequence[Callable]) -> list[Callable]:
    """The extractors in an order that runs every producer before its consumers (stable: among
    those ready, the earliest in ``extractors``); ``PipelineError`` when that is impossible."""
    described = [describe(e) for e in extractors]
    producer: dict[str, str] = {}
    for name, _, assigns in described:
        for key in assigns:
            if key in producer:
                raise PipelineError(f"extractors {producer[key]!r} and {name!r} both assign {key!r}")
            producer[key] = name
    for name, requires, _ in described:
        missing = [key for key in requires if key not in producer]
        if missing:
            raise PipelineError(f"extractor {name!r} requires {', '.join(map(repr, missing))}, "
                                f"which no extractor in the pipeline assigns")
    done: set[str] = set()
    pending = list(range(len(extractors)))
    order: list[Callable] = []
    while pending:
        ready = next((i for i in pending if all(key in done for key in described[i][1])), None)
        if ready is None:
            stuck = ", ".join(repr(described[i][0]) for i in pending)
            raise PipelineError(f"extractors {stuck} require each other's output (a cycle)")
        pending.remove(ready)
        order.append(extractors[ready])
        done.update(described[ready][2])
    return order


def default_extractors(options: AnalysisOptions) -> list[Callable]:
    """The extractors of the language record of ``options`` (English: every one of ``EXTRACTORS``), built for
    ``options``, in run order."""
    from ..languages import record_for

    return build_order([_factory(spec)(options) for spec in record_for(options.language).extractors])


def registered_names() -> list[str]:
    """Names of the default extractors in run order (builds them with the default options)."""
    from ..options import AnalysisOptions

    return [describe(e)[0] for e in default_extractors(AnalysisOptions())]

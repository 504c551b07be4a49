"""sourcetrace: who says so? Attributions, sources, hedges, loaded language and claim provenance in news.

Python API::

    import sourcetrace
    report = sourcetrace.analyze("“It is safe,” the mayor said.")
    report.attributions[0].source.text      # 'the mayor'
    for article in sourcetrace.read_inputs(["articles.jsonl.gz"]): ...
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Article, ArticleReport, Attribution, Claim, LoadedSpan, Source, Span  # noqa: E402

__all__ = [
    "Article", "ArticleReport", "Attribution", "Claim", "LoadedSpan", "Source", "Span",
    "AnalysisOptions", "Analyzer", "analyze", "read_inputs", "__version__",
]


def __getattr__(name: str):
    # spaCy is imported only when analysis is asked for, so `import sourcetrace` stays light
    if name in {"AnalysisOptions", "Analyzer", "analyze"}:
        from . import pipeline

        return getattr(pipeline, name)
    if name == "read_inputs":
        from .ingest import read_inputs

        return read_inputs
    raise AttributeError(name)

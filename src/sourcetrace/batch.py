"""Analyse many articles: in process, in a local process pool, or on a Dask cluster.

Whatever the executor, one failing article yields an ``ArticleFailure`` and the
rest go on; results come back in input order.
"""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import SourcetraceError
from .model import Article, ArticleReport
from .pipeline import AnalysisOptions, Analyzer


@dataclass
class ArticleFailure:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


Outcome = ArticleReport | ArticleFailure

_worker_analyzer: Analyzer | None = None


def _origin(article: Article) -> str:
    return article.origin or article.id or "<article>"


def failure_of(article: Article, exc: Exception) -> ArticleFailure:
    """The failure line for an article whose analysis raised ``exc``."""
    if isinstance(exc, SourcetraceError):
        return ArticleFailure(_origin(article), str(exc))
    return ArticleFailure(_origin(article), f"analysis failed ({exc.__class__.__name__}: {exc})")


def analyze_one(analyzer: Analyzer, article: Article) -> Outcome:
    try:
        return analyzer.analyze(article)
    except Exception as exc:  # one bad article must not stop a batch; the reason is kept
        return failure_of(article, exc)


def _init_worker(options: AnalysisOptions) -> None:
    global _worker_analyzer
    _worker_analyzer = Analyzer(options)


def _work(article: Article) -> Outcome:
    assert _worker_analyzer is not None
    return analyze_one(_worker_analyzer, article)


def analyze_articles(
    articles: Iterable[Article], options: AnalysisOptions | None = None, workers: int = 1, analyzer: Analyzer | None = None
) -> Iterator[Outcome]:
    """Reports (or failures) for ``articles`` in order, with ``workers`` processes."""
    options = options or AnalysisOptions()
    if workers <= 1:
        analyzer = analyzer or Analyzer(options)
        for article in articles:
            yield analyze_one(analyzer, article)
        return
    ctx = mp.get_context("spawn")  # spaCy and threads do not survive fork reliably
    with ctx.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
        yield from pool.imap(_work, articles, chunksize=4)


def analyze_with_dask(articles: list[Article], options: AnalysisOptions | None = None, client=None, partitions: int | None = None):
    """A Dask bag of outcomes; pass a ``distributed.Client`` to run on a cluster."""
    import dask.bag as db

    options = options or AnalysisOptions()

    def run_partition(part: list[Article]) -> list[Outcome]:
        analyzer = Analyzer(options)
        return [analyze_one(analyzer, a) for a in part]

    bag = db.from_sequence(articles, npartitions=partitions or max(1, min(len(articles), 64)))
    return bag.map_partitions(run_partition)

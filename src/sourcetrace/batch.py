"""Analyse many articles: in process, in a local process pool, or on a Dask cluster.

Whatever the executor, one failing article yields an ``ArticleFailure`` and the
rest go on; results come back in input order.
"""
from __future__ import annotations

import itertools
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
# articles parsed together by nlp.pipe (the batch `sourcetrace bench` times the bare parse with)
STREAM_BATCH = 8

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


def stream_outcomes(analyzer: Analyzer, articles: Iterable[Article]) -> Iterator[Outcome]:
    """Reports (or failures) in order, parsed in ``nlp.pipe`` batches: the articles are read as the stream
    goes, so reading, parsing and the caller's writing interleave and nothing waits for the whole input."""
    for article, outcome in analyzer.analyze_stream(articles, batch_size=STREAM_BATCH):
        yield failure_of(article, outcome) if isinstance(outcome, Exception) else outcome


def _work(chunk: list[Article]) -> list[Outcome]:
    assert _worker_analyzer is not None
    return list(stream_outcomes(_worker_analyzer, chunk))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze_articles(
    articles: Iterable[Article], options: AnalysisOptions | None = None, workers: int = 1, analyzer: Analyzer | None = None
) -> Iterator[Outcome]:
    """Reports (or failures) for ``articles`` in order, with ``workers`` processes; ``articles`` may be a
    generator, consumed as the analysis goes."""
    options = options or AnalysisOptions()
    pending = iter(articles)
    first = next(pending, None)
    if first is None:  # nothing readable: no model is loaded, no process started
        return
    articles = itertools.chain([first], pending)
    if workers <= 1:
        yield from stream_outcomes(analyzer or Analyzer(options), articles)
        return
    ctx = mp.get_context("spawn")  # spaCy and threads do not survive fork reliably
    with ctx.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
        for outcomes in pool.imap(_work, _chunks(articles, STREAM_BATCH)):
            yield from outcomes


def analyze_with_dask(articles: list[Article], options: AnalysisOptions | None = None, client=None, partitions: int | None = None):
    """A Dask bag of outcomes; pass a ``distributed.Client`` to run on a cluster."""
    import dask.bag as db

    options = options or AnalysisOptions()

    def run_partition(part: list[Article]) -> list[Outcome]:
        analyzer = Analyzer(options)
        return [analyze_one(analyzer, a) for a in part]

    bag = db.from_sequence(articles, npartitions=partitions or max(1, min(len(articles), 64)))
    return bag.map_partitions(run_partition)

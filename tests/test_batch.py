"""Batch analysis: process pool and Dask give the in-process results; one bad article never stops the rest."""
from __future__ import annotations

from sourcetrace.batch import ArticleFailure, analyze_articles, analyze_with_dask
from sourcetrace.model import Article


class ExplodingExtractor:
    """Fails on one article only, as a real bug in an extractor would."""

    def __call__(self, ctx):
        if "EXPLODE" in ctx.article.text:
            raise RuntimeError("boom")


def _articles():
    texts = [
        "“We are ready,” the coach said after the match.",
        "The minister said that taxes would not rise.",
        "According to the report, unemployment fell to 4 percent.",
        "Officials said the road would reopen on Friday.",
    ]
    return [Article(text=t, id=f"b{i}", origin=f"batch-{i}") for i, t in enumerate(texts)]


def test_process_pool_matches_in_process(analyzer):
    articles = _articles()
    single = [r.to_dict() for r in analyze_articles(articles, analyzer=analyzer)]
    pooled = [r.to_dict() for r in analyze_articles(articles, workers=2)]
    assert pooled == single


def test_one_failing_article_does_not_stop_the_batch(analyzer):
    from sourcetrace.pipeline import Analyzer

    articles = _articles()
    articles.insert(1, Article(text="This one will EXPLODE, the tester said.", id="bad", origin="bad-article"))
    probe = Analyzer(analyzer.options, extractors=[*analyzer.extractors, ExplodingExtractor()])
    outcomes = list(analyze_articles(articles, analyzer=probe))
    assert len(outcomes) == 5
    failure = outcomes[1]
    assert isinstance(failure, ArticleFailure)
    assert str(failure) == "bad-article: analysis failed (RuntimeError: boom)"
    assert [o.id for o in outcomes if not isinstance(o, ArticleFailure)] == ["b0", "b1", "b2", "b3"]


def test_dask_bag_matches_in_process(analyzer):
    import dask

    articles = _articles()
    expected = [r.to_dict() for r in analyze_articles(articles, analyzer=analyzer)]
    with dask.config.set(scheduler="synchronous"):
        got = analyze_with_dask(articles, partitions=2).compute()
    assert [r.to_dict() for r in got] == expected

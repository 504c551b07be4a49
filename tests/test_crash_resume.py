"""``kill -9`` in the middle of a 1,000-article ingest, then the same command again: nothing lost, nothing doubled."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from _store_support import store_url  # noqa: F401  (fixture)

N_ARTICLES = 1000
OUTLETS = ("Harbor Ledger", "Valley Post", "Northern Courier")
SPEAKERS = ("Mayor Ana Ortiz", "A senior official", "Police", "People familiar with the talks", "The ministry")


def write_articles(path) -> None:
    """Short distinct articles with real attributions, so each one also writes sources and attribution rows."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N_ARTICLES):
            text = (f"{SPEAKERS[i % len(SPEAKERS)]} said on day {i} that road number {i} would close. "
                    f"The closure may last {i % 7 + 1} weeks, according to a memo seen by reporters.")
            record = {"id": f"crash-{i:04d}", "outlet": OUTLETS[i % 3], "published": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                      "title": f"Road {i}", "text": text}
            fh.write(json.dumps(record) + "\n")


def ingest(data, url) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "sourcetrace", "ingest", str(data), "--db", url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def stored_count(url) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:  # the tables do not exist until the child has run its migrations
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_kill_9_then_rerun_loses_and_duplicates_nothing(store_url, tmp_path):
    from sqlalchemy import func, select

    from sourcetrace.store import Store
    from sourcetrace.store.models import ArticleRow, AttributionRow, ReportRow, SourceRow

    data = tmp_path / "articles.jsonl"
    write_articles(data)

    child = ingest(data, store_url)
    deadline = time.monotonic() + 150
    while stored_count(store_url) < 150:
        assert child.poll() is None, f"ingest ended before it could be killed: {child.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "ingest too slow to reach 150 articles"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    before = stored_count(store_url)
    assert 150 <= before < N_ARTICLES, "the kill must land mid-ingest"

    rerun = ingest(data, store_url)
    _, stderr = rerun.communicate(timeout=200)
    assert rerun.returncode == 0, stderr[-2000:]
    summary = re.search(r"stored (\d+), skipped (\d+) \(already present\), failed (\d+)", stderr)
    assert summary, stderr[-2000:]
    stored, skipped, failed = map(int, summary.groups())
    assert failed == 0
    assert stored + skipped == N_ARTICLES
    # whatever the killed run committed is skipped; an article killed mid-transaction left nothing behind
    assert skipped == before

    store = Store(store_url)
    with store.Session() as session:
        ids = list(session.scalars(select(ArticleRow.id)))
        assert len(ids) == len(set(ids)) == N_ARTICLES
        assert set(ids) == {f"crash-{i:04d}" for i in range(N_ARTICLES)}
        assert session.scalar(select(func.count()).select_from(ReportRow)) == N_ARTICLES
        attributions = session.scalar(select(func.count()).select_from(AttributionRow))
        sources = session.scalar(select(func.count()).select_from(SourceRow))
        counted = session.scalar(select(func.sum(ArticleRow.n_attributions)))
        counted_sources = session.scalar(select(func.sum(ArticleRow.n_sources)))
    assert attributions == counted and attributions >= N_ARTICLES
    assert sources == counted_sources
    for report in store.iter_reports(ids=["crash-0000", f"crash-{before:04d}", f"crash-{N_ARTICLES - 1:04d}"]):
        assert report.attributions and report.text.startswith(SPEAKERS[int(report.id[-4:]) % len(SPEAKERS)])
    if store.dialect == "sqlite":
        from sqlalchemy import text

        with store.engine.begin() as conn:  # raises if the FTS index and the articles table disagree
            conn.execute(text("INSERT INTO article_fts(article_fts) VALUES ('integrity-check')"))
    store.close()

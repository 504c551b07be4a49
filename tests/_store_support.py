"""Store fixtures shared by the store, web and crash tests: a fresh SQLite file or PostgreSQL schema per test."""
from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("SOURCETRACE_TEST_PG_URL")
PG_SKIP = "set SOURCETRACE_TEST_PG_URL=postgresql+psycopg://USER:PASS@127.0.0.1:5432/DB to run the PostgreSQL variant (CI sets it)"


def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


class PgSchema:
    """A throwaway schema in the test database; the URL pins search_path to it."""

    def __init__(self, base_url: str):
        from sqlalchemy import create_engine, text

        self.name = "st_" + uuid.uuid4().hex[:12]
        self._engine = create_engine(base_url)
        with self._engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        sep = "&" if "?" in base_url else "?"
        self.url = f"{base_url}{sep}options={quote(f'-csearch_path={self.name}')}"

    def drop(self) -> None:
        from sqlalchemy import text

        with self._engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self._engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A database URL for an empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = PgSchema(PG_URL)
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def store(store_url):
    from sourcetrace.store import Store

    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample_reports(analyzer):
    """The bundled fictional samples, analysed for real."""
    from sourcetrace.samples import load_samples

    return [(article, analyzer.analyze(article)) for article in load_samples()]

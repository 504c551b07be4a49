"""Alembic environment: migrations run on the connection ``Store`` hands over (see ``store.migrate``)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sourcetrace.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    # batch mode lets later revisions alter tables on SQLite (which has no ALTER COLUMN)
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # `alembic -x` style use with sqlalchemy.url in the config
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic: no sqlalchemy.url in the config and no connection handed over by Store")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)

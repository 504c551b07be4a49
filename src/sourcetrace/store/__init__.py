"""The corpus store: analysed articles in SQLite (default) or PostgreSQL.

- ``Store`` (``store.py``): ``add``, ``has``, ``get_report``, ``iter_reports``, ``count``; ``engine`` and
  ``Session`` for extra tables.
- ``Base`` and the tables (``models.py``): define new tables on this ``Base``.
- Migrations (``migrations/versions/``): Alembic revisions, applied by ``Store(url)`` on open
  (``alembic upgrade heads``). A new module adds its own revision file there.
- Queries for the web pages and the API (``queries.py``, cacheable per ``Store.version()`` in a ``cache.LRU``);
  JSONL/Parquet/CSV/brat export (``export.py``).
- ``article_pages``: each article page's rendered body, written in ``Store.add``'s transaction by the insert hook
  the ingest sequence passes (``sourcetrace.desk``, ``sourcetrace.web.fragments``).
"""
from .models import Base
from .store import DEFAULT_URL, Store, content_hash

__all__ = ["Base", "DEFAULT_URL", "Store", "content_hash"]

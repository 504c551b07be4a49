"""The article page's body, rendered once per report and kept in ``article_pages``.

Rendering a page (parse the v1 JSON, compute the highlight segments, run the template) costs a few
milliseconds; reading a stored body costs a fraction of one. The ingest sequence (``sourcetrace.desk``)
renders the body when the article is stored (``store_page_on_insert`` in the store's insert transaction);
``serve`` renders the bodies a store filled by an older version lacks (or that older code rendered:
``render_key()`` differs) before it starts (``prerender``), and a page view that still finds none renders
it without writing (GET requests only read). The body is the autoescaped output of ``_report.html``:
escaping happens when it is rendered, exactly as it did per request.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, select

from ..model import ArticleReport
from ..store import Store
from ..store.models import ArticlePageRow, ArticleRow, ReportRow
from ..store.store import splice_text

_HERE = Path(__file__).parent
# the code whose output is stored: a change to any of these renders every page again
_RENDER_INPUTS = (
    _HERE / "templates" / "_report.html", _HERE / "views.py", _HERE / "deps.py", _HERE / "glossary.py",
    _HERE.parent / "render" / "segments.py", _HERE.parent / "render" / "summary.py", _HERE.parent / "render" / "view.py",
    _HERE.parent / "readings.py",
)


@functools.cache
def render_key() -> str:
    """Names the code that renders a body (a hash of ``_RENDER_INPUTS``), computed on first use, not on import."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in _RENDER_INPUTS)).hexdigest()[:32]


def __getattr__(name: str):
    if name == "RENDER_KEY":  # the constant this module exported before render_key(); computed when asked for
        return render_key()
    raise AttributeError(name)


def render_body(report: ArticleReport, min_confidence: float | None = None) -> str:
    """The highlighted text, sources panel, attributions, profile and summary of a stored article (HTML);
    ``min_confidence``: without the readings below it (``readings.readings_at_least``), never stored."""
    from ..readings import readings_at_least
    from .deps import templates
    from .views import article_context

    item = article_context(readings_at_least(report, min_confidence), min_confidence)
    return templates.env.get_template("_report.html").render(item=item, stored=True)


def body_etag(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]


def page_row(article_pk: int, report: ArticleReport) -> dict:
    html = render_body(report)
    return {"article_pk": article_pk, "render_key": render_key(), "etag": body_etag(html), "html": html}


def store_page_on_insert(session, article_pk: int, report: ArticleReport) -> None:
    """An insert hook of ``Store``: the page body, stored in the article's own transaction."""
    session.add(ArticlePageRow(**page_row(article_pk, report)))


def upsert(store: Store, rows: list[dict]):
    """An INSERT that replaces an existing body of the same article (both dialects)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    stmt = insert(ArticlePageRow).values(rows)
    return stmt.on_conflict_do_update(
        index_elements=[ArticlePageRow.article_pk],
        set_={"render_key": stmt.excluded.render_key, "etag": stmt.excluded.etag, "html": stmt.excluded.html},
    )


@dataclass(frozen=True)
class Head:
    """What a page view needs before deciding between 304, a cached page and reading the body."""

    pk: int
    title: str | None
    etag: str | None  # None: no current body stored


# built once with bound parameters: SQLAlchemy then reuses their cache keys and compiled forms on every view
_HEAD = (
    select(ArticleRow.pk, ArticleRow.id, ArticleRow.title, ArticlePageRow.etag)
    .outerjoin(ArticlePageRow, (ArticlePageRow.article_pk == ArticleRow.pk)
               & (ArticlePageRow.render_key == bindparam("render_key")))
    .where(ArticleRow.id == bindparam("article_id"))
)
_BODY = select(ArticlePageRow.html).where(ArticlePageRow.article_pk == bindparam("pk"), ArticlePageRow.etag == bindparam("etag"))


def head(store: Store, article_id: str) -> Head | None:
    # a Core connection, not an ORM session: this runs on every page view and the session costs more than the query
    with store.engine.connect() as conn:
        row = conn.execute(_HEAD, {"article_id": article_id, "render_key": render_key()}).first()
    return Head(row.pk, row.title if row.title else row.id, row.etag) if row else None


def stored_body(store: Store, pk: int, etag: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(_BODY, {"pk": pk, "etag": etag}).scalar()


def _with_corrections(store: Store, report: ArticleReport) -> ArticleReport:
    """The report a page shows: readers' corrections applied (``sourcetrace.store.corrections``)."""
    from ..store.corrections import corrected, list_corrections

    return corrected(report, list_corrections(store, report.id))


def render_stored(store: Store, pk: int, min_confidence: float | None = None) -> tuple[str, str] | None:
    """Render the body of article ``pk`` from its stored report (readers' corrections applied), writing nothing;
    (html, etag), None if the article is gone. For a page view that finds no current body (``prerender`` and
    a stored correction keep them), or one that hides the readings below ``min_confidence``."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(ArticleRow.text, ReportRow.document).join(ReportRow, ReportRow.article_pk == ArticleRow.pk)
            .where(ArticleRow.pk == pk)
        ).first()
    if found is None:
        return None
    report = _with_corrections(store, ArticleReport.model_validate_json(splice_text(found.document, found.text)))
    html = render_body(report, min_confidence)
    return html, body_etag(html)


def prerender(store: Store, batch_size: int = 200) -> int:
    """Render and keep the body of every article that has none for the current ``render_key()``; how many."""
    done = 0
    missing = (
        select(ArticleRow.pk, ArticleRow.text, ReportRow.document)
        .join(ReportRow, ReportRow.article_pk == ArticleRow.pk)
        .outerjoin(ArticlePageRow, (ArticlePageRow.article_pk == ArticleRow.pk) & (ArticlePageRow.render_key == render_key()))
        .where(ArticlePageRow.article_pk.is_(None)).order_by(ArticleRow.pk).limit(batch_size)
    )
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(missing).all()
        if not rows:
            return done
        batch = [page_row(r.pk, _with_corrections(store, ArticleReport.model_validate_json(splice_text(r.document, r.text))))
                 for r in rows]
        with store.engine.begin() as conn:
            conn.execute(upsert(store, batch))
        done += len(batch)

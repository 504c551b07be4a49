"""The article page's body, rendered once per report and kept in ``article_pages``.

Rendering a page (parse the v1 JSON, compute the highlight segments, run the template) costs a few
milliseconds; reading a stored body costs a fraction of one. Once this module is imported (the web app
and ``bench web`` do), ``Store.add`` renders the body when the article is stored, through
``store.INSERT_HOOKS``; a store filled by an older version (or rendered by older code: ``RENDER_KEY``
differs) renders it on the first view and keeps it. The body is the autoescaped output of
``_report.html``: escaping happens when it is rendered, exactly as it did per request.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError

from ..model import ArticleReport
from ..store import Store
from ..store.models import ArticlePageRow, ArticleRow, ReportRow
from ..store.store import INSERT_HOOKS, splice_text

_HERE = Path(__file__).parent
# the code whose output is stored: a change to any of these renders every page again on its next view
_RENDER_INPUTS = (
    _HERE / "templates" / "_report.html", _HERE / "views.py", _HERE / "deps.py", _HERE / "glossary.py",
    _HERE.parent / "render" / "segments.py", _HERE.parent / "render" / "summary.py",
)
RENDER_KEY = hashlib.sha256(b"".join(p.read_bytes() for p in _RENDER_INPUTS)).hexdigest()[:32]


def render_body(report: ArticleReport) -> str:
    """The highlighted text, sources panel, attributions, profile and summary of a stored article (HTML)."""
    from .deps import templates
    from .views import article_context

    return templates.env.get_template("_report.html").render(item=article_context(report), stored=True)


def body_etag(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]


def page_row(article_pk: int, report: ArticleReport) -> dict:
    html = render_body(report)
    return {"article_pk": article_pk, "render_key": RENDER_KEY, "etag": body_etag(html), "html": html}


def _store_page_on_insert(session, article_pk: int, report: ArticleReport) -> None:
    session.add(ArticlePageRow(**page_row(article_pk, report)))


if _store_page_on_insert not in INSERT_HOOKS:
    INSERT_HOOKS.append(_store_page_on_insert)


def upsert(store: Store, rows: list[dict]):
    """An INSERT that replaces an existing body of the same article (both dialects)."""
    if store.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
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
    .outerjoin(ArticlePageRow, (ArticlePageRow.article_pk == ArticleRow.pk) & (ArticlePageRow.render_key == RENDER_KEY))
    .where(ArticleRow.id == bindparam("article_id"))
)
_BODY = select(ArticlePageRow.html).where(ArticlePageRow.article_pk == bindparam("pk"), ArticlePageRow.etag == bindparam("etag"))


def head(store: Store, article_id: str) -> Head | None:
    # a Core connection, not an ORM session: this runs on every page view and the session costs more than the query
    with store.engine.connect() as conn:
        row = conn.execute(_HEAD, {"article_id": article_id}).first()
    return Head(row.pk, row.title if row.title else row.id, row.etag) if row else None


def stored_body(store: Store, pk: int, etag: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(_BODY, {"pk": pk, "etag": etag}).scalar()


def _with_corrections(store: Store, report: ArticleReport) -> ArticleReport:
    """The report a page shows: readers' corrections applied (``sourcetrace.store.corrections``)."""
    from ..store.corrections import corrected, list_corrections

    return corrected(report, list_corrections(store, report.id))


def render_and_keep(store: Store, pk: int) -> tuple[str, str] | None:
    """Render the body of article ``pk`` from its report and store it; (html, etag), None if the article is gone.
    A store busy with a writer still gets its page: keeping the body is skipped then, and the next view retries."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(ArticleRow.text, ReportRow.document).join(ReportRow, ReportRow.article_pk == ArticleRow.pk)
            .where(ArticleRow.pk == pk)
        ).first()
    if found is None:
        return None
    row = page_row(pk, _with_corrections(store, ArticleReport.model_validate_json(splice_text(found.document, found.text))))
    try:
        with store.engine.begin() as conn:
            conn.execute(upsert(store, [row]))
    except DBAPIError:
        pass
    return row["html"], row["etag"]


def prerender(store: Store, batch_size: int = 200) -> int:
    """Render and keep the body of every article that has none for the current ``RENDER_KEY``; how many."""
    done = 0
    missing = (
        select(ArticleRow.pk, ArticleRow.text, ReportRow.document)
        .join(ReportRow, ReportRow.article_pk == ArticleRow.pk)
        .outerjoin(ArticlePageRow, (ArticlePageRow.article_pk == ArticleRow.pk) & (ArticlePageRow.render_key == RENDER_KEY))
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

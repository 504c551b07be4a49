"""The read queries behind the web pages and the REST API (bound parameters only)."""
from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Select, TextClause, and_, desc, func, literal_column, select, text, true
from sqlalchemy.sql.elements import OrderByList

from .cache import LRU
from .models import ArticleRow, AttributionRow, OutletRow, SourceRow
from .store import Store

MAX_PER_PAGE = 100
SNIPPET_CHARS = 240
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


@dataclass
class ArticleQuery:
    q: str | None = None
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    anonymous: bool = False  # at least one unnamed source
    hedged: bool = False  # at least one hedged attribution
    page: int = 1
    per_page: int = 25

    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.limit()

    def limit(self) -> int:
        return max(1, min(self.per_page, MAX_PER_PAGE))


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "page": self.page, "per_page": self.per_page, "pages": self.pages}


def fts5_query(q: str) -> str | None:
    """User words as an FTS5 expression of quoted terms (AND), "quoted phrases" kept: no FTS5 syntax leaks through."""
    parts = []
    for m in _PHRASE_OR_WORD.finditer(q):
        phrase = m.group(1)
        if phrase is not None:
            words = re.findall(r"\w+", phrase, re.UNICODE)
            if words:
                parts.append('"' + " ".join(words) + '"')
        else:
            parts.append(f'"{m.group(2)}"')
    return " ".join(parts) or None


def clean_query(q: str | None) -> str:
    """User search text without NUL and other control characters (PostgreSQL rejects NUL in text)."""
    return "".join(ch for ch in (q or "") if ch >= " " or ch in "\t\n").strip()


def _summary_columns():
    return (
        ArticleRow.pk, ArticleRow.id, ArticleRow.title, ArticleRow.url, ArticleRow.published, ArticleRow.published_date,
        OutletRow.name.label("outlet"), ArticleRow.n_attributions, ArticleRow.n_sources,
        ArticleRow.n_anonymous_sources, ArticleRow.n_anonymous_attributions, ArticleRow.n_hedged,
        ArticleRow.n_loaded, func.substr(ArticleRow.text, 1, SNIPPET_CHARS).label("snippet"),
    )


def _summary(row) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title, "url": row.url, "outlet": row.outlet, "published": row.published,
        "n_attributions": row.n_attributions, "n_sources": row.n_sources,
        "n_anonymous_sources": row.n_anonymous_sources, "n_anonymous_attributions": row.n_anonymous_attributions,
        "n_hedged": row.n_hedged, "n_loaded": row.n_loaded, "snippet": row.snippet,
    }


def cached(store: Store, cache: LRU | None, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its result kept in ``cache`` under ``key`` and the store's current ``version()``."""
    if cache is None:
        return compute()
    versioned = (key, store.version())
    found = cache.get(versioned)
    if found is None:
        found = compute()
        cache.put(versioned, found)
    return found


def list_articles(store: Store, query: ArticleQuery, cache: LRU | None = None) -> Page:
    """One page of article summaries matching the filters; ranked by relevance when searching, else newest first.
    With ``cache``, a query asked again while no article was added is answered from it (ranking a frequent word
    over thousands of FTS matches costs tens of milliseconds; the pages ask for the same few queries).

    Two steps: the matching page of primary keys (filter columns and indexes only), then the summaries of those
    25 rows, so the article texts of all the other matches are never read."""
    if cache is not None:
        return cached(store, cache, ("articles", astuple(query)), lambda: list_articles(store, query))
    keys: Select[Any] | TextClause  # a text query when FTS5 alone answers the search (below)
    count: Select[Any] | TextClause
    keys = select(ArticleRow.pk).select_from(ArticleRow)
    count = select(func.count()).select_from(ArticleRow)
    conditions: list[ColumnElement[bool]] = []
    # newest first, undated last: SQLite sorts NULL lowest, PostgreSQL highest; plain columns keep the index usable
    newest = desc(ArticleRow.published_date)
    order: list[ColumnElement[Any] | OrderByList] = [newest.nulls_last() if store.dialect == "postgresql" else newest, desc(ArticleRow.pk)]
    q = clean_query(query.q)
    if q:
        if store.dialect == "sqlite":
            expr = fts5_query(q)
            if expr is None:
                return Page([], 0, query.page, query.limit())
            ranked = text("SELECT rowid AS pk, bm25(article_fts, 4.0, 1.0) AS score FROM article_fts WHERE article_fts MATCH :fts")
            hits = ranked.bindparams(fts=expr).columns(pk=Integer, score=Float).subquery("hits")
            keys = keys.join(hits, hits.c.pk == ArticleRow.pk)
            count = count.join(hits, hits.c.pk == ArticleRow.pk)
            order = [hits.c.score, desc(ArticleRow.pk)]
        else:
            tsq = func.websearch_to_tsquery("english", q)
            search: ColumnElement[Any] = literal_column("articles.search")
            conditions.append(search.op("@@")(tsq))
            order = [desc(func.ts_rank(search, tsq)), desc(ArticleRow.pk)]
    if query.outlet:
        outlet_id = select(OutletRow.id).where(OutletRow.name == query.outlet).scalar_subquery()
        conditions.append(ArticleRow.outlet_id == outlet_id)
    if query.date_from:
        conditions.append(ArticleRow.published_date >= query.date_from)
    if query.date_to:
        conditions.append(ArticleRow.published_date <= query.date_to)
    if query.anonymous:
        conditions.append(ArticleRow.n_anonymous_sources > 0)
    if query.hedged:
        conditions.append(ArticleRow.n_hedged > 0)
    if conditions:
        keys = keys.where(and_(*conditions))
        count = count.where(and_(*conditions))
        keys = keys.order_by(*order).limit(query.limit()).offset(query.offset())
    elif q and store.dialect == "sqlite":
        # search alone: FTS5 ranks and limits inside the index (several times faster than ranking a join)
        keys = text(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH :fts "
            "ORDER BY bm25(article_fts, 4.0, 1.0), rowid DESC LIMIT :limit OFFSET :offset"
        ).bindparams(fts=fts5_query(q), limit=query.limit(), offset=query.offset())
        count = text("SELECT count(*) FROM article_fts WHERE article_fts MATCH :fts").bindparams(fts=fts5_query(q))
    else:
        keys = keys.order_by(*order).limit(query.limit()).offset(query.offset())
    # a Core connection: the ORM session's bookkeeping cost more than these three small queries
    with store.engine.connect() as conn:
        total = conn.scalar(count) or 0
        page_keys = list(conn.scalars(keys))
        rows = conn.execute(
            select(*_summary_columns()).select_from(ArticleRow)
            .outerjoin(OutletRow, OutletRow.id == ArticleRow.outlet_id).where(ArticleRow.pk.in_(page_keys))
        ).all() if page_keys else []
    by_pk = {r.pk: r for r in rows}
    return Page([_summary(by_pk[pk]) for pk in page_keys if pk in by_pk], total, max(query.page, 1), query.limit())


def list_outlets(store: Store) -> list[dict[str, Any]]:
    stmt = (
        select(
            OutletRow.name, func.count(ArticleRow.pk).label("articles"),
            func.sum(ArticleRow.n_attributions).label("attributions"),
            func.sum(ArticleRow.n_anonymous_attributions).label("anonymous"),
            func.min(ArticleRow.published_date).label("first"), func.max(ArticleRow.published_date).label("last"),
        )
        .join(ArticleRow, ArticleRow.outlet_id == OutletRow.id)
        .group_by(OutletRow.name)
        .order_by(desc("articles"), OutletRow.name)
    )
    with store.Session() as session:
        rows = session.execute(stmt).all()
    return [
        {
            "name": r.name, "articles": r.articles, "attributions": int(r.attributions or 0),
            "anonymous_share": (r.anonymous or 0) / r.attributions if r.attributions else None,
            "first": r.first.isoformat() if r.first else None, "last": r.last.isoformat() if r.last else None,
        }
        for r in rows
    ]


STANCES = ("neutral", "assertive", "distancing", "hedged", "negated")


def outlet_timeline(store: Store, outlet: str) -> list[dict[str, Any]] | None:
    """Per month: articles, attributions per article, anonymous share, stance mix. None if the outlet is unknown."""
    with store.Session() as session:
        outlet_id = session.scalar(select(OutletRow.id).where(OutletRow.name == outlet))
        if outlet_id is None:
            return None
        month = func.coalesce(ArticleRow.published_month, "undated")
        per_month = session.execute(
            select(
                month.label("month"), func.count().label("articles"),
                func.sum(ArticleRow.n_attributions).label("attributions"),
                func.sum(ArticleRow.n_anonymous_attributions).label("anonymous"),
            )
            .where(ArticleRow.outlet_id == outlet_id).group_by(month).order_by(month)
        ).all()
        stance_rows = session.execute(
            select(month.label("month"), AttributionRow.stance, func.count().label("n"))
            .join(AttributionRow, AttributionRow.article_pk == ArticleRow.pk)
            .where(ArticleRow.outlet_id == outlet_id).group_by(month, AttributionRow.stance)
        ).all()
    stances: dict[str, dict[str, int]] = {}
    for row in stance_rows:
        stances.setdefault(row.month, {})[row.stance] = row.n
    out = []
    for r in per_month:
        attributions = int(r.attributions or 0)
        out.append({
            "month": r.month, "articles": r.articles, "attributions": attributions,
            "attributions_per_article": attributions / r.articles if r.articles else 0.0,
            "anonymous_share": (r.anonymous or 0) / attributions if attributions else None,
            "stances": {s: stances.get(r.month, {}).get(s, 0) for s in STANCES},
        })
    return out


def list_sources(
    store: Store, q: str | None = None, kind: str | None = None, named: bool | None = None, outlet: str | None = None,
    page: int = 1, per_page: int = 50,
) -> Page:
    """Sources grouped by (name, kind, named) across articles, most-cited first."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    conditions: list[ColumnElement[bool]] = []
    q = clean_query(q)
    if q:
        # LIKE metacharacters in the user's text are escaped, then the whole thing is a bound parameter
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(func.lower(SourceRow.name).like(pattern, escape="\\"))
    if kind:
        conditions.append(SourceRow.kind == kind)
    if named is not None:
        conditions.append(SourceRow.named == named)
    if outlet:
        conditions.append(OutletRow.name == outlet)
    grouped = (
        select(
            SourceRow.name, SourceRow.kind, SourceRow.named,
            func.count(func.distinct(SourceRow.article_pk)).label("articles"),
            func.sum(SourceRow.n_attributions).label("attributions"),
        )
        .join(ArticleRow, ArticleRow.pk == SourceRow.article_pk)
        .outerjoin(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .where(and_(true(), *conditions))
        .group_by(SourceRow.name, SourceRow.kind, SourceRow.named)
    )
    sub = grouped.subquery()
    with store.Session() as session:
        total = session.scalar(select(func.count()).select_from(sub)) or 0
        rows = session.execute(
            select(sub).order_by(desc(sub.c.articles), desc(sub.c.attributions), sub.c.name)
            .limit(per_page).offset((max(page, 1) - 1) * per_page)
        ).all()
    items = [
        {"name": r.name, "kind": r.kind, "named": bool(r.named), "articles": r.articles, "attributions": int(r.attributions or 0)}
        for r in rows
    ]
    return Page(items, total, max(page, 1), per_page)


def article_outlets(store: Store, cache: LRU | None = None) -> list[str]:
    if cache is not None:
        return cached(store, cache, "outlets", lambda: article_outlets(store))
    with store.engine.connect() as conn:
        return list(conn.scalars(select(OutletRow.name).order_by(OutletRow.name)))


__all__ = ["ArticleQuery", "Page", "list_articles", "list_outlets", "outlet_timeline", "list_sources", "fts5_query", "STANCES"]

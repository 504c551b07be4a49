"""Who said what: stored statements (attributions) searched by speaker, by their words, by outlet, date,
stance and anonymity, with the matching words marked in each statement.

- ``speaker``: any name of a corpus source ("Trump" finds every name merged with Donald Trump; see
  ``corpus_sources``) or a corpus source's id.
- ``said``: words (each must occur in the statement, inflections allowed: "tariff" finds "tariffs") and
  "quoted phrases" (in that order). The full-text index narrows the articles first; the statement itself
  is then checked and its matches marked.
- ``anonymous``: only statements resting on unnamed sources (or on no source at all).

Statements come newest first; at most ``SCAN_LIMIT`` candidates are read per query (``truncated`` says so).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, desc, literal_column, select, text

from .corpus_sources import corpus_index, statement_columns, statement_dict, statements_join
from .models import ArticleRow, AttributionRow, OutletRow, SourceRow
from .queries import MAX_PER_PAGE, clean_query, fts5_query
from .store import Store

SCAN_LIMIT = 20_000
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


@dataclass
class StatementQuery:
    speaker: str | None = None
    said: str | None = None
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    anonymous: bool = False
    stance: str | None = None
    page: int = 1
    per_page: int = 25

    def limit(self) -> int:
        return max(1, min(self.per_page, MAX_PER_PAGE))


def word_patterns(said: str) -> list[re.Pattern]:
    """One pattern per word or "quoted phrase"; a word matches at a word start and allows an ending."""
    patterns = []
    for m in _PHRASE_OR_WORD.finditer(said):
        if m.group(1) is not None:
            words = re.findall(r"\w+", m.group(1), re.UNICODE)
            if words:
                patterns.append(re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE))
        else:
            patterns.append(re.compile(r"\b" + re.escape(m.group(2)) + r"\w*", re.IGNORECASE))
    return patterns


def highlights(content: str, patterns: list[re.Pattern]) -> list[tuple[int, int]] | None:
    """The marked ranges of ``content`` (merged, in order), or None when a pattern does not occur."""
    ranges: list[tuple[int, int]] = []
    for pattern in patterns:
        found = [(m.start(), m.end()) for m in pattern.finditer(content)]
        if not found:
            return None
        ranges.extend(found)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_pieces(content: str, ranges: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The content cut into plain and marked pieces (the page escapes each and wraps marked ones in <mark>)."""
    pieces, pos = [], 0
    for start, end in ranges:
        if start > pos:
            pieces.append({"text": content[pos:start], "mark": False})
        pieces.append({"text": content[start:end], "mark": True})
        pos = end
    if pos < len(content):
        pieces.append({"text": content[pos:], "mark": False})
    return pieces


def search_statements(store: Store, query: StatementQuery) -> dict[str, Any]:
    """One page of matching statements, newest first, each with ``highlights`` ([start, end] in ``content``)
    and the corpus source it belongs to."""
    index = corpus_index(store)
    stmt = statements_join(select(*statement_columns()))
    conditions: list[ColumnElement[bool]] = []
    members: set[tuple[str, str, bool]] | None = None
    speaker = clean_query(query.speaker)
    if speaker:
        chosen = [index.sources[speaker]] if speaker in index.sources else index.find(speaker)
        members = {(a.name, a.kind, a.named) for s in chosen for a in s.aliases}
        if not members:
            return _result([], query, False)
        conditions.append(SourceRow.name.in_(sorted({m[0] for m in members})))
    said = clean_query(query.said)
    patterns = word_patterns(said) if said else []
    if said and not patterns:
        return _result([], query, False)
    if patterns:
        if store.dialect == "sqlite":
            hits = text("SELECT rowid AS pk FROM article_fts WHERE article_fts MATCH :fts").bindparams(
                fts=fts5_query(said)).columns(pk=Integer).subquery("hits")
            stmt = stmt.join(hits, hits.c.pk == ArticleRow.pk)
        else:
            from sqlalchemy import func

            conditions.append(literal_column("articles.search").op("@@")(func.websearch_to_tsquery("english", said)))
    if query.outlet:
        conditions.append(OutletRow.name == query.outlet)
    if query.date_from:
        conditions.append(ArticleRow.published_date >= query.date_from)
    if query.date_to:
        conditions.append(ArticleRow.published_date <= query.date_to)
    if query.anonymous:
        conditions.append(AttributionRow.anonymous.is_(True))
    if query.stance:
        conditions.append(AttributionRow.stance == query.stance)
    if conditions:
        stmt = stmt.where(and_(*conditions))
    newest = desc(ArticleRow.published_date)
    stmt = stmt.order_by(newest.nulls_last() if store.dialect == "postgresql" else newest, desc(ArticleRow.pk),
                         AttributionRow.content_start).limit(SCAN_LIMIT + 1)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    truncated = len(rows) > SCAN_LIMIT
    found = []
    for r in rows[:SCAN_LIMIT]:
        if members is not None and (r.source_name, r.source_kind, bool(r.source_named)) not in members:
            continue
        marks = highlights(r.content or "", patterns) if patterns else []
        if marks is None:
            continue
        item = statement_dict(r)
        item["highlights"] = [list(m) for m in marks]
        sid = index.of_alias.get((r.source_name, r.source_kind, bool(r.source_named)))
        item["source"]["id"] = sid
        item["source"]["corpus_name"] = index.sources[sid].name if sid else None
        found.append(item)
    return _result(found, query, truncated)


def _result(found: list[dict], query: StatementQuery, truncated: bool) -> dict[str, Any]:
    per_page = query.limit()
    page = max(query.page, 1)
    return {"items": found[(page - 1) * per_page: page * per_page], "total": len(found), "page": page,
            "per_page": per_page, "pages": max(1, -(-len(found) // per_page)), "truncated": truncated}


__all__ = ["StatementQuery", "search_statements", "highlights", "marked_pieces", "word_patterns"]

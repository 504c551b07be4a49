"""Tables of the corpus store (SQLAlchemy 2 declarative models).

``Base`` is the one declarative base: other modules (e.g. ``sourcetrace.stories.tables``)
define their tables on it and ship an Alembic revision in
``sourcetrace/store/migrations/versions/`` (``down_revision = "0001_initial"`` or the
current head), which ``Store`` applies on open.

The full v1 report is kept in ``reports.document`` (its JSON with an empty text; the text is
``articles.text``) so it rebuilds byte for byte; ``attributions``, ``sources`` and the
per-article counts on ``articles`` are denormalised copies for the queries the web
pages make.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class OutletRow(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True, nullable=False)


class ArticleRow(Base):
    __tablename__ = "articles"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(300), unique=True, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), nullable=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(100))  # as the input gave it
    published_date: Mapped[date | None] = mapped_column(Date)  # parsed, for range filters; None when unparseable
    published_month: Mapped[str | None] = mapped_column(String(7))  # "YYYY-MM", for the outlet timeline
    language: Mapped[str] = mapped_column(String(16), default="en")
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    n_attributions: Mapped[int] = mapped_column(Integer, default=0)
    n_sources: Mapped[int] = mapped_column(Integer, default=0)
    n_anonymous_sources: Mapped[int] = mapped_column(Integer, default=0)
    n_anonymous_attributions: Mapped[int] = mapped_column(Integer, default=0)  # unnamed or missing source
    n_hedged: Mapped[int] = mapped_column(Integer, default=0)
    n_loaded: Mapped[int] = mapped_column(Integer, default=0)
    n_claims: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    text: Mapped[str] = mapped_column(Text, nullable=False)  # last column on purpose (see migration 0001)

    __table_args__ = (
        Index("ix_articles_outlet_date", "outlet_id", "published_date"),
        Index("ix_articles_published_date", "published_date"),
        Index("ix_articles_anonymous", "n_anonymous_sources"),
        Index("ix_articles_hedged", "n_hedged"),
    )


class ReportRow(Base):
    __tablename__ = "reports"

    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True)
    schema: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text, nullable=False)  # the v1 JSON with "text":"" (see Store.get_report_json)


class SourceRow(Base):
    __tablename__ = "sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False)
    source_id: Mapped[str] = mapped_column(String(64))  # id inside the report ("s1")
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    named: Mapped[bool] = mapped_column(Boolean)
    descriptor: Mapped[str | None] = mapped_column(Text)
    n_mentions: Mapped[int] = mapped_column(Integer, default=0)
    n_attributions: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_sources_article", "article_pk"),
        Index("ix_sources_name", "name"),
        Index("ix_sources_kind", "kind"),
    )


class AttributionRow(Base):
    __tablename__ = "attributions"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False)
    attribution_id: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(32))
    stance: Mapped[str] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    source_text: Mapped[str | None] = mapped_column(Text)
    cue_text: Mapped[str | None] = mapped_column(Text)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_attributions_article", "article_pk"),
        Index("ix_attributions_stance", "stance"),
    )


class ArticlePageRow(Base):
    """The rendered body of an article's page (derived from its report, like the counts on ``articles``).

    ``render_key`` names the code that rendered it (``sourcetrace.web.fragments.render_key()``): a row with another
    key is stale and is rendered again on the next view. ``etag`` is a digest of ``html``."""

    __tablename__ = "article_pages"

    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True)
    render_key: Mapped[str] = mapped_column(String(64), nullable=False)
    etag: Mapped[str] = mapped_column(String(64), nullable=False)
    html: Mapped[str] = mapped_column(Text, nullable=False)


__all__ = ["Base", "OutletRow", "ArticleRow", "ReportRow", "SourceRow", "AttributionRow", "ArticlePageRow"]

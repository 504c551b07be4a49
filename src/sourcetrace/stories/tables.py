"""The story tables, on the store's ``Base``: which story each article is in, and the clustering state
(the article's TF-IDF vector, and an undated article's sentence embedding) so new articles join stories without
re-clustering the corpus."""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..store.models import Base


class StoryArticleRow(Base):
    __tablename__ = "story_articles"

    article_id: Mapped[str] = mapped_column(String(300), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[str] = mapped_column(String(32), index=True, nullable=False)  # as first assigned; merges resolve it
    seq: Mapped[int] = mapped_column(Integer, nullable=False)  # placement order, to restore the index as it was built
    published: Mapped[str | None] = mapped_column(String(100))
    vector: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    # an undated article's MiniLM embedding (float32 bytes, see stories.embedding): computed once, when placed
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)


class StoryMergeRow(Base):
    __tablename__ = "story_merges"

    merged: Mapped[str] = mapped_column(String(32), primary_key=True)
    into: Mapped[str] = mapped_column(String(32), nullable=False)

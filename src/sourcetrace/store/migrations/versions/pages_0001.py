"""Rendered article page bodies (``article_pages``), so a page view reads one row instead of parsing and rendering.

Revision ID: pages_0001
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "pages_0001"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_pages",
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("render_key", sa.String(64), nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("html", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_pages")

"""Readers' corrections of attributions (``corrections``): kept apart from the model's report, applied on read.

Revision ID: corrections_0001
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "corrections_0001"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(300), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("attribution_id", sa.String(64)),
        sa.Column("content_start", sa.Integer),
        sa.Column("content_end", sa.Integer),
        sa.Column("fields", sa.JSON),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_corrections_article", "corrections", ["article_id"])


def downgrade() -> None:
    op.drop_table("corrections")

"""Story clustering tables: story_articles (assignment + clustering vector) and story_merges.

Revision ID: stories_0001
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "stories_0001"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.String(300), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("published", sa.String(100)),
        sa.Column("vector", sa.JSON, nullable=False),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])
    op.create_table(
        "story_merges",
        sa.Column("merged", sa.String(32), primary_key=True),
        sa.Column("into", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_merges")
    op.drop_index("ix_story_articles_story_id", table_name="story_articles")
    op.drop_table("story_articles")

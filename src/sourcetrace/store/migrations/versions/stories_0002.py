"""story_articles.embedding: an undated article's sentence embedding (float32 bytes), kept with its TF-IDF vector
so a restored index compares undated articles as the one that placed them did.

Revision ID: stories_0002
Revises: stories_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "stories_0002"
down_revision = "stories_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.add_column(sa.Column("embedding", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.drop_column("embedding")

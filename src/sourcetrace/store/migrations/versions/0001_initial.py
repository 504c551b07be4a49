"""Articles, reports, sources, attributions, outlets and the full-text index.

Revision ID: 0001_initial
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
    )
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("id", sa.String(300), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id"), nullable=True),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(100)),
        sa.Column("published_date", sa.Date),
        sa.Column("published_month", sa.String(7)),
        sa.Column("language", sa.String(16)),
        sa.Column("authors", sa.JSON),
        sa.Column("origin", sa.Text),
        sa.Column("meta", sa.JSON),
        sa.Column("n_attributions", sa.Integer),
        sa.Column("n_sources", sa.Integer),
        sa.Column("n_anonymous_sources", sa.Integer),
        sa.Column("n_anonymous_attributions", sa.Integer),
        sa.Column("n_hedged", sa.Integer),
        sa.Column("n_loaded", sa.Integer),
        sa.Column("n_claims", sa.Integer),
        sa.Column("added_at", sa.DateTime),
        # last: SQLite reads a row's columns in order, so the counters before it never touch its overflow pages
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_articles_outlet_date", "articles", ["outlet_id", "published_date"])
    op.create_index("ix_articles_published_date", "articles", ["published_date"])
    op.create_index("ix_articles_anonymous", "articles", ["n_anonymous_sources"])
    op.create_index("ix_articles_hedged", "articles", ["n_hedged"])
    op.create_table(
        "reports",
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("schema", sa.String(64)),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("source_id", sa.String(64)),
        sa.Column("name", sa.Text),
        sa.Column("kind", sa.String(32)),
        sa.Column("named", sa.Boolean),
        sa.Column("descriptor", sa.Text),
        sa.Column("n_mentions", sa.Integer),
        sa.Column("n_attributions", sa.Integer),
    )
    op.create_index("ix_sources_article", "sources", ["article_pk"])
    op.create_index("ix_sources_name", "sources", ["name"])
    op.create_index("ix_sources_kind", "sources", ["kind"])
    op.create_table(
        "attributions",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("attribution_id", sa.String(64)),
        sa.Column("source_id", sa.String(64)),
        sa.Column("form", sa.String(32)),
        sa.Column("stance", sa.String(32)),
        sa.Column("anonymous", sa.Boolean),
        sa.Column("source_text", sa.Text),
        sa.Column("cue_text", sa.Text),
        sa.Column("content_start", sa.Integer),
        sa.Column("content_end", sa.Integer),
    )
    op.create_index("ix_attributions_article", "attributions", ["article_pk"])
    op.create_index("ix_attributions_stance", "attributions", ["stance"])
    if dialect == "sqlite":
        # external-content FTS5 index over articles; rows are added by Store.add in the same transaction
        op.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5("
            "title, text, content='articles', content_rowid='pk', tokenize='porter unicode61')"
        )
    elif dialect == "postgresql":
        # a generated tsvector keeps itself in step; left() keeps huge texts under tsvector's 1 MB limit
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', left(text, 200000)), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS article_fts")
    for table in ("attributions", "sources", "reports", "articles", "outlets"):
        op.drop_table(table)

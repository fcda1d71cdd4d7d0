"""Initial schema: every table of DESIGN section 3 and the dialect-specific paper search index.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite: an FTS5 table whose rowid (paper.search_rowid) orders papers by upvotes, so the most
# upvoted matches of a broad query are found without scoring every match; written by the paper
# repository in the same transaction as the paper row. Porter stemming over unicode61 tokens;
# prefix indexes make ``word*`` queries of 3 to 5 letters one posting list instead of hundreds.
SQLITE_SEARCH_DDL = """
CREATE VIRTUAL TABLE paper_fts USING fts5(
    paper_id UNINDEXED, title, keywords, summary, authors, published UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3 4 5'
)
"""

# PostgreSQL: a generated tsvector column (always in step with the row) under a GIN index; weights
# A > B > C > D rank the title above keywords above the abstract above author names.
POSTGRES_SEARCH_DDL = (
    """
    ALTER TABLE paper ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(ai_keywords, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(summary, '')), 'C') ||
        setweight(to_tsvector('simple', coalesce(authors, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX ix_paper_search ON paper USING GIN (search_vector)",
)


def create_search_index() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_SEARCH_DDL)
    elif dialect == "postgresql":
        for statement in POSTGRES_SEARCH_DDL:
            op.execute(statement)


def drop_search_index() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS paper_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_paper_search")
        op.execute("ALTER TABLE paper DROP COLUMN IF EXISTS search_vector")


def upgrade() -> None:
    op.create_table(
        "paper",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hf_daily_date", sa.Date(), nullable=True),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("num_comments", sa.Integer(), nullable=False),
        sa.Column("github_repo", sa.String(length=512), nullable=True),
        sa.Column("github_stars", sa.Integer(), nullable=True),
        sa.Column("project_page", sa.String(length=1024), nullable=True),
        sa.Column("ai_summary", sa.Text(), nullable=True),
        sa.Column("ai_keywords", sa.Text(), nullable=False),
        sa.Column("thumbnail", sa.String(length=1024), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_rowid", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("search_rowid"),
    )
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.create_index("ix_paper_daily_upvotes", ["hf_daily_date", "upvotes"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_upvotes"), ["upvotes"], unique=False)

    op.create_table(
        "posted_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("message_ref", sa.String(length=128), nullable=False),
        sa.Column("paper_id", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            "message_ref",
            "paper_id",
            name="uq_posted_message_paper",
        ),
    )
    with op.batch_alter_table("posted_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posted_message_channel_time",
            ["platform", "workspace", "channel", "posted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_posted_message_ref", ["platform", "channel", "message_ref"], unique=False
        )

    op.create_table(
        "processed_event",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=191), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "event_id"),
    )
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_event_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekdays", sa.String(length=64), nullable=False),
        sa.Column("top_n", sa.Integer(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("min_upvotes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "kind", name="uq_subscription_channel_kind"
        ),
    )
    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("paper_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("emoji", sa.String(length=64), nullable=True),
        sa.Column("reactions", sa.Text(), nullable=False),
        sa.Column("button_value", sa.Integer(), nullable=False),
        sa.Column("button_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform", "workspace", "paper_id", "user_id", name="uq_vote_person_paper"
        ),
    )
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vote_workspace_time", ["platform", "workspace", "updated_at"], unique=False
        )

    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("digest_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_refs", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "subscription_id", "digest_date", name="uq_digest_run_subscription_date"
        ),
    )
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digest_run_subscription_id"), ["subscription_id"], unique=False
        )

    create_search_index()


def downgrade() -> None:
    drop_search_index()
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_run_subscription_id"))

    op.drop_table("digest_run")
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.drop_index("ix_vote_workspace_time")

    op.drop_table("vote")
    op.drop_table("subscription")
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_event_received_at"))

    op.drop_table("processed_event")
    with op.batch_alter_table("posted_message", schema=None) as batch_op:
        batch_op.drop_index("ix_posted_message_ref")
        batch_op.drop_index("ix_posted_message_channel_time")

    op.drop_table("posted_message")
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_upvotes"))
        batch_op.drop_index("ix_paper_daily_upvotes")

    op.drop_table("paper")

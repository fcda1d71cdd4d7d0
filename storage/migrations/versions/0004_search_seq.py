"""Search moves to per-process indexes fed from a change stamp on paper.

Drops the dialect-specific indexes (SQLite FTS5 with its upvote-ordered rowid, PostgreSQL's
generated tsvector and GIN index), which ranked differently on each database and dominated the
cost of writing a paper. Adds ``paper.search_seq`` (stamped in commit order by every paper
write; indexes catch up from it) and ``catalog_instance``, one random id that tells an index
which catalog it was built from. docs/architecture.md, "Search", has the reasons.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _initial_schema().drop_search_index()
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_column("search_rowid")
        batch_op.add_column(
            sa.Column("search_seq", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.create_index("ix_paper_search_seq", ["search_seq"], unique=False)
    op.create_table(
        "catalog_instance",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        sa.text("INSERT INTO catalog_instance (id) VALUES (:id)").bindparams(id=str(uuid.uuid4()))
    )


def downgrade() -> None:
    """Back to 0002's indexes, refilled from the catalog (the old code re-ranks as it writes)."""
    op.drop_table("catalog_instance")
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_index("ix_paper_search_seq")
        batch_op.drop_column("search_seq")
        batch_op.add_column(sa.Column("search_rowid", sa.BigInteger(), nullable=True))
        batch_op.create_unique_constraint("uq_paper_search_rowid", ["search_rowid"])
    _initial_schema().create_search_index()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "INSERT INTO paper_fts (rowid, paper_id, title, keywords, summary, authors, published) "
            "SELECT rowid, id, title, ai_keywords, summary, authors, coalesce(published_at, '') "
            "FROM paper"
        )
        op.execute("UPDATE paper SET search_rowid = rowid")


def _initial_schema() -> ModuleType:
    """Revision 0001's module, whose file name is not an importable module name."""
    path = Path(__file__).with_name("0001_initial_schema.py")
    spec = importlib.util.spec_from_file_location("paperbot_migration_0001", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

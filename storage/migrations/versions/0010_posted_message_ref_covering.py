"""posted_message_ref_covering: the index a vote's message lookup uses carries the paper too.

A batch of reactions looks up its messages' papers by (platform, channel, message_ref). Without
``paper_id`` in that index, SQLite preferred the unique index, which covers the query but only
narrows it to the platform: every lookup scanned all of the platform's posted messages
(docs/benchmarks.md, Votes).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OLD = ["platform", "channel", "message_ref"]


def upgrade() -> None:
    op.drop_index("ix_posted_message_ref", table_name="posted_message")
    op.create_index("ix_posted_message_ref", "posted_message", [*_OLD, "paper_id"])


def downgrade() -> None:
    op.drop_index("ix_posted_message_ref", table_name="posted_message")
    op.create_index("ix_posted_message_ref", "posted_message", _OLD)

"""digest_run learns its schedule: fire time, next retry, and the papers it chose.

``due_at`` bounds the retries by the grace window; ``next_attempt_at`` carries the backoff (and a
platform's Retry-After) across restarts; ``paper_ids`` freezes the selection at the first attempt,
so a digest split over several messages that failed half-way is finished, not re-chosen.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("paper_ids", sa.Text(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_index(
            "ix_digest_run_state_next", ["state", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.drop_index("ix_digest_run_state_next")
        batch_op.drop_column("paper_ids")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("due_at")

"""discussion: the thread where a channel discusses a paper, opened by a card's Discuss action,
with the card message it was opened from and, where the platform reports them, its replies
(a running total for cards, and one ``discussion_reply`` row each, with its time, for reports).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discussion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("paper_id", sa.String(length=64), nullable=False),
        sa.Column("opened_by", sa.String(length=128), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("thread_ref", sa.String(length=128), nullable=True),
        sa.Column("url", sa.String(length=512), nullable=True),
        sa.Column("message_ref", sa.String(length=128), nullable=True),
        sa.Column("replies", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "paper_id", name="uq_discussion_channel_paper"
        ),
    )

    op.create_table(
        "discussion_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("discussion_reply", schema=None) as batch_op:
        batch_op.create_index("ix_discussion_reply_at", ["discussion_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("discussion_reply")
    op.drop_table("discussion")

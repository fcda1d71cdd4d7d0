"""message_layout: what each sent message showed, so a vote can rebuild the whole message.

Slack's ``chat.update`` and Discord's message edit replace a message as a whole; after a vote the
core rebuilds every card the message carried, in order, with current tallies, from this row.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_layout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("message_ref", sa.String(length=128), nullable=False),
        sa.Column("layout", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "message_ref", name="uq_message_layout_ref"
        ),
    )
    op.create_index(
        "ix_message_layout_ref", "message_layout", ["platform", "channel", "message_ref"]
    )


def downgrade() -> None:
    op.drop_index("ix_message_layout_ref", table_name="message_layout")
    op.drop_table("message_layout")

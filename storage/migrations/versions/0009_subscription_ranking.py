"""subscription_ranking: the order a digest's papers are chosen in.

``upvotes`` (every subscription so far: Hugging Face upvotes) or ``team`` (``subscribe ...
for-team``: the papers most like what the channel's team voted up first, see
``bot.team_taste``).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ranking", sa.String(length=16), nullable=False, server_default="upvotes")
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("ranking")

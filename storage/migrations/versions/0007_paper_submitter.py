"""paper_submitter: who submitted a paper to Daily Papers and for which organization; digest
filters on organizations and authors.

Hugging Face's Daily Papers items carry ``submittedBy`` and, for many papers, ``organization``
(each a Hub handle and a display name); cards show them, ``org:`` searches them and
``subscribe ... org "..."`` / ``authors "..."`` filter digests by them. The subscription's new
filters are JSON lists, like its keywords.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PAPER_COLUMNS = (
    ("organization", 128),
    ("organization_name", 256),
    ("submitted_by", 128),
    ("submitted_by_name", 256),
)
_SUBSCRIPTION_COLUMNS = ("organizations", "authors")


def upgrade() -> None:
    with op.batch_alter_table("paper", schema=None) as batch_op:
        for name, length in _PAPER_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        for name in _SUBSCRIPTION_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        for name in reversed(_SUBSCRIPTION_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("paper", schema=None) as batch_op:
        for name, _ in reversed(_PAPER_COLUMNS):
            batch_op.drop_column(name)

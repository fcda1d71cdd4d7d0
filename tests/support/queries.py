"""Reads and writes that only tests need, written against the session as storage/ is.

The product has no use for them, so they live here rather than in storage/ (issue 17).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.model import Tally
from bot.model.digests import DigestRun
from storage.digest_runs import to_run
from storage.posted_messages import papers_of_messages
from storage.tables import PAPER_TABLE, DigestRunRow
from storage.votes import tallies


def paper_tally(session: Session, platform: str, workspace: str, paper_id: str) -> Tally:
    """The team's votes on one paper; nothing when nobody voted."""
    return tallies(session, platform, workspace, [paper_id]).get(paper_id, Tally())


def papers_of_message(session: Session, platform: str, channel: str, message_ref: str) -> list[str]:
    """The papers one message shows (empty when paperbot did not post it)."""
    message = (platform, channel, message_ref)
    return papers_of_messages(session, [message]).get(message, [])


def delete_paper(session: Session, paper_id: str) -> None:
    """Remove a paper (the product never does): the search index must drop it at once."""
    session.execute(delete(PAPER_TABLE).where(PAPER_TABLE.c.id == paper_id))


def runs_for_date(session: Session, digest_date: date) -> list[DigestRun]:
    """Every channel's run for one digest date, oldest first."""
    query = select(DigestRunRow).where(DigestRunRow.digest_date == digest_date)
    return [to_run(row) for row in session.exec(query.order_by(col(DigestRunRow.id)))]

"""Discussion threads: which thread a channel discusses a paper in, one per paper and channel.

Opening a thread is a claim, then the platform call, then ``thread_opened``: the claim (a row
without ``thread_ref``, unique per channel and paper) makes two clicks at once open one thread.
A claim whose opener died before the thread existed is taken over after ``CLAIM_EXPIRES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, delete, update
from sqlmodel import Session, col, select

from bot.model import Channel
from storage.db import dialect_insert
from storage.tables import DiscussionRow

CLAIM_EXPIRES = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Thread:
    """An opened thread: the platform's reference, and a link to it when the platform has one."""

    ref: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Opening:
    """Someone else is opening the thread right now."""


Claim = Thread | Opening | None  # None: the claim is yours, open the thread


def claim_thread(
    session: Session, channel: Channel, paper_id: str, user: str, now: datetime
) -> Claim:
    """Claim the opening of the paper's thread in ``channel``: None when the caller should open
    it; the thread when one exists; ``Opening`` when another click is opening it."""
    inserted = session.execute(
        dialect_insert(session)(DiscussionRow)
        .values(
            platform=channel.platform,
            workspace=channel.workspace,
            channel=channel.channel,
            paper_id=paper_id,
            opened_by=user,
            claimed_at=now,
        )
        .on_conflict_do_nothing()
        .returning(DiscussionRow.id)
    ).first()
    if inserted is not None:
        return None
    row = session.exec(select(DiscussionRow).where(_of(channel, paper_id))).one()
    if row.thread_ref is not None:
        return Thread(row.thread_ref, row.url)
    taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(DiscussionRow)
        .where(
            _of(channel, paper_id),
            col(DiscussionRow.thread_ref).is_(None),
            col(DiscussionRow.claimed_at) < now - CLAIM_EXPIRES,
        )
        .values(opened_by=user, claimed_at=now)
    )
    return None if taken.rowcount else Opening()


def thread_opened(session: Session, channel: Channel, paper_id: str, thread: Thread) -> None:
    session.execute(
        update(DiscussionRow)
        .where(_of(channel, paper_id))
        .values(thread_ref=thread.ref, url=thread.url)
    )


def release_claim(session: Session, channel: Channel, paper_id: str) -> None:
    """The thread could not be opened: let the next click try."""
    session.execute(
        delete(DiscussionRow).where(_of(channel, paper_id), col(DiscussionRow.thread_ref).is_(None))
    )


def thread_of(session: Session, channel: Channel, paper_id: str) -> Thread | None:
    row = session.exec(
        select(DiscussionRow).where(
            _of(channel, paper_id), col(DiscussionRow.thread_ref).is_not(None)
        )
    ).first()
    return None if row is None or row.thread_ref is None else Thread(row.thread_ref, row.url)


def _of(channel: Channel, paper_id: str) -> ColumnElement[bool]:
    row = DiscussionRow
    return and_(
        col(row.platform) == channel.platform,
        col(row.workspace) == channel.workspace,
        col(row.channel) == channel.channel,
        col(row.paper_id) == paper_id,
    )

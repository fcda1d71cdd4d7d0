"""Discussion threads: which thread a channel discusses a paper in, one per paper and channel.

Opening a thread is a claim, then the platform call, then ``thread_opened``: the claim (a row
without ``thread_ref``, unique per channel and paper) makes two clicks at once open one thread.
A claim whose opener died before the thread existed is taken over after ``CLAIM_EXPIRES``.
Where the platform tells paperbot of each message in a thread (Discord), ``count_reply`` keeps
the thread's reply count, which cards show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, delete, func, update
from sqlmodel import Session, col, select

from bot.model import Channel
from storage.db import dialect_insert
from storage.tables import DiscussionReplyRow, DiscussionRow

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


def thread_opened(
    session: Session, channel: Channel, paper_id: str, thread: Thread, message_ref: str
) -> None:
    session.execute(
        update(DiscussionRow)
        .where(_of(channel, paper_id))
        .values(thread_ref=thread.ref, url=thread.url, message_ref=message_ref)
    )


@dataclass(frozen=True, slots=True)
class Replied:
    """A reply was counted in the thread of ``paper_id``, opened from card ``message_ref``."""

    channel: Channel
    paper_id: str
    message_ref: str | None
    replies: int


def is_discussion(session: Session, platform: str, workspace: str, thread_ref: str) -> bool:
    """Whether paperbot opened this thread: a read, so messages elsewhere cost no write."""
    return _thread(session, platform, workspace, thread_ref) is not None


def count_reply(
    session: Session, platform: str, workspace: str, thread_ref: str, at: datetime
) -> Replied | None:
    """One more reply in a thread paperbot opened, at ``at``; None for any other thread."""
    row = _thread(session, platform, workspace, thread_ref)
    if row is None or row.id is None:
        return None
    session.add(DiscussionReplyRow(discussion_id=row.id, at=at))
    session.execute(
        update(DiscussionRow)
        .where(col(DiscussionRow.id) == row.id)
        .values(replies=func.coalesce(DiscussionRow.replies, 0) + 1)
    )
    replies = session.exec(select(DiscussionRow.replies).where(DiscussionRow.id == row.id)).one()
    where = Channel(row.platform, row.workspace, row.channel)
    return Replied(where, row.paper_id, row.message_ref, replies or 0)


def reply_counts(session: Session, channel: Channel, paper_ids: list[str]) -> dict[str, int]:
    """Replies counted in the channel's threads of these papers (only where they are counted)."""
    if not paper_ids:
        return {}
    rows = session.exec(
        select(DiscussionRow.paper_id, DiscussionRow.replies).where(
            DiscussionRow.platform == channel.platform,
            DiscussionRow.workspace == channel.workspace,
            DiscussionRow.channel == channel.channel,
            col(DiscussionRow.paper_id).in_(paper_ids),
            col(DiscussionRow.replies).is_not(None),
        )
    )
    return {paper_id: replies for paper_id, replies in rows if replies is not None}


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


def _thread(
    session: Session, platform: str, workspace: str, thread_ref: str
) -> DiscussionRow | None:
    return session.exec(
        select(DiscussionRow).where(
            DiscussionRow.platform == platform,
            DiscussionRow.workspace == workspace,
            DiscussionRow.thread_ref == thread_ref,
        )
    ).first()


def _of(channel: Channel, paper_id: str) -> ColumnElement[bool]:
    row = DiscussionRow
    return and_(
        col(row.platform) == channel.platform,
        col(row.workspace) == channel.workspace,
        col(row.channel) == channel.channel,
        col(row.paper_id) == paper_id,
    )


def replies_between(
    session: Session, platform: str, workspace: str, start: datetime, end: datetime
) -> dict[str, int]:
    """Replies counted in the workspace's discussion threads from ``start`` until ``end``, by
    paper (every channel's thread of a paper together)."""
    reply, thread = DiscussionReplyRow, DiscussionRow
    rows = session.exec(
        select(thread.paper_id, func.count())
        .select_from(reply)
        .join(thread, col(thread.id) == col(reply.discussion_id))
        .where(
            thread.platform == platform,
            thread.workspace == workspace,
            col(reply.at) >= start,
            col(reply.at) < end,
        )
        .group_by(col(thread.paper_id))
    )
    return {paper_id: int(count) for paper_id, count in rows}

"""Pruning what is only needed for a while, so the bookkeeping tables stop growing without bound.

``processed_event`` exists to drop replays, and platforms replay within minutes to days, so 30
days is plenty. ``posted_message`` (and ``message_layout``) let a reaction or a vote on a message
find its papers and rebuild it; a reply to a search, a ``paper`` or a trending command is rarely
touched after a few days, so those older than 90 days go (a reaction on one then counts for
nothing, as on any message paperbot does not know). Digest messages are kept: they are the
channel's record of what it was shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, tuple_
from sqlmodel import Session, col, select

from storage.tables import (
    DigestRunRow,
    MessageLayoutRow,
    PostedMessageRow,
    ProcessedEventRow,
    SubscriptionRow,
)

EVENT_RETENTION = timedelta(days=30)
REPLY_RETENTION = timedelta(days=90)
_BATCH = 500  # message keys per DELETE, well under every driver's parameter limit

MessageKey = tuple[str, str, str, str]  # platform, workspace, channel, message_ref


@dataclass(frozen=True, slots=True)
class Pruned:
    events: int
    messages: int


def prune(
    session: Session,
    now: datetime,
    *,
    events_for: timedelta = EVENT_RETENTION,
    replies_for: timedelta = REPLY_RETENTION,
) -> Pruned:
    """Delete processed events older than ``events_for`` and reply messages older than
    ``replies_for`` (their paper links and layouts); returns how many of each went."""
    stale = delete(ProcessedEventRow).where(col(ProcessedEventRow.received_at) < now - events_for)
    events: CursorResult[Any] = session.execute(stale)  # type: ignore[assignment]
    old = _old_messages(session, now - replies_for) - _digest_messages(session)
    keys = sorted(old)
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        for table in (PostedMessageRow, MessageLayoutRow):
            key = tuple_(
                col(table.platform),
                col(table.workspace),
                col(table.channel),
                col(table.message_ref),
            )
            session.execute(delete(table).where(key.in_(batch)))
    return Pruned(events=events.rowcount, messages=len(keys))


def _old_messages(session: Session, before: datetime) -> set[MessageKey]:
    found: set[MessageKey] = set()
    for table in (PostedMessageRow, MessageLayoutRow):
        query = (
            select(table.platform, table.workspace, table.channel, table.message_ref)
            .where(col(table.posted_at) < before)
            .distinct()
        )
        found.update((p, w, c, m) for p, w, c, m in session.exec(query))
    return found


def _digest_messages(session: Session) -> set[MessageKey]:
    """Every message a digest run recorded, with the channel of its subscription."""
    query = select(
        SubscriptionRow.platform,
        SubscriptionRow.workspace,
        SubscriptionRow.channel,
        DigestRunRow.message_refs,
    ).join(
        SubscriptionRow,
        col(SubscriptionRow.id) == col(DigestRunRow.subscription_id),
    )
    query = query.where(col(DigestRunRow.message_refs) != "[]")
    return {
        (platform, workspace, channel, ref)
        for platform, workspace, channel, refs in session.exec(query)
        for chunk in json.loads(refs)
        for ref in chunk
    }

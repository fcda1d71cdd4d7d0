"""Bookkeeping that is only needed for a while is pruned by a scheduled job: processed events
after 30 days, reply messages after 90; digest messages stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert
from sqlmodel import Session, select

from bot.model import Channel, SentMessage
from bot.model.digests import RunState
from bot.scheduling.scheduler import PRUNE_JOB, DigestScheduler
from storage.posted_messages import (
    layout_of_message,
    record_layout,
    record_posted,
)
from storage.retention import EVENT_RETENTION, REPLY_RETENTION, prune
from storage.tables import PostedMessageRow, ProcessedEventRow
from tests.digests.helpers import Desk, channel, job_ids, local, paper
from tests.support.queries import papers_of_message

DUE = local("2026-06-12 09:00", "Europe/Berlin")
THU = date(2026, 6, 11)


@pytest.fixture
async def scheduler(desk: Desk) -> AsyncIterator[DigestScheduler]:
    live = DigestScheduler(desk.runner)
    yield live
    live.stop()


def reply(desk: Desk, where: Channel, ref: str, at: datetime) -> None:
    """A reply to a command, as the core records it: its papers and its layout."""

    def write(session: Session) -> None:
        record_posted(session, where, [SentMessage(ref, ("2606.00101",))], at)
        record_layout(session, where, ref, "[]", at)

    desk.db.write_now(write)


def event(desk: Desk, event_id: str, at: datetime) -> None:
    desk.db.write_now(
        lambda s: s.add(ProcessedEventRow(platform="test", event_id=event_id, received_at=at))
    )


def papers_of(desk: Desk, ref: str) -> list[str]:
    return desk.db.read_now(lambda s: papers_of_message(s, "test", "C1", ref))


def events(desk: Desk) -> list[str]:
    return sorted(desk.db.read_now(lambda s: list(s.exec(select(ProcessedEventRow.event_id)))))


async def test_the_prune_job_keeps_what_reactions_and_replays_still_need(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(paper("2606.00101", THU, 10))
    assert await desk.fire(sub, DUE) is RunState.POSTED
    [digest] = desk.poster.in_channel()
    reply(desk, channel(), "old-reply", DUE)
    reply(desk, channel(), "new-reply", DUE + timedelta(days=80))
    event(desk, "old-event", DUE + timedelta(days=50))
    event(desk, "new-event", DUE + timedelta(days=70))
    desk.clock.now = DUE - timedelta(hours=1)
    await scheduler.start()
    assert PRUNE_JOB in job_ids(scheduler)

    desk.clock.now = DUE + timedelta(days=91)  # the injected clock decides what is old
    pruned = await scheduler.prune()

    assert (pruned.events, pruned.messages) == (1, 1)
    assert events(desk) == ["new-event"]
    assert papers_of(desk, "old-reply") == []
    assert desk.db.read_now(lambda s: layout_of_message(s, channel(), "old-reply")) is None
    assert papers_of(desk, "new-reply") == ["2606.00101"]
    assert papers_of(desk, digest.ref) == ["2606.00101"]  # a digest message is kept


def test_bookkeeping_exactly_as_old_as_its_retention_is_kept(desk: Desk) -> None:
    """Only what is older than its retention goes: a second past the limit, not at it."""
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    second = timedelta(seconds=1)
    reply(desk, channel(), "kept-reply", now - REPLY_RETENTION)
    reply(desk, channel(), "stale-reply", now - REPLY_RETENTION - second)
    event(desk, "kept-event", now - EVENT_RETENTION)
    event(desk, "stale-event", now - EVENT_RETENTION - second)

    pruned = desk.db.write_now(lambda s: prune(s, now))

    assert (pruned.events, pruned.messages) == (1, 1)
    assert events(desk) == ["kept-event"]
    assert papers_of(desk, "kept-reply") == ["2606.00101"]
    assert papers_of(desk, "stale-reply") == []


def test_over_a_thousand_stale_replies_all_go(desk: Desk) -> None:
    """They are deleted in batches (of 500 keys); every batch is deleted, once."""
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    old = now - REPLY_RETENTION - timedelta(days=1)
    rows = [
        {"platform": "test", "workspace": "T1", "channel": "C1", "message_ref": f"r{n}"}
        | {"paper_id": "2606.00101", "posted_at": old}
        for n in range(1001)
    ]
    desk.db.write_now(lambda s: s.execute(insert(PostedMessageRow), rows))

    pruned = desk.db.write_now(lambda s: prune(s, now))

    assert pruned.messages == 1001
    count = select(func.count()).select_from(PostedMessageRow)
    assert desk.db.read_now(lambda s: s.exec(count).one()) == 0

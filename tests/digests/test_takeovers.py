"""A runner whose claim is taken over part-way (its lease ran out while it was slow) stops: it
posts nothing more, marks nothing, and says so in the log; the new owner finishes the digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

import pytest

from bot.model import Channel, Paper
from bot.model.digests import DigestRun, RunState, Subscription
from bot.reply import Reply
from loopback.ports import FakeSource
from storage.db import Database
from storage.digest_runs import claim_run, freeze_selection, record_chunk
from tests.digests.helpers import (
    Desk,
    RecordingPoster,
    digest_lines,
    local,
    make_desk,
    minutes,
    paper,
    story,
)

THU = date(2026, 6, 11)
DUE = local("2026-06-12 09:00", "Europe/Berlin")
LOST = "digest test:T1:C1 (daily 09:00): run {} was taken over by another process"
TAKEN_OVER = ("test", "T1", "C1", "daily", "2026-06-11", "taken over")


def take_over(desk: Desk, sub: Subscription) -> None:
    """Another process claims the run, its owner's lease having run out."""
    assert sub.id is not None
    lease = desk.runner.policy.lease
    later = DUE + lease + timedelta(seconds=1)
    claim = partial(claim_run, subscription_id=sub.id, digest_date=THU, now=later, lease=lease)
    run = desk.db.write_now(partial(claim, due_at=DUE))
    assert run is not None
    assert run.attempts == 2


def new_owners(desk: Desk, sub: Subscription) -> DigestRun:
    """The run, still claimed by the process that took it over."""
    run = desk.run(sub, THU)
    assert run is not None
    assert (run.state, run.attempts) == (RunState.CLAIMED, 2)
    return run


@dataclass
class SlowSource(FakeSource):
    """A source during whose first fetch the run is taken over."""

    while_fetching: list[partial[None]] = field(default_factory=list)

    async def daily_papers(self, day: date) -> list[Paper]:
        while self.while_fetching:
            self.while_fetching.pop(0)()
        return await super().daily_papers(day)


@dataclass
class SlowPoster(RecordingPoster):
    """A poster during whose first post the run is taken over."""

    while_posting: list[partial[None]] = field(default_factory=list)

    async def send(self, channel: Channel, message: Reply) -> str:
        ref = await super().send(channel, message)
        while self.while_posting:
            self.while_posting.pop(0)()
        return ref


def five_papers() -> list[Paper]:
    return [paper(f"2606.0010{i}", THU, 10 * i) for i in range(1, 6)]


async def test_a_run_taken_over_while_its_papers_are_fetched_posts_nothing(
    db: Database, log: pytest.LogCaptureFixture
) -> None:
    source = SlowSource()
    desk = make_desk(db, source)
    desk.add_papers(*five_papers())
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    source.while_fetching.append(partial(take_over, desk, sub))
    assert await desk.fire(sub, DUE) is None
    assert desk.poster.posts == []
    run = new_owners(desk, sub)
    assert run.paper_ids == ()  # the choice was not frozen into the new owner's run
    assert story(log.records) == [LOST.format(run.id)]
    assert digest_lines(log.records) == [TAKEN_OVER]


async def test_a_run_taken_over_between_two_messages_sends_no_more(
    db: Database, log: pytest.LogCaptureFixture
) -> None:
    poster = SlowPoster(max_cards=2)
    desk = make_desk(db, poster=poster)
    desk.add_papers(*five_papers())
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 5")
    poster.while_posting.append(partial(take_over, desk, sub))
    assert await desk.fire(sub, DUE) is None
    assert len(poster.in_channel()) == 1  # of three
    run = new_owners(desk, sub)
    assert run.message_refs == ()  # the first message was not recorded in the new owner's run
    assert story(log.records) == [LOST.format(run.id)]
    assert digest_lines(log.records) == [TAKEN_OVER]


async def test_a_run_taken_over_before_it_is_marked_waiting_says_so(
    db: Database, log: pytest.LogCaptureFixture
) -> None:
    source = SlowSource()  # no papers: the run is to wait
    desk = make_desk(db, source)
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    source.while_fetching.append(partial(take_over, desk, sub))
    planned: list[datetime] = []
    desk.runner.on_retry = lambda run, at: planned.append(at)
    assert await desk.fire(sub, DUE) is RunState.WAITING
    run = new_owners(desk, sub)
    assert run.next_attempt_at is None
    assert planned == []  # no retry planned for a run that is no longer ours
    assert story(log.records) == [
        f"digest run {run.id} was taken over before it could be marked waiting"
    ]
    assert digest_lines(log.records) == [("test", "T1", "C1", "daily", "2026-06-11", "waiting")]


async def test_a_run_whose_every_message_was_recorded_is_marked_posted_sending_nothing(
    desk: Desk,
) -> None:
    """Its owner died after recording the last message but before marking the run posted."""
    desk.add_papers(*five_papers())
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")
    assert sub.id is not None
    lease = desk.runner.policy.lease
    sub_id = sub.id
    run = desk.db.write_now(lambda s: claim_run(s, sub_id, THU, DUE, DUE, lease))
    assert run is not None
    desk.db.write_now(partial(freeze_selection, run=run, paper_ids=["2606.00105"], now=DUE))
    desk.db.write_now(partial(record_chunk, run=run, chunks=[["C1-m1"]], now=DUE))
    assert await desk.sweep(DUE + lease + minutes(1)) == [RunState.POSTED]
    assert desk.poster.posts == []
    done = desk.run(sub, THU)
    assert done is not None
    assert (done.state, done.message_refs) == (RunState.POSTED, ("C1-m1",))

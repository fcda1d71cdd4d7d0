"""Batched recording: same exact tallies as one event at a time, and one bad event fails alone."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

import bot.votes.service
from bot.deps import Deps
from bot.settings import Settings
from bot.votes.events import ButtonVote, Effect, VoteEvent, VoteResult
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.ports import FakeSource, FixedClock
from storage.db import Database
from tests.votes.helpers import PAPERS, T0, open_desk

P1, P2, _ = PAPERS


async def test_a_burst_of_events_lands_exactly(db: Database) -> None:
    desk = await open_desk(db)
    recorder = VoteRecorder(desk.deps, max_batch=16)
    events = [desk.click(f"U{i}", P1, 1 if i % 4 else -1) for i in range(80)]
    events += [desk.react(f"U{i}", P2, "fire") for i in range(30)]
    events.append(events[0])  # a replay inside the burst
    receipts = await asyncio.gather(*(recorder.record(e) for e in events))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (60, 20)
    assert desk.tally(P2).up == 30
    assert receipts[-1].result.effect is Effect.DUPLICATE


async def test_events_keep_their_arrival_order_within_a_burst(db: Database) -> None:
    desk = await open_desk(db)
    recorder = VoteRecorder(desk.deps, max_batch=4)
    clicks = [desk.click("U1", P1, 1) for _ in range(7)]  # up, back, up, back, ...
    await asyncio.gather(*(recorder.record(e) for e in clicks))
    assert desk.tally(P1).up == 1


async def test_one_failing_event_does_not_fail_its_batch_and_the_fallback_is_logged(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await open_desk(sqlite_db)
    broken = desk.click("U-broken", P1, 1)
    apply_all = bot.votes.service.apply_votes

    def failing_batch(session: object, events: list[VoteEvent], *args: object) -> object:
        if broken in events:
            raise RuntimeError("storage hiccup")
        return apply_all(session, events, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.votes.service, "apply_votes", failing_batch)
    recorder = VoteRecorder(desk.deps)
    events = [desk.click("U1", P1, 1), broken, desk.click("U2", P1, 1)]
    with caplog.at_level(logging.WARNING, logger="bot.votes.service"):
        results = await asyncio.gather(
            *(recorder.record(e) for e in events), return_exceptions=True
        )
    assert isinstance(results[1], RuntimeError)
    assert desk.tally(P1).up == 2
    assert [r.getMessage() for r in caplog.records] == [
        "a batch of 3 vote events failed; applying them one by one"
    ]


async def test_lanes_keep_each_persons_order_and_lose_nothing(db: Database) -> None:
    desk = await open_desk(db)
    recorder = VoteRecorder(desk.deps, max_batch=3, lanes=3)
    events = []
    for round_ in range(5):  # each person clicks up five times: up, back, up, back, up
        events += [desk.click(f"U{user}", P1, 1) for user in range(12)]
        at = T0 + timedelta(seconds=round_)  # reactions: the newest (an add) wins
        events += [
            desk.react(f"U{user}", P2, "fire", added=round_ % 2 == 0, at=at) for user in range(12)
        ]
    await asyncio.gather(*(recorder.record(e) for e in events))
    assert desk.tally(P1).up == 12
    assert desk.tally(P2).up == 12


async def test_replicas_batching_the_same_rows_at_once_land_every_batch_whole(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await open_desk(db)
    replicas = [Database(db.url) for _ in range(3)]  # each with its own connections
    try:
        recorders = [
            VoteRecorder(dataclasses.replace(desk.deps, db=replica), max_batch=6, lanes=2)
            for replica in replicas
        ]
        events = []
        for second in range(6):  # every person's reactions on both papers, the newest an add
            at = T0 + timedelta(seconds=second)
            events += [
                desk.react(f"U{user}", paper, "fire", added=second % 2 == 1, at=at)
                for user in range(8)
                for paper in (P1, P2)
            ]
        with caplog.at_level(logging.WARNING, logger="bot.votes.service"):
            await asyncio.gather(
                *(recorders[i % 3].record(event) for i, event in enumerate(reversed(events)))
            )
    finally:
        for replica in replicas:
            replica.dispose()
    assert (desk.tally(P1).up, desk.tally(P2).up) == (8, 8)
    assert not [r for r in caplog.records if "failed" in r.getMessage()]


@dataclass
class BatchLog:
    """Stands in for the database: records each batch and how many were in it at once."""

    sizes: list[int] = field(default_factory=list)
    in_flight: int = 0
    most_at_once: int = 0

    async def write(self, work: Callable[[None], list[VoteReceipt]]) -> list[VoteReceipt]:
        self.in_flight += 1
        self.most_at_once = max(self.most_at_once, self.in_flight)
        await asyncio.sleep(0)  # the batch is "in the database": other tasks run meanwhile
        self.in_flight -= 1
        return work(None)


def recorder_over(log: BatchLog, monkeypatch: pytest.MonkeyPatch, **options: int) -> VoteRecorder:
    def apply_votes(session: None, events: list[VoteEvent], *args: object) -> list[VoteReceipt]:
        log.sizes.append(len(events))
        return [VoteReceipt(VoteResult(Effect.RECORDED), None) for _ in events]

    monkeypatch.setattr(bot.votes.service, "apply_votes", apply_votes)
    settings = Settings(database_url="sqlite:///unused.db")  # the BatchLog is the database
    deps = Deps(settings, log, FakeSource(), FixedClock())  # type: ignore[arg-type]
    return VoteRecorder(deps, **options)


def click(user: str, n: int) -> ButtonVote:
    return ButtonVote("test", "T1", "C1", user, PAPERS[0], 1, f"{user}-{n}", T0)


async def test_a_lane_applies_one_batch_at_a_time_of_at_most_max_batch_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = BatchLog()
    recorder = recorder_over(log, monkeypatch, max_batch=4)
    await asyncio.gather(*(recorder.record(click("U1", n)) for n in range(7)))
    assert (log.sizes, log.most_at_once) == ([4, 3], 1)


def people_two_lanes_part() -> tuple[str, str]:
    """Two people whose events two lanes would apply apart."""
    lane = {u: hash(("test", "T1", u)) % 2 for u in (f"U{n}" for n in range(40))}
    return next(u for u in lane if lane[u] == 0), next(u for u in lane if lane[u] == 1)


async def test_people_in_different_lanes_have_their_batches_applied_side_by_side(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = people_two_lanes_part()
    log = BatchLog()
    recorder = recorder_over(log, monkeypatch, lanes=2)
    await asyncio.gather(recorder.record(click(first, 0)), recorder.record(click(second, 0)))
    assert (log.sizes, log.most_at_once) == ([1, 1], 2)


async def test_by_default_everyone_shares_one_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    """One lane, whose batches grow with the backlog, does the most per round trip (the class
    docstring; docs/benchmarks.md): people two lanes would part share a batch."""
    first, second = people_two_lanes_part()
    log = BatchLog()
    recorder = recorder_over(log, monkeypatch)
    await asyncio.gather(recorder.record(click(first, 0)), recorder.record(click(second, 0)))
    assert log.sizes == [2]


class ClockFailingOnce(FixedClock):
    """A clock whose first reading raises: a failure outside the database's own handling."""

    failed = False

    def __call__(self) -> datetime:
        if not self.failed:
            self.failed = True
            raise RuntimeError("clock broke")
        return super().__call__()


async def test_a_batch_failing_outside_the_database_fails_its_callers_and_the_lane_goes_on(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Nobody waits forever for a vote: the first batch's callers get the error, and the events
    queued behind it are still recorded."""
    desk = await open_desk(sqlite_db)
    recorder = VoteRecorder(dataclasses.replace(desk.deps, clock=ClockFailingOnce()), max_batch=2)
    events = [desk.click(f"U{n}", P1, 1) for n in range(4)]
    with caplog.at_level(logging.ERROR, logger="bot.votes.service"):
        results = await asyncio.wait_for(
            asyncio.gather(*(recorder.record(e) for e in events), return_exceptions=True), 10
        )
    assert [type(r).__name__ for r in results] == [
        "RuntimeError", "RuntimeError", "VoteReceipt", "VoteReceipt"
    ]  # fmt: skip
    assert desk.tally(P1).up == 2
    assert [r.getMessage() for r in caplog.records] == ["recording a batch of 2 vote events failed"]

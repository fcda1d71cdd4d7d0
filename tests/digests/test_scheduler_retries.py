"""The live scheduler retries a rate-limited digest when the platform said to, not at its next
sweep, and stops quietly even while a digest is being posted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.model import Channel
from bot.model.digests import RunState
from bot.ports import PostRejected
from bot.reply import Reply
from bot.scheduling.scheduler import DigestScheduler
from tests.digests.helpers import Desk, local, minutes, paper

DUE = local("2026-06-12 09:00", "Europe/Berlin")
THU = DUE.date() - timedelta(days=1)


@pytest.fixture
async def scheduler(desk: Desk) -> AsyncIterator[DigestScheduler]:
    live = DigestScheduler(desk.runner)  # sweeps every 60 s: no sweep runs during a test
    yield live
    live.stop()


async def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition did not come true in time")


async def fire_now(desk: Desk, scheduler: DigestScheduler, sub_id: int) -> None:
    """Make the subscription's job due at once, as APScheduler would at its fire time."""
    desk.clock.now = DUE
    job = scheduler.job(sub_id)
    assert job is not None
    job.modify(next_run_time=datetime.now(UTC))


async def test_a_rate_limited_digest_is_retried_when_retry_after_says(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert sub.id is not None
    desk.add_papers(*[paper(f"2606.0010{i}", THU, 10 * i) for i in range(1, 4)])
    desk.clock.now = DUE - minutes(60)
    await scheduler.start()
    desk.poster.refuse.append(PostRejected("429 rate limited", retry_after=20))

    await fire_now(desk, scheduler, sub.id)

    def retry_scheduled() -> bool:  # the run is marked failed first, then its retry is planned
        run = desk.run(sub, THU)
        return run is not None and scheduler.job_by_id(f"retry:{run.id}") is not None

    await eventually(retry_scheduled)
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.FAILED
    retry = scheduler.job_by_id(f"retry:{run.id}")
    assert retry is not None
    wait = (retry.next_run_time - datetime.now(UTC)).total_seconds()
    assert 15 < wait <= 20  # when Retry-After says, not at the sweep a minute away

    desk.clock.now = DUE + timedelta(seconds=20)  # the time comes
    retry.modify(next_run_time=datetime.now(UTC))
    await eventually(lambda: getattr(desk.run(sub, THU), "state", None) is RunState.POSTED)
    assert len(desk.poster.in_channel()) == 1
    assert desk.poster.calls - len(desk.poster.alerts()) == 2  # the 429, then the post


async def test_stopping_mid_digest_logs_no_cancellation_traceback(
    desk: Desk, scheduler: DigestScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert sub.id is not None
    desk.add_papers(paper("2606.00101", THU, 10))
    desk.clock.now = DUE - minutes(60)
    await scheduler.start()
    posting, never = asyncio.Event(), asyncio.Event()

    async def hang(_channel: Channel, _message: Reply) -> str:
        posting.set()
        await never.wait()
        return "never"

    desk.poster.send = hang  # type: ignore[method-assign]
    with caplog.at_level(logging.DEBUG):
        await fire_now(desk, scheduler, sub.id)
        await asyncio.wait_for(posting.wait(), 5)
        scheduler.stop()
        await asyncio.sleep(0.1)  # let the cancelled job wind down
    tracebacks = [r for r in caplog.records if r.exc_info is not None]
    assert tracebacks == []

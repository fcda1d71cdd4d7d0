"""The live job table: rebuilt from the database at start, following every change, catching up
on what came due while the bot was down, and configured to run a late job once, not never."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalog_sync import CatalogSync
from bot.commands.dispatch import Dispatcher
from bot.digests.window import window_at
from bot.ingest import IngestSummary
from bot.model.digests import RunState, Subscription
from bot.scheduling.scheduler import PRUNE_JOB, SWEEP_JOB, SYNC_JOB, DigestScheduler
from bot.scheduling.triggers import digest_trigger, last_fire
from loopback.ports import FakeSource
from storage.digest_runs import claim_run
from storage.papers import get_paper
from storage.subscriptions import delete_subscriptions, save_subscription
from tests.digests.helpers import (
    CREATED,
    Desk,
    channel,
    job_ids,
    local,
    minutes,
    paper,
    settle,
)
from tests.support.invoke import ask

DUE = local("2026-06-12 09:00", "Europe/Berlin")
THU = DUE.date() - timedelta(days=1)


@pytest.fixture
async def scheduler(desk: Desk) -> AsyncIterator[DigestScheduler]:
    live = DigestScheduler(desk.runner)
    yield live
    live.stop()


def other_platform(desk: Desk) -> None:
    sub = Subscription(replace(channel("D1"), platform="discord"), desk.subscribe("").spec, "U1")
    desk.db.write_now(partial(save_subscription, sub=sub, now=CREATED))


async def test_jobs_are_built_from_the_database_at_start(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    first = desk.subscribe("daily 09:00 Europe/Berlin")
    second = desk.subscribe("weekly mon 08:30 America/New_York", "C2")
    other_platform(desk)  # no poster for it in this process: no job
    desk.clock.now = DUE - minutes(60)
    await scheduler.start()

    assert job_ids(scheduler) == sorted([PRUNE_JOB, SWEEP_JOB, first.job_id, second.job_id])
    job = scheduler.job(second.id or 0)
    assert job is not None
    assert job.misfire_grace_time == 6 * 3600
    assert job.coalesce
    assert job.max_instances == 1
    assert job.trigger.timezone == ZoneInfo("America/New_York")
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "8", "30")


class WatchedSync(CatalogSync):
    """A catalog sync that says when it has run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ran = asyncio.Event()

    async def run(self) -> IngestSummary:
        summary = await super().run()
        self.ran.set()
        return summary


async def test_the_scheduler_syncs_the_catalog_at_start_and_every_interval(desk: Desk) -> None:
    desk.clock.now = DUE
    source = FakeSource(papers={"2606.00001": paper("2606.00001", DUE.date(), 7)})
    sync = WatchedSync(desk.db, source, desk.clock, minutes=20)
    live = DigestScheduler(desk.runner, sync=sync)
    try:
        await live.start()
        job = live.job_by_id(SYNC_JOB)
        assert job is not None
        assert job.trigger.interval == timedelta(minutes=20)
        assert (job.coalesce, job.max_instances) == (True, 1)
        await asyncio.wait_for(sync.ran.wait(), 10)  # the first sync runs at once
        assert desk.db.read_now(partial(get_paper, paper_id="2606.00001")) is not None
    finally:
        live.stop()
    assert live.job_by_id(SYNC_JOB) is None


async def test_no_sync_job_without_a_sync(desk: Desk, scheduler: DigestScheduler) -> None:
    await scheduler.start()  # offline, or PAPERBOT_SYNC_MINUTES=0 (see tests/ingest)
    assert SYNC_JOB not in job_ids(scheduler)


async def test_commands_reach_the_live_scheduler(
    desk: Desk, scheduler: DigestScheduler, dispatcher: Dispatcher
) -> None:
    await scheduler.start()
    deps = replace(desk.deps, schedule=scheduler)
    await ask(dispatcher, deps, "subscribe daily 07:15 Asia/Tokyo")
    await settle(scheduler)
    [job_id] = [j for j in job_ids(scheduler) if j not in (PRUNE_JOB, SWEEP_JOB)]
    job = scheduler.job(int(job_id.split(":")[1]))
    assert job is not None
    assert job.trigger.timezone == ZoneInfo("Asia/Tokyo")

    await ask(dispatcher, deps, "subscribe daily 18:00 Europe/Paris")
    await settle(scheduler)
    job = scheduler.job(int(job_id.split(":")[1]))
    assert job is not None
    assert job.trigger.timezone == ZoneInfo("Europe/Paris")

    await ask(dispatcher, deps, "unsubscribe")
    assert job_ids(scheduler) == [SWEEP_JOB, PRUNE_JOB]


async def test_the_sweep_picks_up_changes_made_through_another_replica(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    await scheduler.start()
    sub = desk.subscribe("daily 09:00 Europe/Berlin")  # written by another process
    assert sub.job_id not in job_ids(scheduler)
    await scheduler.sweep()
    assert sub.job_id in job_ids(scheduler)
    desk.db.write_now(partial(delete_subscriptions, channel=channel(), kind=None))
    await scheduler.sweep()
    assert job_ids(scheduler) == [SWEEP_JOB, PRUNE_JOB]


async def test_start_catches_up_on_a_digest_that_came_due_while_down(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    desk.add_papers(paper("2606.00001", THU, 4))
    desk.subscribe("daily 09:00 Europe/Berlin")
    desk.clock.now = DUE + minutes(4 * 60)
    await scheduler.start()
    assert len(desk.poster.in_channel()) == 1
    scheduler.stop()
    again = DigestScheduler(desk.restarted().runner)
    await again.start()  # a second restart within the grace window posts nothing more
    again.stop()
    assert len(desk.poster.in_channel()) == 1


async def test_start_finishes_runs_a_crashed_process_left_claimed(
    desk: Desk, scheduler: DigestScheduler
) -> None:
    desk.add_papers(paper("2606.00001", THU, 4))
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert sub.id is not None
    sub_id = sub.id
    desk.db.write_now(
        lambda s: claim_run(s, sub_id, THU, DUE, DUE, desk.runner.policy.lease)
    )  # ... and died
    desk.clock.now = DUE + minutes(20)
    await scheduler.start()
    assert len(desk.poster.in_channel()) == 1
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.POSTED


async def wait_until_run(scheduler: DigestScheduler, sub: Subscription, after: datetime) -> None:
    """Wait (briefly, by polling) until APScheduler has processed the job's overdue fire."""
    for _ in range(500):
        job = scheduler.job(sub.id or 0)
        if job is not None and job.next_run_time > after:
            await asyncio.sleep(0.05)  # let the submitted job finish
            return
        await asyncio.sleep(0.01)
    raise AssertionError("APScheduler never processed the overdue job")


@pytest.mark.parametrize(("hours_late", "posts"), [(1, 1), (7, 0)])
async def test_apscheduler_runs_an_overdue_job_once_within_the_grace_and_never_after(
    desk: Desk, scheduler: DigestScheduler, hours_late: int, posts: int
) -> None:
    """The real AsyncIOScheduler: three fires overdue (the job's next run set two days back)
    coalesce into one run of the latest, which runs only if it is within the grace window."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    fired = now - timedelta(hours=hours_late)
    desk.clock.now = now
    await scheduler.start()  # with no subscriptions yet, so start-up has nothing to catch up
    sub = desk.subscribe(f"daily every day {fired:%H:%M} UTC", at=now - timedelta(days=3))
    latest = last_fire(digest_trigger(sub.spec), now, timedelta(days=1))
    assert latest is not None
    desk.add_papers(paper("2699.00001", window_at(sub.spec, latest).first, 3))
    await scheduler.reconcile()  # adds the job, whose next run is tomorrow
    job = scheduler.job(sub.id or 0)
    assert job is not None
    job.modify(next_run_time=latest - timedelta(days=2))
    await wait_until_run(scheduler, sub, now)
    for _ in range(100):  # a loaded machine may need longer than wait_until_run's grace
        if len(desk.poster.in_channel()) >= posts:
            break
        await asyncio.sleep(0.05)
    assert len(desk.poster.in_channel()) == posts

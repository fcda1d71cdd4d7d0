"""Digests across restarts and installs: a 429's Retry-After outlives the process, the configured
grace window is the one applied, and two installs on one PostgreSQL server lead independently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.model.digests import RunState
from bot.ports import PostRejected
from bot.scheduling.scheduler import DigestScheduler
from bot.scheduling.service import build_digest_service
from storage.db import Database
from storage.leader_lock import LeaderLock
from tests.digests.helpers import PLATFORM, Desk, local, make_desk, minutes, paper
from tests.support.databases import migrated_database

THU = date(2026, 6, 11)
DUE = local("2026-06-12 09:00", "Europe/Berlin")


async def test_a_restart_during_a_429_back_off_waits_for_retry_after(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(paper("2606.00101", THU, 10), paper("2606.00102", THU, 20))
    desk.poster.refuse.append(PostRejected("429 rate limited", retry_after=600))
    assert await desk.fire(sub, DUE) is RunState.FAILED

    again = desk.restarted()  # a deploy one minute later: start-up catches up, then sweeps
    again.clock.now = DUE + minutes(1)
    scheduler = DigestScheduler(again.runner)
    await scheduler.start()
    scheduler.stop()
    assert await again.sweep(DUE + minutes(9)) == []
    assert desk.poster.in_channel() == []
    assert await again.sweep(DUE + minutes(10)) == [RunState.POSTED]
    assert len(desk.poster.in_channel()) == 1


@pytest.mark.parametrize(("grace_hours", "state"), [(1.0, RunState.MISSED), (3.0, RunState.POSTED)])
async def test_the_configured_grace_hours_decide_whether_a_late_digest_goes_out(
    db: Database, grace_hours: float, state: RunState
) -> None:
    """PAPERBOT_DIGEST_GRACE_HOURS reaches the runner the composition root builds."""
    desk = make_desk(db)
    settings = desk.deps.settings.model_copy(update={"digest_grace_hours": grace_hours})
    service = build_digest_service(replace(desk.deps, settings=settings), {PLATFORM: desk.poster})
    configured = replace(desk, runner=service.scheduler.runner)
    sub = configured.subscribe("daily 09:00 Europe/Berlin")
    configured.add_papers(paper("2606.00101", THU, 10))
    assert await configured.fire(sub, DUE + minutes(2 * 60)) is state


@pytest.mark.postgres
def test_two_installs_on_one_server_each_hold_their_own_leader_lock(tmp_path: Path) -> None:
    with (
        migrated_database("postgresql", tmp_path) as first,
        migrated_database("postgresql", tmp_path) as second,
    ):
        replica = Database(first.url)  # a second replica of the first install
        locks = [LeaderLock(first), LeaderLock(second), LeaderLock(replica)]
        try:
            assert [lock.try_acquire() for lock in locks] == [True, True, False]
        finally:
            for lock in locks:
                lock.release()
            replica.dispose()

"""Who runs the scheduler: the advisory lock holder on PostgreSQL; every process on SQLite."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.catalog_sync import CatalogSync
from bot.scheduling.scheduler import SYNC_JOB, DigestScheduler
from bot.scheduling.service import DigestService
from loopback.ports import FakeSource
from storage.db import Database
from storage.leader_lock import LeaderLock
from tests.digests.helpers import make_desk
from tests.support.advisory import HOLDERS, lock_params, terminate_lock_holder
from tests.support.databases import migrated_database


def test_on_sqlite_every_process_leads(sqlite_db: Database) -> None:
    first, second = LeaderLock(sqlite_db), LeaderLock(sqlite_db)
    assert first.try_acquire()
    assert second.try_acquire()
    assert first.still_held()


@pytest.mark.postgres
def test_the_lock_rests_on_an_idle_connection_and_release_unlocks_or_says_why_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="paperbot.leader")
    with migrated_database("postgresql", tmp_path) as db:
        lock, rival = LeaderLock(db), LeaderLock(db)
        admin = create_engine(db.url)
        try:
            assert not lock.still_held()  # never won
            assert lock.try_acquire()
            assert lock.try_acquire()  # already held: nothing more to do
            assert lock.still_held()  # its connection answers
            with admin.begin() as conn:
                key, where = lock_params(conn)
                activity = f"SELECT state FROM pg_stat_activity WHERE pid IN ({HOLDERS})"
                states = conn.execute(text(activity), where).scalars().all()
            # Autocommit: no transaction left open for an idle-in-transaction timeout to end.
            assert states == ["idle"]
            lock.release()
            assert not lock.still_held()
            assert rival.try_acquire()
            terminate_lock_holder(db)  # the rival's connection dies: it cannot unlock, only close
            rival.release()
        finally:
            lock.release()
            rival.release()
            admin.dispose()
    won = f"won the digest scheduler lock (key {key})"
    unlock_failed = "could not unlock the digest scheduler lock; closing its connection"
    assert caplog.messages == [won, won, unlock_failed]  # and no other warning


@pytest.mark.postgres
async def test_on_postgresql_one_process_leads_and_another_takes_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        await contend(db)
    assert "lost the connection holding the digest scheduler lock" in caplog.messages


async def contend(db: Database) -> None:
    other = Database(db.url)  # a second replica: its own engine, same database and schema
    first = DigestService(DigestScheduler(make_desk(db).runner), LeaderLock(db))
    second = DigestService(DigestScheduler(make_desk(other).runner), LeaderLock(other))
    try:
        await first.step()
        await second.step()
        assert (first.leading, second.leading) == (True, False)
        await second.step()
        assert not second.leading  # still held: the second keeps waiting

        terminate_lock_holder(db)
        await first.step()  # notices its lock connection is gone and stops scheduling
        assert not first.leading
        await second.step()
        assert second.leading
        await first.step()
        assert not first.leading

        await second.stop()  # an orderly stop releases the lock at once
        await first.step()
        assert first.leading
    finally:
        await first.stop()
        await second.stop()
        other.dispose()


def syncing_replica(db: Database) -> tuple[DigestService, FakeSource]:
    """A replica whose scheduler also runs the catalog sync, over its own fake source."""
    desk = make_desk(db)
    source = FakeSource()
    sync = CatalogSync(db, source, desk.clock, minutes=15)
    return DigestService(DigestScheduler(desk.runner, sync=sync), LeaderLock(db)), source


@pytest.mark.postgres
async def test_on_postgresql_only_the_leader_syncs_the_catalog(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        other = Database(db.url)
        first, _ = syncing_replica(db)
        second, second_source = syncing_replica(other)
        try:
            await first.step()
            await second.step()
            assert first.scheduler.job_by_id(SYNC_JOB) is not None
            assert second.scheduler.job_by_id(SYNC_JOB) is None
            assert second_source.calls == []

            await first.stop()  # the leader goes: the next one syncs instead
            await second.step()
            assert second.scheduler.job_by_id(SYNC_JOB) is not None
        finally:
            await first.stop()
            await second.stop()
            other.dispose()

"""Units of work: reads never queue behind writes, SQLite writes queue in one thread and take the
write lock at once, PostgreSQL runs several of each, and disposing waits for work in flight."""

from __future__ import annotations

import asyncio
import threading
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from storage.db import Database
from tests.support.databases import migrated_database

QUEUED_WRITES = 8
PARALLEL = 4  # reads, and PostgreSQL writes, that run at once (storage.db.Database)


async def test_a_read_completes_while_eight_slow_writes_are_still_queued(
    sqlite_db: Database,
) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_write(session: Session, n: int) -> None:
        insert = "INSERT INTO processed_event VALUES ('t', :id, '2026-06-01')"
        session.execute(text(insert), {"id": f"e{n}"})  # holds SQLite's write lock from here
        started.set()
        assert release.wait(timeout=30), "the test never released the writes"

    writes = [
        asyncio.ensure_future(sqlite_db.write(partial(slow_write, n=n)))
        for n in range(QUEUED_WRITES)
    ]
    try:
        assert await asyncio.to_thread(started.wait, 10)
        read = await asyncio.wait_for(
            sqlite_db.read(lambda s: s.execute(text("SELECT count(*) FROM paper")).scalar()),
            timeout=20,
        )
        assert read == 0
        assert sum(w.done() for w in writes) == 0  # every write still holds or waits
    finally:
        release.set()
        await asyncio.wait_for(asyncio.gather(*writes), timeout=30)
    assert all(w.done() and w.exception() is None for w in writes)


def meet(barrier: threading.Barrier) -> str:
    """Wait until ``barrier`` is full (fails if too few threads run at once); the thread's name."""
    barrier.wait()
    return threading.current_thread().name


async def test_reads_run_four_at_once_in_named_threads(db: Database) -> None:
    barrier = threading.Barrier(PARALLEL, timeout=10)
    names = await asyncio.gather(*(db.read(lambda _s: meet(barrier)) for _ in range(PARALLEL)))
    assert all(name.startswith("paperbot-read") for name in names)


@pytest.mark.postgres
async def test_postgresql_runs_four_writes_at_once_in_named_threads(tmp_path: Path) -> None:
    barrier = threading.Barrier(PARALLEL, timeout=10)
    with migrated_database("postgresql", tmp_path) as db:
        names = await asyncio.gather(*(db.write(lambda _s: meet(barrier)) for _ in range(PARALLEL)))
    assert all(name.startswith("paperbot-write") for name in names)


async def test_sqlite_writes_queue_in_one_thread(sqlite_db: Database) -> None:
    names = await asyncio.gather(
        *(sqlite_db.write(lambda _s: threading.current_thread().name) for _ in range(QUEUED_WRITES))
    )
    assert len(set(names)) == 1
    assert names[0].startswith("paperbot-write")


def test_a_sqlite_write_takes_the_write_lock_before_it_reads(sqlite_db: Database) -> None:
    """A write waits for another process's write to commit, then reads what it wrote: it never
    fails upgrading a read snapshot that the other write made stale."""
    other = Database(sqlite_db.url, search_dir=None)  # another process on the same file
    holding, release = threading.Event(), threading.Event()

    def other_write(session: Session) -> None:
        session.execute(text("INSERT INTO processed_event VALUES ('t', 'first', '2026-06-01')"))
        holding.set()
        assert release.wait(timeout=10)

    def count_then_write(session: Session) -> int:
        count = session.execute(text("SELECT count(*) FROM processed_event")).scalar_one()
        session.execute(text("INSERT INTO processed_event VALUES ('t', 'second', '2026-06-01')"))
        return int(count)

    writer = threading.Thread(target=other.write_now, args=(other_write,))
    writer.start()
    try:
        assert holding.wait(timeout=10)
        threading.Timer(0.2, release.set).start()  # commits while this write waits to begin
        assert sqlite_db.write_now(count_then_write) == 1
    finally:
        release.set()
        writer.join(timeout=10)
        other.dispose()


@pytest.mark.parametrize("kind", ["read", "write"])
async def test_disposing_waits_for_the_work_in_flight(tmp_path: Path, kind: str) -> None:
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}", search_dir=None)
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    def slow(_session: Session) -> None:
        started.set()
        assert release.wait(timeout=10)
        order.append("work done")

    write = asyncio.ensure_future(db.read(slow) if kind == "read" else db.write(slow))
    assert await asyncio.to_thread(started.wait, 10)
    disposing = asyncio.ensure_future(asyncio.to_thread(db.dispose))
    await asyncio.sleep(0.2)  # a dispose that does not wait has returned by now
    release.set()
    await disposing
    order.append("disposed")
    await write
    assert order == ["work done", "disposed"]

"""Units of work on SQLite: reads are never queued behind writes waiting for the write lock."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import text

from storage.db import Database

QUEUED_WRITES = 8


async def test_a_read_completes_while_eight_slow_writes_are_still_queued(
    sqlite_db: Database,
) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_write(session: object) -> None:
        started.set()
        assert release.wait(timeout=30), "the test never released the writes"

    writes = [asyncio.ensure_future(sqlite_db.write(slow_write)) for _ in range(QUEUED_WRITES)]
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

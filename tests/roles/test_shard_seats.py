"""Which process serves each Discord shard: the holder of its lock, and a survivor when it dies.

Two ``ShardSeats`` stand for two worker processes; their shards are recording stand-ins for
gateway sessions, so what is checked is the election, on real locks in a real database.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli.shards import ShardSeats
from bot.reply import Reply
from bot.reply_split import MessageLimits
from bot.stop_deadline import Deadline
from storage.db import Database
from storage.leader_lock import LeaderLock
from tests.support.advisory import terminate_lock_holder
from tests.support.databases import migrated_database

SHARDS = 2


class Session:
    """A stand-in for one gateway session (or the REST connection): records its life."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.platform = "discord"
        self.ends_by_itself = False
        self.serving = False
        self.ended = asyncio.Event()

    @property
    def poster(self) -> Session:
        return self

    @property
    def limits(self) -> MessageLimits:
        return MessageLimits()

    async def send(self, _channel: object, _message: Reply) -> str:
        return "1"

    async def start(self) -> None:
        self.serving = True

    async def wait(self) -> None:
        await self.ended.wait()

    async def stop(self, deadline: Deadline | None = None) -> None:
        self.serving = False


def worker(db: Database, name: str, opened: list[tuple[str, int]]) -> ShardSeats:
    def open_shard(shard: int) -> Session:
        opened.append((name, shard))
        return Session(f"{name}:{shard}")

    leases = [LeaderLock(db, f"paperbot:discord-shard:{shard}") for shard in range(SHARDS)]
    return ShardSeats(Session(name), open_shard, leases, check_every=3600, spacing=0)


@pytest.mark.postgres
async def test_each_shard_is_served_by_one_process_and_taken_over_when_its_holder_dies(
    tmp_path: Path,
) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        opened: list[tuple[str, int]] = []
        first, second = worker(db, "A", opened), worker(db, "B", opened)
        try:
            await first.start()
            await second.start()
            assert first.shards == [0, 1]
            assert second.shards == []
            assert second.serving  # standing by, ready to take over
            await second.step()
            assert opened == [("A", 0), ("A", 1)]

            for shard in range(SHARDS):  # A's connections die, as when A is SIGKILLed
                await asyncio.to_thread(
                    terminate_lock_holder, db, f"paperbot:discord-shard:{shard}"
                )
            await second.step()
            assert second.shards == [0, 1]
            await first.step()  # A, had it survived, lets go of what is no longer its own
            assert first.shards == []
            assert opened == [("A", 0), ("A", 1), ("B", 0), ("B", 1)]
        finally:
            await first.stop()
            await second.stop()


async def test_a_shard_whose_session_ends_by_itself_ends_the_process(
    tmp_path: Path,
) -> None:
    """A gateway given up for good (a revoked token) is exit 70 for a supervisor to restart,
    which frees the lock; on SQLite the one worker holds every shard."""
    with migrated_database("sqlite", tmp_path) as db:
        sessions: dict[int, Session] = {}

        def open_shard(shard: int) -> Session:
            sessions[shard] = Session(str(shard))
            return sessions[shard]

        seats = ShardSeats(Session("rest"), open_shard, [LeaderLock(db), LeaderLock(db)])
        await seats.start()
        try:
            assert seats.shards == [0, 1]
            waiting = asyncio.ensure_future(seats.wait())
            await asyncio.sleep(0)
            assert not waiting.done()
            sessions[1].ended.set()
            await asyncio.wait_for(waiting, 10)
        finally:
            await seats.stop()
        assert not sessions[0].serving
        assert not sessions[1].serving

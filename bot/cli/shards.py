"""Which Discord gateway shards this process serves: each shard by one process at a time.

Discord sends each server's events to the one session that identified for its shard; two
processes on the same shard would both answer every interaction. So every shard has a lease
(``storage.leader_lock``: a PostgreSQL session advisory lock, which the server drops when the
holder's connection ends, SIGKILL included). A worker opens the shards whose lease it wins,
looks again every few seconds for shards nobody holds (another worker died), and closes a shard
whose lease it lost. A REST-only connection (``base``) posts digests and edits messages
whatever shards the process holds. On SQLite every lease is always held: run one worker there.

The platform's connections come from factories, so this module imports no SDK.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.facade import Adapter, Poster
from bot.stop_deadline import Deadline

log = logging.getLogger("paperbot.shards")

CHECK_EVERY = 5.0  # seconds between looks for free shards (and checks that ours are still ours)
IDENTIFY_SPACING = 5.0  # Discord allows one IDENTIFY per 5 s (max_concurrency 1)


class Lease(Protocol):
    """A lock only one process holds (``storage.leader_lock.LeaderLock``); blocking calls."""

    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class ShardSeats:
    """An ``Adapter`` made of ``base`` (REST) and the shards whose lease this process holds."""

    def __init__(
        self,
        base: Adapter,
        open_shard: Callable[[int], Adapter],
        leases: Sequence[Lease],
        *,
        check_every: float = CHECK_EVERY,
        spacing: float = IDENTIFY_SPACING,
    ) -> None:
        self._base = base
        self._open_shard = open_shard
        self._leases = list(leases)
        self._check_every = check_every
        self._spacing = spacing
        self._held: dict[int, Adapter] = {}
        self._watchers: dict[int, asyncio.Task[None]] = {}
        self._died = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.ends_by_itself = False

    @property
    def platform(self) -> str:
        return self._base.platform

    @property
    def poster(self) -> Poster:
        return self._base.poster

    @property
    def shards(self) -> list[int]:
        """The shards this process serves now."""
        return sorted(self._held)

    @property
    def serving(self) -> bool:
        """REST is up and every shard held is connected; holding none is standing by."""
        return self._base.serving and all(shard.serving for shard in self._held.values())

    async def start(self) -> None:
        """Log in, open the shards free now (a refused token fails here), then keep looking."""
        await self._base.start()
        await self.step()
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def step(self) -> None:
        """One round: open each free shard whose lease we win, close each whose lease we lost."""
        opened = False
        for shard, lease in enumerate(self._leases):
            if shard in self._held:
                if not await asyncio.to_thread(lease.still_held):
                    log.warning("lost the lock of Discord shard %d; closing it", shard)
                    await self._close(shard, lease)
            elif await asyncio.to_thread(lease.try_acquire):
                if opened:
                    await asyncio.sleep(self._spacing)
                await self._open(shard, lease)
                opened = True

    async def _open(self, shard: int, lease: Lease) -> None:
        adapter = self._open_shard(shard)
        try:
            await adapter.start()
        except BaseException:
            await asyncio.to_thread(lease.release)
            raise
        self._held[shard] = adapter
        self._watchers[shard] = asyncio.get_running_loop().create_task(self._watch(shard, adapter))
        log.info("serving Discord shard %d of %d", shard, len(self._leases))

    async def _watch(self, shard: int, adapter: Adapter) -> None:
        """A shard whose connection ends by itself ends the process (exit 70, a restart), which
        frees its lease for another worker."""
        with contextlib.suppress(Exception):
            await adapter.wait()
        if self._held.get(shard) is adapter:
            self._died.set()

    async def _close(self, shard: int, lease: Lease, deadline: Deadline | None = None) -> None:
        adapter = self._held.pop(shard)
        watcher = self._watchers.pop(shard)
        watcher.cancel()
        try:
            await adapter.stop(deadline)
        finally:
            await asyncio.to_thread(lease.release)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._check_every)
            try:
                await self.step()
            except Exception:
                log.exception("looking for free Discord shards failed; trying again later")

    async def wait(self) -> None:
        await self._died.wait()

    async def stop(self, deadline: Deadline | None = None) -> None:
        """Close every shard held, then the REST client, all within the one stop's ``deadline``."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for shard in sorted(self._held, reverse=True):
            try:
                await self._close(shard, self._leases[shard], deadline)
            except Exception:
                log.exception("closing Discord shard %d failed", shard)
        for lease in self._leases:
            await asyncio.to_thread(lease.release)
        await self._base.stop(deadline)

"""Run the digest scheduler while this process holds the leader lock; keep trying otherwise.

This is what the composition root starts and stops. It is also the ``ScheduleSink`` the commands
see: a change made here reaches the scheduler at once when this process leads; when another
replica leads, its periodic sweep reads the change from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from bot.catalog_sync import CatalogSync
from bot.deps import Deps
from bot.digests.policy import policy_from
from bot.digests.run import DigestRunner
from bot.in_flight import STOP_GRACE
from bot.ports import Poster
from bot.scheduling.scheduler import DigestScheduler
from bot.stop_deadline import Deadline
from storage.leader_lock import LeaderLock

log = logging.getLogger("paperbot.scheduler")


class DigestService:
    def __init__(
        self, scheduler: DigestScheduler, lock: LeaderLock, *, check_every: float = 30.0
    ) -> None:
        self.scheduler = scheduler
        self.lock = lock
        self._check_every = check_every
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def leading(self) -> bool:
        return self.scheduler.running

    @property
    def running(self) -> bool:
        """Started and still electing: leading (running digests) or standing by for the lock."""
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Try for the lock once now (so a single process starts digests at once), then keep
        checking in the background."""
        try:
            await self.step()
        except Exception:
            log.exception("could not start the digest scheduler; trying again later")
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self, deadline: Deadline | None = None) -> None:
        """Let the digests being posted finish within ``deadline`` (the whole stop's), or hand
        them over; then stop electing and let the lock go, for another replica to lead."""
        self._stopping = True
        await self.scheduler.drain(deadline or Deadline(STOP_GRACE))
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.scheduler.stop()
        await asyncio.to_thread(self.lock.release)

    async def step(self) -> None:
        """One election round: start the scheduler on winning, stop it on losing the lock."""
        if self._stopping:
            return
        if not self.leading:
            if await asyncio.to_thread(self.lock.try_acquire):
                log.info("this process runs the digest scheduler")
                await self.scheduler.start()
        elif not await asyncio.to_thread(self.lock.still_held):
            log.warning("lost the digest scheduler lock; stopping the scheduler")
            self.scheduler.stop()

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._check_every)
            try:
                await self.step()
            except Exception:
                log.exception("digest scheduler election failed; trying again later")

    def subscription_changed(self, subscription_id: int) -> None:
        self.scheduler.subscription_changed(subscription_id)

    def subscription_removed(self, subscription_id: int) -> None:
        self.scheduler.subscription_removed(subscription_id)


def build_digest_service(
    deps: Deps, posters: Mapping[str, Poster], sync: CatalogSync | None = None
) -> DigestService:
    """The runner, scheduler and leader lock for ``deps``; ``deps.source`` should be one meant
    for background work (a longer timeout than interactive commands get). The leader also runs
    ``sync``, so one process keeps the catalog current."""
    runner = DigestRunner(deps, posters, policy=policy_from(deps.settings))
    return DigestService(DigestScheduler(runner, sync=sync), LeaderLock(deps.db))

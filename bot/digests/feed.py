"""One Daily Papers fetch (and one catalog write) per day for all the digests due together.

A thousand channels subscribed at 09:00 all want yesterday's papers: the first run's fetch is
shared by every run that asks while it is in flight, stored into the catalog once before any of
them reads it, and kept for a few minutes (failures and empty days for less, so a retry sees
news soon). An explicit object owned by the digest runner, not a module-level cache.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from datetime import date

from bot.model import Paper
from bot.ports import PaperSource

Monotonic = Callable[[], float]
Store = Callable[[list[Paper]], Awaitable[object]]


class DayFeed:
    def __init__(
        self,
        source: PaperSource,
        *,
        store: Store | None = None,
        fresh_for: float = 300.0,
        empty_for: float = 60.0,
        failure_for: float = 30.0,
        clock: Monotonic = time.monotonic,
    ) -> None:
        self._source = source
        self._store = store
        self._fresh_for = fresh_for
        self._empty_for = empty_for
        self._failure_for = failure_for
        self._clock = clock
        # day -> (stale from, its fetch); a fetch is never stale before it has settled (math.inf)
        self._entries: dict[date, tuple[float, asyncio.Task[list[Paper]]]] = {}

    async def day(self, day: date) -> list[Paper]:
        """The papers listed for ``day``; raises the source's ``SourceError`` when it fails."""
        entry = self._entries.get(day)
        if entry is None or self._clock() >= entry[0]:
            self._forget_stale()
            task = asyncio.get_running_loop().create_task(self._fetch(day))
            entry = (math.inf, task)
            self._entries[day] = entry
            task.add_done_callback(lambda t: self._settled(day, t))
        return list(await asyncio.shield(entry[1]))

    async def _fetch(self, day: date) -> list[Paper]:
        papers = await self._source.daily_papers(day)
        if papers and self._store is not None:
            await self._store(papers)
        return papers

    def _forget_stale(self) -> None:
        now = self._clock()
        for day in [d for d, (until, _task) in self._entries.items() if now >= until]:
            del self._entries[day]

    def _settled(self, day: date, task: asyncio.Task[list[Paper]]) -> None:
        """Start the clock on a finished fetch. Its entry is still the one ``day`` made: an entry
        is replaced or forgotten only once stale, and it is stale only after this has run."""
        if task.cancelled() or task.exception() is not None:
            keep = self._failure_for
        else:
            keep = self._fresh_for if task.result() else self._empty_for
        self._entries[day] = (self._clock() + keep, task)

"""A stop clock the test moves by hand (``bot.stop_deadline.StopClock``): a stop's deadline
passes when the test says so, never because the machine was slow."""

from __future__ import annotations

import asyncio


class ManualClock:
    def __init__(self) -> None:
        self._now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = asyncio.Condition()

    def now(self) -> float:
        return self._now

    async def sleep_until(self, when: float) -> None:
        if when <= self._now:
            return
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (when, wake)
        self._sleepers.append(entry)
        async with self._changed:
            self._changed.notify_all()
        try:
            await wake
        finally:
            self._sleepers.remove(entry)

    def advance(self, seconds: float) -> None:
        self._now += seconds
        for when, wake in self._sleepers:
            if when <= self._now and not wake.done():
                wake.set_result(None)

    @property
    def waits(self) -> list[float]:
        """When each stage now waiting on this clock wakes up."""
        return sorted(when for when, wake in self._sleepers if not wake.done())

    async def waited_on(self) -> float:
        """Once something waits on this clock: the earliest time it wakes up."""
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self.waits))
        return self.waits[0]


async def stop_or_wait(stop: asyncio.Task[object], clock: ManualClock) -> bool:
    """Until ``stop`` ends (True) or something waits on ``clock`` for a time to come (False)."""
    waiting = asyncio.ensure_future(clock.waited_on())
    try:
        await asyncio.wait({stop, waiting}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
    return stop.done()

"""One deadline for a whole stop, shared by every stage that waits on the way out.

A stop waits for several things in turn (digests being posted, each adapter's acknowledged
work, the commands and votes the core is still handling). Each stage waiting its own grace
would let a stop take a multiple of it, past what a supervisor allows before it kills the
process; so the stop makes one ``Deadline`` and hands it down, and every stage waits only for
what is left of it. The clock is injected, so tests move time by hand rather than sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from typing import Any, Protocol


class StopClock(Protocol):
    """Seconds on a monotonic scale, and a way to wait until one of them."""

    def now(self) -> float: ...

    async def sleep_until(self, when: float) -> None: ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep_until(self, when: float) -> None:
        await asyncio.sleep(max(0.0, when - self.now()))


MONOTONIC = MonotonicClock()
STOP_GRACE = 30.0  # seconds a whole stop may take, every stage's waiting together


class Deadline:
    """``seconds`` from now on ``clock``: what every stage of one stop waits within."""

    def __init__(self, seconds: float, clock: StopClock = MONOTONIC) -> None:
        self.seconds = seconds
        self.clock = clock
        self.at = clock.now() + seconds

    def left(self) -> float:
        return max(0.0, self.at - self.clock.now())

    @property
    def passed(self) -> bool:
        return self.clock.now() >= self.at

    def sooner_by(self, seconds: float) -> Deadline:
        """The same stop's deadline ``seconds`` earlier: a stage that still has something to do
        after giving up (hand a digest over) stops waiting in time to do it."""
        early = Deadline(0.0, self.clock)
        early.seconds = self.seconds
        early.at = self.at - seconds
        return early

    async def wait(self, tasks: Collection[asyncio.Future[Any]]) -> set[asyncio.Future[Any]]:
        """Until every one of ``tasks`` is done, or the deadline passes; returns those not done."""
        pending = {task for task in tasks if not task.done()}
        if not pending or self.passed:
            return pending
        timer = asyncio.ensure_future(self.clock.sleep_until(self.at))
        try:
            while pending and not timer.done():
                await asyncio.wait({*pending, timer}, return_when=asyncio.FIRST_COMPLETED)
                pending = {task for task in pending if not task.done()}
        finally:
            timer.cancel()
        return pending


class Stop:
    """A process's stop and its one deadline, which starts when the stop does (the first call
    of ``deadline``): the composition root's stages and the runtime's last drain share it."""

    def __init__(self, seconds: float = STOP_GRACE, clock: StopClock = MONOTONIC) -> None:
        self._seconds = seconds
        self._clock = clock
        self._deadline: Deadline | None = None

    def deadline(self) -> Deadline:
        if self._deadline is None:
            self._deadline = Deadline(self._seconds, self._clock)
        return self._deadline

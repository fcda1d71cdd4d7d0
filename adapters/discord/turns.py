"""Which commands the core works on now, and which wait their turn after a deferral at once.

The client, the core and the HTTP calls of every answer share one event loop, and the core's
database threads take the GIL from it. In a burst of interactions (a channel trying the bot), a
core started on every command at once put its searches and rendering in front of the other
interactions' first responses: each waited its ``answer_within`` behind the others' work, then
was deferred late, slower still for the threads (docs/benchmarks.md). So at most ``limit``
commands are given to the core at once; a command that finds them all taken is deferred on its
first tick and waits its turn, which comes once no such deferral is on its way (the first
responses of a burst go first, as the Slack adapter's acks do), or ``longest`` after it queued,
whichever is first: steady traffic cannot hold a command back for longer. Deferred commands
then run up to ``workers`` at once, enough to keep the database threads busy (their results
came sooner than four at a time), few enough not to swamp a next burst.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

AT_ONCE = 4  # commands the core takes at once; one more is deferred at once and waits its turn
WORKERS = 16  # commands at the core at once, counting those whose deferral went out first
LONGEST = 0.5  # seconds a deferred command waits for first responses before it starts anyway


class Turns:
    def __init__(
        self, limit: int = AT_ONCE, longest: float = LONGEST, workers: int = WORKERS
    ) -> None:
        self._limit = limit
        self._workers = max(workers, limit)
        self._longest = longest
        self._running = 0
        self._waiting: deque[tuple[float, asyncio.Future[None]]] = deque()
        self._answering = 0  # deferrals on their way
        self._timer: asyncio.TimerHandle | None = None

    @property
    def busy(self) -> bool:
        """The core has all the commands it takes at once, or commands are waiting for a turn:
        a new one is deferred first."""
        return self._running >= self._limit or bool(self._waiting)

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Around a deferral: no waiting command starts while one is on its way."""
        self._answering += 1
        try:
            yield
        finally:
            self._answering -= 1
            self._hand_over()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """At once when the core is not busy; else in order of arrival."""
        if self.busy:
            await self._wait()
        else:
            self._running += 1
        try:
            yield
        finally:
            self._running -= 1
            self._hand_over()

    async def _wait(self) -> None:
        loop = asyncio.get_running_loop()
        entry = (loop.time(), loop.create_future())
        self._waiting.append(entry)
        self._hand_over()  # a worker may be free already
        try:
            await entry[1]  # the hand-over counts the turn as taken before waking it
        except asyncio.CancelledError:
            if entry[1].cancelled():
                self._waiting.remove(entry)
            else:  # given a turn it will never use
                self._running -= 1
            self._hand_over()
            raise

    def _hand_over(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting and self._running < self._workers:
            queued, ready = self._waiting[0]
            due = queued + self._longest
            if self._answering and loop.time() < due:
                if self._timer is not None:
                    self._timer.cancel()
                self._timer = loop.call_at(due, self._hand_over)
                return
            self._waiting.popleft()
            self._running += 1
            ready.set_result(None)

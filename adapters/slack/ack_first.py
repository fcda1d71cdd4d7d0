"""Run acknowledged commands after the burst that brought them has been acknowledged.

Slack sends a team's commands in bursts (a digest's buttons, a channel trying the bot) and
wants each HTTP request answered within 3 s; ours is 100 ms (docs/benchmarks.md). All of it
runs on one event loop, and asyncio runs ready work first come, first served: a command
started right after its ack puts its search, rendering and Web API calls (and the GIL its
database threads take) in front of the next request's ack. So work waits here until no new
ack has come for ``quiet`` seconds, and then at most ``limit`` commands run at once, which
keeps the loop free to ack the next burst while this one is being answered. Under steady
traffic ``longest`` bounds the wait: the oldest command starts by then whatever arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.facade import STOP_GRACE, Deadline

Work = TypeVar("Work")

log = logging.getLogger("paperbot.slack")


class AckFirstQueue(Generic[Work]):
    def __init__(
        self,
        run: Callable[[Work], Awaitable[object]],
        *,
        quiet: float = 0.005,
        longest: float = 0.2,
        limit: int = 8,
    ) -> None:
        self._run = run
        self._quiet = quiet
        self._longest = longest
        self._slots = asyncio.Semaphore(limit)
        self._pending: deque[tuple[float, Work]] = deque()
        self._last_added = 0.0
        self._starter: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    def add(self, work: Work) -> None:
        """Queue ``work``, acknowledged a moment ago; call from the event loop."""
        loop = asyncio.get_running_loop()
        self._last_added = loop.time()
        self._pending.append((self._last_added, work))
        if self._starter is None or self._starter.done():
            self._starter = loop.create_task(self._start_when_quiet())

    async def _start_when_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            oldest = self._pending[0][0]
            wait = min(self._last_added + self._quiet, oldest + self._longest) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await self._slots.acquire()
            _, work = self._pending.popleft()
            task = loop.create_task(self._run_one(work))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run_one(self, work: Work) -> None:
        try:
            await self._run(work)
        except Exception:
            log.exception("a command or click failed after it was acknowledged")
        finally:
            self._slots.release()

    async def drain(self, deadline: Deadline | None = None) -> None:
        """Finish everything already acknowledged (at stop): queued work too, not only running,
        within the stop's ``deadline``; what is left then is logged by count."""
        deadline = deadline or Deadline(STOP_GRACE)
        seen: set[asyncio.Task[None]] = set()
        while not deadline.passed:
            seen |= self._running
            # A task leaves ``_running`` a loop turn after it is done: waiting for it then would
            # return at once, and this loop would spin, never yielding, until the deadline.
            waiting: set[asyncio.Task[None]] = {task for task in self._running if not task.done()}
            if self._starter is not None and not self._starter.done():
                waiting.add(self._starter)
            if not waiting:
                break
            await deadline.wait(waiting)
        if seen:  # the listeners track themselves too, but they are done by now: say it here
            finished = sum(task.done() for task in seen)
            log.info("stopping: %d acknowledged Slack requests finished", finished)
        left = len(self._pending) + sum(not task.done() for task in self._running)
        if left:
            log.error("stopping with %d acknowledged Slack requests not started or done", left)

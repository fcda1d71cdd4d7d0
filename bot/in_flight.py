"""The tasks doing work a platform has already acknowledged, for a stop to wait on.

A stop lets them finish within its one deadline (``bot.stop_deadline``); what is still running
then is logged by count, never dropped silently, and what finished is logged too, so the log
says what the stop drained (docs/architecture.md, Stopping).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

from bot.stop_deadline import STOP_GRACE, Deadline

__all__ = ["STOP_GRACE", "InFlight"]

log = logging.getLogger("paperbot.stop")


class InFlight:
    def __init__(self, what: str) -> None:
        self._what = what  # what the work is, for the log: "Slack commands and events"
        self._tasks: set[asyncio.Task[object]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def tasks(self) -> frozenset[asyncio.Task[object]]:
        return frozenset(self._tasks)

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task in while the block runs."""
        task = asyncio.current_task()
        if task is None:  # not in a task: nothing a stop could wait on
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def drain(self, deadline: Deadline | float = STOP_GRACE) -> int:
        """Until the work tracked now (and any that starts meanwhile) is done, or the stop's
        ``deadline`` (seconds from now, when a number) passes; returns how many are left,
        logged as an error when any are."""
        if not isinstance(deadline, Deadline):
            deadline = Deadline(deadline)
        await asyncio.sleep(0)  # tasks created a moment ago get to start, and so to count in
        seen: set[asyncio.Task[object]] = set()
        while self._tasks:
            seen |= self._tasks
            if await deadline.wait(set(self._tasks)):
                break
        left = len(self._tasks)
        if seen:
            log.info("stopping: %d %s finished", len(seen - self._tasks), self._what)
        if left:
            log.error(
                "stopping with %d %s unfinished at the stop deadline (%.0f s)",
                left,
                self._what,
                deadline.seconds,
            )
        return left

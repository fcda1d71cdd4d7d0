"""The tasks doing work a platform has already acknowledged, for a stop to wait on.

A stop lets them finish, for ``grace`` seconds at most; what is still running then is logged by
count, never dropped silently (docs/architecture.md, Stopping).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

log = logging.getLogger("paperbot.stop")

STOP_GRACE = 30.0  # seconds a stop waits for acknowledged work to finish


class InFlight:
    def __init__(self, what: str) -> None:
        self._what = what  # what the work is, for the log: "Slack commands and events"
        self._tasks: set[asyncio.Task[object]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

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

    async def drain(self, grace: float = STOP_GRACE) -> int:
        """Until the work tracked now (and any that starts meanwhile) is done, ``grace`` seconds
        at most; returns how many are left, logged as an error when any are."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        await asyncio.sleep(0)  # tasks created a moment ago get to start, and so to count in
        while self._tasks:
            left = deadline - loop.time()
            if left <= 0:
                break
            await asyncio.wait(set(self._tasks), timeout=left)
        if self._tasks:
            log.error(
                "stopping with %d %s unfinished after %.0f s", len(self._tasks), self._what, grace
            )
        return len(self._tasks)

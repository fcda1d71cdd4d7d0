"""Client-side pacing, so we stay under HF's quota instead of learning about it from 429s.

HF allows 500 API calls per 5 minutes anonymously (1,000 with a token). A sliding window of our
own call times keeps a burst (an ingest of many days, many users at once) under that, and a hold
lets the client pause everyone when the server says the window is used up.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

ANONYMOUS_CALLS_PER_WINDOW = 500
TOKEN_CALLS_PER_WINDOW = 1000
WINDOW_SECONDS = 300.0


class RequestPacer:
    """At most ``max_calls`` acquisitions in any ``period`` seconds; callers wait their turn.

    Safe for concurrent asyncio tasks: waiters queue on a lock in arrival order. Time comes from the
    injected ``clock`` and waiting from the injected ``sleep``, so tests run on a fake clock.
    """

    def __init__(
        self,
        max_calls: int = ANONYMOUS_CALLS_PER_WINDOW,
        period: float = WINDOW_SECONDS,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("a pacer needs max_calls >= 1 and a positive period")
        self.max_calls = max_calls
        self.period = period
        self._sleep = sleep
        self._clock = clock
        self._calls: deque[float] = deque()
        self._hold_until = float("-inf")
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until one more call fits in the window, then count it."""
        async with self._lock:
            while True:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._calls.append(now)
                    return
                await self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """Let no call through for ``seconds`` (the server said its window is exhausted)."""
        if seconds > 0:
            self._hold_until = max(self._hold_until, self._clock() + seconds)

    def held_for(self) -> float:
        """Seconds until the server's hold ends (0 when calls are not held)."""
        return max(0.0, self._hold_until - self._clock())

    def _wait_needed(self, now: float) -> float:
        while self._calls and self._calls[0] <= now - self.period:
            self._calls.popleft()
        wait = self._hold_until - now
        if len(self._calls) >= self.max_calls:
            wait = max(wait, self._calls[0] + self.period - now)
        return wait

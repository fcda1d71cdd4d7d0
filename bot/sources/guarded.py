"""A paper source for interactive commands: bounded in time, and quiet while upstream is down.

A user waiting on a slash command should not sit through a minute of retries. Each call gets a
deadline; after a failure the source is skipped for a cool-down, so the next commands answer from
the catalog at once instead of waiting on the same outage again. ``availability()`` tells an
operator (``/readyz``, ``/metrics``) which of the two the source is in now. What a paper has on
the Hub is kept for ``HUB_CACHE_SECONDS``: it changes slowly, and a card asked for twice should
not cost six more requests of the quota the catalog sync and digests share.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from bot.calendar_periods import CalendarPeriod
from bot.model import Paper
from bot.model.hub import HubCitations
from bot.ports import PaperSource
from bot.sources.errors import RateLimited, UpstreamUnavailable

T = TypeVar("T")

HUB_CACHE_SECONDS = 600.0
HUB_CACHE_SIZE = 512  # papers; the oldest answer goes first


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether calls go through to the source now; if not, why, and for how long more."""

    available: bool
    reason: str = ""  # the failure that closed it (or that paperbot runs offline)
    seconds_left: float = 0.0  # of the cool-down; infinite when offline


class GuardedSource:
    def __init__(
        self,
        inner: PaperSource | None,
        *,
        timeout: float,
        cool_down: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._timeout = timeout
        self._cool_down = cool_down
        self._clock = clock
        self._down_until = 0.0
        self._last_error = "paperbot runs offline (PAPERBOT_OFFLINE is set)"
        self._hub: dict[str, tuple[float, HubCitations]] = {}  # paper id -> (when, answer)

    def availability(self) -> Availability:
        """Open (calls go through) or skipped for the rest of a cool-down, or offline."""
        if self._inner is None:
            return Availability(False, self._last_error, math.inf)
        left = self._down_until - self._clock()
        if left <= 0:
            return Availability(True)
        return Availability(False, self._last_error, left)

    async def daily_papers(self, day: date) -> list[Paper]:
        return await self._call(lambda s: s.daily_papers(day))

    async def period_papers(self, period: CalendarPeriod) -> list[Paper]:
        return await self._call(lambda s: s.period_papers(period))

    async def paper(self, paper_id: str) -> Paper:
        return await self._call(lambda s: s.paper(paper_id))

    async def search(self, query: str, limit: int) -> list[Paper]:
        return await self._call(lambda s: s.search(query, limit))

    async def hub_citations(self, paper_id: str) -> HubCitations:
        kept = self._hub.get(paper_id)
        if kept is not None and self._clock() - kept[0] < HUB_CACHE_SECONDS:
            return kept[1]
        found = await self._call(lambda s: s.hub_citations(paper_id))
        self._hub.pop(paper_id, None)
        if len(self._hub) >= HUB_CACHE_SIZE:
            del self._hub[next(iter(self._hub))]
        self._hub[paper_id] = (self._clock(), found)
        return found

    async def _call(self, call: Callable[[PaperSource], Awaitable[T]]) -> T:
        if self._inner is None:
            raise UpstreamUnavailable(self._last_error)
        if self._clock() < self._down_until:
            raise UpstreamUnavailable(f"Hugging Face is unavailable ({self._last_error})")
        try:
            return await asyncio.wait_for(call(self._inner), self._timeout)
        except TimeoutError:
            self._trip(f"no answer within {self._timeout:g} s")
            message = f"Hugging Face did not answer within {self._timeout:g} s"
            raise UpstreamUnavailable(message) from None
        except (UpstreamUnavailable, RateLimited) as error:
            self._trip(str(error))
            raise

    def _trip(self, reason: str) -> None:
        self._last_error = reason
        self._down_until = self._clock() + self._cool_down

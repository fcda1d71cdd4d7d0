"""The explicit dependencies every use case receives: no globals, no singletons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.metrics import NO_METRICS, Metrics
from bot.ports import PaperSource, ScheduleSink
from bot.settings import Settings
from storage.db import Database

Clock = Callable[[], datetime]
Progress = Callable[[str], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def no_progress(_message: str) -> None:
    """For callers with nowhere to show progress (scripts, tests)."""


class NoSchedule:
    """For processes that run no digest scheduler (``paperbot ask``, tests): changes are kept in
    the database, and whichever process runs the scheduler picks them up from there."""

    def subscription_changed(self, subscription_id: int) -> None:
        pass

    def subscription_removed(self, subscription_id: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    db: Database
    source: PaperSource
    clock: Clock = utc_now
    schedule: ScheduleSink = field(default_factory=NoSchedule)
    metrics: Metrics = NO_METRICS  # what background work (digests) counts into

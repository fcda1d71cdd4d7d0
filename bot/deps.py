"""The explicit dependencies every use case receives: no globals, no singletons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.ports import PaperSource
from bot.settings import Settings
from storage.db import Database

Clock = Callable[[], datetime]
Progress = Callable[[str], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def no_progress(_message: str) -> None:
    """For callers with nowhere to show progress (scripts, tests)."""


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    db: Database
    source: PaperSource
    clock: Clock = utc_now

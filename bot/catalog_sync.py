"""Keep the catalog's newest Daily Papers days in step with Hugging Face while the bot runs.

A pure plan says which days one sync fetches, from the clock, the newest Daily Papers date the
catalog has and when its last 30 days were last refreshed: the newest two days every time (so
``today`` is at most one sync interval behind), after downtime every day from the newest stored
one on (it may have stopped half-listed; at most ``REFRESH_DAYS``), and the last
``REFRESH_DAYS`` days once a day (their upvotes and comments move for weeks). Nothing extra
is stored: when the last refresh ran is read from the papers' ``fetched_at``, so it survives
restarts and is the same for every replica.

The job fetches the plan's days with ``ingest_days`` (idempotent upserts, a circuit breaker, a
per-day deadline) through the background Hugging Face client, which retries, waits out a 429
and shares the request quota with digests and search. Hugging Face dates are its own (UTC)
days. The digest scheduler runs the job, so on PostgreSQL only the leader syncs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from bot.deps import Clock
from bot.ingest import IngestSummary, days_between, ingest_days
from bot.metrics import NO_METRICS, Metrics
from bot.ports import PaperSource
from storage.db import Database
from storage.papers import latest_daily_date, least_recently_fetched_day

log = logging.getLogger("paperbot.sync")

NEWEST_DAYS = 2  # fetched on every sync: today's list fills during the day, yesterday's settles
REFRESH_DAYS = 30  # refreshed once a day; also the most a gap is back-filled
REFRESH_EVERY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SyncPlan:
    newest: tuple[date, ...]
    gap: tuple[date, ...]
    refresh: bool  # the last REFRESH_DAYS days are all in ``days``

    @property
    def days(self) -> list[date]:
        """Every day to fetch, oldest first: a gap fills in order, so if the source gives up
        half-way, the newest stored day still marks where the gap begins."""
        return sorted(set(self.newest) | set(self.gap) | set(self._refresh_days))

    @property
    def _refresh_days(self) -> tuple[date, ...]:
        if not self.refresh:
            return ()
        last = max(self.newest)
        return tuple(days_between(last - timedelta(days=REFRESH_DAYS - 1), last))


def plan_sync(now: datetime, newest_stored: date | None, last_refresh: datetime | None) -> SyncPlan:
    """Which days one sync fetches (see the module docstring)."""
    today = now.astimezone(UTC).date()
    newest = tuple(days_between(today - timedelta(days=NEWEST_DAYS - 1), today))
    oldest_gap_day = today - timedelta(days=REFRESH_DAYS - 1)
    if newest_stored is not None:  # itself too: the process may have stopped while it filled
        oldest_gap_day = max(oldest_gap_day, newest_stored)
    gap = tuple(d for d in days_between(oldest_gap_day, today) if d not in newest)
    refresh = last_refresh is None or now - last_refresh >= REFRESH_EVERY
    return SyncPlan(newest=newest, gap=gap, refresh=refresh)


class CatalogSync:
    """One sync at a time: read the plan's inputs from the catalog, fetch its days."""

    def __init__(
        self,
        db: Database,
        source: PaperSource,
        clock: Clock,
        *,
        minutes: int,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self.db = db
        self.source = source
        self.clock = clock
        self.minutes = minutes  # how often the scheduler runs it
        self.metrics = metrics  # told the time of each sync that fetched every planned day

    async def plan(self) -> SyncPlan:
        now = self.clock()
        today = now.astimezone(UTC).date()
        newest = await self.db.read(partial(latest_daily_date, on_or_before=today))
        # The newest days are fetched every time anyway: a refresh is due when an older one is stale
        first = today - timedelta(days=REFRESH_DAYS - 1)
        last = today - timedelta(days=NEWEST_DAYS)
        refreshed = await self.db.read(partial(least_recently_fetched_day, first=first, last=last))
        return plan_sync(now, newest, refreshed)

    async def run(self) -> IngestSummary:
        plan = await self.plan()
        summary = await ingest_days(self.db, self.source, plan.days)
        what = f"newest {NEWEST_DAYS} days"
        if plan.gap:
            what += f", {len(plan.gap)} day(s) back-filled"
        if plan.refresh:
            what += f", last {REFRESH_DAYS} days refreshed"
        trouble = summary.failed_days or summary.not_tried
        if not trouble:
            self.metrics.catalog_synced(self.clock())
        log.log(
            logging.WARNING if trouble else logging.INFO,
            "catalog sync (%s): %s",
            what,
            summary.line(),
        )
        return summary

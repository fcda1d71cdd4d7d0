"""The live job table: one APScheduler cron job per enabled subscription, rebuilt from the database.

The database is the source of truth. At start the jobs are built from it, every due digest is
caught up (``run_due_digest`` for each subscription: a fire missed while the bot was down is
posted if still within the grace window) and unfinished runs are swept. A periodic sweep then
re-reads the subscriptions (so a change made through another replica reaches this one within a
minute), retries due runs and closes expired ones. A run that is to be tried again (a platform's
Retry-After, a backoff, a day not listed yet) also gets a one-off job at that moment, so a
rate-limited digest goes out when the platform allows, not at the next sweep; the sweep stays as
the safety net (and serves runs that another replica left). Changes made in this process arrive
at once through the ``ScheduleSink`` methods.

Jobs use a misfire grace of hours and coalescing, so a job that could not run on time (the event
loop was blocked, the machine slept) still runs once, late; ``digest_run`` makes any extra run a
no-op.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.catalog_sync import CatalogSync
from bot.digests.run import DigestRunner
from bot.model.digests import DigestRun, DigestSpec, Subscription
from bot.scheduling.jobs import run_due_digest
from bot.scheduling.triggers import digest_trigger
from bot.stop_deadline import Deadline
from storage import retention
from storage.subscriptions import enabled_subscriptions, get_subscription

if TYPE_CHECKING:  # APScheduler is imported when the scheduler starts: ``ask`` never starts it
    from apscheduler.job import Job
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("paperbot.scheduler")

SWEEP_JOB = "digest-sweep"
PRUNE_JOB = "prune"
SYNC_JOB = "catalog-sync"
PRUNE_EVERY = timedelta(hours=24)
FIRST_PRUNE_AFTER = timedelta(minutes=10)  # not in the busy moment of a start
HAND_OVER = 5.0  # seconds of a stop's deadline kept to hand unfinished digests over


async def stoppable(work: Callable[..., Awaitable[object]], *args: object) -> None:
    """Run a job; one cancelled because the scheduler stopped mid-run ends quietly.

    APScheduler logs a cancelled job as a failure, with a ``CancelledError`` traceback; stopping
    is not a failure, and whatever the job left half done is finished by the next process's
    sweep (``digest_run`` claims make that safe).
    """
    try:
        await work(*args)
    except asyncio.CancelledError:
        log.info("the scheduler stopped while %s was running", getattr(work, "__name__", work))


class DigestScheduler:
    def __init__(
        self, runner: DigestRunner, *, sweep_every: float = 60.0, sync: CatalogSync | None = None
    ) -> None:
        self.runner = runner
        self.sync = sync  # keeps the newest Daily Papers days current; None when offline or off
        self._sweep_every = sweep_every
        self._scheduler: AsyncIOScheduler | None = None
        self._known: dict[int, DigestSpec] = {}  # subscription id -> the spec its job was made of
        self._tasks: set[asyncio.Task[Any]] = set()
        runner.on_retry = self.plan_retry

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def job(self, subscription_id: int) -> Job | None:
        """The APScheduler job of a subscription (None when it has none)."""
        return self.job_by_id(f"digest:{subscription_id}")

    def job_by_id(self, job_id: str) -> Job | None:
        if self._scheduler is None:
            return None
        job: Job | None = self._scheduler.get_job(job_id)
        return job

    async def start(self) -> None:
        """Build the jobs, start firing them, and catch up on what came due while we were down."""
        if self._scheduler is not None:
            return
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.start()
        changed = await self.reconcile()
        self._scheduler.add_job(
            stoppable,
            IntervalTrigger(seconds=self._sweep_every),
            args=(self.sweep,),
            id=SWEEP_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        self._scheduler.add_job(
            stoppable,
            IntervalTrigger(seconds=PRUNE_EVERY.total_seconds()),
            args=(self.prune,),
            id=PRUNE_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC) + FIRST_PRUNE_AFTER,
        )
        if self.sync is not None:  # the first sync at once: the catalog may be days behind
            self._scheduler.add_job(
                stoppable,
                IntervalTrigger(minutes=self.sync.minutes),
                args=(self.sync.run,),
                id=SYNC_JOB,
                name="catalog sync",
                replace_existing=True,
                misfire_grace_time=self.sync.minutes * 60,
                coalesce=True,
                max_instances=1,
                next_run_time=datetime.now(UTC),
            )
        await self.catch_up(changed)

    async def prune(self) -> retention.Pruned:
        """Drop old processed events and old reply messages (``storage.retention``)."""
        deps = self.runner.deps
        pruned = await deps.db.write(partial(retention.prune, now=deps.clock()))
        log.info("pruned %d processed events, %d reply messages", pruned.events, pruned.messages)
        return pruned

    async def drain(self, deadline: Deadline) -> None:
        """Stop for good, finishing what was started: no new fire, no new run; the digests
        being posted go on until ``deadline`` (less ``HAND_OVER``), and those still going then
        are cancelled, which hands each over (``DigestRunner``: claim released, the messages
        sent recorded, so the next runner posts only the rest)."""
        self.runner.refuse_new()
        if self._scheduler is not None:
            self._scheduler.pause()
        in_flight = self.runner.in_flight
        if await in_flight.drain(deadline.sooner_by(HAND_OVER)):
            unfinished = in_flight.tasks
            for task in unfinished:
                task.cancel()
            await deadline.wait(unfinished)
        self.stop()

    def stop(self) -> None:
        """Stop at once (the leader lock lost): runs under way are cancelled and hand over."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self._known.clear()
        for task in self._tasks:
            task.cancel()

    def plan_retry(self, run: DigestRun, when: datetime) -> None:
        """Try ``run`` again at ``when`` (the platform's Retry-After, or our backoff), in a
        one-off job: a rate-limited digest should not wait for the next sweep. ``when`` is on
        the digests' clock, the job on the wall clock; the wait between them is the same."""
        if self._scheduler is None or run.due_at is None:
            return
        from apscheduler.triggers.date import DateTrigger

        wait = max((when - self.runner.deps.clock()).total_seconds(), 0.0)
        self._scheduler.add_job(
            stoppable,
            DateTrigger(datetime.now(UTC) + timedelta(seconds=wait)),
            args=(self.runner.retry, run.subscription_id, run.digest_date, run.due_at),
            id=f"retry:{run.id}",
            name=f"retry digest run {run.id}",
            replace_existing=True,
            misfire_grace_time=int(self.runner.policy.grace.total_seconds()),
            coalesce=True,
        )

    async def catch_up(self, subscription_ids: list[int]) -> None:
        runs = [run_due_digest(self.runner, i) for i in subscription_ids]
        for outcome in await asyncio.gather(*runs, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.error("catching up on a digest failed", exc_info=outcome)
        await self.runner.sweep()

    async def sweep(self) -> None:
        """Pick up subscriptions changed elsewhere (catching up on their due fire), retry runs."""
        await self.catch_up(await self.reconcile())

    async def reconcile(self) -> list[int]:
        """Bring the jobs in line with the database; returns the ids whose job is new or changed."""
        platforms = self.runner.platforms
        subs = await self.runner.deps.db.read(partial(enabled_subscriptions, platforms=platforms))
        changed = [sub.id for sub in subs if sub.id is not None and self._schedule(sub)]
        present = {sub.id for sub in subs}
        for gone in [i for i in self._known if i not in present]:
            self._unschedule(gone)
        return changed

    def _schedule(self, sub: Subscription) -> bool:
        assert sub.id is not None
        if self._scheduler is None or self._known.get(sub.id) == sub.spec:
            return False
        self._scheduler.add_job(
            stoppable,
            digest_trigger(sub.spec),
            args=(run_due_digest, self.runner, sub.id),
            id=sub.job_id,
            name=f"digest {sub.channel.channel} {sub.spec.kind}",
            replace_existing=True,
            misfire_grace_time=int(self.runner.policy.grace.total_seconds()),
            coalesce=True,
            max_instances=1,
        )
        self._known[sub.id] = sub.spec
        return True

    def _unschedule(self, subscription_id: int) -> None:
        self._known.pop(subscription_id, None)
        if self._scheduler is not None and self._scheduler.get_job(f"digest:{subscription_id}"):
            self._scheduler.remove_job(f"digest:{subscription_id}")

    # ScheduleSink: a command in this process changed a subscription.

    def subscription_changed(self, subscription_id: int) -> None:
        if self._scheduler is not None:
            self._spawn(self._refresh(subscription_id))

    def subscription_removed(self, subscription_id: int) -> None:
        self._unschedule(subscription_id)

    async def _refresh(self, subscription_id: int) -> None:
        sub = await self.runner.deps.db.read(
            partial(get_subscription, subscription_id=subscription_id)
        )
        if sub is None or not sub.enabled or sub.channel.platform not in self.runner.platforms:
            self._unschedule(subscription_id)
        elif self._schedule(sub):
            await run_due_digest(self.runner, subscription_id)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("updating a digest job failed", exc_info=task.exception())

"""The digest run: claim, gather papers, choose, post, record. Exactly once per subscription and
digest date, however often it is fired.

Order of events for one run, each database step its own short unit of work, none held across a
network call:

1. claim the run in ``digest_run`` (nothing is posted without a claim);
2. refresh the covered days from the paper source (one shared fetch per day, see ``DayFeed``);
   when the source fails, the catalog's copy of the day is used if it has one;
3. choose the papers and freeze the choice in the run, so a retry finishes the same digest;
4. post it, split to the platform's limits; each message's refs are stored as soon as it is sent
   (with the lease renewed), so a retry after a 429 half-way resumes after the last message;
5. mark the run posted.

A weekday with no papers is "not ready": the run waits and looks again until its grace window
ends, then is skipped with that reason. A failing source (with nothing in the catalog) or a
platform that refuses the post marks the run failed with the reason and a retry time (backoff,
or the platform's Retry-After), and raises an alert. The sweep (``sweep``) retries due runs,
takes over claims whose owner died, and closes runs whose grace window has ended.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.activity import digest_done
from bot.deps import Deps
from bot.digests.alerts import Alerts
from bot.digests.compose import digest_reply
from bot.digests.feed import DayFeed
from bot.digests.for_team import Preference, team_preference
from bot.digests.policy import DigestPolicy
from bot.digests.select import select_papers
from bot.digests.window import DigestWindow, window_at
from bot.in_flight import InFlight
from bot.model import Paper
from bot.model.digests import DigestRun, Kind, RunState, Subscription
from bot.outbox.record import record_sent
from bot.ports import Poster, PostRejected
from bot.reply import Reply
from bot.reply_split import split_reply
from bot.reports.compose import build_report
from bot.sources.errors import SourceError
from storage.digest_runs import (
    claim_run,
    close_expired,
    expired_runs,
    finish_run,
    freeze_selection,
    record_chunk,
    record_missed,
    retry_candidates,
)
from storage.papers import get_papers, trending, upsert_papers
from storage.posted_messages import papers_shown_since
from storage.subscriptions import get_subscription

log = logging.getLogger("paperbot.digests")

MAX_WINDOW_PAPERS = 5_000


RetryPlanner = Callable[[DigestRun, datetime], None]


def window_of(kind: Kind, digest_date: date) -> DigestWindow:
    """The window a stored run covers (its digest date is the window's first day)."""
    last = digest_date if kind == "daily" else digest_date + timedelta(days=6)  # a week
    return DigestWindow(kind, digest_date, last)


def where(sub: Subscription) -> str:
    c = sub.channel
    return f"{c.platform}:{c.workspace}:{c.channel} ({sub.spec.kind} {sub.spec.local_time:%H:%M})"


class DigestRunner:
    """Runs digests for the platforms it has posters for."""

    def __init__(
        self,
        deps: Deps,
        posters: Mapping[str, Poster],
        *,
        policy: DigestPolicy | None = None,
        feed: DayFeed | None = None,
        alerts: Alerts | None = None,
    ) -> None:
        self.deps = deps
        self.posters = posters
        self.policy = policy or DigestPolicy()
        self.feed = feed or DayFeed(
            deps.source,
            store=lambda papers: deps.db.write(partial(upsert_papers, papers=papers)),
            clock=lambda: deps.clock().timestamp(),
        )
        self.alerts = alerts or Alerts(posters, deps.settings.admin_channel)
        self._slots = asyncio.Semaphore(self.policy.concurrency)
        self.in_flight = InFlight("digest runs")  # what a stop lets finish, or hands over
        self._refusing = False
        # Told of every run that is to be tried again, and when (digest clock): the live
        # scheduler plans a one-off retry then, rather than leaving it to its next sweep.
        self.on_retry: RetryPlanner | None = None

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self.posters)

    def refuse_new(self) -> None:
        """The process is stopping: runs already claimed go on, no new one is claimed."""
        self._refusing = True

    async def run(
        self, sub: Subscription, due_at: datetime, window: DigestWindow | None = None
    ) -> RunState | None:
        """Run the digest the fire at ``due_at`` calls for; None when it was not ours to run
        (already posted or skipped, someone else is on it, or its retry is not due yet)."""
        assert sub.id is not None
        window = window or window_at(sub.spec, due_at)
        with self.in_flight.track():
            async with self._slots:
                if self._refusing:
                    return None
                return await self._claimed_run(sub, window, due_at)

    async def _claimed_run(
        self, sub: Subscription, window: DigestWindow, due_at: datetime
    ) -> RunState | None:
        assert sub.id is not None
        now = self.deps.clock()
        claim = partial(
            claim_run,
            subscription_id=sub.id,
            digest_date=window.digest_date,
            due_at=due_at,
            now=now,
            lease=self.policy.lease,
        )
        claiming = asyncio.ensure_future(self.deps.db.write(claim))
        try:
            run = await asyncio.shield(claiming)
        except asyncio.CancelledError:  # the claim commits all the same: hand it back
            if (claimed := await claiming) is not None:
                await self._hand_over(sub, window, claimed)
            raise
        if run is None:
            log.debug("digest %s for %s: not claimed", where(sub), window.digest_date)
            return None
        if run.attempts > 1:
            self.deps.metrics.digest_retry()
        started = time.perf_counter()
        try:
            state = await self._attempt(sub, window, run)
        except asyncio.CancelledError:  # the process is stopping and cannot wait for it
            await self._hand_over(sub, window, run)
            raise
        except Exception as error:
            log.exception("digest %s for %s failed unexpectedly", where(sub), window.label())
            state = await self._fail(sub, window, run, f"internal error: {error!r}", None)
        ended = "taken over" if state is None else state.value
        digest_done(sub.channel, sub.spec.kind, window.digest_date, ended, started)
        if state is not RunState.FAILED:  # _fail counts a failure: it knows if it retries
            self.deps.metrics.digest(ended.replace(" ", "_"))
        return state

    async def note_missed(self, sub: Subscription, due_at: datetime) -> None:
        """A fire came and went while nobody ran the scheduler: record it once, and say so."""
        assert sub.id is not None
        started = time.perf_counter()
        window = window_at(sub.spec, due_at)
        now = self.deps.clock()
        hours = self.policy.grace.total_seconds() / 3600
        reason = (
            f"missed: paperbot was not running between {due_at:%Y-%m-%d %H:%M} UTC and the end "
            f"of the {hours:g} h grace window"
        )
        record = partial(
            record_missed,
            subscription_id=sub.id,
            digest_date=window.digest_date,
            due_at=due_at,
            now=now,
            reason=reason,
        )
        if await self.deps.db.write(record):
            digest_done(sub.channel, sub.spec.kind, window.digest_date, "missed", started)
            self.deps.metrics.digest("missed")
            await self.alerts.send(f"The digest {where(sub)} for {window.label()} was {reason}.")

    async def sweep(self) -> list[RunState | None]:
        """Close runs whose grace window ended, then retry the ones that are due."""
        now = self.deps.clock()
        due_since = now - self.policy.grace
        lease = self.policy.lease
        for run in await self.deps.db.read(
            lambda s: expired_runs(s, now, lease, due_before=due_since)
        ):
            await self._close(run, now)
        candidates = await self.deps.db.read(lambda s: retry_candidates(s, now, lease, due_since))
        retries = [
            self.retry(run.subscription_id, run.digest_date, run.due_at)
            for run in candidates
            if run.due_at is not None
        ]
        return list(await asyncio.gather(*retries))

    async def retry(
        self, subscription_id: int, digest_date: date, due_at: datetime
    ) -> RunState | None:
        """Try a stored run again (if it is still due: the claim decides)."""
        sub = await self.deps.db.read(partial(get_subscription, subscription_id=subscription_id))
        if sub is None or sub.channel.platform not in self.posters:
            return None
        return await self.run(sub, due_at, window_of(sub.spec.kind, digest_date))

    async def _close(self, run: DigestRun, now: datetime) -> None:
        started = time.perf_counter()
        if run.state is RunState.WAITING:
            state, reason = RunState.SKIPPED, f"{run.error or 'no papers'}; gave up at grace end"
        elif run.state is RunState.FAILED:
            state, reason = RunState.FAILED, f"gave up at grace end; last error: {run.error}"
        else:
            state, reason = RunState.FAILED, "interrupted, and not finished within the grace window"
        closed = await self.deps.db.write(
            partial(close_expired, run=run, state=state, reason=reason, now=now)
        )
        if closed:
            sub = await self.deps.db.read(
                partial(get_subscription, subscription_id=run.subscription_id)
            )
            if sub is None:  # unsubscribed just now: its runs went with it, nobody to tell
                return
            digest_done(sub.channel, sub.spec.kind, run.digest_date, state.value, started)
            self.deps.metrics.digest("skipped" if state is RunState.SKIPPED else "gave_up")
            if state is RunState.SKIPPED:
                return
            when = window_of(sub.spec.kind, run.digest_date).label()
            await self.alerts.send(f"The digest {where(sub)} for {when} {reason}.")

    async def _attempt(
        self, sub: Subscription, window: DigestWindow, run: DigestRun
    ) -> RunState | None:
        poster = self.posters[sub.channel.platform]
        if sub.spec.kind == "report":
            return await self._report(sub, window, run, poster)
        if run.paper_ids:  # a retry: finish the digest chosen the first time

            def frozen(session: Session) -> Reply:
                chosen = get_papers(session, run.paper_ids)
                papers = [chosen[i] for i in run.paper_ids if i in chosen]
                return digest_reply(session, sub, window, papers)

            reply: Reply | None = await self.deps.db.read(frozen)
        else:
            failure = await self._refresh(window)
            now = self.deps.clock()
            since = now - self.policy.shown_window
            index = self.deps.db.search_index

            def gather(s: Session) -> tuple[list[Paper], set[str], Preference]:
                listed = trending(s, window.first, window.last, MAX_WINDOW_PAPERS)
                shown = papers_shown_since(s, sub.channel, since)
                return listed, shown, team_preference(s, index, sub, listed)

            listed, shown, (preferred, note) = await self.deps.db.read(gather)
            if not listed and failure:
                return await self._fail(sub, window, run, failure, None)
            if not listed:
                return await self._not_ready(window, run)
            selection = select_papers(listed, sub.spec, shown, preferred)
            if not selection.papers:
                reason = f"{selection.why_empty()} for {window.label()}"
                return await self._finish(run, RunState.SKIPPED, error=reason)
            papers = selection.papers
            if failure:
                stale = f"Hugging Face did not answer ({failure}); upvotes may be a little old."
                note = f"{stale} {note}" if note else stale
            now = self.deps.clock()

            def freeze(session: Session) -> Reply | None:
                if not freeze_selection(session, run, [p.id for p in papers], now):
                    return None
                return digest_reply(session, sub, window, papers, note)

            reply = await self.deps.db.write(freeze)
        if reply is None:
            self._lost(sub, run)
            return None
        return await self._post(sub, window, run, poster, split_reply(reply, poster.limits))

    async def _report(
        self, sub: Subscription, window: DigestWindow, run: DigestRun, poster: Poster
    ) -> RunState | None:
        """The team report: read up to the fire (``due_at``), so a retry composes the same one
        and resumes after the messages already sent, like a digest; skipped when the team did
        nothing in four weeks."""
        assert run.due_at is not None
        reply = await build_report(self.deps, sub, window, run.due_at)
        if reply is None:
            reason = f"no votes in four weeks and no saves in {window.label()}"
            return await self._finish(run, RunState.SKIPPED, error=reason)
        return await self._post(sub, window, run, poster, split_reply(reply, poster.limits))

    async def _post(
        self,
        sub: Subscription,
        window: DigestWindow,
        run: DigestRun,
        poster: Poster,
        messages: list[Reply],
    ) -> RunState | None:
        sent = list(run.chunks)
        if len(sent) >= len(messages):  # all sent before; only the final mark was lost
            return await self._finish(run, RunState.POSTED)
        for message in messages[len(sent) :]:
            try:
                ref = await poster.send(sub.channel, message)
            except PostRejected as error:
                return await self._fail(
                    sub, window, run, f"the platform refused the post: {error}", error.retry_after
                )
            sent.append((ref,))
            last = len(sent) == len(messages)
            record = partial(
                self._record, run=run, sent=sent, ref=ref, message=message, sub=sub, last=last
            )
            recording = asyncio.ensure_future(self.deps.db.write(record))
            try:
                kept = await asyncio.shield(recording)
            except asyncio.CancelledError:  # the message is out: a stop must not lose its record
                await recording
                raise
            if not kept:
                self._lost(sub, run)
                return None
        log.debug("digest %s for %s posted in %d message(s)", where(sub), window.label(), len(sent))
        return RunState.POSTED

    def _record(
        self,
        session: Session,
        run: DigestRun,
        sent: list[tuple[str, ...]],
        ref: str,
        message: Reply,
        sub: Subscription,
        last: bool,
    ) -> bool:
        """One message sent: its ref and layout stored, and the run marked posted with the last."""
        now = self.deps.clock()
        if not record_chunk(session, run, sent, now):
            return False
        record_sent(session, sub.channel, ref, message, now)
        return not last or finish_run(session, run, RunState.POSTED, now)

    async def _refresh(self, window: DigestWindow) -> str | None:
        """Fetch the window's weekdays into the catalog; the first failure's reason, if any."""
        failure = None
        for day in window.weekdays:
            try:
                await self.feed.day(day)
            except SourceError as error:
                failure = failure or str(error) or type(error).__name__
        return failure

    async def _not_ready(self, window: DigestWindow, run: DigestRun) -> RunState:
        now = self.deps.clock()
        assert run.due_at is not None
        retry_at = now + self.policy.wait_retry
        if retry_at < run.due_at + self.policy.grace:
            reason = f"Hugging Face lists no papers for {window.label()} yet"
            return await self._finish(run, RunState.WAITING, error=reason, next_attempt_at=retry_at)
        reason = f"Hugging Face listed no papers for {window.label()} (a holiday?)"
        return await self._finish(run, RunState.SKIPPED, error=reason)

    async def _fail(
        self,
        sub: Subscription,
        window: DigestWindow,
        run: DigestRun,
        reason: str,
        retry_after: float | None,
    ) -> RunState:
        now = self.deps.clock()
        retry_at: datetime | None = now + self.policy.backoff(run.attempts, retry_after)
        due_at = run.due_at or now
        if retry_at is not None and retry_at >= due_at + self.policy.grace:
            retry_at = None
        await self._finish(run, RunState.FAILED, error=reason, next_attempt_at=retry_at)
        self.deps.metrics.digest("gave_up" if retry_at is None else "failed")
        what = f"The digest {where(sub)} for {window.label()} failed (attempt {run.attempts}): "
        what += reason
        if retry_at is None:
            await self.alerts.send(what + "; the grace window is over, so it will not be retried.")
        elif retry_after is None or run.attempts >= 3:
            await self.alerts.send(what + f"; retrying at {retry_at:%H:%M:%S} UTC.")
        else:  # a rate limit the next attempt will most likely get past: the log is enough
            log.warning("%s; retrying at %s", what, retry_at.isoformat())
        return RunState.FAILED

    async def _finish(
        self,
        run: DigestRun,
        state: RunState,
        *,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> RunState:
        now = self.deps.clock()
        done = await self.deps.db.write(
            partial(
                finish_run,
                run=run,
                state=state,
                now=now,
                error=error,
                next_attempt_at=next_attempt_at,
            )
        )
        if not done:
            log.warning("digest run %d was taken over before it could be marked %s", run.id, state)
        elif next_attempt_at is not None and self.on_retry is not None:
            self.on_retry(run, next_attempt_at)
        return state

    async def _hand_over(self, sub: Subscription, window: DigestWindow, run: DigestRun) -> None:
        """Stopped mid-run: give the claim back at once, due again now, rather than hold it
        until its lease ends. The messages sent are recorded as each went out, so the next
        runner (another replica, or this one restarted) posts only the rest."""
        now = self.deps.clock()
        reason = "stopped before it was all posted; the next run posts the rest"
        release = partial(
            finish_run, run=run, state=RunState.FAILED, now=now, error=reason, next_attempt_at=now
        )
        try:
            handed = await self.deps.db.write(release)
        except Exception:
            log.exception("digest %s: could not hand run %d over at stop", where(sub), run.id)
            return
        if handed:
            log.warning("digest %s for %s: %s", where(sub), window.label(), reason)

    def _lost(self, sub: Subscription, run: DigestRun) -> None:
        log.warning("digest %s: run %d was taken over by another process", where(sub), run.id)

"""A desk for digest tests: a database, a fake paper source, a settable clock, a recording poster
(which also receives the admin channel's alerts), and the runner and job function wired to them."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.deps import Deps
from bot.digests.grammar import parse_subscribe
from bot.digests.policy import DigestPolicy
from bot.digests.run import DigestRunner
from bot.metrics import NO_METRICS, Metrics
from bot.model import Channel, Paper
from bot.model.digests import DigestRun, DigestSpec, RunState, Subscription
from bot.ports import PostRejected
from bot.reply import Heading, Reply, Text
from bot.reply_split import MessageLimits
from bot.scheduling.jobs import run_due_digest
from bot.scheduling.scheduler import DigestScheduler
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.digest_runs import get_run, recent_runs
from storage.subscriptions import save_subscription

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = "test"
WORKSPACE = "T1"
ADMIN = Channel(PLATFORM, WORKSPACE, "admin")
CREATED = datetime(2026, 6, 1, tzinfo=UTC)
# The ledger tests' run: its digest date, the fire that claims it, and the claim's lease.
DAY = date(2026, 6, 11)
DUE = datetime(2026, 6, 12, 7, tzinfo=UTC)
LEASE = timedelta(minutes=10)


DIGEST_FIELDS = ("platform", "workspace", "channel", "kind", "date", "state")


def digest_lines(records: list[logging.LogRecord]) -> list[tuple[object, ...]]:
    """The operator's one line per digest run (``bot.activity``): its fields, durations left out."""
    return [
        tuple(getattr(r, name) for name in DIGEST_FIELDS) for r in records if hasattr(r, "state")
    ]


def story(records: list[logging.LogRecord]) -> list[str]:
    """What the digests logged besides the one line per run."""
    return [r.getMessage() for r in records if not hasattr(r, "state")]


def channel(name: str = "C1") -> Channel:
    return Channel(PLATFORM, WORKSPACE, name)


def subscribed(db: Database, name: str = "C1") -> int:
    """The id of a default daily subscription of channel ``name``, saved at ``CREATED``."""
    sub = Subscription(channel(name), DigestSpec(), created_by="U1")
    saved = db.write_now(partial(save_subscription, sub=sub, now=CREATED))
    assert saved.id is not None
    return saved.id


def paper(paper_id: str, day: date, upvotes: int, title: str = "", **fields: object) -> Paper:
    return make_paper(
        paper_id, title or f"Paper {paper_id}", hf_daily_date=day, upvotes=upvotes, **fields
    )


@dataclass
class Post:
    channel: Channel
    reply: Reply
    ref: str

    @property
    def paper_ids(self) -> list[str]:
        return [p.id for p in self.reply.papers]

    @property
    def heading(self) -> str:
        return next((p.text for p in self.reply.parts if isinstance(p, Heading)), "")

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.reply.parts if isinstance(p, Text | Heading))


@dataclass
class RecordingPoster:
    """Posts into a list; ``refuse`` queues failures for the next posts outside the admin channel
    (None lets one through)."""

    max_cards: int | None = None
    one_card_per_message: bool = False
    posts: list[Post] = field(default_factory=list)
    refuse: list[PostRejected | Exception | None] = field(default_factory=list)
    calls: int = 0

    @property
    def limits(self) -> MessageLimits:
        return MessageLimits(self.max_cards, one_card_per_message=self.one_card_per_message)

    async def send(self, channel: Channel, message: Reply) -> str:
        self.calls += 1
        if self.refuse and channel != ADMIN:
            failure = self.refuse.pop(0)
            if failure is not None:
                raise failure
        ref = f"{channel.channel}-m{len(self.posts) + 1}"
        self.posts.append(Post(channel, message, ref))
        return ref

    def in_channel(self, name: str = "C1") -> list[Post]:
        return [p for p in self.posts if p.channel.channel == name]

    def alerts(self) -> list[str]:
        return [p.text for p in self.posts if p.channel == ADMIN]


@dataclass
class Desk:
    db: Database
    source: FakeSource
    clock: FixedClock
    poster: RecordingPoster
    runner: DigestRunner

    @property
    def deps(self) -> Deps:
        return self.runner.deps

    def add_papers(self, *papers: Paper) -> None:
        for p in papers:
            self.source.papers[p.id] = p

    def subscribe(
        self, text: str, name: str = "C1", *, at: datetime = CREATED, platform: str = PLATFORM
    ) -> Subscription:
        spec = parse_subscribe(text, "UTC")
        sub = Subscription(Channel(platform, WORKSPACE, name), spec, created_by="U1")
        return self.db.write_now(partial(save_subscription, sub=sub, now=at))

    async def fire(self, sub: Subscription, at: datetime) -> RunState | None:
        """The job function, run at ``at`` as APScheduler (or the start-up catch-up) would."""
        assert sub.id is not None
        self.clock.now = at
        return await run_due_digest(self.runner, sub.id)

    async def sweep(self, at: datetime) -> list[RunState | None]:
        self.clock.now = at
        return await self.runner.sweep()

    def run(self, sub: Subscription, day: date) -> DigestRun | None:
        assert sub.id is not None
        sub_id = sub.id
        return self.db.read_now(lambda s: get_run(s, sub_id, day))

    def runs(self, sub: Subscription) -> list[DigestRun]:
        assert sub.id is not None
        sub_id = sub.id
        return self.db.read_now(lambda s: recent_runs(s, sub_id, limit=50))

    def restarted(self) -> Desk:
        """The same database and outside world seen by a fresh process (new runner, new cache)."""
        return make_desk(self.db, self.source, self.clock, self.poster, self.runner.policy)


def make_desk(
    db: Database,
    source: FakeSource | None = None,
    clock: FixedClock | None = None,
    poster: RecordingPoster | None = None,
    policy: DigestPolicy | None = None,
    metrics: Metrics = NO_METRICS,
) -> Desk:
    source = source or FakeSource()
    clock = clock or FixedClock(CREATED)
    poster = poster or RecordingPoster()
    settings = Settings(database_url=db.url, timezone="UTC", admin_channel=ADMIN)
    deps = Deps(settings=settings, db=db, source=source, clock=clock, metrics=metrics)
    runner = DigestRunner(deps, {PLATFORM: poster}, policy=policy or DigestPolicy())
    return Desk(db, source, clock, poster, runner)


def local(text: str, zone: str) -> datetime:
    """``local("2026-06-12 09:00", "Europe/Berlin")`` as an aware datetime in UTC."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def job_ids(scheduler: DigestScheduler) -> list[str]:
    """The ids in the scheduler's live APScheduler job table, sorted; none when it is stopped."""
    live = scheduler._scheduler
    return [] if live is None else sorted(job.id for job in live.get_jobs())


async def settle(scheduler: DigestScheduler) -> None:
    """Until the job updates the scheduler started for commands (``subscription_changed``) end."""
    while scheduler._tasks:
        await asyncio.gather(*scheduler._tasks, return_exceptions=True)

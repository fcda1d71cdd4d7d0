"""Digest benchmark: 1,000 subscriptions due in the same minute, posted through the real scheduler.

Every subscription is a cron job of a live ``DigestScheduler`` (APScheduler); all jobs are made
due at once, so the 1,000 job functions start together, share one Daily Papers fetch, claim
their runs, choose papers, post, and record. The poster answers 429 (Retry-After 1 s) to one
post in ten, after a simulated network latency; the scheduler retries each of those runs when
its Retry-After says (a one-off job). The scheduler and the digest policy are production's:
the sweep every 60 s, 20 digests posting at once, the default grace window. The
script then checks the outcome against the truth: every subscription's digest arrived, exactly
once, each paper at most once per channel, and every run is marked posted.

The clock the digests see starts at the fire time and runs at real speed, so Retry-After waits
are real waits. Runs on SQLite and, when PAPERBOT_BENCH_PG_URL (or PAPERBOT_TEST_DATABASE_URL)
is set, on PostgreSQL (in a private schema, dropped afterwards). Budget (docs/benchmarks.md): all
posted, none twice, while the platform answers 429 to a share of posts. Alternately, in the same
run, the plain anchor (bench/plain_digest.py: the same poster, no scheduler, no database) posts
the same digests; goal: paperbot within 2x of its time.

    .venv/bin/python bench/digest.py [--subscriptions 1000] [--latency 0.05] [--rounds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench.plain_digest import PlainDigest, post_all  # noqa: E402
from bench.postgres import bench_server, postgres_schema  # noqa: E402
from bench.side_by_side import alternate, spread  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.digests.grammar import parse_subscribe  # noqa: E402
from bot.digests.policy import policy_from  # noqa: E402
from bot.digests.run import DigestRunner  # noqa: E402
from bot.model import Channel, Paper  # noqa: E402
from bot.model.digests import RunState, Subscription  # noqa: E402
from bot.ports import PostRejected  # noqa: E402
from bot.reply import Reply  # noqa: E402
from bot.reply_split import MessageLimits  # noqa: E402
from bot.scheduling.scheduler import DigestScheduler  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.sources.sample import load_sample_papers  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.subscriptions import save_subscription  # noqa: E402
from storage.tables import DigestRunRow  # noqa: E402
from tests.support.queries import runs_for_date  # noqa: E402

COVERED = date(2026, 6, 12)  # a Friday in the bundled sample: 30 real papers
FIRE = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
PLATFORM = "bench"
FILTERS = ["", "", "", 'keywords "model, learning"', "min-upvotes 5", 'keywords "agent, video"']


class BenchClock:
    """Digest time that starts at ``base`` and runs at real speed."""

    def __init__(self, base: datetime) -> None:
        self.set(base)

    def set(self, base: datetime) -> None:
        self.base, self.t0 = base, time.monotonic()

    def __call__(self) -> datetime:
        return self.base + timedelta(seconds=time.monotonic() - self.t0)


@dataclass
class RateLimitedPoster:
    """A platform that takes ``latency`` per post and answers 429 to every ``every``-th one."""

    latency: float
    every: int = 10
    max_cards: int = 5  # so digests of more than five papers are split
    calls: int = 0
    refused: int = 0
    posts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def limits(self) -> MessageLimits:
        return MessageLimits(self.max_cards)

    async def send(self, channel: Channel, reply: Reply) -> str:
        self.calls += 1
        call = self.calls
        await asyncio.sleep(self.latency)
        if call % self.every == 0:
            self.refused += 1
            raise PostRejected("429 Too Many Requests", retry_after=1.0)
        papers = tuple(p.id for p in reply.papers)
        self.posts.append((channel.channel, papers))
        return f"{channel.channel}-{call}"


class DaySource:
    """The covered day's papers, as Hugging Face would list them; counts its calls."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers, self.calls = papers, 0

    async def daily_papers(self, day: date) -> list[Paper]:
        self.calls += 1
        return [p for p in self.papers if p.hf_daily_date == day]

    async def paper(self, paper_id: str) -> Paper:
        raise NotImplementedError

    async def search(self, query: str, limit: int) -> list[Paper]:
        return []


def finished(session: Session) -> int:
    """How many runs of the covered day are done (one cheap query, so polling costs little)."""
    query = select(func.count()).where(
        col(DigestRunRow.digest_date) == COVERED,
        col(DigestRunRow.state).in_([RunState.POSTED.value, RunState.SKIPPED.value]),
    )
    return int(session.exec(query).one())


def subscribe(db: Database, count: int) -> dict[int, Subscription]:
    subs = {}
    for i in range(count):
        spec = parse_subscribe(
            f"daily 09:00 Europe/Berlin top {3 + i % 6} {FILTERS[i % len(FILTERS)]}", "UTC"
        )
        channel = Channel(PLATFORM, f"W{i % 7}", f"C{i:04d}")
        sub = Subscription(channel, spec, created_by="bench")
        saved = db.write_now(partial(save_subscription, sub=sub, now=FIRE - timedelta(days=1)))
        assert saved.id is not None
        subs[saved.id] = saved
    return subs


async def run(url: str, args: argparse.Namespace) -> float:
    db = Database(url)
    migrate.upgrade(db)
    papers = load_sample_papers(FIRE)
    source = DaySource(papers)
    subs = subscribe(db, args.subscriptions)
    clock = BenchClock(FIRE - timedelta(minutes=1))
    deps = Deps(Settings(database_url=url), db, source, clock)
    poster = RateLimitedPoster(args.latency)
    runner = DigestRunner(deps, {PLATFORM: poster}, policy=policy_from(deps.settings))
    scheduler = DigestScheduler(runner)  # production's sweep, every 60 s
    await scheduler.start()  # a minute before the fire: builds the 1,000 jobs, nothing is due

    clock.set(FIRE)
    started = time.perf_counter()
    wall_now = datetime.now(UTC)
    for sub_id in subs:
        job = scheduler.job(sub_id)
        assert job is not None
        job.modify(next_run_time=wall_now)  # all due in the same instant
    while await db.read(finished) < len(subs):
        if time.perf_counter() - started > args.timeout:
            print(f"  gave up after {args.timeout:g} s")
            break
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    scheduler.stop()
    runs = await db.read(lambda s: runs_for_date(s, COVERED))
    ok = report(db, subs, runs, poster, source, elapsed)
    db.dispose()
    if not ok:
        raise SystemExit("paperbot's digests FAILED")
    return elapsed


async def plain(args: argparse.Namespace) -> float:
    """Seconds for the plain anchor (bench/plain_digest.py) to post the same subscriptions'
    digests through the same poster: no scheduler, no database."""
    papers = [p for p in load_sample_papers(FIRE) if p.hf_daily_date == COVERED]
    digests = []
    for i in range(args.subscriptions):
        words = FILTERS[i % len(FILTERS)].split(maxsplit=1)
        keywords = words[1].strip('"').split(", ") if words and words[0] == "keywords" else []
        least = int(words[1]) if words and words[0] == "min-upvotes" else 0
        channel = Channel(PLATFORM, f"W{i % 7}", f"C{i:04d}")
        digests.append(PlainDigest(channel, 3 + i % 6, tuple(keywords), least))
    poster = RateLimitedPoster(args.latency)
    started = time.perf_counter()
    await post_all(poster, papers, digests, poster.max_cards)
    elapsed = time.perf_counter() - started
    messages = len(poster.posts)
    print(
        f"  anchor: {elapsed:.2f} s, {messages:,} messages ({messages / len(digests):.2f} a "
        f"digest), 429 to {poster.refused:,} of {poster.calls:,} post calls"
    )
    return elapsed


def measure(
    label: str, new_url: Callable[[], AbstractContextManager[str]], args: argparse.Namespace
) -> None:
    """Paperbot (on a fresh database each time) and the anchor alternately; the ratio."""

    def ours() -> float:
        with new_url() as url:
            return asyncio.run(run(url, args))

    paperbot, anchor, loads = alternate(args.rounds, ours, lambda: asyncio.run(plain(args)))
    ratio = statistics.median(paperbot) / statistics.median(anchor)
    print(
        f"{label}: ratio {ratio:.2f}x (goal <= 2) | paperbot {spread(paperbot)} | "
        f"anchor {spread(anchor)} | load {min(loads):.1f}-{max(loads):.1f} (2 cores) | "
        f"{args.rounds} rounds",
        flush=True,
    )


@contextmanager
def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"


def report(
    db: Database,
    subs: dict[int, Subscription],
    runs: list,  # type: ignore[type-arg]
    poster: RateLimitedPoster,
    source: DaySource,
    elapsed: float,
) -> bool:
    states = Counter(r.state for r in runs)
    by_sub = {r.subscription_id: r for r in runs}
    chunks = Counter(channel for channel, _ in poster.posts)
    shown: Counter[tuple[str, str]] = Counter()
    for channel, papers in poster.posts:
        shown.update((channel, p) for p in papers)
    missing = [i for i in subs if i not in by_sub or by_sub[i].state is not RunState.POSTED]
    twice = [key for key, n in shown.items() if n > 1]
    wrong = [
        i
        for i, run in by_sub.items()
        if chunks[subs[i].channel.channel] != len(run.chunks)
        or {p for c, ps in poster.posts if c == subs[i].channel.channel for p in ps}
        != set(run.paper_ids)
    ]
    messages = len(poster.posts)
    print(f"  subscriptions          {len(subs):,} due in the same minute")
    print(f"  runs                   {dict((s.value, n) for s, n in states.items())}")
    print(f"  messages posted        {messages:,} ({messages / len(subs):.2f} a digest)")
    print(f"  answered 429           {poster.refused:,} of {poster.calls:,} post calls")
    print(f"  Daily Papers fetches   {source.calls}")
    print(f"  total time             {elapsed:.2f} s")
    print(f"  digests per second     {states[RunState.POSTED] / elapsed:,.1f}")
    print(f"  messages per second    {messages / elapsed:,.1f}")
    print(f"  missing                {len(missing)}")
    print(f"  papers shown twice     {len(twice)}")
    print(f"  runs not matching posts {len(wrong)}")
    ok = not missing and not twice and not wrong
    print("  verdict                " + ("all posted, none twice" if ok else "FAILED"))
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per post")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--rounds", type=int, default=1, help="of paperbot and the anchor each")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # each 429 is logged as a warning: keep them out
    print(
        f"{args.subscriptions} subscriptions, {args.latency * 1000:g} ms per post, "
        "production's scheduler and policy, 429 to one post in ten"
    )
    print("sqlite")
    measure("sqlite", _sqlite_url, args)
    pg = bench_server()
    if pg is None:
        return
    print("postgresql")
    measure("postgresql", lambda: postgres_schema(pg), args)


if __name__ == "__main__":
    main()

"""Votes benchmark: 5,000 mixed events from 200 users on 50 papers, checked against the truth.

Reaction adds and removes arrive shuffled and concurrently (as Slack retries and gateway replays
deliver them) through the VoteRecorder adapters use; each user's clicks on a paper arrive in
order. The truth is computed independently of paperbot's rules: for a reaction pair, the newest
event decides; for clicks, each repeats or switches the previous one. Prints events per second
on SQLite and, when PAPERBOT_BENCH_PG_URL (or PAPERBOT_TEST_DATABASE_URL) is set, on PostgreSQL.
Budget: 500 events/s or better.

    .venv/bin/python bench/votes.py [--events 5000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import bench_server, postgres_schema  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.model import Channel, Paper, SentMessage  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.votes.events import ButtonVote, ReactionChange, VoteEvent  # noqa: E402
from bot.votes.service import VoteRecorder  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.papers import upsert_papers  # noqa: E402
from storage.posted_messages import record_posted  # noqa: E402
from tests.support.queries import paper_tally  # noqa: E402

T0 = datetime(2026, 6, 12, 9, tzinfo=UTC)
WORKSPACE = "bench"
EMOJI = {"fire": 1, "rocket": 1, "thumbsdown": -1}


def plan(
    events: int, users: int, papers: int, seed: int = 3
) -> tuple[list[list[VoteEvent]], Counter[tuple[str, int]]]:
    """Rounds of events (each round may run concurrently) and the true tallies."""
    rng = random.Random(seed)
    pairs = [(f"U{u}", f"9901.{p:05d}") for u in range(users) for p in range(papers)]
    rng.shuffle(pairs)
    reactions: list[VoteEvent] = []
    click_rounds: list[list[VoteEvent]] = [[] for _ in range(8)]
    truth: Counter[tuple[str, int]] = Counter()
    budget, i = events, 0
    while budget > 0:
        user, paper = pairs[i % len(pairs)]
        i += 1
        if i % 3:  # a reaction pair: several adds/removes of one emoji, shuffled later
            emoji = rng.choice(list(EMOJI))
            n = min(budget, rng.randint(1, 4))
            times = sorted(rng.sample(range(1000), n))
            added = [rng.random() < 0.6 for _ in range(n)]
            for t, add in zip(times, added, strict=True):
                at = T0 + timedelta(milliseconds=t)
                ref, event_id = f"m-{paper}", uuid.uuid4().hex
                reactions.append(
                    ReactionChange("bench", WORKSPACE, "C", ref, user, emoji, add, event_id, at)
                )
            if added[-1]:
                truth[(paper, EMOJI[emoji])] += 1
        else:  # clicks, in order: each repeats (takes back) or switches the previous one
            n = min(budget, rng.randint(1, 4))
            opinion = 0
            for k in range(n):
                value = rng.choice([1, -1])
                opinion = 0 if opinion == value else value
                at = T0 + timedelta(seconds=k)
                click_rounds[k].append(
                    ButtonVote("bench", WORKSPACE, "C", user, paper, value, uuid.uuid4().hex, at)
                )
            if opinion:
                truth[(paper, opinion)] += 1
        budget -= n
    rng.shuffle(reactions)
    rounds = [reactions[: len(reactions) // 2] + click_rounds[0]]
    rounds += click_rounds[1:]
    rounds.append(reactions[len(reactions) // 2 :])
    return [r for r in rounds if r], truth


async def run(url: str, events: int, users: int, papers: int, concurrency: int) -> None:
    db = Database(url)
    migrate.upgrade(db)
    ids = [f"9901.{p:05d}" for p in range(papers)]
    db.write_now(
        lambda s: upsert_papers(s, [Paper(i, f"Bench paper {i}", fetched_at=T0) for i in ids])
    )
    deps = Deps(Settings(database_url=url), db, source=None)  # type: ignore[arg-type]
    sent = [SentMessage(f"m-{i}", (i,)) for i in ids]
    db.write_now(lambda s: record_posted(s, Channel("bench", WORKSPACE, "C"), sent, T0))
    rounds, truth = plan(events, users, papers)
    total = sum(len(r) for r in rounds)
    gate = asyncio.Semaphore(concurrency)
    recorder = VoteRecorder(deps)

    async def send(event: VoteEvent) -> None:
        async with gate:
            await recorder.record(event)

    started = time.perf_counter()
    for batch in rounds:
        await asyncio.gather(*(send(e) for e in batch))
    elapsed = time.perf_counter() - started

    wrong = 0
    for paper in ids:
        tally = db.read_now(lambda s, p=paper: paper_tally(s, "bench", WORKSPACE, p))
        wrong += (tally.up, tally.down) != (truth[(paper, 1)], truth[(paper, -1)])
    dialect = db.dialect
    db.dispose()
    verdict = "all tallies equal the truth" if not wrong else f"{wrong} papers WRONG"
    rate = total / elapsed
    print(f"{dialect:<10} {total:,} events in {elapsed:.2f} s = {rate:,.0f} events/s; {verdict}")
    if wrong:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(
            run(
                f"sqlite:///{folder}/votes.db",
                args.events,
                args.users,
                args.papers,
                args.concurrency,
            )
        )
    pg = bench_server()
    if pg is None:
        return
    with postgres_schema(pg) as url:
        asyncio.run(run(url, args.events, args.users, args.papers, args.concurrency))


if __name__ == "__main__":
    main()

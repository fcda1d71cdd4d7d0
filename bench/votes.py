"""Votes benchmark: 5,000 mixed events from 200 users on 50 papers, checked against the truth.

Reaction adds and removes arrive shuffled and concurrently (as Slack retries and gateway replays
deliver them) through the VoteRecorder adapters use; each user's clicks on a paper arrive in
order. The truth is computed independently of paperbot's rules: for a reaction pair, the newest
event decides; for clicks, each repeats or switches the previous one. Alternately, in the same
run, the plain anchor (bench/plain_votes.py: stdlib sqlite3 or psycopg, one transaction per
event) takes the same events, and must reach the same tallies. Prints events per second of both
and their ratio on SQLite and, when PAPERBOT_BENCH_PG_URL (or PAPERBOT_TEST_DATABASE_URL) is set,
on PostgreSQL. Budget: 500 events/s or better; goal: at least the anchor's rate.

    .venv/bin/python bench/votes.py [--events 5000] [--concurrency 32] [--rounds 3] [--history 0]

``--history N`` first gives both N older votes of other teams (and N/10 older messages), so
that lookups meet full tables rather than empty ones.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.plain_votes import postgres_votes, replay, sqlite_votes  # noqa: E402
from bench.postgres import bench_server, postgres_schema  # noqa: E402
from bench.side_by_side import alternate  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.model import Channel, Paper, SentMessage  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.votes.events import ButtonVote, ReactionChange, VoteEvent  # noqa: E402
from bot.votes.service import VoteRecorder  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.papers import upsert_papers  # noqa: E402
from storage.posted_messages import record_posted  # noqa: E402
from storage.tables import POSTED_MESSAGE_TABLE, VOTE_TABLE  # noqa: E402
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


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    tallies: Counter[tuple[str, int]]


def history(papers: int, votes: int) -> list[tuple[str, str, str, int]]:
    """``votes`` older votes of other teams on the same papers: (workspace, paper, user, value);
    and as many messages, a tenth of that, in another channel, so lookups face full tables."""
    return [
        (f"old{n % 97}", f"9901.{n % papers:05d}", f"V{n}", 1 if n % 3 else -1)
        for n in range(votes)
    ]


def prepare(url: str, papers: int, old: int) -> tuple[Database, list[str]]:
    """A migrated database with the bench's papers, each shown alone on its own message, and
    ``old`` votes and ``old // 10`` messages from before."""
    db = Database(url)
    migrate.upgrade(db)
    ids = [f"9901.{p:05d}" for p in range(papers)]
    db.write_now(
        lambda s: upsert_papers(s, [Paper(i, f"Bench paper {i}", fetched_at=T0) for i in ids])
    )
    sent = [SentMessage(f"m-{i}", (i,)) for i in ids]
    db.write_now(lambda s: record_posted(s, Channel("bench", WORKSPACE, "C"), sent, T0))
    votes = [
        {"platform": "bench", "workspace": ws, "paper_id": paper, "user_id": user}
        | {"value": value, "source": "button", "channel": "C", "reactions": "{}"}
        | {"button_value": value, "button_at": T0, "event_at": T0}
        | {"created_at": T0, "updated_at": T0}
        for ws, paper, user, value in history(papers, old)
    ]
    messages = [
        {"platform": "bench", "workspace": ws, "channel": "OLD", "message_ref": f"o-{user}"}
        | {"paper_id": paper, "posted_at": T0}
        for ws, paper, user, _ in history(papers, old // 10)
    ]
    if votes:
        db.write_now(lambda s: s.execute(insert(VOTE_TABLE), votes))
    if messages:
        db.write_now(lambda s: s.execute(insert(POSTED_MESSAGE_TABLE), messages))
    return db, ids


async def paperbot(
    url: str, rounds: list[list[VoteEvent]], papers: int, old: int, concurrency: int
) -> Run:
    """Seconds for paperbot's VoteRecorder to take every event, and its tallies."""
    db, ids = prepare(url, papers, old)
    deps = Deps(Settings(database_url=url), db, source=None)  # type: ignore[arg-type]
    gate = asyncio.Semaphore(concurrency)
    recorder = VoteRecorder(deps)

    async def send(event: VoteEvent) -> None:
        async with gate:
            await recorder.record(event)

    started = time.perf_counter()
    for batch in rounds:
        await asyncio.gather(*(send(e) for e in batch))
    elapsed = time.perf_counter() - started
    found: Counter[tuple[str, int]] = Counter()
    for paper in ids:
        tally = db.read_now(lambda s, p=paper: paper_tally(s, "bench", WORKSPACE, p))
        found[(paper, 1)], found[(paper, -1)] = tally.up, tally.down
    db.dispose()
    return Run(elapsed, found)


def plain(url: str, rounds: list[list[VoteEvent]], papers: int, old: int) -> Run:
    """Seconds for the plain anchor (bench/plain_votes.py) to take the same events in the same
    order, one transaction each, and its tallies (the vote emoji are the bench's own names)."""
    if url.startswith("sqlite"):
        anchor = sqlite_votes(url.removeprefix("sqlite:///"), EMOJI)
    else:
        anchor = postgres_votes(url, EMOJI)
    anchor.post([("C", f"m-9901.{p:05d}", f"9901.{p:05d}") for p in range(papers)])
    anchor.post([("OLD", f"o-{user}", paper) for _, paper, user, _ in history(papers, old // 10)])
    anchor.clicked(history(papers, old))
    started = time.perf_counter()
    replay(anchor, rounds)
    elapsed = time.perf_counter() - started
    return Run(elapsed, anchor.tallies(WORKSPACE))


def wrong_papers(found: Counter[tuple[str, int]], truth: Counter[tuple[str, int]]) -> int:
    papers = {paper for paper, _ in truth} | {paper for paper, _ in found}
    return sum((found[(p, 1)], found[(p, -1)]) != (truth[(p, 1)], truth[(p, -1)]) for p in papers)


def measure(
    dialect: str, new_url: Callable[[], AbstractContextManager[str]], args: argparse.Namespace
) -> None:
    """Paperbot and the anchor alternately, each round on fresh databases; events per second."""
    rounds, truth = plan(args.events, args.users, args.papers)
    total = sum(len(r) for r in rounds)

    def timed(run: Callable[[str], Run]) -> Callable[[], float]:
        def once() -> float:
            with new_url() as url:
                result = run(url)
            wrong = wrong_papers(result.tallies, truth)
            if wrong:
                raise SystemExit(f"{dialect}: {wrong} papers WRONG")
            return result.seconds

        return once

    ours, anchor, loads = alternate(
        args.rounds,
        timed(
            lambda url: asyncio.run(
                paperbot(url, rounds, args.papers, args.history, args.concurrency)
            )
        ),
        timed(lambda url: plain(url, rounds, args.papers, args.history)),
    )
    ratio = statistics.median(anchor) / statistics.median(ours)
    print(
        f"{dialect:<10} {total:,} events, all tallies equal the truth: "
        f"ratio {ratio:.2f}x (goal >= 1) | paperbot {_rates(total, ours)} | "
        f"anchor {_rates(total, anchor)} | load {min(loads):.1f}-{max(loads):.1f} (2 cores) | "
        f"{args.rounds} rounds",
        flush=True,
    )


def _rates(total: int, seconds: list[float]) -> str:
    rates = sorted(total / s for s in seconds)
    return f"{statistics.median(rates):,.0f}/s ({rates[0]:,.0f}-{rates[-1]:,.0f})"


@contextmanager
def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/votes.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--history", type=int, default=0, help="older votes of other teams")
    args = parser.parse_args()
    measure("sqlite", _sqlite_url, args)
    pg = bench_server()
    if pg is not None:
        measure("postgresql", lambda: postgres_schema(pg), args)


if __name__ == "__main__":
    main()

"""Does "for your team" find what a team likes? Held-out papers, foryou order against upvotes.

On the bundled sample (8,536 Daily Papers), a simulated team likes one topic: the papers whose
title matches the topic's pattern. Its history is the topic's most recent papers before the
last eight weeks, each voted up by one to four members, plus a few down votes on another topic
(agents). The papers of those eight weeks are held out: nobody voted on them. Each week's
papers are then ranked twice, as ``foryou week`` would (``bot.team_taste.team_picks``) and by
Hugging Face upvotes (``foryou`` before any vote, ``week``), and the held-out topic papers are
looked for: recall@10 (the share of them in their week's first ten) and their mean rank.

The topic is told by titles and foryou reads whole abstracts, so this measures whether text
likeness to the voted papers carries over to new papers on the topic, not whether a team would
agree. SQLite, in a temporary folder.

    .venv/bin/python bench/foryou_eval.py [--history 30] [--weeks 8] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.model import Channel, Paper  # noqa: E402
from bot.sources.sample import load_sample_papers  # noqa: E402
from bot.team_taste import team_picks  # noqa: E402
from bot.votes.batch import record_votes  # noqa: E402
from bot.votes.events import ButtonVote  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.papers import trending, upsert_papers  # noqa: E402

NOW = datetime(2026, 6, 13, tzinfo=UTC)
K = 10
TOPICS = {
    "video": r"\bvideo",
    "speech": r"\b(speech|audio|spoken)",
    "robots": r"\b(robot|embodied|manipulation)",
    "3D": r"\b3d\b",
    "code": r"\b(code|coding|programming)",
}
DISLIKED = re.compile(r"\bagent", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Ranks:
    foryou: list[int]  # 1-based rank of each held-out paper in its week
    upvotes: list[int]
    weeks: int
    papers: int  # papers ranked over all the weeks
    seconds: float  # spent ranking for the team


def titled(pattern: str, papers: list[Paper]) -> list[Paper]:
    found = re.compile(pattern, re.IGNORECASE)
    return [p for p in papers if found.search(p.title)]


def vote(db: Database, team: Channel, liked: list[Paper], disliked: list[Paper], seed: int) -> None:
    rng = random.Random(seed)
    events = []
    for paper in liked:
        for user in rng.sample(["U1", "U2", "U3", "U4"], rng.randint(1, 4)):
            events.append((user, paper.id, 1))
    events += [("U5", paper.id, -1) for paper in disliked]
    at = NOW - timedelta(days=60)
    votes = [
        ButtonVote(
            team.platform, team.workspace, team.channel, u, pid, v, f"{team.workspace}{i}", at
        )
        for i, (u, pid, v) in enumerate(events)
    ]
    db.write_now(lambda s: record_votes(s, votes, {}, at))


def evaluate(
    db: Database, papers: list[Paper], topic: str, weeks: list[date], history: int, seed: int
) -> Ranks:
    team = Channel("bench", topic, "C1")
    start = weeks[0]
    on_topic = titled(TOPICS[topic], papers)
    before = sorted(
        (p for p in on_topic if p.hf_daily_date and p.hf_daily_date < start),
        key=lambda p: p.hf_daily_date or start,
    )
    others = [p for p in papers if p.hf_daily_date and p.hf_daily_date < start]
    disliked = random.Random(seed).sample(
        [p for p in others if DISLIKED.search(p.title) and p not in on_topic], 5
    )
    vote(db, team, before[-history:], disliked, seed)
    held_out = {p.id for p in on_topic}
    foryou: list[int] = []
    upvotes: list[int] = []
    ranked = 0
    spent = 0.0
    for first in weeks:
        last = first + timedelta(days=6)
        candidates = db.read_now(lambda s, a=first, b=last: trending(s, a, b, 1_000))
        started = time.perf_counter()
        picks = db.read_now(lambda s, c=candidates: team_picks(s, db.search_index, team, c))
        spent += time.perf_counter() - started
        assert picks is not None
        ranked += len(candidates)
        by_team = [p.paper.id for p in picks]
        by_upvotes = [p.id for p in candidates]
        for paper_id in held_out & set(by_upvotes):
            foryou.append(by_team.index(paper_id) + 1)
            upvotes.append(by_upvotes.index(paper_id) + 1)
    return Ranks(foryou, upvotes, len(weeks), ranked, spent)


def recall(ranks: list[int]) -> float:
    return sum(r <= K for r in ranks) / len(ranks) if ranks else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=30, help="topic papers the team voted up")
    parser.add_argument("--weeks", type=int, default=8, help="weeks of held-out papers")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    papers = load_sample_papers(NOW)
    newest = max(p.hf_daily_date for p in papers if p.hf_daily_date)
    weeks = [newest - timedelta(days=7 * n + 6) for n in reversed(range(args.weeks))]
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/foryou.db")
        migrate.upgrade(db)
        db.write_now(lambda s: upsert_papers(s, papers))
        started = time.perf_counter()
        db.read_now(db.search_index.sync)
        print(f"{len(papers)} papers, index built in {time.perf_counter() - started:.1f} s")
        print(f"weeks {weeks[0]} – {newest}; a team's history: {args.history} papers voted up")
        print(
            f"{'topic':8} {'held out':>8}  recall@{K} upvotes → foryou   mean rank upvotes → foryou"
        )
        totals: list[Ranks] = []
        for topic in TOPICS:
            ranks = evaluate(db, papers, topic, weeks, args.history, args.seed)
            totals.append(ranks)
            print(
                f"{topic:8} {len(ranks.foryou):>8}  {recall(ranks.upvotes):>15.2f} → "
                f"{recall(ranks.foryou):.2f}   {statistics.mean(ranks.upvotes):>17.1f} → "
                f"{statistics.mean(ranks.foryou):.1f}"
            )
        up = [r for t in totals for r in t.upvotes]
        mine = [r for t in totals for r in t.foryou]
        weekly = statistics.mean(t.papers / t.weeks for t in totals)
        per_week = sum(t.seconds for t in totals) / sum(t.weeks for t in totals)
        print(
            f"{'all':8} {len(mine):>8}  {recall(up):>15.2f} → {recall(mine):.2f}   "
            f"{statistics.mean(up):>17.1f} → {statistics.mean(mine):.1f}"
        )
        print(f"a week holds {weekly:.0f} papers; ranking one for a team took {per_week:.3f} s")
        db.search_index.close()
        db.dispose()
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

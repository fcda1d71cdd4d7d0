"""Two ``web`` and two ``worker`` processes on one PostgreSQL, with the loopback Slack and Discord.

The web replicas share Slack's traffic (commands, clicks, reactions; a reaction Slack retries
reaches the other replica). Worker A starts first and takes the digest scheduler and both
Discord shards; worker B stands by. A is SIGKILLed while Slack requests are in flight: the web
replicas keep answering, B takes over both shards (a new IDENTIFY for each) and the schedule
(posting the digests that came due meanwhile). Every acknowledged vote is stored once, every
digest posted once, each command and interaction answered once.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.model import Channel
from bot.model.digests import DigestSpec, Subscription
from loopback.discord import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord
from loopback.ports import make_paper
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET, SlackSender
from storage.db import Database
from storage.papers import upsert_papers
from storage.subscriptions import save_subscription
from tests.roles.fleet import Member, start_member, stop_member, until
from tests.support.databases import migrated_database

pytestmark = [pytest.mark.postgres, pytest.mark.runs_long, pytest.mark.timeout(900)]

SHARDS = 2
GUILD = str(GUILD_ID)
PAPERS = [f"2612.{day:02d}{n:03d}" for day in range(14) for n in range(3)]
VOTE_ID = re.compile(r"vote:(\d{4}\.\d{5}):up")
LEADING = "scheduler: running (leading)"


def seed_papers(db: Database, now: datetime) -> None:
    """Three papers a day over the last two weeks: any day a digest covers has a full top 3."""
    papers = [
        make_paper(pid, f"Paper {pid}", hf_daily_date=(now - timedelta(days=int(pid[5:7]))).date(),
                   upvotes=10 + i, fetched_at=now)
        for i, pid in enumerate(PAPERS)
    ]  # fmt: skip
    db.write_now(lambda s: upsert_papers(s, papers))


def subscribe(db: Database, channel: Channel, now: datetime) -> None:
    """A daily digest, every day, that fired five minutes ago and was asked for yesterday."""
    fire = (now - timedelta(minutes=5)).replace(second=0, microsecond=0)
    spec = DigestSpec(local_time=fire.time(), timezone="UTC", weekdays=tuple(range(7)), top_n=3)
    sub = Subscription(channel, spec, created_by="U1")
    db.write_now(partial(save_subscription, sub=sub, now=now - timedelta(days=1)))


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    return db.read_now(lambda s: [tuple(r) for r in s.execute(text(sql))])


def votes(db: Database) -> set[tuple[str, str, str, int]]:
    return set(rows(db, "SELECT platform, user_id, paper_id, value FROM vote"))


def card_ref(db: Database, platform: str, channel: str, paper: str) -> str | None:
    found = rows(
        db,
        "SELECT message_ref FROM posted_message WHERE platform = "
        f"'{platform}' AND channel = '{channel}' AND paper_id = '{paper}'",
    )
    return str(found[0][0]) if found else None


def digest_runs(db: Database) -> Counter[tuple[str, str]]:
    """(channel, state) of every digest run."""
    found = rows(
        db,
        "SELECT s.channel, r.state FROM digest_run r JOIN subscription s "
        "ON s.id = r.subscription_id",
    )
    return Counter((str(c), str(state)) for c, state in found)


def slack_posts(slack: FakeSlack, channel: str) -> list[str]:
    """The papers of every message posted to ``channel`` (one line per card)."""
    return [
        paper
        for params in slack.called("chat.postMessage")
        if params.get("channel") == channel
        for paper in VOTE_ID.findall(str(params.get("blocks")))
    ]


def discord_posts(discord: FakeDiscord, channel: int) -> list[str]:
    return [
        paper
        for call in discord.calls_to("POST", f"/channels/{channel}/messages")
        for paper in VOTE_ID.findall(str(call.body))
    ]


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeSlack, FakeDiscord]]:
    slack = FakeSlack()
    await slack.start()
    async with FakeDiscord(shard_count=SHARDS) as discord:
        yield slack, discord
    await slack.stop()


async def test_web_replicas_and_a_worker_takeover_lose_and_repeat_nothing(
    fakes: tuple[FakeSlack, FakeDiscord], tmp_path: Path
) -> None:
    slack, discord = fakes
    now = datetime.now(UTC)
    with migrated_database("postgresql", tmp_path) as db:
        seed_papers(db, now)
        before_kill = [Channel("slack", "T1", "SA"), Channel("discord", GUILD, str(CHANNEL_ID + 1))]
        after_kill = [Channel("slack", "T1", "SB"), Channel("discord", GUILD, str(CHANNEL_ID + 2))]
        discord.channels |= {CHANNEL_ID + 1, CHANNEL_ID + 2}
        for channel in before_kill:
            subscribe(db, channel, now)
        settings = {
            "PAPERBOT_DATABASE_URL": db.url,
            "PAPERBOT_OFFLINE": "1",
            "PAPERBOT_LOAD_SAMPLE": "0",
            "PAPERBOT_TIMEZONE": "UTC",
            "PAPERBOT_LOG_LEVEL": "info",
            "PAPERBOT_SLACK_BOT_TOKEN": "xoxb-test",
            "PAPERBOT_SLACK_SIGNING_SECRET": SECRET,
            "PAPERBOT_SLACK_API_URL": slack.api_url,
            "PAPERBOT_DISCORD_TOKEN": "bot-token",
            "PAPERBOT_DISCORD_API_URL": discord.api_url,
            "PAPERBOT_DISCORD_SHARDS": str(SHARDS),
        }
        members: list[Member] = []
        try:
            for name, role in (("web1", "web"), ("web2", "web"), ("workerA", "worker")):
                members.append(await start_member(name, role, settings, tmp_path))
            web1, web2, worker_a = members
            for web in (web1, web2):
                ready = await web.until_ready("adapter slack: serving")
                assert "scheduler" not in ready  # a web process schedules nothing
                assert "discord" not in ready
            await worker_a.until_ready(LEADING, "adapter discord: serving")
            await until(
                lambda: {s for s, _ in discord.identifies} == {0, 1}, "both shards", worker_a
            )
            assert all(count == SHARDS for _, count in discord.identifies)
            members.append(await start_member("workerB", "worker", settings, tmp_path))
            worker_b = members[-1]
            await worker_b.until_ready("scheduler: running (standing by)")
            assert len(discord.identifies) == SHARDS  # B holds no shard while A lives

            senders = [SlackSender(web1.http_url), SlackSender(web2.http_url)]
            expected: set[tuple[str, str, str, int]] = set()

            async def slack_command(i: int, paper: str) -> None:
                status, _ = await senders[i % 2].command(f"paper {paper}", slack.response_url())
                assert status == 200

            async def slack_votes(i: int, paper: str, round_: str) -> None:
                """A click and a reaction on the paper's card; the reaction sent to both web
                replicas, as when Slack retries an event whose answer it did not see."""
                ts = card_ref(db, "slack", "C1", paper)
                assert ts is not None
                clicker, reactor = f"U{round_}C{i}", f"U{round_}R{i}"
                status, _ = await senders[i % 2].click(
                    f"vote:{paper}:up", ts, slack.response_url(), user=clicker
                )
                assert status == 200
                expected.add(("slack", clicker, paper, 1))
                event = f"Ev{round_}{i}"
                for retry, sender in enumerate(senders):
                    status, _ = await sender.reaction(
                        True, ts, "fire", user=reactor, event_ts=time.time(), event_id=event,
                        retry=retry or None,
                    )  # fmt: skip
                    assert status == 200
                expected.add(("slack", reactor, paper, 1))

            async def discord_round(papers: list[str], offset: int) -> None:
                """A slash command per paper, then a click and a reaction on each answer."""
                for i, paper in enumerate(papers):
                    token = await discord.slash("paper", paper=paper)
                    pending = discord.pending(token)
                    await until(lambda p=pending: p.original is not None, f"/papers paper {paper}")
                    message = pending.original
                    assert message is not None
                    await until(
                        lambda m=message, p=paper: (
                            card_ref(db, "discord", str(CHANNEL_ID), p) == str(m)
                        ),
                        "the answer's card recorded",
                    )
                    clicker, reactor = USER_ID + offset + i, USER_ID + offset + 50 + i
                    await discord.click(message, f"vote:{paper}:up", clicker=clicker)
                    await discord.react(message, "🔥", by=reactor)
                    expected.add(("discord", str(clicker), paper, 1))
                    expected.add(("discord", str(reactor), paper, 1))

            # First half, worker A alive.
            first = PAPERS[:4]
            await asyncio.gather(*(slack_command(i, p) for i, p in enumerate(first)))
            await until(lambda: all(card_ref(db, "slack", "C1", p) for p in first), "Slack cards")
            await asyncio.gather(*(slack_votes(i, p, "a") for i, p in enumerate(first)))
            await discord_round(PAPERS[10:12], 100)
            await until(lambda: expected <= votes(db), "the first half's votes", *members)

            # Second half: A is killed while Slack requests are in flight.
            second = PAPERS[4:8]
            burst = [
                asyncio.ensure_future(task)
                for task in [
                    *(slack_command(i, p) for i, p in enumerate(second)),
                    *(slack_votes(i, p, "b") for i, p in enumerate(first)),
                ]
            ]
            await asyncio.wait(burst, return_when=asyncio.FIRST_COMPLETED)
            shards_before = len(discord.identifies)
            worker_a.kill()
            assert await worker_a.process.wait() == -9
            members.remove(worker_a)
            await stop_member(worker_a)
            for channel in after_kill:  # come due while nobody leads
                subscribe(db, channel, now)
            await asyncio.gather(*burst)

            # B takes over the shards and the schedule; the web replicas never stopped.
            await worker_b.until_ready(LEADING, "adapter discord: serving")
            await until(
                lambda: {s for s, _ in discord.identifies[shards_before:]} == {0, 1},
                "worker B identifying both shards",
                worker_b,
            )
            await discord_round(PAPERS[12:14], 200)
            await until(lambda: all(card_ref(db, "slack", "C1", p) for p in second), "Slack cards")
            await asyncio.gather(*(slack_votes(i, p, "c") for i, p in enumerate(second)))
            await until(lambda: expected <= votes(db), "every acknowledged vote", *members)
            everyone = [*before_kill, *after_kill]
            await until(
                lambda: digest_runs(db) == {(c.channel, "posted"): 1 for c in everyone},
                "one posted digest per subscription",
                *members,
            )
        finally:
            for member in members:
                await stop_member(member)

        assert votes(db) == expected  # each stored, once, with nothing else
        digests = {name: slack_posts(slack, name) for name in ("SA", "SB")}
        for channel_id in (CHANNEL_ID + 1, CHANNEL_ID + 2):
            digests[str(channel_id)] = discord_posts(discord, channel_id)
        for name, papers in digests.items():  # top 3, each card posted once
            assert len(papers) == 3, (name, papers)
            assert len(set(papers)) == 3, (name, papers)
        answers = Counter(slack_posts(slack, "C1"))
        assert answers == {p: 1 for p in PAPERS[:8]}  # each Slack command answered once
        for interaction in discord.interactions:
            callbacks = discord.calls_to("POST", f"/interactions/{interaction}/")
            assert len(callbacks) == 1, interaction  # each Discord interaction answered once

"""Discord benchmark: 100 concurrent /papers interactions through a loopback gateway, paperbot
against a plain discord.py client, alternating in the same run.

After one warm-up round of each, not counted, each round logs a client in to a fresh loopback
fake Discord (loopback/discord.py), dispatches N ``/papers search`` interactions back to back
over the gateway and measures, for each, the time from sending INTERACTION_CREATE to the fake
receiving its initial response. paperbot's is the results themselves when the core is done
within the adapter's ``answer_within``, else a deferral (counted; "needless" when the results
reached the fake within ``answer_within`` of the interaction all the same). The anchor is a
plain discord.py client with a ``/papers search`` command that answers every interaction at
once with a fixed short message: no core, no database. paperbot's core runs on a temporary
SQLite catalog loaded with the bundled sample, offline. Goal (issue 21): p99 under 150 ms,
none deferred needlessly.

    .venv/bin/python bench/discord_interactions.py [--interactions 100] [--rounds 6]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import yarl  # noqa: E402
from discord import app_commands  # noqa: E402
from discord.gateway import DiscordWebSocket  # noqa: E402
from rich.console import Console  # noqa: E402

from adapters.discord.adapter import Addresses, DiscordAdapter, DiscordConfig, point_at  # noqa: E402
from adapters.discord.app import ANSWER_WITHIN  # noqa: E402
from adapters.discord.turns import AT_ONCE  # noqa: E402
from bot.cli.runtime import Runtime, runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from loopback.discord import APP_ID, Call, FakeDiscord  # noqa: E402

QUERIES = ("linear attention", "lora", "diffusion", "reward model", "mixture of experts")
DEFERRED = 5  # the callback type of "thinking…"
ROUND_TIMEOUT = 60.0  # seconds one round may take, log-in to the last answer


@dataclass(frozen=True)
class Round:
    initial: list[float]  # seconds to each interaction's initial response
    results: list[float]  # seconds to each one's results: the callback, or the first follow-up
    deferred: int
    needless: int  # deferred, yet the results were at the fake within answer_within
    wall: float  # from the last interaction sent until every answer was in


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class PlainClient(discord.Client):
    """The anchor: ``/papers search`` answered at once with a fixed message."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        papers = app_commands.Group(name="papers", description="papers")

        @papers.command(description="search")
        async def search(
            interaction: discord.Interaction[Any], query: str, limit: int | None = None
        ) -> None:
            await interaction.response.send_message("Here are the papers.")

        self.tree.add_command(papers)

    async def setup_hook(self) -> None:
        _shards, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


@asynccontextmanager
async def plain_client(fake: FakeDiscord) -> AsyncIterator[None]:
    found = Addresses.current()
    point_at(fake.api_url)
    client = PlainClient()
    try:
        await client.login("bench-token")
        serving = asyncio.create_task(client.connect(reconnect=False))
        await client.wait_until_ready()
        yield
    finally:
        await client.close()
        found.restore()
    await serving


@asynccontextmanager
async def paperbot_client(rt: Runtime, fake: FakeDiscord, at_once: int) -> AsyncIterator[None]:
    config = DiscordConfig("bench-token", fake.api_url, guild_ready_timeout=0.05, at_once=at_once)
    adapter = DiscordAdapter(rt.core, config)
    await adapter.start()
    try:
        await adapter.ready()
        yield
    finally:
        await adapter.stop()


Client = Callable[[FakeDiscord], AbstractAsyncContextManager[None]]


async def one_round(client: Client, count: int) -> Round:
    async with FakeDiscord() as fake, client(fake):
        sent: dict[str, float] = {}
        for i in range(count):
            sent_at = time.perf_counter()
            token = await fake.slash("search", query=QUERIES[i % len(QUERIES)], limit=5)
            sent[token] = sent_at
        started = time.perf_counter()
        callbacks = await until(fake, "POST", "/callback", count)
        deferred = {token_of(c) for c in callbacks if c.body["type"] == DEFERRED}
        follow_ups = await until(fake, "POST", f"/webhooks/{APP_ID}/", len(deferred))
        wall = time.perf_counter() - started
    results = {token_of(c): c.at for c in callbacks if token_of(c) not in deferred}
    for call in follow_ups:  # the first follow-up of a deferred one: its results
        results.setdefault(token_of(call), call.at)
    needless = sum(1 for t in deferred if results[t] - sent[t] <= ANSWER_WITHIN)
    initial = [c.at - sent[token_of(c)] for c in callbacks]
    return Round(initial, [results[t] - sent[t] for t in sent], len(deferred), needless, wall)


def token_of(call: Call) -> str:
    return call.path.split("/")[3]


async def until(fake: FakeDiscord, method: str, fragment: str, count: int) -> list[Call]:
    """The fake's ``until`` without its 5 s bound: the round's timeout bounds the wait. The fake
    records calls and signals none, so this polls."""
    while len(found := fake.calls_to(method, fragment)) < count:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    return found


async def bench(count: int, rounds: int, at_once: int, db_dir: str) -> None:
    env = {**os.environ, "PAPERBOT_DATABASE_URL": f"sqlite:///{db_dir}/bench.db"}
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "1"}
    settings = load_settings(env)
    async with runtime(settings, Console(stderr=True)) as rt:
        await rt.db.read(rt.db.search_index.sync)  # as paperbot run does at start

        def ours(fake: FakeDiscord) -> AbstractAsyncContextManager[None]:
            return paperbot_client(rt, fake, at_once)

        for client in (ours, plain_client):  # warm-up, not counted: the first round in a
            await bounded(one_round(client, count))  # process pays for first calls and caches
        load_start = os.getloadavg()[0]
        mine: list[Round] = []
        plain: list[Round] = []
        for number in range(rounds):
            client, into, name = (
                (ours, mine, "paperbot") if number % 2 == 0 else (plain_client, plain, "anchor")
            )
            result = await bounded(one_round(client, count))
            into.append(result)
            print(f"round {number + 1} {name}: {describe(result)}", flush=True)
        load_end = os.getloadavg()[0]
    ratio = statistics.median(p99s(mine)) / statistics.median(p99s(plain))
    print(f"{count} concurrent /papers search interactions, SQLite sample catalog, offline")
    print(
        f"first response p99: ratio {ratio:.1f}x | paperbot {spread(p99s(mine))}, "
        f"p50 {spread(p50s(mine))}, deferred {span(r.deferred for r in mine)} of {count} "
        f"({span(r.needless for r in mine)} needlessly) | anchor {spread(p99s(plain))}, "
        f"p50 {spread(p50s(plain))} | load {load_start:.1f} at start, {load_end:.1f} at end "
        "(2 cores) | goal: p99 under 150 ms, none deferred needlessly"
    )
    last = [percentile(r.results, 0.99) for r in mine]
    print(f"paperbot's results (callback or follow-up) p99 {spread(last)}")


async def bounded(work: Awaitable[Round]) -> Round:
    try:
        return await asyncio.wait_for(work, ROUND_TIMEOUT)
    except TimeoutError:
        sys.exit(f"a round took over {ROUND_TIMEOUT:.0f} s: stopped")


def describe(result: Round) -> str:
    ms = 1000
    return (
        f"p50 {statistics.median(result.initial) * ms:.0f} ms, "
        f"p99 {percentile(result.initial, 0.99) * ms:.0f} ms, "
        f"{result.deferred} deferred ({result.needless} needlessly), "
        f"results p99 {percentile(result.results, 0.99) * ms:.0f} ms, "
        f"all answered {result.wall:.2f} s after the last was sent"
    )


def p99s(results: list[Round]) -> list[float]:
    return [percentile(r.initial, 0.99) for r in results]


def p50s(results: list[Round]) -> list[float]:
    return [statistics.median(r.initial) for r in results]


def spread(seconds: list[float]) -> str:
    ms = 1000
    median, low, high = statistics.median(seconds), min(seconds), max(seconds)
    return f"{median * ms:.0f} ms ({low * ms:.0f}-{high * ms:.0f})"


def span(counts: Any) -> str:
    values = list(counts)
    return f"{min(values)}-{max(values)}" if min(values) != max(values) else str(values[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--interactions", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=6, help="alternately paperbot and anchor")
    parser.add_argument(
        "--at-once", type=int, default=AT_ONCE, help="commands at paperbot's core at once"
    )
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2: one each")
    with tempfile.TemporaryDirectory() as db_dir:
        asyncio.run(bench(args.interactions, args.rounds, args.at_once, db_dir))


if __name__ == "__main__":
    main()

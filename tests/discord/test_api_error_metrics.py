"""Every Discord REST call that fails is counted in /metrics by its HTTP status."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import aiohttp

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from adapters.discord.counted import api_error_trace
from bot.cli.health import PrometheusMetrics
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel, Core, PostRejected
from bot.reply import text_reply
from bot.settings import Settings
from loopback.discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from loopback.ports import FakeSource
from storage.db import Database
from tests.health.scrape import samples, scrape_once


async def test_failed_discord_calls_are_counted_by_http_status(
    sqlite_db: Database, dispatcher: Dispatcher, fake: FakeDiscord, metrics: PrometheusMetrics
) -> None:
    deps = Deps(settings=Settings(database_url=sqlite_db.url), db=sqlite_db, source=FakeSource())
    core = Core(deps, dispatcher, metrics=metrics)
    adapter = DiscordAdapter(core, DiscordConfig("t", fake.api_url, guild_ready_timeout=0.05))
    await adapter.start()
    try:
        await adapter.ready()
        fake.forbidden.add(CHANNEL_ID)
        for channel in (str(CHANNEL_ID), str(CHANNEL_ID), "4242"):
            where = Channel("discord", str(GUILD_ID), channel)
            with contextlib.suppress(PostRejected):
                await adapter.poster.send(where, text_reply("hi"))
    finally:
        await adapter.stop()

    page = (await scrape_once("/metrics", sqlite_db, [], None, metrics)).text
    assert samples(page, "paperbot_platform_api_errors_total") == {
        (("code", "403"), ("platform", "discord")): 2,
        (("code", "404"), ("platform", "discord")): 1,
    }


async def test_a_request_that_gets_no_answer_is_counted_as_timeout_or_unreachable() -> None:
    """A Discord that takes the connection and never answers, and one nobody listens for."""
    said: list[str] = []
    done = asyncio.Event()

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await done.wait()
        writer.close()

    silent = await asyncio.start_server(hold, "127.0.0.1", 0)
    held = silent.sockets[0].getsockname()[1]
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    # the silent one times out however fast the machine; the closed one is refused long before 30 s
    waits = {held: 0.2, closed: 30.0}
    async with aiohttp.ClientSession(trace_configs=[api_error_trace(said.append)]) as session:
        for port, wait in waits.items():
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                url = f"http://127.0.0.1:{port}/api/v10/users/@me"
                await session.get(url, timeout=aiohttp.ClientTimeout(total=wait))
    done.set()
    silent.close()
    await silent.wait_closed()
    assert said == ["timeout", "unreachable"]

"""One Discord application split into shards: each session identifies for its own shard, and a
server's interactions reach only the session of the shard it belongs to."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from loopback.discord import FakeDiscord


async def test_two_shard_sessions_identify_apart_and_only_the_servers_shard_answers(
    fake: FakeDiscord, deps: Deps, dispatcher: Dispatcher
) -> None:
    fake.shard_count = 2
    fake.callback_within = 60.0  # a loaded machine must not turn an answer into a deferral
    core = Core(deps, dispatcher)
    config = DiscordConfig("bot-token", fake.api_url, guild_ready_timeout=0.05)
    shards = [DiscordAdapter(core, replace(config, shard=(n, 2))) for n in range(2)]
    try:
        for shard in shards:
            await shard.start()
            await asyncio.wait_for(shard.ready(), 30)
        assert sorted(fake.identifies) == [(0, 2), (1, 2)]
        token = await fake.slash("help")
        await fake.until("POST", "/callback")
        mine = fake.guild_shard(2)
        assert [len(s.client.guilds) for s in shards] == [int(n == mine) for n in range(2)]
        assert len(fake.calls_to("POST", "/callback")) == 1
        assert fake.pending(token).callback is not None
    finally:
        for shard in shards:
            await shard.stop()

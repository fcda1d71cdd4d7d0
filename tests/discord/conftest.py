"""A loopback Discord per test (the class attributes the adapter points at it are put back), and
the adapters started against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord.gateway import DiscordWebSocket

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from loopback.discord import FakeDiscord


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> Core:
    return Core(deps, dispatcher)


class Bots:
    """Adapters started against the fake; every one is stopped when the test ends."""

    def __init__(self, core: Core, fake: FakeDiscord, answer_within: float = 2.0) -> None:
        self.core, self.fake, self.running = core, fake, list[DiscordAdapter]()
        self.answer_within = answer_within

    async def start(self, **settings: Any) -> DiscordAdapter:
        """An adapter on the fake; ``settings``: more of its ``DiscordConfig``."""
        config = DiscordConfig(
            "bot-token", self.fake.api_url, guild_ready_timeout=0.05,
            answer_within=self.answer_within, **settings,
        )  # fmt: skip
        adapter = DiscordAdapter(self.core, config)
        await adapter.start()
        self.running.append(adapter)
        await asyncio.wait_for(adapter.ready(), 10)
        return adapter

    async def stop(self) -> None:
        for adapter in self.running:
            await adapter.stop()


@pytest.fixture
async def bots(core: Core, fake: FakeDiscord) -> AsyncIterator[Bots]:
    """Bots for which every command is fast: a loaded machine can slow the first search (it builds
    the index) past any real budget, and must not turn a direct answer into a deferred one. The
    deferred path has its own tests, with a source that holds each call until the test lets go."""
    fake.callback_within = 60.0
    started = Bots(core, fake, answer_within=30.0)
    yield started
    await started.stop()

"""A loopback Discord per test (the class attributes the adapter points at it are put back), and
the adapters started against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
from discord.gateway import DiscordWebSocket

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from adapters.discord.turns import AT_ONCE
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.model import Paper
from loopback.discord import FakeDiscord
from loopback.ports import FakeSource, make_paper


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> Core:
    return Core(deps, dispatcher)


UNLISTED = make_paper("2699.00001", "A paper only Hugging Face lists", authors=("Ada",))


@dataclass
class GatedSource(FakeSource):
    """Hugging Face answering only once the test opens ``gate``: a command as slow as needed."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    asked: asyncio.Event = field(default_factory=asyncio.Event)  # a command is at the gate

    async def paper(self, paper_id: str) -> Paper:
        self.asked.set()
        await self.gate.wait()
        return await super().paper(paper_id)


class Bots:
    """Adapters started against the fake; every one is stopped when the test ends."""

    def __init__(
        self, core: Core, fake: FakeDiscord, answer_within: float = 2.0, at_once: int = AT_ONCE
    ) -> None:
        self.core, self.fake, self.running = core, fake, list[DiscordAdapter]()
        self.answer_within, self.at_once = answer_within, at_once

    async def start(self, **settings: Any) -> DiscordAdapter:
        """An adapter on the fake; ``settings``: more of its ``DiscordConfig``."""
        config = DiscordConfig(
            "bot-token", self.fake.api_url, guild_ready_timeout=0.05,
            answer_within=self.answer_within, at_once=self.at_once, **settings,
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

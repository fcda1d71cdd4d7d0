"""A loopback Discord per test; the class attributes the adapter points at it are put back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from discord.gateway import DiscordWebSocket

from loopback.discord import FakeDiscord


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as server:
        yield server

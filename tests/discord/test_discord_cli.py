"""Discord settings, ``paperbot run``'s wiring and ``paperbot discord sync`` against the fake."""

from __future__ import annotations

import argparse
import io

import discord
import pytest
from rich.console import Console

from adapters.discord.adapter import DiscordAdapter
from bot.cli import build_parser
from bot.cli.adapter_settings import DISCORD_API_URL, load_adapter_settings
from bot.cli.adapters import cmd_discord_sync, configured_adapters
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.settings import SettingsError
from loopback.discord import APP_ID, GUILD_ID, FakeDiscord


def test_a_token_turns_discord_on_with_the_production_api_by_default() -> None:
    assert load_adapter_settings({}).discord is None
    chosen = load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": " secret "})
    assert chosen.any
    assert chosen.discord is not None
    assert (chosen.discord.token.get_secret_value(), chosen.discord.api_url) == (
        "secret",
        DISCORD_API_URL,
    )
    assert "secret" not in repr(chosen)
    other = load_adapter_settings(
        {"PAPERBOT_DISCORD_TOKEN": "t", "PAPERBOT_DISCORD_API_URL": "http://127.0.0.1:9/api/v10/"}
    )
    assert other.discord is not None
    assert other.discord.api_url == "http://127.0.0.1:9/api/v10"


def test_a_malformed_api_url_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="PAPERBOT_DISCORD_API_URL"):
        load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "t", "PAPERBOT_DISCORD_API_URL": "x"})
    with pytest.raises(SettingsError, match="PAPERBOT_DISCORD_API_URL"):
        load_adapter_settings(
            {"PAPERBOT_DISCORD_TOKEN": "t", "PAPERBOT_DISCORD_API_URL": "https://"}
        )


def test_paperbot_run_builds_the_discord_adapter_when_a_token_is_set(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    found = discord.http.Route.BASE
    chosen = load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "t"})
    [adapter] = configured_adapters(chosen, Core(deps, dispatcher), Console(file=io.StringIO()))
    assert found == discord.http.Route.BASE  # pointed at Discord only once started
    assert isinstance(adapter, DiscordAdapter)
    assert adapter.platform == "discord"
    assert adapter.poster.limits.one_card_per_message


@pytest.mark.parametrize("guild", [None, GUILD_ID])
async def test_discord_sync_registers_the_papers_group(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch, guild: int | None
) -> None:
    monkeypatch.setenv("PAPERBOT_DISCORD_TOKEN", "bot-token")
    monkeypatch.setenv("PAPERBOT_DISCORD_API_URL", fake.api_url)
    argv = ["discord", "sync", *(["--guild", str(guild)] if guild else [])]
    args: argparse.Namespace = build_parser().parse_args(argv)
    screen = io.StringIO()
    found = discord.http.Route.BASE
    assert await args.run(None, Console(file=screen, width=200), args) == 0
    assert found == discord.http.Route.BASE  # the sync's client pointed at the fake, then put back
    where = f"/applications/{APP_ID}/" + (f"guilds/{guild}/" if guild else "") + "commands"
    [put] = fake.calls_to("PUT", where)
    [papers] = put.body
    assert papers["name"] == "papers"
    subcommands = {option["name"] for option in papers["options"]}
    assert {"search", "top", "subscribe", "digest", "help"} <= subcommands
    assert "Registered /papers" in screen.getvalue()
    assert fake.identified == 0  # a deploy step: REST only, no gateway session


async def test_discord_sync_without_a_token_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAPERBOT_DISCORD_TOKEN", raising=False)
    screen = io.StringIO()
    args = argparse.Namespace(guild=None)
    assert await cmd_discord_sync(None, Console(file=screen), args) == 78  # type: ignore[arg-type]
    assert "PAPERBOT_DISCORD_TOKEN" in screen.getvalue()

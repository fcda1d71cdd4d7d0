"""The only place in ``bot/`` that imports adapters, and only those the settings turn on.

Imports happen inside the functions, so ``paperbot ingest`` never loads an SDK and a Slack-only
install never imports discord.py.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from dataclasses import replace
from pathlib import Path

from platformdirs import user_data_dir
from rich.console import Console

from bot.cli.adapter_settings import (
    AdapterSettings,
    DiscordSettings,
    SlackSettings,
    console_files_dir,
    load_adapter_settings,
    reveal,
)
from bot.cli.exit_codes import EXIT_CONFIG
from bot.cli.shards import ShardSeats
from bot.commands.table import build_dispatcher
from bot.facade import Adapter, Core, Outcome
from bot.reply import Reply
from bot.settings import Settings
from storage.db import Database
from storage.leader_lock import LeaderLock

EXIT_REFUSED = 4


def configured_adapters(
    chosen: AdapterSettings, core: Core, console: Console, db: Database | None = None
) -> list[Adapter]:
    """Every adapter the settings configure, built but not started."""
    adapters: list[Adapter] = []
    if chosen.console:
        adapters.append(console_adapter(core, console))
    if chosen.slack is not None:
        adapters.append(slack_adapter(core, chosen.slack, db))
    if chosen.discord is not None:
        adapters.append(discord_adapter(core, chosen.discord, db))
    return adapters


def discord_adapter(core: Core, settings: DiscordSettings, db: Database | None = None) -> Adapter:
    """Discord: given the database, the shards whose lock this process wins (``ShardSeats``),
    so several workers never serve one shard twice; without it, one unsharded session."""
    from adapters.discord.adapter import DiscordAdapter, DiscordConfig

    config = DiscordConfig(
        settings.token.get_secret_value(), settings.api_url, unfurl_links=settings.unfurl_links
    )
    if db is None:
        if settings.shards != 1:
            raise ValueError("Discord shards are locked in the database: pass it")
        return DiscordAdapter(core, config)

    def open_shard(shard: int) -> Adapter:
        return DiscordAdapter(core, replace(config, shard=(shard, settings.shards)))

    leases = [
        LeaderLock(db, f"paperbot:discord-shard:{shard}", f"Discord shard {shard}")
        for shard in range(settings.shards)
    ]
    return ShardSeats(DiscordAdapter(core, replace(config, gateway=False)), open_shard, leases)


def slack_adapter(core: Core, settings: SlackSettings, db: Database | None = None) -> Adapter:
    """Slack: slack-bolt's app served by uvicorn at POST /slack/events, or over Socket Mode.
    In OAuth mode slack_sdk's SQLAlchemy stores keep the tokens in ``db``, the bot's own
    database (tables from the migrations); the adapter gets the engine as an opaque handle."""
    from adapters.slack.adapter import SlackAdapter

    oauth = None
    if settings.client_id and settings.client_secret:
        from adapters.slack.oauth_database import database_oauth

        if db is None:
            raise ValueError("Slack OAuth mode keeps its tokens in the database: pass it")
        oauth = database_oauth(
            settings.client_id, settings.client_secret.get_secret_value(), db.engine
        )
    return SlackAdapter(
        core,
        bot_token=reveal(settings.bot_token),
        oauth=oauth,
        signing_secret=reveal(settings.signing_secret) or "",
        app_token=reveal(settings.app_token),
        api_url=settings.api_url,
        host=settings.http.host,
        port=settings.http.port,
    )


def console_adapter(core: Core, console: Console) -> Adapter:
    """The terminal chat: prompt_toolkit with history on a terminal, plain lines when piped."""
    from adapters.console.adapter import ConsoleAdapter
    from adapters.console.app import prompt_reader, stdin_reader

    files = console_files_dir()
    if sys.stdin.isatty():
        history = Path(user_data_dir("paperbot", appauthor=False)) / "shell_history"
        reader = prompt_reader(history)
        return ConsoleAdapter(core, console, reader, patch_stdout=True, files_dir=files)
    return ConsoleAdapter(core, console, stdin_reader(), files_dir=files)


async def cmd_discord_sync(_settings: Settings, console: Console, args: Namespace) -> int:
    """``paperbot discord sync [--guild ID]``: register /papers (a deploy step; run never does)."""
    chosen = load_adapter_settings().discord
    if chosen is None:
        console.print("Set PAPERBOT_DISCORD_TOKEN to the bot's token first.", markup=False)
        return EXIT_CONFIG
    from adapters.discord.adapter import DiscordConfig
    from adapters.discord.sync import SyncRefused, sync_commands

    try:
        config = DiscordConfig(chosen.token.get_secret_value(), chosen.api_url)
        names = await sync_commands(config, build_dispatcher().commands, args.guild)
    except SyncRefused as error:
        console.print(str(error), style="red", markup=False)
        return EXIT_REFUSED
    where = f"server {args.guild}" if args.guild else "every server (may take a while to show)"
    console.print(f"Registered /{', /'.join(names)} for {where}.", markup=False)
    return 0


async def slack_identity(settings: SlackSettings) -> tuple[bool, str]:
    """``paperbot doctor``: whether Slack takes the bot token (``auth.test``), and what it said."""
    from adapters.slack.doctor import SlackCheckFailed, check_bot_token

    assert settings.bot_token is not None, "OAuth mode has no bot token to test"
    try:
        return True, await check_bot_token(settings.bot_token.get_secret_value(), settings.api_url)
    except SlackCheckFailed as error:
        return False, str(error)


async def discord_identity(settings: DiscordSettings) -> tuple[bool, str]:
    """``paperbot doctor``: whether Discord takes the token (``GET /users/@me``), and what it
    said."""
    from adapters.discord.doctor import DiscordCheckFailed, check_bot_token

    try:
        return True, await check_bot_token(settings.token.get_secret_value(), settings.api_url)
    except DiscordCheckFailed as error:
        return False, str(error)


async def ask_console(core: Core, console: Console, text: str) -> int:
    """``paperbot ask``: one line through the console adapter; the exit code says how it went."""
    from adapters.console.app import EXIT_CODES, ConsoleChat

    reply: Reply = await ConsoleChat(core, console, files_dir=console_files_dir()).ask(text)
    return EXIT_CODES.get(reply.outcome, EXIT_CODES[Outcome.UNAVAILABLE])

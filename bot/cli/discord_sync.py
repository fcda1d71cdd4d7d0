"""``paperbot discord sync [--guild ID]``: register the /papers commands with Discord."""

from __future__ import annotations

import argparse

from rich.console import Console

from bot.cli.adapter_settings import load_adapter_settings
from bot.cli.tools import EXIT_CONFIG
from bot.settings import Settings

EXIT_REFUSED = 4


async def cmd_discord_sync(_settings: Settings, console: Console, args: argparse.Namespace) -> int:
    chosen = load_adapter_settings().discord
    if chosen is None:
        console.print("Set PAPERBOT_DISCORD_TOKEN to the bot's token first.", markup=False)
        return EXIT_CONFIG
    import discord

    from adapters.discord.adapter import DiscordConfig
    from adapters.discord.sync import sync_commands

    try:
        names = await sync_commands(DiscordConfig(chosen.token, chosen.api_url), args.guild)
    except discord.HTTPException as error:
        console.print(f"Discord refused the commands: {error}", style="red", markup=False)
        return EXIT_REFUSED
    where = f"server {args.guild}" if args.guild else "every server (may take a while to show)"
    console.print(f"Registered /{', /'.join(names)} for {where}.", markup=False)
    return 0

"""``paperbot discord sync``: register /papers with Discord (a deploy step; ``run`` never syncs).

Only REST is needed: log in (which learns the application id), replace the command set, close.
A guild sync shows up at once in that server; a global one can take a while to spread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import discord
from discord import app_commands

from adapters.discord.adapter import Addresses, DiscordConfig, point_at
from adapters.discord.commands import PapersGroup
from bot.facade import Command, OptionValue


class SyncRefused(Exception):
    """Discord refused the token or the commands; the message says why."""


async def _not_served(
    _interaction: discord.Interaction[Any], command: Command, _values: Mapping[str, OptionValue]
) -> None:
    raise RuntimeError(f"the sync client registers /papers {command.name} but never serves it")


async def sync_commands(
    config: DiscordConfig, commands: Iterable[Command], guild_id: int | None = None
) -> list[str]:
    """The names Discord now has registered, e.g. ``["papers"]``."""
    found = Addresses.current()
    point_at(config.api_url)
    client = discord.Client(intents=discord.Intents.default())
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    tree.add_command(PapersGroup(commands, _not_served))
    guild = discord.Object(guild_id) if guild_id is not None else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    try:
        await client.login(config.token)
        synced = await tree.sync(guild=guild)
    except discord.HTTPException as error:
        raise SyncRefused(f"Discord refused the commands: {error}") from error
    finally:
        await client.close()
        found.restore()
    return [command.name for command in synced]

"""The ``/papers`` app-command group, derived from the core's command table.

Each core command becomes a subcommand whose typed, described options are the command's
``Option`` specs (choices, number ranges, text lengths, time-zone autocomplete); every
subcommand hands the option values to one ``RunCommand`` with the command they belong to,
and ``Command.text`` turns them into the command line every platform runs. Nothing here
names a command: a new one in the table is a new subcommand after ``paperbot discord sync``.
"""

from __future__ import annotations

import inspect
import zoneinfo
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import cache
from typing import Any, Literal

import discord
from discord import app_commands

from bot.facade import Command, CommandOption, OptionValue

RunCommand = Callable[
    [discord.Interaction[Any], Command, Mapping[str, OptionValue]], Awaitable[None]
]

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z))


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Time zones containing what was typed so far (``berl`` -> Europe/Berlin), at most 25."""
    needle = current.strip().lower().replace(" ", "_")
    found = [z for z in _zones() if needle in z.lower()][:MAX_CHOICES]
    return [app_commands.Choice(name=z, value=z) for z in found]


async def complete_time_zone(
    _interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return zone_choices(current)


def option_type(option: CommandOption) -> Any:
    """The annotation discord.py reads an option's Discord type and bounds from."""
    if option.kind == "flag":
        return bool
    if option.choices:
        return Literal[option.choices]
    base = int if option.kind == "number" else str
    if option.low is None and option.high is None:
        return base
    return app_commands.Range[base, option.low, option.high]


def _parameter(option: CommandOption) -> inspect.Parameter:
    kind = inspect.Parameter.KEYWORD_ONLY
    annotation = option_type(option)
    if option.required:
        return inspect.Parameter(option.name, kind, annotation=annotation)
    if option.kind == "flag":
        return inspect.Parameter(option.name, kind, annotation=annotation, default=False)
    return inspect.Parameter(option.name, kind, annotation=annotation | None, default=None)


def subcommand(command: Command, run: RunCommand) -> app_commands.Command[Any, ..., None]:
    """``/papers <command.name>``: discord.py reads the options from the callback's signature,
    so the signature is made from the command's option specs."""

    async def callback(interaction: discord.Interaction[Any], **values: OptionValue) -> None:
        await run(interaction, command, values)

    first = inspect.Parameter(
        "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
    )
    callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [first, *(_parameter(option) for option in command.options)]
    )
    if command.options:
        descriptions = {option.name: option.description for option in command.options}
        app_commands.describe(**descriptions)(callback)
    zones = {o.name: complete_time_zone for o in command.options if o.completes_time_zone}
    if zones:
        app_commands.autocomplete(**zones)(callback)
    return app_commands.Command(
        name=command.name, description=command.description, callback=callback
    )


class PapersGroup(app_commands.Group):
    """``/papers …``; what each subcommand does is the core's business."""

    def __init__(self, commands: Iterable[Command], run: RunCommand) -> None:
        super().__init__(name="papers", description="Hugging Face Daily Papers for your team")
        for command in commands:
            self.add_command(subcommand(command, run))

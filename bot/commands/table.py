"""The command table: every command paperbot answers, in the order ``help`` lists them.

A new command is a module that declares its ``Command`` (with typed options), its tests, and
one entry here; the dispatcher, ``help``, Discord's ``/papers`` group and the README check all
read this table.
"""

from __future__ import annotations

from bot.commands.about import ABOUT
from bot.commands.dispatch import Dispatcher
from bot.commands.export import EXPORT
from bot.commands.foryou import FORYOU
from bot.commands.help import help_command
from bot.commands.paper import PAPER
from bot.commands.reading import DONE, READING, SAVE
from bot.commands.search import SEARCH
from bot.commands.similar import SIMILAR
from bot.commands.spec import Command
from bot.commands.subscriptions import SUBSCRIPTION_COMMANDS
from bot.commands.trending import TRENDING
from bot.commands.votes import TOP, VOTES

COMMANDS: tuple[Command, ...] = (
    SEARCH,
    PAPER,
    SIMILAR,
    *TRENDING,
    FORYOU,
    TOP,
    VOTES,
    SAVE,
    READING,
    DONE,
    EXPORT,
    *SUBSCRIPTION_COMMANDS,
    ABOUT,
)


def build_dispatcher() -> Dispatcher:
    return Dispatcher((*COMMANDS, help_command(COMMANDS)))

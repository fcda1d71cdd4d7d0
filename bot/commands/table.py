"""The command table: every command paperbot answers, in the order ``help`` lists them."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.commands.paper import PAPER
from bot.commands.search import SEARCH
from bot.commands.spec import Command, Context
from bot.commands.subscriptions import SUBSCRIPTION_COMMANDS
from bot.commands.trending import TRENDING
from bot.commands.votes import TOP, VOTES
from bot.reply import Reply


def build_dispatcher() -> Dispatcher:
    commands: list[Command] = [SEARCH, PAPER, *TRENDING, TOP, VOTES, *SUBSCRIPTION_COMMANDS]
    dispatcher: Dispatcher

    async def run_help(_ctx: Context, args: str) -> Reply:
        return dispatcher.help_reply(args.split()[0] if args.split() else None)

    commands.append(
        Command(
            "help", "help [command]", "list the commands, or explain one", run_help, private=True
        )
    )
    dispatcher = Dispatcher(commands)
    return dispatcher

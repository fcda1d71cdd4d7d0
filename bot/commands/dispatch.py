"""From a line of text to a reply: find the command, run it, turn bad input into usage help."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.commands.help import help_reply
from bot.commands.spec import PREFIX, Command, Context
from bot.deps import Deps, Progress, no_progress
from bot.failures import command_failed
from bot.model import Invocation
from bot.reply import Reply, usage_error
from bot.usage import UsageError

log = logging.getLogger(__name__)


class Dispatcher:
    """Routes invocations to a fixed table of commands (built by the composition root)."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self.commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self.commands:
            for name in (command.name, *command.aliases):
                if name in self._by_name:
                    raise ValueError(f"two commands are called {name!r}")
                self._by_name[name] = command

    def find(self, name: str) -> Command | None:
        return self._by_name.get(name.lower())

    async def handle(
        self, deps: Deps, invocation: Invocation, progress: Progress = no_progress
    ) -> Reply:
        name, args = split_command(invocation.text)
        if not name:
            return help_reply(self.commands)
        command = self.find(name)
        if command is None:
            return usage_error(
                f"There is no command {name[:40]!r}.",
                "/papers <" + "|".join(c.name for c in self.commands) + "> …",
            )
        ctx = Context(deps, invocation, progress)
        try:
            return await command.handler(ctx, args)
        except UsageError as error:
            return usage_error(str(error), f"{PREFIX} {command.usage}")
        except Exception:
            log.exception("command %r failed", invocation.text[:200])
            return command_failed()


def split_command(text: str) -> tuple[str, str]:
    """``"/papers search lora"`` -> ``("search", "lora")``; the ``/papers`` prefix is optional."""
    text = text.strip()
    if text.lower().startswith(PREFIX):
        text = text[len(PREFIX) :].lstrip()
    elif text.startswith("/"):
        text = text[1:]
    name, _, args = text.partition(" ")
    return name.lower(), args.strip()

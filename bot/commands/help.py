"""``help``: the command list, or one command's usage and examples, made from the table."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands.spec import PREFIX, Command, Context, Option
from bot.reply import Heading, Part, Reply, Text, usage_error


def help_reply(commands: Sequence[Command], name: str | None = None) -> Reply:
    """Private: help is for the person who asked, not the channel."""
    if name:
        command = next((c for c in commands if name.lower() in (c.name, *c.aliases)), None)
        if command is None:
            return usage_error(f"There is no command {name[:40]!r}.", f"{PREFIX} help")
        lines = [f"{PREFIX} {command.usage}", command.description]
        lines += [f"e.g. {PREFIX} {example}" for example in command.examples]
        return Reply((Heading(command.name), *(Text(line) for line in lines)), private=True)
    parts: list[Part] = [Heading("paperbot: Hugging Face Daily Papers for your team")]
    parts += [Text(f"{PREFIX} {c.usage}\n    {c.summary}") for c in commands]
    parts.append(Text(f"{PREFIX} help <command> shows examples.", "muted"))
    return Reply(tuple(parts), private=True)


def help_command(others: Sequence[Command]) -> Command:
    """``help`` over ``others`` and itself."""
    table: list[Command] = [*others]

    async def run_help(_ctx: Context, args: str) -> Reply:
        words = args.split()
        return help_reply(table, words[0] if words else None)

    topic = Option("command", "The command to explain", choices=(*(c.name for c in others), "help"))
    command = Command(
        "help",
        "help [command]",
        "list the commands, or explain one",
        run_help,
        examples=("help", "help subscribe"),
        private=True,
        options=(topic,),
    )
    table.append(command)
    return command

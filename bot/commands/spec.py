"""What a command is: its name, usage and help, its typed options, and a handler of its text.

A command is declared once, here in a ``Command`` record in its own module, and everything
else is derived from the table of them: the dispatcher, ``help``, Discord's app-command group
(each ``Option`` is a typed, described Discord option) and the text those options become. Every
platform runs the same text through the command's own parser: the console and Slack as typed,
Discord as ``Command.text`` writes it from the options.

A handler raises ``bot.usage.UsageError`` for input it cannot run; the dispatcher turns that into
a short private reply that repeats the command's usage, so handlers never format error replies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.deps import Deps, Progress
from bot.model import Channel, Invocation
from bot.reply import Reply

PREFIX = "/papers"

OptionValue = str | int | bool | None
OptionKind = Literal["text", "number", "flag"]


@dataclass(frozen=True, slots=True)
class Context:
    deps: Deps
    invocation: Invocation
    progress: Progress

    @property
    def channel(self) -> Channel:
        """Where the command was asked."""
        who = self.invocation
        return Channel(who.platform, who.workspace, who.channel)


Handler = Callable[[Context, str], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Option:
    """One typed option of a command, for platforms that ask for options in a form (Discord).

    ``written`` says how a value joins the command's text (``"limit:{}"``, ``"top {}"``); a flag
    writes it, without a value, when set. ``low``/``high`` bound a number, or a text's length.
    """

    name: str
    description: str
    kind: OptionKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    written: str = "{}"
    quoted: bool = False  # a free-text list, written in quotes that nothing inside can close
    completes_time_zone: bool = False

    def write(self, value: OptionValue) -> str | None:
        """The option's words in the command text, or None when it was left out."""
        if value is None or value is False:
            return None
        if self.kind == "flag":
            return self.written
        text = str(value).strip()
        if self.quoted:
            text = text.replace('"', "").strip()
            text = f'"{text}"' if text else ""
        return self.written.format(text) if text else None


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: Handler
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    private: bool = False  # always answered privately (help): known before the answer is ready
    options: tuple[Option, ...] = ()
    words: str = ""  # how its text starts, when not its name alone ("digest now")

    def text(self, values: Mapping[str, OptionValue]) -> str:
        """The command line that ``values`` of the typed options stand for."""
        written = (option.write(values.get(option.name)) for option in self.options)
        return " ".join([self.words or self.name, *(w for w in written if w)])

    @property
    def description(self) -> str:
        """The summary as a sentence: a form's one-line description of the command."""
        return self.summary[:1].upper() + self.summary[1:]

"""What a command is: a name, its usage line, and a handler of the argument text.

A handler raises ``bot.usage.UsageError`` for input it cannot run; the dispatcher turns that into
a short private reply that repeats the command's usage, so handlers never format error replies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.deps import Deps, Progress
from bot.model import Invocation
from bot.reply import Reply


@dataclass(frozen=True, slots=True)
class Context:
    deps: Deps
    invocation: Invocation
    progress: Progress


Handler = Callable[[Context, str], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: Handler
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    private: bool = False  # always answered privately (help): known before the answer is ready

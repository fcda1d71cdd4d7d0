"""The console adapter's glue: read a line, ask the core, print the rendered reply."""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console

from adapters.console.render import render_reply
from adapters.console.translate import Blank, Quit, translate_line
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Invocation
from bot.reply import Outcome, Reply

ReadLine = Callable[[str], Awaitable[str]]  # raises EOFError at end of input

EXIT_CODES = {Outcome.OK: 0, Outcome.USAGE: 2, Outcome.NOT_FOUND: 3, Outcome.UNAVAILABLE: 4}


def console_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "you"


class ConsoleChat:
    def __init__(self, deps: Deps, dispatcher: Dispatcher, console: Console) -> None:
        self.deps = deps
        self.dispatcher = dispatcher
        self.console = console
        self.user = console_user()

    async def _progress(self, message: str) -> None:
        self.console.print(f"… {message}", style="dim")

    def show(self, reply: Reply) -> None:
        for renderable in render_reply(reply):
            self.console.print(renderable)

    async def ask(self, text: str) -> Reply:
        """Run one line through the core, print the reply and return it."""
        action = translate_line(text, self.user)
        if not isinstance(action, Invocation):
            reply = self.dispatcher.help_reply()
        else:
            reply = await self.dispatcher.handle(self.deps, action, self._progress)
        self.show(reply)
        return reply

    async def run(self, read_line: ReadLine) -> int:
        """The interactive loop; Ctrl-D (end of input) or ``quit`` ends it."""
        self.console.print(
            "paperbot — type [bold]help[/bold], [bold]search linear attention[/bold] or "
            "[bold]today[/bold]; Ctrl-D quits.",
            highlight=False,
        )
        while True:
            try:
                line = await read_line("papers> ")
            except EOFError:
                return 0
            except KeyboardInterrupt:
                continue
            action = translate_line(line, self.user)
            if isinstance(action, Quit):
                return 0
            if isinstance(action, Blank):
                continue
            reply = await self.dispatcher.handle(self.deps, action, self._progress)
            self.show(reply)


def prompt_reader(history_file: Path) -> ReadLine:
    """A prompt_toolkit line reader with persistent history when stdin is a terminal."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_file.parent.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(history_file)))

    async def read(prompt: str) -> str:
        line: str = await session.prompt_async(prompt)
        return line

    return read


def stdin_reader() -> ReadLine:
    """For piped input (scripts, tests): one line at a time, EOFError at the end."""
    import asyncio
    import sys

    async def read(_prompt: str) -> str:
        line: str = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            raise EOFError
        return line

    return read

"""The console adapter's glue: read a line, ask the core, print the rendered reply.

Each card the console shows counts as its own posted message, so ``react 2 :fire:`` behaves like
a reaction on a Slack or Discord message that shows one paper, and ``vote 2 up`` like a click.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console

from adapters.console.render import render_part, render_reply
from adapters.console.translate import (
    CHANNEL,
    PLATFORM,
    WORKSPACE,
    Blank,
    CardReaction,
    CardVote,
    ConsoleInput,
    GestureError,
    Quit,
    translate_line,
)
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Channel, Invocation, SentMessage
from bot.reply import Outcome, PaperCard, Reply
from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent
from bot.votes.posted import remember_sent
from bot.votes.service import handle_vote

ReadLine = Callable[[str], Awaitable[str]]  # raises EOFError at end of input

EXIT_CODES = {Outcome.OK: 0, Outcome.USAGE: 2, Outcome.NOT_FOUND: 3, Outcome.UNAVAILABLE: 4}
CONSOLE_CHANNEL = Channel(PLATFORM, WORKSPACE, CHANNEL)


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
        self._session = uuid.uuid4().hex[:8]
        self._replies = 0
        self._cards: list[SentMessage] = []  # the last reply's cards, numbered from 1

    async def _progress(self, message: str) -> None:
        self.console.print(f"… {message}", style="dim")

    async def show(self, reply: Reply) -> list[SentMessage]:
        """Print ``reply``; its cards become the ones ``vote N``/``react N`` act on."""
        for renderable in render_reply(reply):
            self.console.print(renderable)
        if not reply.papers:
            return []
        self._replies += 1
        self._cards = [
            SentMessage(f"{self._session}-{self._replies}.{i}", (paper.id,))
            for i, paper in enumerate(reply.papers, start=1)
        ]
        await remember_sent(self.deps, CONSOLE_CHANNEL, self._cards)
        return list(self._cards)

    async def ask(self, text: str) -> Reply:
        """Run one command line through the core, print the reply and return it."""
        action = translate_line(text, self.user)
        if isinstance(action, Invocation):
            reply = await self.dispatcher.handle(self.deps, action, self._progress)
        else:
            reply = self.dispatcher.help_reply()
        await self.show(reply)
        return reply

    async def handle(self, action: ConsoleInput) -> None:
        match action:
            case Invocation():
                await self.show(await self.dispatcher.handle(self.deps, action, self._progress))
            case CardVote() | CardReaction():
                await self.gesture(action)
            case GestureError(message=message):
                self.console.print(message, style="red")
            case Blank() | Quit():
                pass

    async def gesture(self, action: CardVote | CardReaction) -> None:
        if not 1 <= action.card <= len(self._cards):
            shown = len(self._cards)
            self.console.print(
                f"There is no card {action.card} in the last reply"
                + (f" (it has {shown})." if shown else "; search or list papers first."),
                style="red",
            )
            return
        message = self._cards[action.card - 1]
        event_id, at = uuid.uuid4().hex, self.deps.clock()
        event: VoteEvent
        if isinstance(action, CardVote):
            event = ButtonVote(
                PLATFORM, WORKSPACE, CHANNEL, self.user, message.paper_ids[0], action.value,
                event_id, at,
            )  # fmt: skip
        else:
            event = ReactionChange(
                PLATFORM, WORKSPACE, CHANNEL, message.ref, self.user, action.emoji, action.added,
                event_id, at,
            )  # fmt: skip
        receipt = await handle_vote(self.deps, event)
        result = receipt.result
        if result.effect is Effect.IGNORED:
            self.console.print(f"Not counted: {result.reason}.", style="yellow")
        elif receipt.card is not None:
            verdict = {1: "👍 counted", -1: "👎 counted", 0: "your vote is withdrawn"}[result.value]
            self.console.print(verdict, style="green")
            self.console.print(
                render_part(PaperCard(receipt.card.paper, action.card, receipt.card.tally))
            )

    async def run(self, read_line: ReadLine) -> int:
        """The interactive loop; Ctrl-D (end of input) or ``quit`` ends it."""
        self.console.print(
            "paperbot — type [bold]help[/bold], [bold]search linear attention[/bold] or "
            "[bold]today[/bold]; [bold]vote 1 up[/bold] or [bold]react 1 :fire:[/bold] on a "
            "card; Ctrl-D quits.",
            highlight=False,
            emoji=False,
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
            await self.handle(action)


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

"""The console adapter's glue: read a line, hand it to the core, print what comes back.

The chat is the core's ``Responder`` and ``VoteResponder``: every message, public or private,
is printed. Each card is its own message (``CONSOLE_LIMITS``), so ``react 2 :fire:`` behaves like
a reaction on a Slack or Discord message that shows one paper, and ``vote 2 up`` like a click on
its button; the core records every message and sends it rebuilt after a vote.
Text from users and from Hugging Face is always printed literally, never as terminal markup.
A file a reply carries (a .bib export, a chart) is saved under ``files_dir`` and its path printed.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text as RichText

from adapters.console.files import save_file
from adapters.console.render import render_part, render_reply, render_saved
from adapters.console.translate import (
    CHANNEL,
    PLATFORM,
    WORKSPACE,
    Blank,
    CardAction,
    CardReaction,
    CardVote,
    ConsoleInput,
    GestureError,
    Quit,
    invocation,
    translate_line,
)
from bot.facade import (
    COMMAND_FAILED,
    ButtonVote,
    CardClick,
    Channel,
    Core,
    Effect,
    Invocation,
    MessageLimits,
    MessageUpdate,
    Outcome,
    ReactionChange,
    Thread,
    VoteEvent,
)
from bot.reply import Attachment, Reply

log = logging.getLogger("paperbot.console")

ReadLine = Callable[[str], Awaitable[str]]  # raises EOFError at end of input

EXIT_CODES = {Outcome.OK: 0, Outcome.USAGE: 2, Outcome.NOT_FOUND: 3, Outcome.UNAVAILABLE: 4}
CONSOLE_CHANNEL = Channel(PLATFORM, WORKSPACE, CHANNEL)
CONSOLE_LIMITS = MessageLimits(one_card_per_message=True)
FILES_DIR = Path("paperbot-files")  # PAPERBOT_CONSOLE_FILES_DIR's default
VERDICTS = {1: "👍 counted", -1: "👎 counted", 0: "your vote is withdrawn"}
COUNTED = frozenset({Effect.RECORDED, Effect.WITHDRAWN, Effect.UNCHANGED})
NOT_SHOWN = "the card could not be shown again (the database is busy); it will show it next time"


def console_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "you"


@dataclass(frozen=True, slots=True)
class ShownCard:
    message_ref: str
    paper_id: str


class ConsoleChat:
    """One terminal conversation in the console channel."""

    def __init__(
        self,
        core: Core,
        console: Console,
        user: str | None = None,
        files_dir: Path = FILES_DIR,
    ) -> None:
        self.core = core
        self.console = console
        self.user = user or console_user()
        self.files_dir = files_dir
        self._session = uuid.uuid4().hex[:8]
        self._messages = 0
        self._threads = 0
        self._cards: list[ShownCard] = []  # the last reply's cards, numbered from 1

    def say(self, text: str, style: str = "") -> None:
        """Print ``text`` literally: brackets in it are never read as markup."""
        self.console.print(RichText(text, style=style))

    @property
    def limits(self) -> MessageLimits:
        return CONSOLE_LIMITS

    async def progress(self, note: str) -> None:
        self.say(f"… {note}", "dim")

    async def send(self, message: Reply) -> str | None:
        """Print one message; a message with a card becomes one that ``vote N`` acts on, and a
        file is saved under ``files_dir``, its path printed."""
        for part in message.parts:
            if isinstance(part, Attachment):
                path = await asyncio.to_thread(save_file, self.files_dir, part)
                self.console.print(render_saved(part, path))
            else:
                self.console.print(render_part(part, message.outcome))
        if not message.papers:
            return None
        self._messages += 1
        ref = f"{self._session}-{self._messages}"
        self._cards += [ShownCard(ref, paper.id) for paper in message.papers]
        return ref

    async def edit(self, update: MessageUpdate) -> None:
        """A message rebuilt after a vote is printed again, with its new tallies."""
        for renderable in render_reply(update.message):
            self.console.print(renderable)

    def new_reply(self) -> None:
        """The cards of the reply about to be shown replace the last reply's."""
        self._cards = []

    async def ask(self, text: str) -> Reply:
        """``paperbot ask``: one command line through the core, printed and returned; anything
        else shows the help (a usage error for votes, which need the shell's cards)."""
        action = translate_line(text, self.user)
        if isinstance(action, Invocation):
            return await self.command(action)
        gesture = isinstance(action, CardVote | CardReaction | CardAction)
        if gesture:
            self.say("Votes and reactions need the shell: paperbot shell", "bold red")
        reply = await self.command(invocation("help", self.user))
        return Reply(reply.parts, Outcome.USAGE, private=True) if gesture else reply

    async def command(self, action: Invocation) -> Reply:
        self.new_reply()
        return await self.core.handle_command(action, self)

    async def handle(self, action: ConsoleInput) -> None:
        match action:
            case Invocation():
                await self.command(action)
            case CardVote() | CardReaction():
                await self.gesture(action)
            case CardAction():
                await self.card_action(action)
            case GestureError(message=message):
                self.say(message, "red")
            case Blank() | Quit():
                pass

    @property
    def shown(self) -> tuple[ShownCard, ...]:
        """The cards ``vote N``, ``save N``… act on, card 1 first: the last reply's."""
        return tuple(self._cards)

    def shown_card(self, number: int) -> ShownCard | None:
        """Card ``number`` of the last reply; None, said, when there is no such card."""
        if 1 <= number <= len(self._cards):
            return self._cards[number - 1]
        shown = len(self._cards)
        self.say(
            f"There is no card {number} in the last reply"
            + (f" (it has {shown})." if shown else "; search or list papers first."),
            "red",
        )
        return None

    async def card_action(self, action: CardAction) -> None:
        """Save, Discuss or Similar on a shown card, as its button on Slack or Discord."""
        card = self.shown_card(action.card)
        if card is None:
            return
        click = CardClick(
            PLATFORM, WORKSPACE, CHANNEL, self.user, action.kind, card.paper_id, card.message_ref
        )
        shown, self._cards = self._cards, []
        await self.core.handle_card_action(click, self)
        if not self._cards:  # Save and Discuss show no cards: the numbers still mean the old ones
            self._cards = shown

    async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
        """The console has one channel and no threads: the thread's start is printed, and a
        later Discuss on the paper names it."""
        self._threads += 1
        ref = f"{self._session}-thread-{self._threads}"
        self.say(f"🧵 Thread {ref}: {name}", "bold")
        for renderable in render_reply(first):
            self.console.print(renderable)
        return Thread(ref, None)

    async def gesture(self, action: CardVote | CardReaction) -> None:
        card = self.shown_card(action.card)
        if card is None:
            return
        event_id, at = uuid.uuid4().hex, self.core.now()
        event: VoteEvent
        if isinstance(action, CardVote):
            event = ButtonVote(
                PLATFORM, WORKSPACE, CHANNEL, self.user, card.paper_id, action.value, event_id,
                at, card.message_ref,
            )  # fmt: skip
        else:
            event = ReactionChange(
                PLATFORM, WORKSPACE, CHANNEL, card.message_ref, self.user, action.emoji,
                action.added, event_id, at,
            )  # fmt: skip
        outcome = await self.core.handle_vote(event, self)
        if outcome.updates:
            self.say(VERDICTS[outcome.result.value], "green")
        elif outcome.result.effect in COUNTED:  # stored; the card's new tally could not be read
            self.say(f"{VERDICTS[outcome.result.value]}; {NOT_SHOWN}", "green")

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
            try:
                await self.handle(action)
            except Exception:  # the shell lives on; the log has the details
                log.exception("console line failed")
                self.say(COMMAND_FAILED, "red")


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
    import sys

    async def read(_prompt: str) -> str:
        line: str = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            raise EOFError
        return line

    return read

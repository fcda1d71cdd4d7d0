"""The console chat end to end: commands, cards, voting and reacting, as a person types them."""

from __future__ import annotations

import dataclasses
import io
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

import storage.db
from adapters.console.app import ConsoleChat
from adapters.console.translate import CardReaction, CardVote, GestureError, translate_line
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.failures import VOTE_NOT_SAVED
from bot.model import Invocation
from bot.reply import Outcome
from bot.votes.events import VoteEvent
from bot.votes.service import VoteReceipt, VoteRecorder
from storage.db import Database


class Screen:
    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.console = Console(file=self.buffer, width=120, color_system=None, emoji=False)

    def read(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


@pytest.fixture
def screen() -> Screen:
    return Screen()


@pytest.fixture
def chat(deps: Deps, dispatcher: Dispatcher, screen: Screen) -> ConsoleChat:
    return ConsoleChat(Core(deps, dispatcher), screen.console)


async def run(chat: ConsoleChat, *typed: str) -> int:
    feed = iter(typed)

    async def read(_prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return await chat.run(read)


def test_typed_lines_become_invocations_or_gestures() -> None:
    assert isinstance(translate_line("/papers search lora", "me"), Invocation)
    assert translate_line("vote 2 up", "me") == CardVote(2, 1)
    assert translate_line("unreact 1 :fire:", "me") == CardReaction(1, ":fire:", added=False)
    for bad in ("vote two up", "vote ² up", "vote 0 up", "react 1", "vote 1 sideways"):
        assert isinstance(translate_line(bad, "me"), GestureError), bad


async def test_search_then_vote_updates_the_cards_tally(chat: ConsoleChat, screen: Screen) -> None:
    assert await run(chat, "search lora limit:2", "vote 1 up") == 0
    out = screen.read()
    assert "1. " in out
    assert "👍 counted" in out
    assert "👍 1  👎 0" in out


async def test_reactions_count_and_can_be_taken_back(chat: ConsoleChat, screen: Screen) -> None:
    await run(chat, "today 3", "react 2 :fire:", "unreact 2 :fire:", "react 2 :eyes:")
    out = screen.read()
    assert "👍 counted" in out
    assert "your vote is withdrawn" in out
    assert "Not counted: :eyes: is not a vote emoji." in out


async def test_gestures_need_a_card_on_screen(chat: ConsoleChat, screen: Screen) -> None:
    await run(chat, "vote 1 up", "search lora limit:1", "vote 5 up")
    out = screen.read()
    assert "search or list papers first" in out
    assert "(it has 1)" in out


async def test_ask_returns_the_reply_and_quit_ends_the_loop(
    chat: ConsoleChat, screen: Screen
) -> None:
    reply = await chat.ask("/papers paper 2606.00467")
    assert [p.id for p in reply.papers] == ["2606.00467"]
    assert await run(chat, "quit", "search never reached") == 0
    assert "never reached" not in screen.read()


async def test_the_shell_prompts_with_papers_and_ends_at_end_of_input(chat: ConsoleChat) -> None:
    prompts: list[str] = []

    async def read(prompt: str) -> str:
        prompts.append(prompt)
        raise EOFError

    assert await chat.run(read) == 0
    assert prompts == ["papers> "]


async def test_ask_with_a_vote_says_votes_need_the_shell_and_shows_help_as_a_usage_error(
    chat: ConsoleChat, screen: Screen
) -> None:
    reply = await chat.ask("vote 1 up")
    assert "Votes and reactions need the shell: paperbot shell" in screen.read()
    assert reply.outcome is Outcome.USAGE
    assert reply.private
    assert any("/papers search" in str(part) for part in reply.parts)


async def test_a_gesture_with_markup_in_it_does_not_end_the_shell(
    chat: ConsoleChat, screen: Screen
) -> None:
    assert await run(chat, "search lora limit:1", "react 1 [/x]", "today 1") == 0
    out = screen.read()
    assert "Not counted: [/x] is not a vote emoji." in out
    assert out.count("Trending on Hugging Face") == 1  # the line after it still ran


class LockedRecorder:
    async def record(self, event: object) -> object:
        raise RuntimeError("database is locked")


async def test_a_vote_on_a_locked_database_says_try_again_and_the_shell_lives_on(
    deps: Deps, dispatcher: Dispatcher, screen: Screen
) -> None:
    chat = ConsoleChat(Core(deps, dispatcher, votes=LockedRecorder()), screen.console)  # type: ignore[arg-type]

    assert await run(chat, "today 1", "vote 1 up", "today 1") == 0

    out = screen.read()
    assert VOTE_NOT_SAVED in out.replace("\n", " ")
    assert out.count("Trending on Hugging Face") == 2


class BusyAfterVotes:
    """The database, but reads fail once a vote is stored: another process holds it past the
    busy timeout from then on."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.busy = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    async def read(self, work: Any) -> Any:
        if self.busy:
            raise RuntimeError("database is locked")
        return await self._db.read(work)


class LocksAfterRecording(VoteRecorder):
    def __init__(self, deps: Deps, db: BusyAfterVotes) -> None:
        super().__init__(deps)
        self._db = db

    async def record(self, event: VoteEvent) -> VoteReceipt:
        receipt = await super().record(event)
        self._db.busy = True
        return receipt


async def test_a_vote_stored_but_its_card_not_shown_again_says_it_counted(
    deps: Deps, dispatcher: Dispatcher, screen: Screen, caplog: pytest.LogCaptureFixture
) -> None:
    db = BusyAfterVotes(deps.db)
    busy = dataclasses.replace(deps, db=db)  # type: ignore[arg-type]
    chat = ConsoleChat(Core(busy, dispatcher, votes=LocksAfterRecording(busy, db)), screen.console)

    assert await run(chat, "today 1", "vote 1 up") == 0

    out = screen.read()
    assert "👍 counted" in out
    assert "the card could not be shown again" in out
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a busy database"


@pytest.fixture
def held_database(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Deps, Any]]:
    """The catalog with a short busy timeout, and another connection (as another process
    would) holding its write lock until the test lets go."""
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    db = Database(deps.db.url)
    holder = sqlite3.connect(db.engine.url.database or "", isolation_level=None)
    try:
        yield dataclasses.replace(deps, db=db), holder
    finally:
        holder.close()
        db.dispose()


async def test_a_database_held_by_another_process_answers_each_line_without_a_traceback(
    held_database: tuple[Deps, Any],
    dispatcher: Dispatcher,
    screen: Screen,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deps, holder = held_database
    chat = ConsoleChat(Core(deps, dispatcher), screen.console)
    holder.execute("BEGIN IMMEDIATE")  # held past the busy timeout: every write fails

    assert await run(chat, "today 1", "vote 1 up", "today 1") == 0

    out = screen.read().replace("\n", " ")
    assert out.count("Trending on Hugging Face") == 2  # reads still answer
    assert VOTE_NOT_SAVED in out  # the vote is answered, and it says it was not saved
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a busy database"
    holder.execute("ROLLBACK")
    assert await run(chat, "today 1", "vote 1 up") == 0
    assert "👍 counted" in screen.read()


async def test_a_mistyped_gesture_is_said_in_red_and_the_shell_goes_on(
    chat: ConsoleChat, screen: Screen
) -> None:
    mistake = translate_line("vote two up", "me")
    assert isinstance(mistake, GestureError)
    assert await run(chat, "vote two up", "today 1") == 0
    out = screen.read()
    assert mistake.message in out
    assert "Trending on Hugging Face" in out


async def test_a_slow_steps_note_is_printed_as_it_happens(
    chat: ConsoleChat, screen: Screen
) -> None:
    await chat.progress("asking Hugging Face…")
    assert screen.read() == "… asking Hugging Face…\n"


async def test_two_shells_on_one_database_never_share_a_message_reference(
    deps: Deps, dispatcher: Dispatcher, screen: Screen
) -> None:
    core = Core(deps, dispatcher)
    first, second = ConsoleChat(core, screen.console), ConsoleChat(core, screen.console)
    for chat in (first, second):
        await run(chat, "search lora limit:1")
    assert first.shown[0].message_ref != second.shown[0].message_ref


async def test_ask_acts_as_the_person_at_the_keyboard(
    deps: Deps, dispatcher: Dispatcher, screen: Screen
) -> None:
    chat = ConsoleChat(Core(deps, dispatcher), screen.console, user="ada")
    await chat.ask("/papers save 2606.00467")
    reply = await chat.ask("/papers reading team")
    assert "ada" in screen.read()
    assert [p.id for p in reply.papers] == ["2606.00467"]

"""``save N``, ``discuss N`` and ``similar N`` in the shell: a card's buttons, by card number."""

from __future__ import annotations

import pytest

from adapters.console.app import ConsoleChat
from adapters.console.translate import CardAction, translate_line
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.model import Invocation
from storage.reading import open_entries
from tests.console.test_console_chat import Screen, run


@pytest.fixture
def screen() -> Screen:
    return Screen()


@pytest.fixture
def chat(deps: Deps, dispatcher: Dispatcher, screen: Screen) -> ConsoleChat:
    return ConsoleChat(Core(deps, dispatcher), screen.console, user="ada")


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("save 2", CardAction(2, "save")),
        ("Discuss 1", CardAction(1, "discuss")),
        ("similar 3", CardAction(3, "similar")),
    ],
)
def test_an_action_with_a_card_number_is_that_cards_button(line: str, meant: CardAction) -> None:
    assert translate_line(line, "ada") == meant


@pytest.mark.parametrize("line", ["save 2406.12345", "save 0", "save 1000", "discuss"])
def test_an_action_with_anything_else_stays_a_command(line: str) -> None:
    assert isinstance(translate_line(line, "ada"), Invocation)


async def test_discuss_prints_the_thread_once_and_then_names_it(
    chat: ConsoleChat, screen: Screen
) -> None:
    await run(chat, "search lora limit:1", "discuss 1")
    first = screen.read()
    assert "🧵 Thread" in first
    assert "What do you make of this paper?" in first
    assert "Opened a thread to discuss" in first

    await run(chat, "search lora limit:1", "discuss 1")
    again = screen.read()
    assert "🧵 Thread" not in again
    assert "is discussed here already" in again


async def test_save_on_a_card_puts_it_on_my_reading_list(
    chat: ConsoleChat, screen: Screen, deps: Deps
) -> None:
    await run(chat, "search lora limit:1", "save 1")
    assert "on your reading list now" in screen.read()
    [entry] = deps.db.read_now(lambda s: open_entries(s, "console", "local", "ada"))
    assert entry.paper.id


async def test_an_action_on_a_card_that_is_not_shown_says_so(
    chat: ConsoleChat, screen: Screen
) -> None:
    await run(chat, "discuss 4")
    assert "There is no card 4" in screen.read()


async def test_similar_on_a_card_lists_papers_like_it(chat: ConsoleChat, screen: Screen) -> None:
    await run(chat, "paper 2405.14906")
    screen.read()
    await run(chat, "similar 1")
    shown = screen.read()
    assert "Papers like “AutoCoder: Enhancing Code Large Language Model" in shown
    assert shown.count("╭─ ") == 5  # five cards by default
    assert "2405.14906 ─" not in shown  # never the paper itself


async def test_after_similar_the_numbers_mean_the_similar_papers_after_save_the_old_ones(
    chat: ConsoleChat, screen: Screen, deps: Deps
) -> None:
    await run(chat, "search lora limit:2")
    searched = [card.paper_id for card in chat.shown]
    await run(chat, "save 2")
    assert [card.paper_id for card in chat.shown] == searched
    await run(chat, "similar 1")
    similar = [card.paper_id for card in chat.shown]
    assert similar
    assert searched[0] not in similar
    await run(chat, "save 1")
    saved = deps.db.read_now(lambda s: open_entries(s, "console", "local", "ada"))
    assert {entry.paper.id for entry in saved} == {searched[1], similar[0]}

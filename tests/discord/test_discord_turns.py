"""A command that finds the core busy is deferred on its first tick and answered in its turn;
the turns themselves (adapters/discord/turns.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.discord.turns import Turns
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from loopback.discord import APP_ID, EPHEMERAL, LOADING, FakeDiscord
from tests.discord.conftest import UNLISTED, Bots, GatedSource


@pytest.fixture
async def one_at_once(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> AsyncIterator[GatedSource]:
    """A bot whose core takes one command at a time and answers directly whatever it gets to
    (30 s to answer), busy with ``/papers paper UNLISTED`` until the test opens the gate."""
    source = GatedSource(papers={UNLISTED.id: UNLISTED})
    fake.callback_within = 60.0
    bots = Bots(Core(replace(deps, source=source), dispatcher), fake, answer_within=30, at_once=1)
    await bots.start()
    await fake.slash("paper", paper=UNLISTED.id)
    await asyncio.wait_for(source.asked.wait(), 10)  # the core has taken it
    yield source
    await bots.stop()


async def test_a_command_that_finds_the_core_busy_is_deferred_at_once_then_filled_in_its_turn(
    one_at_once: GatedSource, fake: FakeDiscord
) -> None:
    token = await fake.slash("search", query="lora", limit=1)
    [deferral] = await fake.until("POST", "/callback")  # while the core is still busy
    assert token in deferral.path
    assert deferral.body["type"] == 5  # "thinking…", for everyone: search results are public
    assert not deferral.body.get("data", {}).get("flags", 0) & EPHEMERAL
    one_at_once.gate.set()
    [results] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert results.body["embeds"]
    [(thinking, _loading), (filled, flags)] = fake.shown_for(token)
    assert filled == thinking
    assert not flags & EPHEMERAL
    # the command the core was busy with answered within its time: the callback itself
    paper = next(c for c in await fake.until("POST", "/callback", 2) if c is not deferral)
    assert paper.body["type"] == 4


async def test_a_private_command_that_finds_the_core_busy_is_deferred_privately(
    one_at_once: GatedSource, fake: FakeDiscord
) -> None:
    token = await fake.slash("help")
    [deferral] = await fake.until("POST", "/callback")
    assert deferral.body["type"] == 5
    assert deferral.body["data"]["flags"] & EPHEMERAL
    one_at_once.gate.set()
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert "/papers search" in str(post.body)
    assert all(flags & EPHEMERAL for _, flags in fake.shown_for(token))


async def test_a_usage_error_that_found_the_core_busy_shows_nothing_but_thinking_in_public(
    one_at_once: GatedSource, fake: FakeDiscord
) -> None:
    token = await fake.slash("subscribe", timezone="Mars/Olympus")
    await fake.until("POST", "/callback")
    one_at_once.gate.set()
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert "Mars/Olympus" in post.body["content"]
    [(thinking, loading), (_answer, flags)] = fake.shown_for(token)
    assert loading == LOADING  # public, but with no text, and deleted before the answer
    assert thinking in fake.deleted
    assert flags & EPHEMERAL


async def started(turns: Turns, name: str, log: list[str], release: asyncio.Event) -> None:
    async with turns.turn():
        log.append(name)
        await release.wait()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_the_core_is_busy_once_every_turn_is_taken_and_while_commands_wait() -> None:
    turns, log, release = Turns(limit=1, longest=30, workers=1), list[str](), asyncio.Event()
    assert not turns.busy
    first = asyncio.create_task(started(turns, "first", log, release))
    await settle()
    assert turns.busy
    release.set()
    await first
    assert not turns.busy


async def test_a_waiting_command_starts_only_once_no_deferral_is_on_its_way() -> None:
    turns, log = Turns(limit=1, longest=30, workers=1), list[str]()
    hold, release = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(started(turns, "first", log, hold))
    await settle()
    with turns.answering():
        waiting = asyncio.create_task(started(turns, "waiting", log, release))
        hold.set()
        await first
        await settle()
        assert log == ["first"]  # a turn is free, but a first response goes first
    await settle()
    assert log == ["first", "waiting"]
    release.set()
    await waiting


async def test_deferrals_without_end_hold_a_waiting_command_back_only_until_longest() -> None:
    turns, log = Turns(limit=1, longest=0.01, workers=1), list[str]()
    hold, release = asyncio.Event(), asyncio.Event()
    release.set()
    first = asyncio.create_task(started(turns, "first", log, hold))
    await settle()
    with turns.answering():  # never over while the command waits
        waiting = asyncio.create_task(started(turns, "waiting", log, release))
        await settle()
        hold.set()
        await asyncio.wait_for(asyncio.gather(first, waiting), 10)
        assert log == ["first", "waiting"]


async def test_commands_deferred_first_run_up_to_workers_at_once() -> None:
    turns, log = Turns(limit=1, longest=30, workers=2), list[str]()
    release, release_last = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(started(turns, name, log, release)) for name in ("a", "b")]
    last = asyncio.create_task(started(turns, "last", log, release_last))
    await settle()
    assert log == ["a", "b"]  # b found the core busy, and a worker free
    release.set()
    await asyncio.gather(*tasks)
    await settle()
    assert log == ["a", "b", "last"]
    release_last.set()
    await last


async def test_waiting_commands_start_in_the_order_they_arrived() -> None:
    turns, log, release = Turns(limit=1, longest=30, workers=1), list[str](), asyncio.Event()
    tasks = []
    for name in ("a", "b", "c"):
        tasks.append(asyncio.create_task(started(turns, name, log, release)))
        await settle()
    release.set()
    await asyncio.gather(*tasks)
    assert log == ["a", "b", "c"]


async def test_a_command_cancelled_while_waiting_leaves_its_turn_to_the_next() -> None:
    turns, log = Turns(limit=1, longest=30, workers=1), list[str]()
    release, release_last = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(started(turns, "first", log, release))
    await settle()
    gone = asyncio.create_task(started(turns, "gone", log, release))
    last = asyncio.create_task(started(turns, "last", log, release_last))
    await settle()
    gone.cancel()
    release.set()
    await first
    await settle()
    assert log == ["first", "last"]
    assert turns.busy  # the one turn is the last command's
    release_last.set()
    await last
    assert not turns.busy
    assert gone.cancelled()

"""Discuss: one thread per paper and channel, opened by the first click, pointed to by the rest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import ActionKind, CardClick, Core, Invocation, Thread, ThreadRefused
from bot.reply import Link, Outcome, PaperCard, Reply, Text
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock, make_paper
from loopback.responders import RecordingResponder
from storage.db import Database
from storage.discussions import CLAIM_EXPIRES, claim_thread
from storage.papers import upsert_papers
from storage.reading import open_entries
from tests.support.invoke import texts

PAPER = make_paper("2606.00001", "Linear attention at scale")


@pytest.fixture
def team(db: Database, dispatcher: Dispatcher) -> tuple[Core, Deps]:
    db.write_now(lambda s: upsert_papers(s, [PAPER, make_paper("2606.00002", "Other")]))
    clock = FixedClock(datetime(2026, 6, 12, 9, tzinfo=UTC))
    deps = Deps(Settings(database_url=db.url), db, FakeSource(), clock)
    return Core(deps, dispatcher), deps


def click(
    kind: ActionKind = "discuss", user: str = "U1", channel: str = "C1", ref: str | None = "m1"
) -> CardClick:
    return CardClick("test", "T1", channel, user, kind, PAPER.id, ref)


def links(reply: Reply) -> list[str]:
    spans = [span for part in reply.parts if isinstance(part, Text) for span in part.spans]
    return [span.url for span in spans if isinstance(span, Link)]


def asking(text: str, channel: str) -> Invocation:
    return Invocation("test", "T1", channel, "U3", text)


async def test_the_first_click_opens_the_thread_on_that_card_with_the_paper_in_it(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    answer = await core.handle_card_action(click(ref="m7"), channel)

    [(message_ref, name, first)] = channel.threads
    assert (message_ref, name) == ("m7", PAPER.title)
    [card] = [p for p in first.parts if isinstance(p, PaperCard)]
    assert card.paper.id == PAPER.id
    assert not card.votable
    assert answer.private
    assert "Opened a thread to discuss “Linear attention at scale”" in texts(answer)
    assert links(answer) == ["https://chat.invalid/threads/t1"]


async def test_later_clicks_from_any_message_point_to_the_same_thread(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    await core.handle_card_action(click(ref="m1"), channel)
    again = await core.handle_card_action(click(user="U2", ref="m9"), channel)

    assert len(channel.threads) == 1
    assert again.private
    assert "is discussed here already" in texts(again)
    assert links(again) == ["https://chat.invalid/threads/t1"]


async def test_another_channel_gets_its_own_thread(team: tuple[Core, Deps]) -> None:
    core, _ = team
    channel = RecordingResponder()
    await core.handle_card_action(click(channel="C1"), channel)
    await core.handle_card_action(click(channel="C2"), channel)
    assert len(channel.threads) == 2


async def test_two_clicks_at_once_open_one_thread(team: tuple[Core, Deps]) -> None:
    core, _ = team
    opening = asyncio.Event()
    release = asyncio.Event()

    class SlowPlatform(RecordingResponder):
        async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
            opening.set()
            await release.wait()
            return await super().open_thread(message_ref, name, first)

    channel = SlowPlatform()
    first = asyncio.ensure_future(core.handle_card_action(click(user="U1"), channel))
    await opening.wait()  # the first click holds the claim and is talking to the platform
    second = await core.handle_card_action(click(user="U2"), channel)
    release.set()
    await first

    assert len(channel.threads) == 1
    assert "is being opened right now" in texts(second)


async def test_a_thread_the_platform_refused_is_tried_again_by_the_next_click(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    channel.threads_fail = True
    failed = await core.handle_card_action(click(), channel)
    assert failed.outcome is Outcome.UNAVAILABLE
    assert failed.private

    channel.threads_fail = False
    opened = await core.handle_card_action(click(), channel)
    assert "Opened a thread" in texts(opened)
    assert len(channel.threads) == 1


async def test_a_claim_left_by_an_opener_that_died_is_taken_over_once_it_expires(
    team: tuple[Core, Deps],
) -> None:
    core, deps = team
    where = click().where
    at = deps.clock()
    deps.db.write_now(lambda s: claim_thread(s, where, PAPER.id, "U0", at))  # then it died
    channel = RecordingResponder()
    waiting = await core.handle_card_action(click(), channel)
    assert "is being opened right now" in texts(waiting)

    assert isinstance(deps.clock, FixedClock)
    deps.clock.now += CLAIM_EXPIRES + timedelta(seconds=1)
    opened = await core.handle_card_action(click(), channel)
    assert "Opened a thread" in texts(opened)
    assert len(channel.threads) == 1


async def test_a_card_only_the_clicker_sees_cannot_carry_a_thread(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    answer = await core.handle_card_action(click(ref=None), channel)
    assert channel.threads == []
    assert answer.outcome is Outcome.USAGE
    assert "only visible to you" in texts(answer)
    # nothing was kept: a click on a channel card opens the thread
    await core.handle_card_action(click(ref="m2"), channel)
    assert len(channel.threads) == 1


async def test_paper_in_a_channel_that_discusses_it_links_the_thread(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    await core.handle_card_action(click(channel="C1"), channel)

    here = await core.handle_command(asking("paper 2606.00001", "C1"), channel)
    elsewhere = await core.handle_command(asking("paper 2606.00001", "C2"), channel)
    assert "This channel discusses it" in texts(here)
    assert links(here) == ["https://chat.invalid/threads/t1"]
    assert "discusses" not in texts(elsewhere)


async def test_save_on_a_card_saves_it_for_the_clicker_and_tells_only_them(
    team: tuple[Core, Deps],
) -> None:
    core, deps = team
    channel = RecordingResponder()
    answer = await core.handle_card_action(click("save", user="U5"), channel)

    assert answer.private
    assert all(message.private for message in channel.messages.values())
    assert "is on your reading list now" in texts(answer)
    saved = deps.db.read_now(lambda s: open_entries(s, "test", "T1", "U5"))
    assert [entry.paper.id for entry in saved] == [PAPER.id]


def replies_on(message: Reply) -> list[int | None]:
    return [p.replies for p in message.parts if isinstance(p, PaperCard)]


async def test_each_reply_in_the_thread_is_counted_on_the_card_it_was_opened_from(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    await core.handle_command(asking("paper 2606.00001", "C1"), channel)
    [card_message] = channel.with_cards()
    await core.handle_card_action(click(ref=card_message), channel)

    await core.handle_thread_reply("test", "T1", "t1", channel)
    await core.handle_thread_reply("test", "T1", "t1", channel)

    assert [update.message_ref for update in channel.edits] == [card_message, card_message]
    assert [replies_on(update.message) for update in channel.edits] == [[1], [2]]
    again = await core.handle_command(asking("paper 2606.00001", "C1"), channel)
    assert replies_on(again) == [2]
    elsewhere = await core.handle_command(asking("paper 2606.00001", "C2"), channel)
    assert replies_on(elsewhere) == [None]


async def test_messages_in_threads_paperbot_did_not_open_change_nothing(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team
    channel = RecordingResponder()
    await core.handle_card_action(click(ref="m1"), channel)
    await core.handle_thread_reply("test", "T1", "someone-elses-thread", channel)
    await core.handle_thread_reply("test", "T2", "t1", channel)  # another workspace's
    assert channel.edits == []
    here = await core.handle_command(asking("paper 2606.00001", "C1"), channel)
    assert replies_on(here) == [None]  # nothing counted yet: the count is not shown


async def test_a_channel_the_bot_may_not_post_in_says_so_and_the_next_click_tries_again(
    team: tuple[Core, Deps],
) -> None:
    core, _ = team

    class Refusing(RecordingResponder):
        refuse = True

        async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
            if self.refuse:
                raise ThreadRefused("not_in_channel")
            return await super().open_thread(message_ref, name, first)

    channel = Refusing()
    refused = await core.handle_card_action(click(), channel)
    assert refused.private
    assert refused.outcome is Outcome.UNAVAILABLE
    assert "I cannot open a thread in this channel" in texts(refused)

    channel.refuse = False
    opened = await core.handle_card_action(click(), channel)
    assert "Opened a thread" in texts(opened)

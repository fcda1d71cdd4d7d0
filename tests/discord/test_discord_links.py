"""Paper links in messages, answered with their cards only when ``PAPERBOT_DISCORD_UNFURL_LINKS``
asks for the privileged message content intent; the real discord.py client against the fake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from loopback.discord import BOT_USER, CHANNEL_ID, MESSAGE_CONTENT, FakeDiscord, user
from tests.discord.test_discord_loopback import Bots, custom_ids
from tests.support.recording_core import RecordingCore

PAPER = "2606.00467"
LINK = f"https://huggingface.co/papers/{PAPER}"


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> RecordingCore:
    return RecordingCore(deps, dispatcher)


@pytest.fixture
async def bots(core: RecordingCore, fake: FakeDiscord) -> AsyncIterator[Bots]:
    fake.callback_within = 60.0
    started = Bots(core, fake, answer_within=30.0)
    yield started
    await started.stop()


async def test_with_the_setting_a_paper_link_gets_a_reply_with_its_card_whose_votes_count(
    bots: Bots, fake: FakeDiscord, core: RecordingCore
) -> None:
    await bots.start(unfurl_links=True)
    assert fake.intents[-1] & MESSAGE_CONTENT
    said = await fake.say(f"worth a read: <{LINK}>, via arXiv")
    await core.links_handled(1)
    [card] = fake.replies_to(said)
    assert PAPER in card["embeds"][0]["url"]
    [reply] = [c for c in fake.calls_to("POST", "/messages") if c.body.get("message_reference")]
    assert reply.body["allowed_mentions"] == {"parse": [], "replied_user": False}  # no ping
    up = next(i for i in custom_ids(card) if i.endswith(":up"))

    await fake.click(int(card["id"]), up)
    await core.handled(1)
    await fake.until("PATCH", "/messages/@original")
    footers = [e["footer"]["text"] for e in fake.messages[int(card["id"])]["embeds"]]
    assert any("👍 1  👎 0" in f for f in footers)


async def test_bots_messages_and_links_to_unknown_papers_get_no_reply(
    bots: Bots, fake: FakeDiscord, core: RecordingCore
) -> None:
    await bots.start(unfurl_links=True)
    by_bot = await fake.say(LINK, by={**user(77, "otherbot"), "bot": True})
    by_itself = await fake.say(LINK, by=BOT_USER)
    unknown = await fake.say("https://arxiv.org/abs/2612.99999")
    await core.links_handled(1)
    asked = await fake.say(f"and {LINK}")
    await core.links_handled(2)
    assert core.cards_shown == [0, 1]
    assert [fake.replies_to(m) for m in (by_bot, by_itself, unknown)] == [[], [], []]
    assert len(fake.replies_to(asked)) == 1


async def test_by_default_the_privileged_intent_is_not_asked_for_and_links_get_no_reply(
    bots: Bots, fake: FakeDiscord, core: RecordingCore
) -> None:
    await bots.start()
    assert not fake.intents[-1] & MESSAGE_CONTENT
    await fake.say(LINK)
    await fake.slash("help")  # handled after the message: the gateway's events come in order
    await fake.until("POST", "/callback")
    assert core.cards_shown == []
    assert fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages") == []


async def test_an_intent_the_portal_has_not_allowed_ends_the_session_naming_the_setting(
    core: RecordingCore, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake.message_content_allowed = False
    adapter = DiscordAdapter(core, DiscordConfig("bot-token", fake.api_url, unfurl_links=True))
    await adapter.start()
    try:
        await asyncio.wait_for(adapter.wait(), 30)  # the session ends: paperbot run exits
    finally:
        await adapter.stop()
    assert "PAPERBOT_DISCORD_UNFURL_LINKS" in caplog.text
    assert "Traceback" not in caplog.text

"""The real, unmodified discord.py client against a loopback Discord (REST and gateway)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel, Core, PostRejected
from bot.reply import Heading, PaperCard, Reply, Text
from tests.discord.fake_discord import (
    APP_ID,
    BOT_ID,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    FakeDiscord,
)

CHANNEL = Channel("discord", str(GUILD_ID), str(CHANNEL_ID))


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> Core:
    return Core(deps, dispatcher)


class Bots:
    """Adapters started against the fake; every one is stopped when the test ends."""

    def __init__(self, core: Core, fake: FakeDiscord) -> None:
        self.core, self.fake, self.running = core, fake, list[DiscordAdapter]()

    async def start(self) -> DiscordAdapter:
        adapter = DiscordAdapter(
            self.core, DiscordConfig("bot-token", self.fake.api_url, guild_ready_timeout=0.05)
        )
        await adapter.start()
        self.running.append(adapter)
        await asyncio.wait_for(adapter.ready(), 10)
        return adapter


@pytest.fixture
async def bots(core: Core, fake: FakeDiscord) -> AsyncIterator[Bots]:
    started = Bots(core, fake)
    yield started
    for adapter in started.running:
        await adapter.stop()


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


async def search_message(fake: FakeDiscord, query: str, limit: int) -> tuple[int, dict[str, Any]]:
    token = await fake.slash("search", query=query, limit=limit)
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    message = fake.messages[max(fake.messages)]
    return int(message["id"]), post.body


async def test_a_slash_search_is_deferred_then_answered_publicly_with_one_embed_per_paper(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    assert fake.identified == 1
    assert fake.heartbeats >= 1
    token = await fake.slash("search", query="lora", limit=2)
    [callback] = await fake.until("POST", "/callback")
    assert callback.body["type"] == 5  # deferred: "paperbot is thinking…"
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    body = post.body
    assert not body.get("flags", 0) & EPHEMERAL
    cards = [e for e in body["embeds"] if e.get("url", "").startswith("https://huggingface.co/")]
    assert len(cards) == 2
    assert all("team votes 👍 0" in e["footer"]["text"] for e in cards)
    ids = custom_ids(body)
    assert len(ids) == 4
    assert all(i.startswith("vote:") and len(i) < 100 for i in ids)
    assert body["allowed_mentions"]["parse"] == []


async def test_a_usage_error_replaces_the_public_thinking_message_with_an_ephemeral_one(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    token = await fake.slash("subscribe", timezone="Mars/Olympus")
    await fake.until("DELETE", f"/webhooks/{APP_ID}/{token}/messages/@original")
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert post.body["flags"] & EPHEMERAL
    assert "Mars/Olympus" in post.body["content"]


async def test_help_is_deferred_ephemerally(bots: Bots, fake: FakeDiscord) -> None:
    await bots.start()
    token = await fake.slash("help")
    [callback] = await fake.until("POST", "/callback")
    assert callback.body["data"]["flags"] & EPHEMERAL
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert "/papers search" in post.body["content"]
    assert not fake.calls_to("DELETE", "@original")


async def test_a_click_on_a_message_sent_before_a_restart_edits_it_with_the_new_tally(
    bots: Bots, fake: FakeDiscord
) -> None:
    first = await bots.start()
    message_id, body = await search_message(fake, "lora", 2)
    up = next(i for i in custom_ids(body) if i.endswith(":up"))
    await first.stop()

    await bots.start()  # a new process: no view, no cache, only the registered DynamicItem
    token = await fake.click(message_id, up)
    [callback] = await fake.until("POST", f"/{token}/callback")
    assert callback.body["type"] == 6  # deferred update of the clicked message
    await fake.until("PATCH", f"/{token}/messages/@original")
    edited = fake.messages[message_id]
    footers = [e["footer"]["text"] for e in edited["embeds"] if "footer" in e]
    assert any("👍 1  👎 0" in f for f in footers)
    assert custom_ids(edited) == custom_ids(body)  # the buttons stay


async def test_reactions_on_uncached_messages_count_and_the_bots_own_do_not(
    bots: Bots, fake: FakeDiscord
) -> None:
    first = await bots.start()
    message_id, _ = await search_message(fake, "lora", 1)
    await first.stop()
    await bots.start()

    await fake.react(message_id, "👀")  # not a vote emoji
    await fake.react(message_id, "🔥", by=BOT_ID)  # the bot's own reaction
    await fake.react(message_id, "🔥")
    [edit] = await fake.until("PATCH", f"/channels/{CHANNEL_ID}/messages/{message_id}")
    assert "👍 1  👎 0" in edit.body["embeds"][0]["footer"]["text"]
    await fake.react(message_id, "🔥", added=False)
    edits = await fake.until("PATCH", f"/channels/{CHANNEL_ID}/messages/{message_id}", 2)
    assert "👍 0  👎 0" in edits[1].body["embeds"][0]["footer"]["text"]
    assert len(edits) == 2


async def test_a_digest_posts_one_message_per_paper_through_the_poster_after_a_429(
    bots: Bots, fake: FakeDiscord, core: Core, sample_papers: list[Any]
) -> None:
    adapter = await bots.start()
    poster = adapter.poster
    reply = Reply(
        (Heading("Daily digest"), Text("Two papers today."), *map(PaperCard, sample_papers[:2]))
    )
    fake.rate_limit_next_posts = 1  # discord.py waits and retries: the 429 is its business
    refs = []

    async def post(message: Reply) -> str:
        refs.append(await poster.send(CHANNEL, message))
        return refs[-1]

    await core.deliver(CHANNEL, reply, post, poster.limits)
    posts = fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")
    assert len(posts) == 4  # the 429, then header, and one message per paper
    assert len(refs) == 3
    assert [len(p.body.get("embeds") or []) for p in posts[1:]] == [0, 1, 1]
    assert "Daily digest" in posts[1].body["content"]


async def test_a_missing_channel_or_permission_is_a_rejected_post(
    bots: Bots, fake: FakeDiscord
) -> None:
    adapter = await bots.start()
    fake.forbidden.add(CHANNEL_ID)
    message = Reply((Text("hello"),))
    with pytest.raises(PostRejected, match="no permission"):
        await adapter.poster.send(CHANNEL, message)
    gone = Channel("discord", str(GUILD_ID), "123")
    with pytest.raises(PostRejected, match="does not exist"):
        await adapter.poster.send(gone, message)


async def test_after_the_gateway_drops_the_client_resumes_and_keeps_answering(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    await fake.drop()
    await fake.connected()  # resumed on READY's resume_gateway_url
    assert fake.resumed == ["session-1"]
    assert fake.identified == 1  # a resume, not a new session
    token = await fake.slash("search", query="lora", limit=1)
    await fake.until("POST", f"/webhooks/{APP_ID}/{token}")


class BrokenCore(Core):
    async def run_command(self, *_args: Any, **_kwargs: Any) -> Reply:
        raise RuntimeError("boom")


async def test_an_internal_error_is_one_ephemeral_line_and_a_log_entry(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    bots = Bots(BrokenCore(deps, dispatcher), fake)
    try:
        await bots.start()
        token = await fake.slash("today")
        await fake.until("DELETE", f"/webhooks/{APP_ID}/{token}/messages/@original")
        [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    finally:
        for adapter in bots.running:
            await adapter.stop()
    assert post.body["flags"] & EPHEMERAL
    assert (
        post.body["content"] == "Something went wrong on our side; the error is in the bot's log."
    )
    assert "/papers today failed" in caplog.text

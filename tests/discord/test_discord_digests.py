"""Digests through the Discord poster and the digest runner's exactly-once path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.digests.grammar import parse_subscribe
from bot.facade import Channel, Core
from bot.model.digests import RunState, Subscription
from loopback.discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from storage.db import Database
from storage.subscriptions import save_subscription
from tests.digests.helpers import Desk, local, make_desk, paper

CHANNEL = Channel("discord", str(GUILD_ID), str(CHANNEL_ID))
THURSDAY = date(2026, 6, 11)


async def started(core: Core, fake: FakeDiscord) -> DiscordAdapter:
    adapter = DiscordAdapter(core, DiscordConfig("t", fake.api_url, guild_ready_timeout=0.05))
    await adapter.start()
    await adapter.ready()
    return adapter


def subscribed(desk: Desk, db: Database) -> Subscription:
    desk.add_papers(
        paper("2606.00001", THURSDAY, 9, "Quiet transformers"),
        paper("2606.00002", THURSDAY, 7, "Loud diffusion"),
    )
    spec = parse_subscribe("daily 09:00 Europe/Berlin top 2", "UTC")
    sub = Subscription(CHANNEL, spec, "me")
    return db.write_now(partial(save_subscription, sub=sub, now=datetime(2026, 6, 1, tzinfo=UTC)))


async def test_a_due_digest_posts_a_header_then_one_message_per_paper_that_takes_reactions(
    sqlite_db: Database, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    desk = make_desk(sqlite_db)
    adapter = await started(Core(desk.deps, dispatcher), fake)
    try:
        desk.runner.posters = {"discord": adapter.poster}
        sub = subscribed(desk, sqlite_db)
        fake.rate_limit_next_posts = 1
        assert await desk.fire(sub, local("2026-06-12 09:00", "Europe/Berlin")) is RunState.POSTED
        posts = fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")
        assert [len(p.body.get("embeds") or []) for p in posts[1:]] == [0, 1, 1]
        assert "Quiet transformers" in posts[2].body["embeds"][0]["title"]
        second = max(fake.messages)
        await fake.react(second, "👍")
        [edit] = await fake.until("PATCH", f"/channels/{CHANNEL_ID}/messages/{second}")
        assert "Loud diffusion" in edit.body["embeds"][0]["title"]
        assert "👍 1  👎 0" in edit.body["embeds"][0]["footer"]["text"]
    finally:
        await adapter.stop()


async def test_a_digest_into_a_channel_the_bot_may_not_post_in_fails_and_is_not_retried_forever(
    sqlite_db: Database, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    desk = make_desk(sqlite_db)
    adapter = await started(Core(desk.deps, dispatcher), fake)
    try:
        desk.runner.posters = {"discord": adapter.poster}
        sub = subscribed(desk, sqlite_db)
        fake.forbidden.add(CHANNEL_ID)
        state = await desk.fire(sub, local("2026-06-12 09:00", "Europe/Berlin"))
        assert state is not RunState.POSTED
        assert any("no permission" in alert for alert in desk.poster.alerts())
        assert len(fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")) == 1
    finally:
        await adapter.stop()

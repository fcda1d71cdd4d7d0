"""The real, unmodified discord.py client against a loopback Discord (REST and gateway)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import discord
import pytest
from discord.gateway import DiscordWebSocket

from adapters.discord.adapter import DiscordAdapter, DiscordConfig
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import COMMAND_FAILED, Channel, Core, PostRejected
from bot.reply import Heading, PaperCard, Reply, Text
from bot.reply_split import split_reply
from bot.sources.errors import UpstreamUnavailable
from bot.votes.emoji import parse_reaction_map
from bot.votes.events import VoteEvent
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.discord import (
    APP_ID,
    BOT_ID,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    LOADING,
    USER_ID,
    FakeDiscord,
)
from loopback.ports import FixedClock
from tests.discord.conftest import UNLISTED, Bots, GatedSource

CHANNEL = Channel("discord", str(GUILD_ID), str(CHANNEL_ID))


@pytest.fixture
async def slow_bots(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> AsyncIterator[tuple[Bots, GatedSource]]:
    source = GatedSource(papers={UNLISTED.id: UNLISTED})
    started = Bots(Core(replace(deps, source=source), dispatcher), fake, answer_within=0.05)
    yield started, source
    await started.stop()


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


async def answered_directly(fake: FakeDiscord, token: str) -> dict[str, Any]:
    """The data of the interaction's callback, which must be a message (type 4)."""
    pending = fake.pending(token)
    for _ in range(500):
        if pending.callback is not None:
            break
        await asyncio.sleep(0.01)
    assert pending.callback is not None, "no callback"
    assert pending.callback["type"] == 4
    data: dict[str, Any] = pending.callback["data"]
    return data


async def search_message(fake: FakeDiscord, query: str, limit: int) -> tuple[int, dict[str, Any]]:
    token = await fake.slash("search", query=query, limit=limit)
    body = await answered_directly(fake, token)
    message_id = fake.pending(token).original
    assert message_id is not None
    return message_id, body


async def tally_after_reacting(
    fake: FakeDiscord, message_id: int, emoji: str = "🔥", by: int = USER_ID, added: bool = True
) -> str:
    _seq, footer = await react_and_read_tally(fake, message_id, emoji, by, added)
    return footer


async def react_and_read_tally(
    fake: FakeDiscord, message_id: int, emoji: str = "🔥", by: int = USER_ID, added: bool = True
) -> tuple[int, str]:
    """The reaction's gateway sequence number, and the tally on the message it edited."""
    edits = len(fake.calls_to("PATCH", f"/channels/{CHANNEL_ID}/messages/{message_id}"))
    seq = await fake.react(message_id, emoji, by=by, added=added)
    edit = (await fake.until("PATCH", f"/messages/{message_id}", edits + 1))[-1]
    footer: str = edit.body["embeds"][0]["footer"]["text"]
    return seq, footer


async def test_the_adapter_is_serving_while_its_gateway_session_is_ready(
    core: Core, fake: FakeDiscord
) -> None:
    """What /readyz reports for Discord: not before login, yes once ready, no once stopped."""
    adapter = DiscordAdapter(core, DiscordConfig("bot-token", fake.api_url))
    assert not adapter.serving
    await adapter.start()
    try:
        await asyncio.wait_for(adapter.ready(), 10)
        assert adapter.serving
    finally:
        await adapter.stop()
    assert not adapter.serving


async def test_a_fast_search_is_answered_directly_in_public_and_its_message_takes_reactions(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    assert fake.identified == 1
    assert fake.heartbeats >= 1
    token = await fake.slash("search", query="lora", limit=1)
    body = await answered_directly(fake, token)
    [(message_id, flags)] = fake.shown_for(token)  # no "thinking…" first
    assert not flags & EPHEMERAL
    [card] = body["embeds"]
    assert card["url"].startswith("https://huggingface.co/")
    assert "team votes 👍 0" in card["footer"]["text"]
    ids = custom_ids(body)
    paper_id = ids[0].split(":")[1]
    assert ids == [f"vote:{paper_id}:up", f"vote:{paper_id}:down"] + [
        f"{kind}:{paper_id}" for kind in ("save", "discuss", "similar")
    ]
    assert body["allowed_mentions"]["parse"] == []
    # the core recorded the callback's message id: a reaction on it is a vote
    assert "👍 1  👎 0" in await tally_after_reacting(fake, message_id)


async def test_a_usage_error_is_ephemeral_from_the_first_moment_and_never_public(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    token = await fake.slash("subscribe", timezone="Mars/Olympus")
    body = await answered_directly(fake, token)
    assert body["flags"] & EPHEMERAL
    assert "Mars/Olympus" in body["content"]
    assert all(flags & EPHEMERAL for _, flags in fake.shown_for(token))
    assert not fake.calls_to("DELETE", "@original")


async def test_help_is_answered_directly_and_ephemerally(bots: Bots, fake: FakeDiscord) -> None:
    await bots.start()
    token = await fake.slash("help")
    body = await answered_directly(fake, token)
    assert body["flags"] & EPHEMERAL
    # longer than a message's 2,000 characters of content, help is an embed's description
    shown = body["content"] or "".join(e["description"] for e in body["embeds"])
    assert "/papers search" in shown
    assert "/papers foryou" in shown
    assert "/papers export bibtex" in shown
    assert not fake.calls_to("DELETE", "@original")


async def test_a_slow_command_is_deferred_in_public_then_its_follow_up_fills_the_message(
    slow_bots: tuple[Bots, GatedSource], fake: FakeDiscord
) -> None:
    bots, source = slow_bots
    await bots.start()
    token = await fake.slash("paper", paper=UNLISTED.id)
    [callback] = await fake.until("POST", "/callback")
    assert callback.body["type"] == 5  # "paperbot is thinking…", for everyone
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    source.gate.set()
    [post] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert post.body["embeds"][0]["title"].startswith("A paper only Hugging Face lists")
    [(thinking, _loading), (filled, flags)] = fake.shown_for(token)
    assert filled == thinking
    assert not flags & EPHEMERAL
    assert "👍 1  👎 0" in await tally_after_reacting(fake, filled)


def make_trouble(trouble: str, source: GatedSource, fake: FakeDiscord) -> None:
    if trouble == "not listed":
        source.papers.clear()
    elif trouble == "unavailable":
        source.failure = UpstreamUnavailable("HF answered 503")
    else:
        fake.refuse_public_answers = True  # the card is refused: the core's failure line follows


@pytest.mark.parametrize(
    ("trouble", "said"),
    [
        ("not listed", "does not list"),
        ("unavailable", "HF answered 503"),
        ("refused", COMMAND_FAILED),
    ],
    ids=["not-listed", "unavailable", "refused"],
)
async def test_a_slow_command_that_turns_out_private_shows_nothing_but_thinking_in_public(
    slow_bots: tuple[Bots, GatedSource], fake: FakeDiscord, trouble: str, said: str
) -> None:
    """Deferred in public, then private after all: Hugging Face does not list the paper or
    fails, or Discord refuses the card. "thinking…" is deleted before the ephemeral answer."""
    bots, source = slow_bots
    await bots.start()
    make_trouble(trouble, source, fake)
    token = await fake.slash("paper", paper=UNLISTED.id)
    await fake.until("POST", "/callback")
    source.gate.set()
    posts = 2 if trouble == "refused" else 1
    post = (await fake.until("POST", f"/webhooks/{APP_ID}/{token}", posts))[-1]
    [delete] = fake.calls_to("DELETE", f"/webhooks/{APP_ID}/{token}/messages/@original")
    assert delete.at < post.at
    [(thinking, loading), (answer, flags)] = fake.shown_for(token)
    assert loading == LOADING  # the only thing ever public: "thinking…", with no text
    assert thinking in fake.deleted
    assert answer != thinking
    assert flags & EPHEMERAL
    assert said in post.body["content"]


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


async def test_reactions_count_however_the_settings_spell_their_emoji(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    """PAPERBOT_VOTE_REACTIONS by Slack's names or by the characters Discord sends."""
    values = parse_reaction_map("tada=1,👀=1,raising_hand=-1")
    core = Core(
        replace(deps, settings=deps.settings.model_copy(update={"reaction_values": values})),
        dispatcher,
    )
    fake.callback_within = 60.0
    bots = Bots(core, fake, answer_within=30.0)
    try:
        await bots.start()
        message_id, _ = await search_message(fake, "lora", 1)
        assert "👍 1  👎 0" in await tally_after_reacting(fake, message_id, "🎉")
        assert "👍 2  👎 0" in await tally_after_reacting(fake, message_id, "👀", by=USER_ID + 1)
        woman_raising_hand = "🙋🏽\u200d♀️"  # skin tone and gender: she counts as 🙋
        tally = await tally_after_reacting(fake, message_id, woman_raising_hand, by=USER_ID + 2)
        assert "👍 2  👎 1" in tally
    finally:
        await bots.stop()


async def test_a_replayed_reaction_counts_once_even_after_the_reaction_was_removed(
    bots: Bots, fake: FakeDiscord, clock: FixedClock
) -> None:
    await bots.start()
    message_id, _ = await search_message(fake, "lora", 1)
    edits = f"/channels/{CHANNEL_ID}/messages/{message_id}"

    def later() -> None:  # reactions are ordered by when they are handled
        clock.now += timedelta(seconds=1)

    seq = await fake.react(message_id, "🔥")
    await fake.until("PATCH", edits, 1)
    later()
    await fake.react(message_id, "🔥", added=False)
    await fake.until("PATCH", edits, 2)
    later()
    await fake.react(message_id, "🔥", seq=seq)  # the same frame again, as a resume replays it
    later()
    await fake.react(message_id, "👎")  # then the same person, in order after the replay
    later()
    await fake.react(message_id, "👎", added=False)
    last = (await fake.until("PATCH", edits, 4))[-1]
    # a counted replay would have left 🔥 on the card: 👍 1 once 👎 is gone
    assert "👍 0  👎 0" in last.body["embeds"][0]["footer"]["text"]


async def test_a_reaction_taken_back_and_given_again_counts_again(
    bots: Bots, fake: FakeDiscord, clock: FixedClock
) -> None:
    """Add, remove, add again: three gateway frames, so three events; only a replay repeats one."""
    await bots.start()
    message_id, _ = await search_message(fake, "lora", 1)
    assert "👍 1  👎 0" in await tally_after_reacting(fake, message_id)
    clock.now += timedelta(seconds=1)
    assert "👍 0  👎 0" in await tally_after_reacting(fake, message_id, added=False)
    clock.now += timedelta(seconds=1)
    assert "👍 1  👎 0" in await tally_after_reacting(fake, message_id)


async def test_reactions_after_a_restart_are_not_taken_for_the_old_sessions(
    bots: Bots, fake: FakeDiscord, clock: FixedClock
) -> None:
    """A new process identifies afresh: its sequence numbers start again at 1, under a new
    session id, so its events must not collide with those the database kept from the old one."""
    first = await bots.start()
    message_id, _ = await search_message(fake, "lora", 1)
    old, _ = await react_and_read_tally(fake, message_id)
    clock.now += timedelta(seconds=1)
    assert "👍 0  👎 0" in await tally_after_reacting(fake, message_id, added=False)
    await first.stop()

    await bots.start()
    assert (fake.identified, fake.resumed) == (2, [])
    await answered_directly(fake, await fake.slash("help"))  # as many frames as the search
    clock.now += timedelta(seconds=1)
    new, tally = await react_and_read_tally(fake, message_id)
    assert new == old  # the same sequence number, in another session
    assert "👍 1  👎 0" in tally


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

    for message in split_reply(reply, poster.limits):  # as the digest runner sends them
        refs.append(await poster.send(CHANNEL, message))
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
    await answered_directly(fake, token)


async def test_stopping_puts_back_the_process_wide_addresses_discord_py_reads(
    bots: Bots, fake: FakeDiscord
) -> None:
    found = (discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    adapter = await bots.start()
    assert fake.api_url == discord.http.Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == f"ws://127.0.0.1:{fake.port}/gateway"
    await adapter.stop()
    assert found == (discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_a_refused_answer_is_one_ephemeral_line_and_a_log_entry(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    bots = Bots(Core(deps, dispatcher), fake)
    fake.refuse_public_answers = True
    try:
        await bots.start()
        token = await fake.slash("today")
        body = await answered_directly(fake, token)
    finally:
        await bots.stop()
    assert body["flags"] & EPHEMERAL
    assert body["content"].endswith(COMMAND_FAILED)  # after the error mark
    assert all(flags & EPHEMERAL for _, flags in fake.shown_for(token))
    assert "'today' failed" in caplog.text


@pytest.mark.parametrize("subcommand", ["retired", None])
async def test_a_command_discord_has_but_this_version_has_not_says_to_sync(
    bots: Bots, fake: FakeDiscord, caplog: pytest.LogCaptureFixture, subcommand: str | None
) -> None:
    """Registered commands outlive upgrades: an unknown subcommand, or ``/papers`` alone, gets a
    private pointer to ``paperbot discord sync`` and no traceback."""
    await bots.start()
    token = await fake.slash(subcommand)
    body = await answered_directly(fake, token)
    assert body["flags"] & EPHEMERAL
    assert "paperbot discord sync" in body["content"]
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_malformed_gateway_event_is_skipped_and_the_client_keeps_serving(
    bots: Bots, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """One bad frame (``"guild_id": null``, which discord.py cannot read) must not end the
    gateway connection, and with it ``paperbot run``."""
    adapter = await bots.start()
    await fake.dispatch(
        "MESSAGE_REACTION_ADD",
        {
            "user_id": "1",
            "channel_id": str(CHANNEL_ID),
            "message_id": "2",
            "guild_id": None,
            "emoji": {"id": None, "name": "🔥"},
            "member": None,
        },
    )
    token = await fake.slash("search", query="lora", limit=1)
    await answered_directly(fake, token)
    assert fake.identified == 1  # the same session: nothing reconnected
    waiting = asyncio.ensure_future(adapter.wait())
    done, _ = await asyncio.wait({waiting}, timeout=0.2)
    waiting.cancel()
    assert not done  # the gateway task is still running
    assert "skipping a gateway event" in caplog.text


class GatedRecorder(VoteRecorder):
    """Records each vote once the test opens ``gate``: votes as slow as a busy database."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.gate = asyncio.Event()

    async def record(self, event: VoteEvent) -> VoteReceipt:
        await self.gate.wait()
        return await super().record(event)


async def test_clicks_deferred_before_a_stop_are_recorded_and_their_messages_edited(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    recorder = GatedRecorder(deps)
    fake.callback_within = 60.0
    bots = Bots(Core(deps, dispatcher, votes=recorder), fake, answer_within=30.0)
    adapter = await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    up = next(i for i in custom_ids(body) if i.endswith(":up"))
    clickers = range(USER_ID + 1, USER_ID + 6)
    tokens = [await fake.click(message_id, up, clicker=user) for user in clickers]
    await fake.until("POST", "/callback", len(tokens) + 1)  # each click deferred (and the search)
    stopping = asyncio.create_task(adapter.stop())  # SIGTERM
    await asyncio.sleep(0)
    recorder.gate.set()
    await stopping
    for token in tokens:
        assert fake.calls_to("PATCH", f"/{token}/messages/@original"), "a deferred click unanswered"
    footers = [e["footer"]["text"] for e in fake.messages[message_id]["embeds"] if "footer" in e]
    assert any(f"👍 {len(tokens)}  👎 0" in f for f in footers)

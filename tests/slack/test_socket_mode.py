"""Socket Mode: the same listeners, reached through a loopback WebSocket speaking Slack's
envelope protocol (``hello``, envelopes with ``envelope_id``, acknowledgements)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import pytest

from adapters.slack.adapter import SlackAdapter
from adapters.slack.poster import ChannelPacer
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.model import Paper
from loopback.ports import FakeSource, make_paper
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import command_form, link_shared_event
from tests.slack.conftest import RecordingCore


def socket_adapter(core: Core, fake: FakeSlack) -> SlackAdapter:
    return SlackAdapter(
        core,
        bot_token="xoxb-test",
        app_token="xapp-test",
        api_url=fake.api_url,
        pacer=ChannelPacer(interval=0),
    )


@pytest.fixture
async def socket_app(core: RecordingCore, fake_slack: FakeSlack) -> AsyncIterator[SlackAdapter]:
    adapter = socket_adapter(core, fake_slack)
    await adapter.start()
    yield adapter
    await adapter.stop()


@dataclass
class HeldSearch(FakeSource):
    """Hugging Face's search, answering only once the test lets go: a command as slow as needed."""

    asked: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def search(self, query: str, limit: int) -> list[Paper]:
        self.asked.set()
        await self.release.wait()
        return await super().search(query, limit)


def acked(fake: FakeSlack, envelope_id: str) -> bool:
    return any(a.get("envelope_id") == envelope_id for a in fake.acks)


async def test_a_command_over_socket_mode_is_acked_and_posted(
    socket_app: SlackAdapter, fake_slack: FakeSlack
) -> None:
    form = command_form("paper 2606.00467", fake_slack.response_url())
    await fake_slack.push("slash_commands", form, "env-1")
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    await fake_slack.wait_for(lambda: acked(fake_slack, "env-1"))
    assert fake_slack.called("apps.connections.open")
    assert "2606.00467" in blocks_text(fake_slack.called("chat.postMessage")[0])


async def test_a_slow_command_over_socket_mode_is_acked_before_its_work_is_done(
    deps: Deps, dispatcher: Dispatcher, fake_slack: FakeSlack
) -> None:
    """Slack drops an envelope not acked within 3 s: a search waiting on Hugging Face must not
    hold its ack back."""
    source = HeldSearch(search_results=[make_paper("2612.00001", "Held back by Hugging Face")])
    adapter = socket_adapter(Core(replace(deps, source=source), dispatcher), fake_slack)
    await adapter.start()
    try:
        form = command_form("search zqxjvwk", fake_slack.response_url())
        await fake_slack.push("slash_commands", form, "env-slow")
        await asyncio.wait_for(source.asked.wait(), 5.0)
        await fake_slack.wait_for(lambda: acked(fake_slack, "env-slow"))
        assert fake_slack.called("chat.postMessage") == [], "the answer came before the ack"
        source.release.set()
        await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
        assert "Held back" in blocks_text(fake_slack.called("chat.postMessage")[0])
    finally:
        source.release.set()
        await adapter.stop()


async def test_a_reaction_over_socket_mode_counts_and_updates_the_message(
    socket_app: SlackAdapter, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    await fake_slack.push(
        "slash_commands", command_form("paper 2606.00467", fake_slack.response_url()), "env-1"
    )
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    event = {
        "type": "reaction_added",
        "user": "U2",
        "reaction": "rocket",
        "item": {"type": "message", "channel": "C1", "ts": "1780000000.000001"},
        "event_ts": "1780000100.000001",
    }
    body = {
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "EvS1",
        "event": event,
    }
    await fake_slack.push("events_api", body, "env-2")
    await core.handled(1)
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    assert "Team: 👍 1 · 👎 0" in blocks_text(fake_slack.called("chat.update")[0])


async def test_a_paper_link_over_socket_mode_unfurls_and_a_vote_on_it_unfurls_again(
    socket_app: SlackAdapter, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    link, message = "https://huggingface.co/papers/2606.00467", "1780000500.000100"
    fake_slack.share(message, link)
    body = {
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "EvL1",
        "event": link_shared_event(message, link),
    }
    await fake_slack.push("events_api", body, "env-links")
    await core.links_handled(1)
    await fake_slack.wait_for(lambda: acked(fake_slack, "env-links"))
    assert "Team: 👍 0 · 👎 0" in blocks_text({"blocks": fake_slack.unfurled()[0][link]["blocks"]})
    click = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U2", "team_id": "T1"},
        "channel": {"id": "C1"},
        "container": {
            "type": "message_attachment",
            "message_ts": message,
            "channel_id": "C1",
            "is_app_unfurl": True,
            "app_unfurl_url": link,
        },
        "response_url": fake_slack.response_url(),
        "actions": [{"action_id": "vote:2606.00467:down", "action_ts": "1780000600.000001"}],
    }
    await fake_slack.push("interactive", click, "env-click")
    await core.handled(1)
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.unfurl")) == 2)
    assert "Team: 👍 0 · 👎 1" in blocks_text({"blocks": fake_slack.unfurled()[1][link]["blocks"]})

"""Socket Mode: the same listeners, reached through a loopback WebSocket speaking Slack's
envelope protocol (``hello``, envelopes with ``envelope_id``, acknowledgements)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.adapter import SlackAdapter
from adapters.slack.poster import ChannelPacer
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import command_form
from tests.slack.conftest import RecordingCore


@pytest.fixture
async def socket_app(core: RecordingCore, fake_slack: FakeSlack) -> AsyncIterator[SlackAdapter]:
    adapter = SlackAdapter(
        core,
        bot_token="xoxb-test",
        app_token="xapp-test",
        api_url=fake_slack.api_url,
        pacer=ChannelPacer(interval=0),
    )
    await adapter.start()
    yield adapter
    await adapter.stop()


async def test_a_command_over_socket_mode_is_acked_and_posted(
    socket_app: SlackAdapter, fake_slack: FakeSlack
) -> None:
    form = command_form("paper 2606.00467", fake_slack.response_url())
    await fake_slack.push("slash_commands", form, "env-1")
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    await fake_slack.wait_for(lambda: any(a.get("envelope_id") == "env-1" for a in fake_slack.acks))
    assert fake_slack.called("apps.connections.open")
    assert "2606.00467" in blocks_text(fake_slack.called("chat.postMessage")[0])


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

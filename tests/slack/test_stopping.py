"""A stop finishes what Slack was told was received: commands acknowledged, still waiting on
their channel's pacer, are answered before the adapter lets go of the Web API (issue 18)."""

from __future__ import annotations

import asyncio

import pytest

from bot.facade import Core
from loopback.slack import FakeSlack
from tests.slack.conftest import PAPER, sender_for, serve_slack

BURST = 8


async def test_commands_queued_on_one_channel_are_all_answered_by_a_stop_called_mid_burst(
    core: Core, fake_slack: FakeSlack
) -> None:
    # Posts to one channel go out 0.2 s apart: the burst takes well over a second to answer.
    adapter = serve_slack(core, fake_slack, post_interval=0.2)
    await adapter.start()
    slack = sender_for(adapter)
    try:
        acks = await asyncio.gather(
            *(slack.command(f"paper {PAPER}", fake_slack.response_url()) for _ in range(BURST))
        )
        assert [status for status, _ in acks] == [200] * BURST
        await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    finally:
        await adapter.stop()  # SIGTERM, as ``paperbot run`` handles it
    assert len(fake_slack.called("chat.postMessage")) == BURST


async def test_what_outlasts_the_grace_period_is_logged_by_count(
    core: Core, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # The second post would wait a minute; the stop waits for nothing.
    adapter = serve_slack(core, fake_slack, post_interval=60, stop_grace=0)
    await adapter.start()
    slack = sender_for(adapter)
    try:
        for _ in range(2):
            await slack.command(f"paper {PAPER}", fake_slack.response_url())
        await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    finally:
        await adapter.stop()
    assert "stopping with 1 Slack commands and votes unfinished" in caplog.text

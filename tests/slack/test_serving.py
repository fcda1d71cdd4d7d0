"""What /readyz reports for Slack: serving while its HTTP server or Socket Mode session is up."""

from __future__ import annotations

from adapters.slack.adapter import SlackAdapter
from bot.facade import Core
from loopback.slack import FakeSlack
from tests.slack.conftest import serve_slack
from tests.slack.test_socket_mode import socket_adapter


async def check_serving_while_started(adapter: SlackAdapter) -> None:
    assert not adapter.ends_by_itself  # a server that stops has died: paperbot run exits non-zero
    assert not adapter.serving
    await adapter.start()
    try:
        assert adapter.serving
    finally:
        await adapter.stop()
    assert not adapter.serving


async def test_slack_over_http_is_serving_from_start_to_stop(
    core: Core, fake_slack: FakeSlack
) -> None:
    await check_serving_while_started(serve_slack(core, fake_slack))


async def test_slack_over_socket_mode_is_serving_while_its_session_is_open(
    core: Core, fake_slack: FakeSlack
) -> None:
    await check_serving_while_started(socket_adapter(core, fake_slack))

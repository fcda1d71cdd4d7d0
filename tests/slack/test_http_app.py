"""The Slack app over HTTP, end to end: signed requests in, recorded Web API calls out."""

from __future__ import annotations

import socket
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import COMMAND_FAILED, AdapterRefused, Core, vote_action_id
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender, command_form
from tests.slack.conftest import sender_for, serve_slack

PAPER = "2606.00467"


async def post_and_wait(slack: SlackSender, fake: FakeSlack, text: str, count: int = 1) -> None:
    before = len(fake.called("chat.postMessage"))
    status, _ = await slack.command(text, fake.response_url())
    assert status == 200
    await fake.wait_for(lambda: len(fake.called("chat.postMessage")) >= before + count)


async def test_a_search_is_acked_then_posted_to_the_channel_as_cards(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    status, body = await slack.command("search linear attention", fake_slack.response_url())
    assert (status, body) == (200, "")
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    post = fake_slack.called("chat.postMessage")[0]
    assert post["channel"] == "C1"
    text = blocks_text(post)
    assert "linear" in text.lower()
    assert "Team: 👍 0 · 👎 0" in text
    actions = [b for b in post["blocks"] if b["type"] == "actions"]
    assert actions, "cards carry vote buttons"
    assert all(b["elements"][0]["action_id"].startswith("vote:") for b in actions)
    assert post["text"], "every message has a plain-text fallback"
    assert fake_slack.responses == [], "a channel answer does not go through the response URL"


async def test_usage_errors_and_help_are_ephemeral_through_the_response_url(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await slack.command("frobnicate", fake_slack.response_url())
    await fake_slack.wait_for(lambda: bool(fake_slack.responses))
    assert fake_slack.responses[0]["response_type"] == "ephemeral"
    assert fake_slack.called("chat.postMessage") == []


async def test_a_click_updates_the_message_with_the_new_tally(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await post_and_wait(slack, fake_slack, f"paper {PAPER}")
    ts = "1780000000.000001"
    status, _ = await slack.click(vote_action_id(PAPER, 1), ts, fake_slack.response_url())
    assert status == 200
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    update = fake_slack.called("chat.update")[0]
    assert (update["channel"], update["ts"]) == ("C1", ts)
    assert "Team: 👍 1 · 👎 0" in blocks_text(update)


async def test_a_click_on_a_message_sent_before_a_restart_still_updates_it(
    deps: Deps, dispatcher: Dispatcher, fake_slack: FakeSlack
) -> None:
    first = serve_slack(Core(deps, dispatcher), fake_slack)
    await first.start()
    try:
        await post_and_wait(sender_for(first), fake_slack, f"paper {PAPER}")
    finally:
        await first.stop()
    again = serve_slack(Core(deps, dispatcher), fake_slack)  # a new process on the same DB
    await again.start()
    try:
        ts = fake_slack.called("chat.postMessage")[0]
        ref = "1780000000.000001"
        assert ts["channel"] == "C1"
        await sender_for(again).click(vote_action_id(PAPER, -1), ref, fake_slack.response_url())
        await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    finally:
        await again.stop()
    assert "Team: 👍 0 · 👎 1" in blocks_text(fake_slack.called("chat.update")[0])


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
async def test_the_bot_not_in_the_channel_answers_through_the_response_url_with_a_hint(
    slack: SlackSender, fake_slack: FakeSlack, error: str
) -> None:
    """``channel_not_found`` is what a private channel the bot is not in answers."""
    fake_slack.channel_errors["C9"] = error
    await slack.command(f"paper {PAPER}", fake_slack.response_url(), channel_id="C9")
    await fake_slack.wait_for(lambda: len(fake_slack.responses) >= 2)
    result, hint = fake_slack.responses
    assert result["response_type"] == "in_channel"
    assert PAPER in blocks_text(result)
    assert hint["response_type"] == "ephemeral"
    assert "/invite @paperbot" in hint["text"]


async def test_a_refused_post_reaches_the_caller_as_one_short_private_line(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.channel_errors["C7"] = "is_archived"
    await slack.command(f"paper {PAPER}", fake_slack.response_url(), channel_id="C7")
    await fake_slack.wait_for(lambda: bool(fake_slack.responses))
    [answer] = fake_slack.responses
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == COMMAND_FAILED


async def test_a_hung_slack_api_gives_up_and_tells_the_caller_and_the_channel_moves_on(
    core: Core, fake_slack: FakeSlack
) -> None:
    """The adapter's own HTTP session has a timeout: a Web API that never answers costs one
    command a short private line, and the next post to that channel is not stuck behind it."""
    adapter = serve_slack(core, fake_slack, api_timeout=0.2)
    await adapter.start()
    try:
        fake_slack.stalled.add("chat.postMessage")
        await sender_for(adapter).command(f"paper {PAPER}", fake_slack.response_url())
        await fake_slack.wait_for(lambda: bool(fake_slack.responses))
        [answer] = fake_slack.responses
        assert answer["response_type"] == "ephemeral"
        assert answer["text"] == COMMAND_FAILED

        fake_slack.stalled.clear()
        tried = len(fake_slack.called("chat.postMessage"))
        await sender_for(adapter).command(f"paper {PAPER}", fake_slack.response_url())
        await fake_slack.wait_for(lambda: len(fake_slack.called("chat.postMessage")) > tried)
        assert len(fake_slack.responses) == 1  # posted in the channel: no second failure line
    finally:
        await adapter.stop()


async def test_a_slow_step_is_announced_to_the_caller_before_the_answer(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    await slack.command("paper 2612.99999", fake_slack.response_url())
    await fake_slack.wait_for(lambda: len(fake_slack.responses) >= 2)
    note, answer = fake_slack.responses[:2]
    assert note["response_type"] == "ephemeral"
    assert note["text"] == "… 2612.99999 is not in the catalog yet; asking Hugging Face…"
    assert "does not list 2612.99999" in answer["text"]
    # a response URL's answer never replaces the message it came from
    assert (note["replace_original"], answer["replace_original"]) == (False, False)


async def test_a_port_already_in_use_is_refused_naming_the_settings(
    core: Core, fake_slack: FakeSlack
) -> None:
    """paperbot run turns AdapterRefused into exit 78 with this line (as for a refused token)."""
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    adapter = serve_slack(core, fake_slack, port=port)
    try:
        with pytest.raises(AdapterRefused, match="PAPERBOT_HTTP_PORT") as refused:
            await adapter.start()
        assert f"127.0.0.1:{port}" in str(refused.value)
    finally:
        taken.close()
        await adapter.stop()


async def test_an_acknowledged_command_keeps_its_connection_open_for_the_next(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """Slack sends many requests over one connection; only a refusal closes it."""
    body = urlencode(command_form("help", fake_slack.response_url()))
    headers = slack.signed_headers(body, "application/x-www-form-urlencoded")
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.url, data=body, headers=headers) as acked,
    ):
        assert acked.status == 200
        assert acked.headers.get("Connection", "keep-alive").lower() != "close"

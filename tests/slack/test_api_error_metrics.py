"""Every Web API call Slack refuses is counted in /metrics by Slack's error code."""

from __future__ import annotations

import contextlib

import aiohttp

from adapters.slack.adapter import SlackAdapter
from adapters.slack.counted import error_code
from adapters.slack.poster import ChannelPacer
from bot.cli.health import PrometheusMetrics
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel, Core, PostRejected
from bot.reply import text_reply
from bot.settings import Settings
from loopback.ports import FakeSource
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET
from storage.db import Database
from tests.health.scrape import samples, scrape_once


async def test_refused_slack_calls_are_counted_by_slacks_error_code(
    sqlite_db: Database, dispatcher: Dispatcher, fake_slack: FakeSlack, metrics: PrometheusMetrics
) -> None:
    deps = Deps(settings=Settings(database_url=sqlite_db.url), db=sqlite_db, source=FakeSource())
    core = Core(deps, dispatcher, metrics=metrics)
    adapter = SlackAdapter(
        core,
        bot_token="xoxb-1-test",
        signing_secret=SECRET,
        api_url=fake_slack.api_url,
        pacer=ChannelPacer(interval=0),
    )
    fake_slack.not_in_channel.add("C9")
    fake_slack.channel_errors["C8"] = "channel_not_found"
    for name in ("C9", "C9", "C8", "C1"):
        with contextlib.suppress(PostRejected):
            await adapter.poster.send(Channel("slack", "T1", name), text_reply("hello"))

    page = (await scrape_once("/metrics", sqlite_db, [], None, metrics)).text
    assert len(fake_slack.called("chat.postMessage")) == 4
    assert samples(page, "paperbot_platform_api_errors_total") == {
        (("code", "not_in_channel"), ("platform", "slack")): 2,
        (("code", "channel_not_found"), ("platform", "slack")): 1,
    }


def test_a_call_that_gets_no_answer_is_counted_as_timeout_or_unreachable() -> None:
    assert error_code(TimeoutError()) == "timeout"
    assert error_code(aiohttp.ServerDisconnectedError()) == "unreachable"
    assert error_code(ValueError("a bug, not Slack")) is None

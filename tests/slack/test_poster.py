"""Digests through the Slack poster: one message a paper, 429s retried, outages not lost."""

from __future__ import annotations

import asyncio
import socket
from datetime import date

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from adapters.slack.poster import ChannelPacer, SlackPoster, retry_after, web_client
from bot.facade import Channel, PostRejected
from bot.model.digests import RunState
from bot.reply import Heading, Reply
from loopback.slack import FakeSlack, blocks_text
from storage.db import Database
from tests.digests.helpers import PLATFORM, Desk, local, make_desk, minutes, paper

THU = date(2026, 6, 11)
DUE = local("2026-06-12 09:00", "Europe/Berlin")


def slack_desk(db: Database, api_url: str) -> Desk:
    desk = make_desk(db)
    poster = SlackPoster(web_client("xoxb-test", api_url), ChannelPacer(interval=0))
    desk.runner.posters = {PLATFORM: poster}
    desk.add_papers(paper("2606.00101", THU, 9, "Rate limits"), paper("2606.00102", THU, 5))
    return desk


async def test_a_429_during_a_digest_is_retried_after_retry_after_and_posts_each_once(
    db: Database, fake_slack: FakeSlack
) -> None:
    desk = slack_desk(db, fake_slack.api_url)
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")
    fake_slack.rate_limited["chat.postMessage"] = 1
    assert await desk.fire(sub, DUE) is RunState.POSTED
    posts = fake_slack.called("chat.postMessage")
    assert len(posts) == 4  # the refused one, then the header and one message per paper
    assert posts[0]["blocks"] == posts[1]["blocks"]
    assert "Rate limits" in blocks_text(posts[2])
    assert "2606.00102" in blocks_text(posts[3])
    run = desk.run(sub, THU)
    assert run is not None
    assert len(set(run.message_refs)) == 3


async def test_a_429_that_outlasts_the_retries_fails_the_run_and_a_later_sweep_resumes_it(
    db: Database, fake_slack: FakeSlack
) -> None:
    desk = slack_desk(db, fake_slack.api_url)
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")
    fake_slack.retry_after = 0
    fake_slack.rate_limited["chat.postMessage"] = 3  # the first try and both retries
    assert await desk.fire(sub, DUE) is RunState.FAILED
    run = desk.run(sub, THU)
    assert run is not None
    assert "ratelimited" in (run.error or "")
    assert await desk.sweep(DUE + minutes(10)) == [RunState.POSTED]
    delivered = fake_slack.called("chat.postMessage")[3:]
    assert len(delivered) == 3


def hello() -> tuple[Channel, Reply]:
    return Channel("slack", "T1", "C1"), Reply((Heading("hello"),))


async def test_a_short_retry_after_is_waited_out_and_the_post_goes_through(
    fake_slack: FakeSlack,
) -> None:
    poster = SlackPoster(web_client("xoxb-test", fake_slack.api_url), ChannelPacer(interval=0))
    fake_slack.rate_limited["chat.postMessage"] = 1  # Retry-After: 1
    ts = await poster.send(*hello())
    assert len(fake_slack.called("chat.postMessage")) == 2
    assert ts == "1780000000.000001"


async def test_a_long_retry_after_is_not_waited_out_but_handed_to_the_digest_runner(
    fake_slack: FakeSlack,
) -> None:
    """Waiting an hour would hold the channel and the run's claim; the runner retries then."""
    poster = SlackPoster(web_client("xoxb-test", fake_slack.api_url), ChannelPacer(interval=0))
    fake_slack.retry_after = 3600
    fake_slack.rate_limited["chat.postMessage"] = 1
    with pytest.raises(PostRejected, match="ratelimited") as rejected:
        await asyncio.wait_for(poster.send(*hello()), 10.0)
    assert rejected.value.retry_after == 3600
    assert len(fake_slack.called("chat.postMessage")) == 1


async def test_an_unreachable_slack_is_a_rejected_post_not_a_crash() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    poster = SlackPoster(web_client("xoxb-test", f"http://127.0.0.1:{port}/api/"), ChannelPacer(0))
    with pytest.raises(PostRejected, match="could not be reached"):
        await poster.send(*hello())


async def test_posts_to_one_channel_are_spaced_and_other_channels_do_not_wait() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = ChannelPacer(interval=1.0, clock=lambda: now[0], sleep=sleep)

    async def post() -> str:
        now[0] += 0.25
        return "ts"

    await pacer.run("C1", post)
    await pacer.run("C2", post)
    await pacer.run("C1", post)
    assert slept == [pytest.approx(0.75)]


async def test_a_digests_messages_ask_slack_not_to_preview_their_links(
    db: Database, fake_slack: FakeSlack
) -> None:
    desk = slack_desk(db, fake_slack.api_url)
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")
    assert await desk.fire(sub, DUE) is RunState.POSTED
    posts = fake_slack.called("chat.postMessage")
    assert len(posts) == 3
    # Each card shows its own links; Slack's previews would add one block per link under it.
    assert [post.get("unfurl_links") for post in posts] == [False, False, False]


async def test_an_api_url_without_its_final_slash_still_reaches_the_methods(
    fake_slack: FakeSlack,
) -> None:
    poster = SlackPoster(web_client("xoxb-test", fake_slack.api_url.rstrip("/")), ChannelPacer(0))
    await poster.send(*hello())
    assert len(fake_slack.called("chat.postMessage")) == 1


@pytest.mark.parametrize("header", [None, "soon"])
def test_a_429_without_a_usable_retry_after_waits_one_second(header: str | None) -> None:
    headers = {} if header is None else {"Retry-After": header}
    response = SlackResponse(
        client=None, http_verb="POST", api_url="chat.postMessage", req_args={},
        data={"ok": False, "error": "ratelimited"}, headers=headers, status_code=429,
    )  # fmt: skip
    assert retry_after(SlackApiError("ratelimited", response)) == 1.0

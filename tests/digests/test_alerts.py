"""Digest trouble reaches the log always, and the admin channel when one is set; posting an alert
never breaks the run that raised it."""

from __future__ import annotations

import pytest

from bot.digests.alerts import Alerts
from bot.model import Channel
from bot.reply import Heading, Reply, Text
from bot.reply_split import MessageLimits
from tests.digests.helpers import ADMIN, PLATFORM, RecordingPoster


class BrokenPoster:
    limits = MessageLimits()

    async def send(self, channel: Channel, message: Reply) -> str:
        raise ConnectionError("the admin channel's platform is down")


async def test_an_alert_is_logged_and_posted_to_the_admin_channel_as_an_error(
    log: pytest.LogCaptureFixture,
) -> None:
    poster = RecordingPoster()
    await Alerts({PLATFORM: poster}, ADMIN).send("the digest failed")
    [post] = poster.posts
    assert post.channel == ADMIN
    assert post.reply.parts == (
        Heading("paperbot: digest trouble"),
        Text("the digest failed", "error"),
    )
    assert log.messages == ["digest alert: the digest failed"]


async def test_without_an_admin_channel_the_log_alone_has_the_alert(
    log: pytest.LogCaptureFixture,
) -> None:
    poster = RecordingPoster()
    await Alerts({PLATFORM: poster}, None).send("the digest failed")
    assert poster.posts == []
    assert log.messages == ["digest alert: the digest failed"]


async def test_an_admin_channel_on_a_platform_without_a_poster_is_named_in_the_log(
    log: pytest.LogCaptureFixture,
) -> None:
    poster = RecordingPoster()
    await Alerts({PLATFORM: poster}, Channel("discord", "G1", "admin")).send("the digest failed")
    assert poster.posts == []
    assert log.messages == [
        "digest alert: the digest failed",
        "no poster for the admin channel's platform 'discord'",
    ]


async def test_a_failing_admin_post_is_logged_and_the_caller_carries_on(
    log: pytest.LogCaptureFixture,
) -> None:
    await Alerts({PLATFORM: BrokenPoster()}, ADMIN).send("the digest failed")  # does not raise
    failures = [r for r in log.records if r.exc_info is not None]
    assert [r.getMessage() for r in failures] == ["could not post the alert to the admin channel"]

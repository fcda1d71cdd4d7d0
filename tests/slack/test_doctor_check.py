"""The Slack half of ``paperbot doctor``: one ``auth.test``, its answer or its refusal in a line."""

from __future__ import annotations

import pytest

from adapters.slack.doctor import SlackCheckFailed, check_bot_token
from loopback.slack import FakeSlack


async def test_a_good_token_says_whose_it_is(fake_slack: FakeSlack) -> None:
    found = await check_bot_token("xoxb-good", fake_slack.api_url)

    assert found == "bot UBOT in workspace t (T1)"
    assert fake_slack.tokens_used("auth.test") == ["xoxb-good"]


async def test_an_api_url_without_its_final_slash_reaches_the_same_methods(
    fake_slack: FakeSlack,
) -> None:
    found = await check_bot_token("xoxb-good", fake_slack.api_url.rstrip("/"))

    assert found == "bot UBOT in workspace t (T1)"


async def test_a_revoked_token_is_named_by_slacks_error(fake_slack: FakeSlack) -> None:
    fake_slack.invalid_tokens.add("xoxb-revoked")

    with pytest.raises(SlackCheckFailed, match="invalid_auth"):
        await check_bot_token("xoxb-revoked", fake_slack.api_url)
    assert len(fake_slack.called("auth.test")) == 1  # no retry


async def test_a_slack_that_never_answers_is_given_up_on(fake_slack: FakeSlack) -> None:
    fake_slack.stalled.add("auth.test")

    with pytest.raises(SlackCheckFailed, match="did not answer"):
        await check_bot_token("xoxb-good", fake_slack.api_url, within=0.2)


async def test_a_slack_that_is_not_there_cannot_be_reached(fake_slack: FakeSlack) -> None:
    address = fake_slack.api_url
    await fake_slack.stop()

    with pytest.raises(SlackCheckFailed, match="cannot reach Slack"):
        await check_bot_token("xoxb-good", address)

"""The Discord half of ``paperbot doctor``: one ``GET /users/@me``, its answer or the refusal."""

from __future__ import annotations

import pytest

from adapters.discord.doctor import DiscordCheckFailed, check_bot_token
from loopback.discord import BOT_USER, FakeDiscord


async def test_a_good_token_says_who_the_bot_is(fake: FakeDiscord) -> None:
    found = await check_bot_token("token", fake.api_url)

    assert found == f"logged in as paperbot ({BOT_USER['id']})"
    assert [(c.method, c.path) for c in fake.calls] == [("GET", "/users/@me")]


async def test_a_refused_token_says_401(fake: FakeDiscord) -> None:
    fake.revoked = True

    with pytest.raises(DiscordCheckFailed) as failed:
        await check_bot_token("token", fake.api_url)
    assert str(failed.value) == (
        "GET /users/@me answered HTTP 401 (the token is wrong or was reset): 401: Unauthorized"
    )
    assert len(fake.calls) == 1  # no retry


async def test_a_discord_that_is_not_there_cannot_be_reached() -> None:
    async with FakeDiscord() as gone:
        address = gone.api_url  # nothing listens there once it has stopped

    with pytest.raises(DiscordCheckFailed, match="cannot reach Discord"):
        await check_bot_token("token", address)


async def test_an_api_url_given_with_its_final_slash_reaches_the_same_endpoint(
    fake: FakeDiscord,
) -> None:
    found = await check_bot_token("token", fake.api_url.rstrip("/") + "/")

    assert found == f"logged in as paperbot ({BOT_USER['id']})"
    assert [(c.method, c.path) for c in fake.calls] == [("GET", "/users/@me")]

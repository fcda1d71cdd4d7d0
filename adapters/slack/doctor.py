"""``paperbot doctor``'s Slack check: one ``auth.test`` with the bot token, no retries.

It says whose token it is (the bot user and the workspace) or, in one line, why Slack would not
take it: Slack's error code (``invalid_auth``, ``token_revoked``), an HTTP status, or that Slack
could not be reached in time.
"""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

DOCTOR_TIMEOUT = 10.0  # seconds: a doctor answers soon, even about a Slack that hangs


class SlackCheckFailed(Exception):
    """Slack refused the token or did not answer; the message says which, in one line."""


async def check_bot_token(token: str, api_url: str, within: float = DOCTOR_TIMEOUT) -> str:
    """``auth.test``: who the token is, e.g. ``bot UBOT in workspace t (T1)``."""
    client = AsyncWebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        timeout=int(max(1, within)),
        retry_handlers=[],
    )
    try:
        async with asyncio.timeout(within):
            answer = await client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        status = error.response.status_code
        raise SlackCheckFailed(
            f"auth.test refused the bot token: {code or f'HTTP {status}'}"
        ) from None
    except TimeoutError:
        raise SlackCheckFailed(f"Slack did not answer auth.test within {within:g} s") from None
    except aiohttp.ClientError as error:
        raise SlackCheckFailed(f"cannot reach Slack at {api_url}: {error}") from None
    user, team, team_id = answer.get("user_id"), answer.get("team"), answer.get("team_id")
    return f"bot {user} in workspace {team} ({team_id})"

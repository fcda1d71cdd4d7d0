"""``paperbot doctor``'s Discord check: one ``GET /users/@me`` with the bot token, no retries.

Plain aiohttp rather than discord.py's client: one request needs no login flow, and the answer
(the bot's name and id, or Discord's status and message) is all the doctor prints.
"""

from __future__ import annotations

import aiohttp

DOCTOR_TIMEOUT = 10.0  # seconds: a doctor answers soon, even about a Discord that hangs


class DiscordCheckFailed(Exception):
    """Discord refused the token or did not answer; the message says which, in one line."""


async def check_bot_token(token: str, api_url: str, within: float = DOCTOR_TIMEOUT) -> str:
    """``GET /users/@me``: who the token is, e.g. ``logged in as paperbot (1234)``."""
    url = api_url.rstrip("/") + "/users/@me"
    headers = {"Authorization": f"Bot {token}", "User-Agent": "DiscordBot (paperbot doctor)"}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=within)) as session,
            session.get(url, headers=headers) as response,
        ):
            body = await response.json(content_type=None) if response.content_length != 0 else {}
            status = response.status
    except TimeoutError:
        raise DiscordCheckFailed(f"Discord did not answer within {within:g} s") from None
    except (aiohttp.ClientError, ValueError) as error:
        raise DiscordCheckFailed(f"cannot reach Discord at {api_url}: {error}") from None
    if status != 200 or not isinstance(body, dict):
        message = body.get("message") if isinstance(body, dict) else None
        hint = " (the token is wrong or was reset)" if status == 401 else ""
        raise DiscordCheckFailed(
            f"GET /users/@me answered HTTP {status}{hint}: {message or 'no message'}"
        )
    return f"logged in as {body.get('username')} ({body.get('id')})"

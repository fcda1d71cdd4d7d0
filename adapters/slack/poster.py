"""Posting to Slack channels: one message per ``chat.postMessage``, paced per channel.

slack_sdk's retry handlers already wait out a 429's ``Retry-After`` (see ``web_client``); a 429
that survives them, any other refusal and a network failure become ``PostRejected`` so the
digest runner keeps the run and retries it later instead of losing it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import DIGEST_LIMITS, render_reply
from bot.facade import Channel, MessageLimits, PostRejected
from bot.reply import Reply

DEFAULT_API_URL = "https://slack.com/api/"
POST_INTERVAL = 1.0  # Slack allows about one message a second per channel


def web_client(token: str, api_url: str = DEFAULT_API_URL) -> AsyncWebClient:
    """A Web API client that retries connection errors and 429s (after ``Retry-After``)."""
    return AsyncWebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


class ChannelPacer:
    """Spaces posts to one channel ``interval`` seconds apart; other channels do not wait."""

    def __init__(
        self,
        interval: float = POST_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    async def run(self, channel: str, post: Callable[[], Awaitable[str]]) -> str:
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            last = self._last.get(channel)
            if last is not None:
                wait = last + self._interval - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            try:
                return await post()
            finally:
                self._last[channel] = self._clock()


def retry_after(error: SlackApiError) -> float | None:
    if error.response.status_code != 429:
        return None
    try:
        return float(error.response.headers.get("Retry-After", "1"))
    except ValueError:
        return 1.0


async def post_message(
    client: AsyncWebClient, pacer: ChannelPacer, channel_id: str, message: Reply
) -> str:
    """Post one message; returns its ``ts``. Raises ``SlackApiError`` like the client does."""
    rendered = render_reply(message)

    async def post() -> str:
        response = await client.chat_postMessage(
            channel=channel_id, blocks=rendered.blocks, text=rendered.text, unfurl_links=False
        )
        return str(response["ts"])

    return await pacer.run(channel_id, post)


class SlackPoster:
    """The ``Poster`` for digests and alerts: a digest is a header, then one message a paper."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer) -> None:
        self._client = client
        self._pacer = pacer

    @property
    def limits(self) -> MessageLimits:
        return DIGEST_LIMITS

    async def send(self, channel: Channel, message: Reply) -> str:
        try:
            return await post_message(self._client, self._pacer, channel.channel, message)
        except SlackApiError as error:
            reason = error.response.get("error") or f"HTTP {error.response.status_code}"
            raise PostRejected(f"Slack refused the post: {reason}", retry_after(error)) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise PostRejected(f"Slack could not be reached: {error!r}") from error

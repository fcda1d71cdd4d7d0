"""Posting to Slack channels: one message per ``chat.postMessage``, paced per channel.

slack_sdk's retry handlers wait out a 429's short ``Retry-After`` (see ``web_client``); a 429
that survives them or asks for longer, any other refusal and a network failure become
``PostRejected`` so the digest runner keeps the run and retries it later instead of losing it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.counted import CountingWebClient, ErrorSink
from adapters.slack.render import DIGEST_LIMITS, render_reply
from bot.facade import Channel, MessageLimits, PostRejected
from bot.reply import Attachment, Reply

DEFAULT_API_URL = "https://slack.com/api/"
POST_INTERVAL = 1.0  # Slack allows about one message a second per channel
LONGEST_WAIT = 10  # seconds of Retry-After the client waits out by itself


def web_client(
    token: str | None, api_url: str = DEFAULT_API_URL, on_error: ErrorSink = lambda _code: None
) -> AsyncWebClient:
    """A Web API client that retries connection errors and 429s (after a short
    ``Retry-After``) and tells ``on_error`` the code of each call that still failed; without a
    token in OAuth mode, where each call names its workspace's token."""
    return CountingWebClient(
        on_error=on_error,
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            ShortRateLimitRetry(max_retry_count=2),
        ],
    )


class ShortRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 retry, for a ``Retry-After`` of at most ``LONGEST_WAIT`` seconds only.

    slack_sdk sleeps for any value, holding the channel's posts and a digest run past its
    claim's lease; a longer wait is raised, so the digest runner retries at Slack's time.
    """

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        asked = [v for k, v in response.headers.items() if k.lower() == "retry-after"]
        try:  # slack_sdk reads the value with int()
            return not asked or int(asked[0][0]) <= LONGEST_WAIT
        except ValueError:
            return False


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


def _as_bot(token: str | None) -> dict[str, Any]:
    """The call's ``token`` argument: a workspace's bot token in OAuth mode, else nothing."""
    return {} if token is None else {"token": token}


# What Slack answers a post to a channel the bot is not in (or cannot see): the command's answer
# falls back to its response URL, a Discuss click tells the clicker to invite the bot.
NOT_IN_CHANNEL = frozenset({"not_in_channel", "channel_not_found"})


async def post_message(
    client: AsyncWebClient,
    pacer: ChannelPacer,
    channel_id: str,
    message: Reply,
    token: str | None = None,
    thread_ts: str | None = None,
) -> str:
    """Post one message; returns its ``ts`` (a file's id for a file). Raises ``SlackApiError``
    like the client does. ``token`` overrides the client's own (a workspace's bot token in OAuth
    mode); ``thread_ts`` posts it as a reply in that message's thread. A message that is a file
    (``split_reply`` gives each its own) is uploaded instead, into the same thread."""
    if message.attachments:
        file = message.attachments[0]
        return await upload_file(client, pacer, channel_id, file, token, thread_ts)
    rendered = render_reply(message)
    as_bot = _as_bot(token)
    if thread_ts is not None:
        as_bot["thread_ts"] = thread_ts

    async def post() -> str:
        response = await client.chat_postMessage(
            channel=channel_id,
            blocks=rendered.blocks,
            text=rendered.text,
            unfurl_links=False,
            **as_bot,
        )
        return str(response["ts"])

    return await pacer.run(channel_id, post)


async def upload_file(
    client: AsyncWebClient,
    pacer: ChannelPacer,
    channel_id: str,
    file: Attachment,
    token: str | None = None,
    thread_ts: str | None = None,
) -> str:
    """Share a file in a channel (or a thread) by Slack's external upload: an upload URL from
    ``files.getUploadURLExternal``, the bytes POSTed there, then ``files.completeUploadExternal``
    with the channel (slack_sdk's ``files_upload_v2`` makes the three calls). Needs the
    ``files:write`` scope. Returns the file's id."""
    as_bot = _as_bot(token)

    async def upload() -> str:
        response = await client.files_upload_v2(
            channel=channel_id,
            content=file.content,
            filename=file.filename,
            title=file.title,
            alt_txt=file.title if file.media_type.startswith("image/") else None,
            thread_ts=thread_ts,
            **as_bot,
        )
        return str(response["file"]["id"])

    return await pacer.run(channel_id, upload)


BotToken = Callable[[str], Awaitable[str | None]]
"""A workspace id -> the bot's token there (None: not installed); for OAuth mode."""


class SlackPoster:
    """The ``Poster`` for digests and alerts: a digest is a header, then one message a paper.

    Without ``bot_token`` every post uses the client's own token (single-workspace mode)."""

    def __init__(
        self, client: AsyncWebClient, pacer: ChannelPacer, bot_token: BotToken | None = None
    ) -> None:
        self._client = client
        self._pacer = pacer
        self._bot_token = bot_token

    @property
    def limits(self) -> MessageLimits:
        return DIGEST_LIMITS

    async def send(self, channel: Channel, message: Reply) -> str:
        token = None
        if self._bot_token is not None:
            token = await self._bot_token(channel.workspace)
            if token is None:
                raise PostRejected(f"paperbot is not installed in workspace {channel.workspace}")
        try:
            return await post_message(self._client, self._pacer, channel.channel, message, token)
        except SlackApiError as error:
            reason = error.response.get("error") or f"HTTP {error.response.status_code}"
            raise PostRejected(f"Slack refused the post: {reason}", retry_after(error)) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise PostRejected(f"Slack could not be reached: {error!r}") from error
        except SlackRequestError as error:  # a file's bytes refused by its upload URL
            raise PostRejected(f"Slack refused the file: {error}") from error

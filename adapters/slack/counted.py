"""A Web API client that reports each call Slack refuses, or that cannot reach Slack, by code.

Every Web API call paperbot makes (replies, digests, vote edits, bolt's own ``auth.test``) goes
through the one client the adapter makes, so counting in ``api_call`` misses none; the error
is raised on as before. Slack's 429s that the retry handlers wait out are not errors here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

ErrorSink = Callable[[str], None]


def error_code(error: BaseException) -> str | None:
    """Slack's code for a failed call (``not_in_channel``, ``ratelimited``), "timeout" or
    "unreachable"; None for what is not an API failure (a bug, a cancellation)."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error")
        return code if isinstance(code, str) and code else f"http_{error.response.status_code}"
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, aiohttp.ClientError):
        return "unreachable"
    return None


class CountingWebClient(AsyncWebClient):
    def __init__(self, *, on_error: ErrorSink, **options: Any) -> None:
        super().__init__(**options)
        self._on_error = on_error

    async def api_call(self, api_method: str, **options: Any) -> AsyncSlackResponse:
        try:
            return await super().api_call(api_method, **options)
        except Exception as error:
            code = error_code(error)
            if code is not None:
                self._on_error(code)
            raise

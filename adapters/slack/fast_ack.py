"""Acknowledge slash commands and button clicks before bolt runs: Slack's deadline is 3 s,
ours is 100 ms.

bolt acknowledges a command only after its middleware and listener runner have had their turn
on the event loop (a few milliseconds each, with ``ack()`` polled every 10 ms), so a burst of
commands queues their acks behind one another (docs/benchmarks.md). A slash command's answer,
like a ``block_actions`` click's, is an empty 200 whatever it asks, so this ASGI layer answers
at once and hands the request to bolt in the background (bolt checks the signature again, and
its ack goes nowhere). Everything else (events, whose URL check needs bolt's reply body, other
interactions such as modal submissions) goes to bolt, and bolt's answer back. Acknowledged
requests wait in an ``AckFirstQueue`` until their burst has been acknowledged (ack_first.py).

Every request to the events path first passes the ``RequestGuard`` (guard.py): its size, its
signature and its payload are checked before anything parses it, and a refusal is one log line.
A command or click delivered again with the same signature within its window is acknowledged
but not run again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from slack_bolt.adapter.asgi.http_response import AsgiHttpResponse
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.request.payload_utils import is_block_actions, is_slash_command

from adapters.slack.ack_first import AckFirstQueue
from adapters.slack.guard import RecentSignatures, Refused, RequestGuard, bolt_request
from bot.facade import Deadline

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("paperbot.slack")


def acks_empty(request: AsyncBoltRequest) -> bool:
    """A slash command or a button click: requests whose acknowledgement is an empty 200."""
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    return is_slash_command(request.body) or is_block_actions(request.body)


class FastCommandAck:
    def __init__(self, inner: Any, app: AsyncApp, signing_secret: str, path: str) -> None:
        """``inner`` is bolt's ASGI handler (typed loosely by bolt), for every other path."""
        self._inner: Asgi = inner
        self._app = app
        self._guard = RequestGuard(signing_secret)
        self._path = path
        self._recent = RecentSignatures()
        self._acknowledged = AckFirstQueue(app.async_dispatch)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Left unwrapped by mutation testing (docs/testing.md): uvicorn calls the app with no
        # arguments to tell an app from a factory, and mutmut's wrapper would answer that call.
        await self._serve(scope, receive, send)  # pragma: no mutate

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self._path:
            await self._inner(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            signed = await self._guard.signed(headers, receive)
            query = scope.get("query_string", b"").decode("latin-1")
            request = bolt_request(signed.body, query, headers)
        except Refused as refused:
            client = (scope.get("client") or ("?",))[0]
            log.warning(
                "refused a request from %s: %s (HTTP %d)", client, refused.reason, refused.status
            )
            await _answer(send, refused.status, close=True)
            return
        if not acks_empty(request):
            response = await self._app.async_dispatch(request)
            answer = AsgiHttpResponse(response.status, response.headers, response.body)
            await send(answer.get_response_start())
            await send(answer.get_response_body())
            return
        await _answer(send, 200)
        if self._recent.first(signed):
            self._acknowledged.add(request)
        else:
            log.info("a command or click delivered again with the same signature: not run again")

    async def drain(self, deadline: Deadline | None = None) -> None:
        """Let commands and clicks already acknowledged finish (at stop), within ``deadline``."""
        await self._acknowledged.drain(deadline)


async def _answer(send: Send, status: int, *, close: bool = False) -> None:
    """An empty answer; ``close`` ends the connection, so an unread body is not read on."""
    headers = [(b"content-length", b"0")]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})

"""Acknowledge slash commands and button clicks before bolt runs: Slack's deadline is 3 s,
ours is 100 ms.

bolt acknowledges a command only after its middleware and listener runner have had their turn
on the event loop (a few milliseconds each, with ``ack()`` polled every 10 ms), so a burst of
commands queues their acks behind one another (docs/benchmarks.md). A slash command's answer,
like a ``block_actions`` click's, is an empty 200 whatever it asks, so this ASGI layer checks
the signature itself, answers at once and hands the request to bolt in the background (bolt
checks it again, and its ack goes nowhere). Everything else (events, whose URL check needs
bolt's reply body, other interactions such as modal submissions, OAuth) passes straight to
bolt's handler. Acknowledged requests wait in an ``AckFirstQueue`` until their burst has been
acknowledged (ack_first.py). No body larger than ``guard.MAX_BODY`` is read (413).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.ack_first import AckFirstQueue
from adapters.slack.guard import MAX_BODY, Refused, check_length, read_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("paperbot.slack")


def acks_empty(body: bytes, content_type: str) -> bool:
    """A slash command or a button click: requests whose acknowledgement is an empty 200."""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return False
    form = parse_qs(body.decode("utf-8", "replace"))
    if "payload" not in form:
        return "command" in form
    try:
        payload = json.loads(form["payload"][0])
    except ValueError:
        return False
    return isinstance(payload, dict) and payload.get("type") == "block_actions"


class FastCommandAck:
    def __init__(self, inner: Any, app: AsyncApp, signing_secret: str, path: str) -> None:
        """``inner`` is bolt's ASGI handler (typed loosely by bolt)."""
        self._inner: Asgi = inner
        self._verifier = SignatureVerifier(signing_secret)
        self._path = path
        self._acknowledged = AckFirstQueue(app.async_dispatch)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self._path:
            await self._inner(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            check_length(headers)
            body = await read_body(receive, MAX_BODY)
        except Refused as refused:
            client = (scope.get("client") or ("?",))[0]
            log.warning(
                "refused a request from %s: %s (HTTP %d)", client, refused.reason, refused.status
            )
            await _answer(send, refused.status, close=True)
            return
        content_type = headers.get("content-type", "")
        if acks_empty(body, content_type) and self._verifier.is_valid_request(body, headers):
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            request = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=scope.get("query_string", b"").decode(),
                headers=headers,
            )
            self._acknowledged.add(request)
            return
        await self._inner(scope, _replay(body), send)

    async def drain(self) -> None:
        """Let commands and clicks already acknowledged finish (at stop)."""
        await self._acknowledged.drain()


async def _answer(send: Send, status: int, *, close: bool = False) -> None:
    """An empty answer; ``close`` ends the connection, so an unread body is not read on."""
    headers = [(b"content-length", b"0")]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive

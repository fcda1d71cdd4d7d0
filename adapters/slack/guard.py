"""What a request to ``/slack/events`` must pass before anything reads it on.

A body over ``MAX_BODY`` is refused (413) from its declared length before it is read, or as soon
as a chunked one passes the cap, so nothing larger is buffered. Each refusal is one log line.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

# Slack's own payloads are small, except a click's, which carries the whole message it came
# from. The largest message paperbot renders (ten cards, every field at its cut) makes a
# block_actions body of about 41 KB in English and about 430 KB written all in emoji (a character
# is 12-16 bytes once JSON- and URL-encoded); commands and reaction events are a few KB. 1 MiB
# stays above all of them (tests/slack/test_untrusted_requests.py holds it to the largest) and
# keeps one request's memory bounded.
MAX_BODY = 1 << 20

_LENGTH = re.compile(r"[0-9]{1,20}")


class Refused(Exception):
    """The request is answered with ``status`` and logged once with ``reason``."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_length(headers: Mapping[str, str]) -> None:
    """``Refused`` (413) for a body declared over the cap, before any of it is read."""
    declared = headers.get("content-length")
    if declared is None:
        return
    if not _LENGTH.fullmatch(declared):
        raise Refused(400, "a Content-Length that is not a number")
    if int(declared) > MAX_BODY:
        raise Refused(413, f"a body of {declared} bytes declared")


async def read_body(receive: Receive, cap: int) -> bytes:
    """The whole body, or ``Refused`` (413) as soon as it would pass ``cap`` bytes."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "the client left before its body ended")
        chunk = message.get("body", b"")
        if len(body) + len(chunk) > cap:
            raise Refused(413, f"a body past {cap} bytes")
        body += chunk
        if not message.get("more_body", False):
            return bytes(body)

"""What a request to ``/slack/events`` must pass before anything parses it or acts on it.

Unauthenticated requests are cheap and quiet: a body over ``MAX_BODY`` is refused (413) from its
declared length before it is read, or as soon as a chunked one passes the cap, so nothing larger
is buffered; a request without a valid signature is refused (401) before its body is parsed, and
without its body even being read when its signature headers are missing or stale; a signed body
that is not a Slack payload is refused (400). Each refusal is one log line, never a traceback.
Slack signs every request it sends (``ssl_check`` ones too), over the raw body.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncBoltRequest

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

# Slack's own payloads are small, except a click's, which carries the whole message it came
# from. The largest message paperbot renders (ten cards, every field at its cut) makes a
# block_actions body of about 41 KB in English and about 430 KB written all in emoji (a character
# is 12-16 bytes once JSON- and URL-encoded); commands and reaction events are a few KB. 1 MiB
# stays above all of them (tests/slack/test_untrusted_requests.py holds it to the largest) and
# keeps one request's memory bounded.
MAX_BODY = 1 << 20

# Slack's replay protection: a timestamp more than five minutes from now is refused.
SIGNATURE_WINDOW = 300

_LENGTH = re.compile(r"[0-9]{1,20}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    """The request is answered with ``status`` and logged once with ``reason``."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Signed:
    """A request whose signature checked out: its body, and the signature naming it."""

    body: bytes
    signature: str
    expires: float  # when its timestamp leaves the window: no replay of it is accepted after


class RequestGuard:
    """The checks, in the order that keeps a refusal cheap: declared size, signature headers,
    body size, signature."""

    def __init__(self, signing_secret: str, *, clock: Callable[[], float] = time.time) -> None:
        if not signing_secret:
            raise ValueError("a signing secret is needed to check Slack's requests")
        self._secret = signing_secret.encode()
        self._clock = clock

    async def signed(self, headers: Mapping[str, str], receive: Receive) -> Signed:
        """The body, once its length and signature check out; raises ``Refused``."""
        check_length(headers)
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not timestamp or not signature:
            raise Refused(401, "no Slack signature")
        if not _TIMESTAMP.fullmatch(timestamp):
            raise Refused(401, "a signature timestamp that is not a number")
        if abs(self._clock() - int(timestamp)) > SIGNATURE_WINDOW:
            raise Refused(401, "a signature timestamp outside Slack's five minutes")
        body = await read_body(receive, MAX_BODY)
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.encode("latin-1", "replace")):
            raise Refused(401, "a wrong signature")
        return Signed(body, expected, int(timestamp) + SIGNATURE_WINDOW)


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


def bolt_request(body: bytes, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest:
    """The signed body as bolt reads it, or ``Refused`` (400) when it is not a Slack payload:
    not UTF-8, a ``payload=`` or JSON body that is not a JSON object, fields of the wrong type."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "a body that is not UTF-8") from None
    try:  # bolt parses the body and reads its team, user and channel while building the request
        request = AsyncBoltRequest(body=text, query=query, headers={**headers})
    except Exception as error:  # whatever it raises, the body is not a payload bolt can use
        raise Refused(400, f"a body that is not a Slack payload ({type(error).__name__})") from None
    if not isinstance(request.body, dict):
        raise Refused(400, "a body that is not a JSON object")
    return request


class RecentSignatures:
    """The signatures of the requests run within their signature window, so a replay (the same
    body and timestamp, hence the same signature) runs once. Kept in this process's memory
    until the window closes, at most ``limit`` of them (the oldest go first; only signed
    requests get here, so only Slack's traffic fills it): replicas behind one address would
    each run a replay once, which a shared table (like the core's ``processed_event``) would
    prevent at the cost of a write per command."""

    def __init__(self, limit: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self._limit = limit
        self._clock = clock
        self._seen: set[str] = set()
        self._order: deque[tuple[float, str]] = deque()  # (expires, signature), as they came

    def first(self, signed: Signed) -> bool:
        """Whether ``signed`` is seen for the first time (and remember it until it expires)."""
        now, order = self._clock(), self._order
        while order and (order[0][0] < now or len(order) >= self._limit):
            _, old = order.popleft()
            self._seen.discard(old)
        if signed.signature in self._seen:
            return False
        self._seen.add(signed.signature)
        order.append((signed.expires, signed.signature))
        return True

"""The request guard's edges, on its own: Slack's five minutes and the body cap are inclusive,
a client that leaves mid-body and a signature no Slack would send are refused, not crashed on.

The guard reads the ASGI ``receive`` callable; here it is a plain function handing out chunks.
"""

from __future__ import annotations

import pytest

from adapters.slack.guard import (
    MAX_BODY,
    SIGNATURE_WINDOW,
    Message,
    Receive,
    Refused,
    RequestGuard,
)
from loopback.slack_signing import SECRET, signature

NOW = 1_800_000_000
BODY = b"command=%2Fpapers&text=help"


def receiving(*messages: Message) -> Receive:
    """An ASGI ``receive`` that hands out ``messages`` in order."""
    pending = list(messages)

    async def receive() -> Message:
        return pending.pop(0)

    return receive


def whole(body: bytes) -> Message:
    return {"type": "http.request", "body": body, "more_body": False}


def headers_for(body: bytes, timestamp: int, *, sign: str | None = None) -> dict[str, str]:
    """Slack's signature headers, without a Content-Length: the body's size is checked as read."""
    stamp = str(timestamp)
    return {
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": sign if sign is not None else signature(SECRET, stamp, body),
    }


def guard_at(now: float) -> RequestGuard:
    return RequestGuard(SECRET, clock=lambda: now)


async def test_a_request_signed_exactly_five_minutes_ago_or_ahead_is_accepted() -> None:
    for stamp in (NOW - SIGNATURE_WINDOW, NOW + SIGNATURE_WINDOW):
        signed = await guard_at(NOW).signed(headers_for(BODY, stamp), receiving(whole(BODY)))
        assert signed.body == BODY
        assert signed.expires == stamp + SIGNATURE_WINDOW


async def test_a_request_signed_a_second_past_five_minutes_is_refused() -> None:
    for stamp in (NOW - SIGNATURE_WINDOW - 1, NOW + SIGNATURE_WINDOW + 1):
        with pytest.raises(Refused) as refused:
            await guard_at(NOW).signed(headers_for(BODY, stamp), receiving(whole(BODY)))
        assert refused.value.status == 401


async def test_a_signature_outside_latin_1_is_a_wrong_signature_not_a_crash() -> None:
    headers = headers_for(BODY, NOW, sign="v0=☃" + "0" * 63)
    with pytest.raises(Refused) as refused:
        await guard_at(NOW).signed(headers, receiving(whole(BODY)))
    assert (refused.value.status, refused.value.reason) == (401, "a wrong signature")


async def test_a_body_of_exactly_the_cap_is_read_and_one_byte_more_is_refused() -> None:
    at_cap = b"a" * MAX_BODY
    halves = ({"type": "http.request", "body": at_cap[:10], "more_body": True}, whole(at_cap[10:]))
    headers = headers_for(at_cap, NOW)
    signed = await guard_at(NOW).signed(headers, receiving(*halves))
    assert len(signed.body) == MAX_BODY
    over = ({"type": "http.request", "body": at_cap, "more_body": True}, whole(b"a"))
    with pytest.raises(Refused) as refused:
        await guard_at(NOW).signed(headers, receiving(*over))
    assert refused.value.status == 413


async def test_a_client_that_leaves_before_its_body_ends_is_refused_with_400() -> None:
    started = {"type": "http.request", "body": BODY[:5], "more_body": True}
    with pytest.raises(Refused) as refused:
        await guard_at(NOW).signed(
            headers_for(BODY, NOW),
            receiving(started, {"type": "http.disconnect"}),
        )
    assert refused.value.status == 400


def unread() -> Receive:
    """A ``receive`` the guard must not call: the request is refused from its headers."""

    async def receive() -> Message:
        raise AssertionError("the body was read")

    return receive


async def test_a_missing_signature_or_timestamp_is_refused_before_the_body_is_read() -> None:
    signed = headers_for(BODY, NOW)
    for missing in ("x-slack-signature", "x-slack-request-timestamp"):
        headers = {name: value for name, value in signed.items() if name != missing}
        with pytest.raises(Refused) as refused:
            await guard_at(NOW).signed(headers, unread())
        assert (refused.value.status, refused.value.reason) == (401, "no Slack signature")


async def test_a_content_length_that_is_not_a_number_is_a_bad_request() -> None:
    headers = {**headers_for(BODY, NOW), "content-length": "12abc"}
    with pytest.raises(Refused) as refused:
        await guard_at(NOW).signed(headers, unread())
    assert refused.value.status == 400

"""Requests Slack did not send (or sent once): refused cheaply, each in one log line, run once.

Against the app served on loopback, with raw requests where a client library would not send them
as they are (a body declared but never sent, a chunked body that never ends).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncApp

from adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from adapters.slack.fast_ack import FastCommandAck, Message
from adapters.slack.guard import MAX_BODY, RecentSignatures, Signed
from adapters.slack.render import SLACK_LIMITS, render_reply
from bot.model import Paper, Tally
from bot.reply import Heading, PaperCard, Reply
from bot.reply_split import split_reply
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET, SlackSender, command_form
from tests.slack.conftest import RecordingCore, sender_for, serve_slack

FORM = "application/x-www-form-urlencoded"
CHUNK = 64 * 1024


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record, uvicorn's too (its loggers do not propagate to the root)."""
    uvicorn = logging.getLogger("uvicorn")
    uvicorn.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        uvicorn.removeHandler(caplog.handler)


def assert_quiet(logs: pytest.LogCaptureFixture, refused: int) -> None:
    """``refused`` one-line refusals, and nothing else worth a warning: no traceback."""
    records = logs.records
    assert [r for r in records if r.exc_info or r.levelno >= logging.ERROR] == []
    lines = [r.getMessage() for r in records if r.getMessage().startswith("refused")]
    assert len(lines) == refused
    assert all("\n" not in line for line in lines)


async def exchange(adapter: SlackAdapter, head: dict[str, str], body: Iterator[bytes]) -> bytes:
    """Send a request's head and ``body`` as they are, then read the answer until the server
    closes the connection (5 s at most)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", adapter.port)
    try:
        lines = [
            f"POST {EVENTS_PATH} HTTP/1.1",
            "Host: 127.0.0.1",
            *(f"{k}: {v}" for k, v in head.items()),
        ]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        for part in body:
            writer.write(part)
            await writer.drain()
        return await asyncio.wait_for(reader.read(), 5.0)
    finally:
        writer.close()


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def fresh_but_unsigned() -> dict[str, str]:
    """Signature headers that pass every check but the signature itself (only a body's can)."""
    return {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }


async def test_a_body_declared_over_the_cap_gets_413_before_it_is_sent(
    slack_app: SlackAdapter, fake_slack: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    """One unsigned 200 MB POST: answered from its Content-Length alone, nothing read."""
    head = {"Content-Type": FORM, "Content-Length": str(200 * 1024 * 1024)}
    answer = await exchange(slack_app, head, iter(()))
    assert status_of(answer) == 413
    assert fake_slack.calls == []
    assert_quiet(logs, refused=1)


async def test_a_chunked_body_gets_413_as_soon_as_it_passes_the_cap(
    slack_app: SlackAdapter, fake_slack: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    """The body never ends; the answer comes once one byte more than the cap has arrived."""

    def chunks() -> Iterator[bytes]:
        left = MAX_BODY + 1
        while left:
            size = min(CHUNK, left)
            left -= size
            yield b"%x\r\n" % size + b"a" * size + b"\r\n"

    head = {"Content-Type": FORM, "Transfer-Encoding": "chunked", **fresh_but_unsigned()}
    answer = await exchange(slack_app, head, chunks())
    assert status_of(answer) == 413
    assert fake_slack.calls == []
    assert_quiet(logs, refused=1)


async def test_the_front_never_takes_more_of_a_body_than_the_cap() -> None:
    """The request handler pulls chunks only while the body is within the cap; bolt gets none."""
    handed: list[int] = []
    sent: list[Message] = []
    inner_called = False

    async def receive() -> Message:
        handed.append(CHUNK)
        more = sum(handed) < 4 * MAX_BODY
        return {"type": "http.request", "body": b"a" * CHUNK, "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    async def inner(*_: Any) -> None:
        nonlocal inner_called
        inner_called = True

    front = FastCommandAck(inner, AsyncApp(token="xoxb-test", signing_secret=SECRET), SECRET, "/")
    headers = [(k.lower().encode(), v.encode()) for k, v in fresh_but_unsigned().items()]
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    await front(scope, receive, send)
    assert sent[0]["status"] == 413
    assert sum(handed) <= MAX_BODY + CHUNK
    assert not inner_called


def test_the_cap_admits_a_click_on_the_largest_message_paperbot_renders() -> None:
    """A click's payload carries its whole message: ten cards, every field past its cut, in
    emoji (12-16 bytes a character once JSON- and URL-encoded), still fits."""
    text = "😀" * 4000

    def card(n: int) -> PaperCard:
        paper = Paper(
            id=f"2606.{n:05d}",
            title=text,
            summary=text,
            authors=tuple(text[:40] for _ in range(20)),
            upvotes=9999,
            github_repo="https://github.com/" + "a" * 200,
            project_page="https://example.org/" + "p" * 200,
            ai_summary=text,
        )
        return PaperCard(paper, rank=n, tally=Tally(999, 999))

    reply = Reply((Heading(text), *(card(n) for n in range(1, 21))))
    for message in split_reply(reply, SLACK_LIMITS):
        rendered = render_reply(message)
        payload = click_payload(
            {"type": "message", "text": rendered.text, "blocks": rendered.blocks}
        )
        for ascii_only in (True, False):
            body = urlencode({"payload": json.dumps(payload, ensure_ascii=ascii_only)})
            assert len(body.encode()) < MAX_BODY


def click_payload(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1", "domain": "lab"},
        "user": {"id": "U1", "username": "ada", "team_id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "1234567890.1234567890.abcdef0123456789abcdef0123456789",
        "container": {"type": "message", "message_ts": "1780000000.000001", "channel_id": "C1"},
        "channel": {"id": "C1", "name": "papers"},
        "message": {**message, "ts": "1780000000.000001", "bot_id": "BBOT", "user": "UBOT"},
        "response_url": "https://hooks.slack.com/actions/T1/1234567890/" + "x" * 24,
        "actions": [{"type": "button", "action_id": "vote:2606.00001:up", "block_id": "b",
                     "value": "v", "action_ts": "1780000000.000002"}],
        "state": {"values": {}},
    }  # fmt: skip


COMMAND = urlencode(command_form("help", "http://127.0.0.1:9/respond")).encode()
JSON = "application/json"


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        pytest.param(
            COMMAND,
            FORM,
            {"X-Slack-Request-Timestamp": None, "X-Slack-Signature": None},
            id="no signature headers",
        ),
        pytest.param(COMMAND, FORM, {"X-Slack-Request-Timestamp": "soon"}, id="timestamp"),
        pytest.param(COMMAND, FORM, {"X-Slack-Request-Timestamp": "9" * 5000}, id="long timestamp"),
        pytest.param(COMMAND, FORM, {"X-Slack-Signature": "v0=é"}, id="non-ascii signature"),
        pytest.param(b"command=%2Fpapers&text=\xff\xfe", FORM, {}, id="invalid utf-8"),
        pytest.param(b"payload=%5B1%5D", FORM, {}, id="payload not an object"),
        pytest.param(b"payload=%7Bnot+json", FORM, {}, id="payload not json"),
        pytest.param(b"[]", JSON, {}, id="json list"),
    ],
)
async def test_an_unsigned_malformed_request_gets_401_and_one_log_line(
    slack: SlackSender,
    fake_slack: FakeSlack,
    logs: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
    headers: dict[str, str | None],
) -> None:
    sent = {"Content-Type": content_type, **fresh_but_unsigned(), **headers}
    status, _ = await slack.post(body, {k: v for k, v in sent.items() if v is not None})
    assert status == 401
    assert fake_slack.calls == []
    assert_quiet(logs, refused=1)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"command=%2Fpapers&text=\xff\xfe", FORM, id="invalid utf-8"),
        pytest.param(b"command=%2Fpapers&text=caf\xe9", FORM, id="latin-1"),
        pytest.param(b"payload=%5B1%5D", FORM, id="payload not an object"),
        pytest.param(b"payload=%7Bnot+json", FORM, id="payload not json"),
        pytest.param(b"payload=%7B%22team%22%3A5%7D", FORM, id="payload of wrong types"),
        pytest.param(b"[]", JSON, id="json list"),
    ],
)
async def test_a_signed_body_that_is_no_slack_payload_gets_400_and_one_log_line(
    slack: SlackSender,
    fake_slack: FakeSlack,
    logs: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    status, _ = await slack.post(body, slack.signed_headers(body, content_type))
    assert status == 400
    assert fake_slack.calls == []
    assert_quiet(logs, refused=1)


async def test_a_replayed_signed_command_runs_once(
    core: RecordingCore, fake_slack: FakeSlack
) -> None:
    """The same body and timestamp again within Slack's five minutes: acknowledged, not run;
    the same command typed again (its own trigger_id, so its own signature) runs."""
    adapter = serve_slack(core, fake_slack)
    await adapter.start()
    try:
        slack = sender_for(adapter)
        body = urlencode(command_form("paper 2606.00467", fake_slack.response_url()))
        headers = slack.signed_headers(body, FORM)
        first = await slack.post(body.encode(), headers)
        replay = await slack.post(body.encode(), headers)
        again = await slack.command("paper 2606.00467", fake_slack.response_url())
    finally:
        await adapter.stop()  # lets every acknowledged command finish
    assert first[0] == replay[0] == again[0] == 200
    assert len(fake_slack.called("chat.postMessage")) == 2


def test_a_signature_is_remembered_until_its_window_closes_and_the_oldest_go_first() -> None:
    now = [1000.0]
    recent = RecentSignatures(limit=2, clock=lambda: now[0])
    early = Signed(b"", "early", expires=1300.0)
    assert recent.first(early)
    assert not recent.first(early)  # a replay
    now[0] = 1300.0  # the last second the guard still accepts its timestamp
    assert not recent.first(early)
    now[0] = 1300.5  # its timestamp has left the window: the guard refuses it from now on
    assert recent.first(early)
    b, c, d = (Signed(b"", name, expires=1600.0) for name in "bcd")
    assert recent.first(b)
    assert recent.first(c)
    assert recent.first(d)  # a third within the limit of two: the oldest (b) goes
    assert not recent.first(d)
    assert recent.first(b)

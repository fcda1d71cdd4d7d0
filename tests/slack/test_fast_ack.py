"""Which requests the HTTP front answers with an empty 200 before bolt runs."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from adapters.slack.fast_ack import acks_empty
from loopback.slack_signing import command_form

FORM = "application/x-www-form-urlencoded"


def interaction(kind: str) -> bytes:
    return urlencode({"payload": json.dumps({"type": kind})}).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "fast"),
    [
        (urlencode(command_form("search lora", "http://x")).encode(), FORM, True),
        (interaction("block_actions"), FORM, True),
        (interaction("view_submission"), FORM, False),  # its ack may carry errors for the modal
        (b"payload=%7Bnot+json", FORM, False),
        (
            json.dumps({"type": "url_verification", "challenge": "c"}).encode(),
            "application/json",
            False,
        ),
    ],
)
def test_only_commands_and_clicks_are_acked_before_bolt(
    body: bytes, content_type: str, fast: bool
) -> None:
    assert acks_empty(body, content_type) is fast

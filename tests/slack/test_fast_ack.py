"""Which requests the HTTP front answers with an empty 200 before bolt runs."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncBoltRequest

from adapters.slack.fast_ack import acks_empty
from loopback.slack_signing import command_form

FORM = "application/x-www-form-urlencoded"


def interaction(kind: str) -> str:
    return urlencode({"payload": json.dumps({"type": kind, "actions": []})})


@pytest.mark.parametrize(
    ("body", "content_type", "fast"),
    [
        (urlencode(command_form("search lora", "http://x")), FORM, True),
        (interaction("block_actions"), FORM, True),
        (interaction("view_submission"), FORM, False),  # its ack may carry errors for the modal
        (
            json.dumps({"type": "url_verification", "challenge": "c"}),
            "application/json",
            False,
        ),
    ],
)
def test_only_commands_and_clicks_are_acked_before_bolt(
    body: str, content_type: str, fast: bool
) -> None:
    request = AsyncBoltRequest(body=body, headers={"content-type": content_type})
    assert acks_empty(request) is fast

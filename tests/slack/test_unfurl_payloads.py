"""The pure half of Slack unfurls: ``link_shared`` payloads, clicks in an unfurl, their refs,
and the two app manifests that ask Slack for the events and scopes unfurling needs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.slack.oauth import BOT_SCOPES
from adapters.slack.translate import (
    MAX_REF,
    button_vote,
    parse_unfurl_ref,
    shared_links,
    unfurl_ref,
)
from loopback.slack_signing import link_shared_event

NOW = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
MANIFESTS = sorted((Path(__file__).parents[2] / "deploy" / "slack").glob("manifest*.yml"))
LINK = "https://huggingface.co/papers/2606.00467"


def test_a_link_shared_event_names_its_links_workspace_and_message() -> None:
    body = {"event": link_shared_event("1780000500.000100", LINK), "team_id": "T1"}
    body["authorizations"] = [{"team_id": "T9"}]  # the installation it was delivered to
    found = shared_links(body)
    assert found is not None
    shared, target = found
    assert (shared.platform, shared.workspace, shared.channel, shared.user) == (
        "slack",
        "T9",
        "C1",
        "U1",
    )
    assert shared.urls == (LINK,)
    assert (target.channel, target.message_ts, target.in_composer) == (
        "C1",
        "1780000500.000100",
        False,
    )


def test_a_link_in_the_message_box_is_unfurled_by_its_unfurl_id() -> None:
    event = link_shared_event("1780000500.000100", LINK, source="composer")
    found = shared_links({"event": event, "team_id": "T1"})
    assert found is not None
    _, target = found
    assert target.in_composer
    assert target.unfurl_id == event["unfurl_id"]


def test_other_events_are_not_shared_links() -> None:
    assert shared_links({"event": {"type": "reaction_added"}}) is None


def test_a_click_in_an_unfurl_names_the_card_by_message_and_link() -> None:
    body = {
        "actions": [{"action_id": "vote:2606.00467:up", "action_ts": "1780000600.000001"}],
        "container": {
            "type": "message_attachment",
            "message_ts": "1780000500.000100",
            "channel_id": "C1",
            "is_app_unfurl": True,
            "app_unfurl_url": LINK,
        },
        "user": {"id": "U2"},
        "team": {"id": "T1"},
    }
    vote = button_vote(body, NOW)
    assert vote is not None
    assert vote.message_ref == unfurl_ref("1780000500.000100", LINK)
    assert parse_unfurl_ref(vote.message_ref or "") == ("1780000500.000100", LINK)
    assert vote.card_alone, "an unfurl is one card: unrecorded, it is recorded as such"


def test_a_click_on_the_bots_own_message_is_not_a_card_alone() -> None:
    body = {
        "actions": [{"action_id": "vote:2606.00467:up", "action_ts": "1780000600.000001"}],
        "container": {"type": "message", "message_ts": "1780000000.000001", "channel_id": "C1"},
        "channel": {"id": "C1"},
        "user": {"id": "U2"},
        "team": {"id": "T1"},
    }
    vote = button_vote(body, NOW)
    assert vote is not None
    assert (vote.message_ref, vote.card_alone) == ("1780000000.000001", False)


def test_the_bots_own_messages_are_not_unfurls() -> None:
    assert parse_unfurl_ref("1780000000.000001") is None


def test_a_link_too_long_for_the_ledger_has_no_ref() -> None:
    long_link = LINK + "?utm=" + "x" * MAX_REF
    assert unfurl_ref("1780000500.000100", long_link) is None


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_each_manifest_asks_for_the_scopes_events_and_domains_of_unfurls(manifest: Path) -> None:
    text = manifest.read_text()
    scopes = re.search(r"bot:\n((?:\s+- .*\n)+)", text)
    assert scopes is not None
    assert tuple(re.findall(r"- ([\w:.]+)", scopes.group(1))) == BOT_SCOPES
    assert re.search(r"bot_events:\n(?:\s+- .*\n)*\s+- link_shared\b", text)
    domains = re.search(r"unfurl_domains:.*\n((?:\s+- .*\n)+)", text)
    assert domains is not None
    assert re.findall(r"- ([\w.]+)", domains.group(1)) == ["huggingface.co", "arxiv.org"]


def test_both_manifests_are_checked() -> None:
    assert [p.name for p in MANIFESTS] == ["manifest-socket.yml", "manifest.yml"]

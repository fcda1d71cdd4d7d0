"""Reactions, Slack's retries and request signatures, against the app served on loopback."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel
from bot.model.digests import DigestSpec, Subscription
from bot.votes.emoji import parse_reaction_map
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender
from storage.subscriptions import enabled_subscriptions, save_subscription
from storage.votes import export_votes
from tests.slack.conftest import (
    PAPER,
    TS,
    RecordingCore,
    eventually,
    sender_for,
    serve_slack,
    voters,
)


async def test_a_reaction_counts_as_a_vote_and_updates_the_message(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    status, _ = await slack.reaction(True, posted, "fire", event_ts=time.time())
    assert status == 200
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    [update] = fake_slack.called("chat.update")
    assert "Team: 👍 1 · 👎 0" in blocks_text(update)
    assert update["text"]  # the fallback notifications and screen readers show
    assert await voters(deps, dispatcher) == [("U2", 1)]


async def test_a_skin_toned_thumbs_down_counts_down(
    slack: SlackSender, fake_slack: FakeSlack, posted: str
) -> None:
    await slack.reaction(True, posted, "-1::skin-tone-3", event_ts=time.time())
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    assert "Team: 👍 0 · 👎 1" in blocks_text(fake_slack.called("chat.update")[-1])


async def test_added_then_removed_in_order_takes_the_vote_back(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    now = time.time()
    await slack.reaction(True, posted, "star", event_ts=now)
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.update")) == 1)
    await slack.reaction(False, posted, "star", event_ts=now + 1)
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.update")) == 2)
    assert "Team: 👍 0 · 👎 0" in blocks_text(fake_slack.called("chat.update")[-1])
    assert await voters(deps, dispatcher) == []


async def test_reactions_count_however_the_settings_spell_their_emoji(
    fake_slack: FakeSlack, deps: Deps, dispatcher: Dispatcher
) -> None:
    """PAPERBOT_VOTE_REACTIONS by Slack's names or by the characters Discord sends."""
    values = parse_reaction_map("🎉=1,👀=1,raising_hand=-1")
    configured = replace(
        deps, settings=deps.settings.model_copy(update={"reaction_values": values})
    )
    core = RecordingCore(configured, dispatcher)
    adapter = serve_slack(core, fake_slack)
    await adapter.start()
    try:
        slack = sender_for(adapter)
        await slack.command(f"paper {PAPER}", fake_slack.response_url())
        await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
        now = time.time()
        await slack.reaction(True, TS, "fire", user="U5", event_ts=now)  # not a vote here
        await slack.reaction(True, TS, "tada", user="U2", event_ts=now)
        await slack.reaction(True, TS, "eyes", user="U3", event_ts=now)
        await slack.reaction(True, TS, "woman-raising-hand::skin-tone-4", user="U4", event_ts=now)
        await core.handled(3)
        assert sorted(await voters(deps, dispatcher)) == [("U2", 1), ("U3", 1), ("U4", -1)]
        assert len(core.outcomes) == 3
    finally:
        await adapter.stop()


async def test_the_bots_own_reactions_never_count(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    status, _ = await slack.reaction(True, posted, "thumbsup", user="UBOT", event_ts=time.time())
    assert status == 200
    await slack.reaction(True, posted, "eyes", user="U2", event_ts=time.time())
    await slack.reaction(True, posted, "heart", user="U4", event_ts=time.time())
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    assert await voters(deps, dispatcher) == [("U4", 1)]
    assert len(fake_slack.called("chat.update")) == 1


async def test_a_replayed_event_gets_200_and_counts_once(
    slack: SlackSender,
    fake_slack: FakeSlack,
    core: RecordingCore,
    posted: str,
    deps: Deps,
    dispatcher: Dispatcher,
) -> None:
    at = time.time()
    first = await slack.reaction(True, posted, "fire", event_ts=at, event_id="Ev1")
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.update")) == 1)
    again = await slack.reaction(True, posted, "fire", event_ts=at, event_id="Ev1", retry=1)
    await slack.reaction(True, posted, "fire", user="U5", event_ts=at + 1)
    await core.handled(3)
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.update")) == 2)
    assert first[0] == again[0] == 200
    assert "Team: 👍 2 · 👎 0" in blocks_text(fake_slack.called("chat.update")[-1])
    assert sorted(await voters(deps, dispatcher)) == [("U2", 1), ("U5", 1)]


@pytest.mark.parametrize("action_id", ["vote:9999.99999:up", "vote:../../etc/passwd:up"])
async def test_a_forged_button_value_is_not_counted_and_the_clicker_is_told_no_such_paper(
    slack: SlackSender,
    fake_slack: FakeSlack,
    core: RecordingCore,
    posted: str,
    deps: Deps,
    action_id: str,
) -> None:
    status, _ = await slack.click(action_id, posted, fake_slack.response_url())
    assert status == 200
    await core.handled(1)
    notes = [blocks_text(r) or r["text"] for r in fake_slack.responses]
    assert [n for n in notes if "no such paper" in n] == ["Not counted: no such paper."]
    assert deps.db.read_now(lambda s: list(export_votes(s))) == []
    assert fake_slack.called("chat.update") == []


@pytest.mark.parametrize(("secret", "age"), [("wrong-secret", 0), (None, 600)])
async def test_a_bad_or_stale_signature_gets_401_and_changes_nothing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    posted: str,
    deps: Deps,
    dispatcher: Dispatcher,
    secret: str | None,
    age: float,
) -> None:
    calls = len(fake_slack.calls)
    status, _ = await slack.reaction(
        True, posted, "fire", event_ts=time.time(), secret=secret, age=age
    )
    assert status == 401
    status, _ = await slack.send(
        "command=%2Fpapers&text=search+lora&channel_id=C1&team_id=T1&user_id=U1",
        "application/x-www-form-urlencoded",
        secret=secret,
        age=age,
    )
    assert status == 401
    assert await voters(deps, dispatcher) == []
    assert len(fake_slack.calls) == calls


async def test_uninstalling_a_token_mode_app_stops_the_workspaces_digests(
    slack: SlackSender, deps: Deps
) -> None:
    sub = Subscription(Channel("slack", "T1", "C1"), DigestSpec(), "U1")
    deps.db.write_now(partial(save_subscription, sub=sub, now=datetime(2026, 6, 1, tzinfo=UTC)))
    status, _ = await slack.event({"type": "app_uninstalled", "event_ts": "1780000000.5"})
    assert status == 200
    await eventually(lambda: not deps.db.read_now(enabled_subscriptions))

"""Where and in what order a Slack vote counts, through the app on loopback, on each database:
in the workspace the card was posted through, whichever workspace the voter belongs to, and in
the order of Slack's own timestamps, whatever order the events arrive in."""

from __future__ import annotations

import time

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core, Invocation, vote_action_id
from bot.model import Paper
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from loopback.responders import RecordingResponder
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender
from storage.db import Database
from storage.papers import upsert_papers
from tests.slack.conftest import PAPER, RecordingCore, voters

HOME = "T1"  # where the app is installed: the card went out through this workspace
GUEST = "T2"  # a Slack Connect partner's workspace
HOST = "T9"  # the workspace a shared channel belongs to, without the app


@pytest.fixture
def deps(
    db: Database, sample_papers: list[Paper], fake_source: FakeSource, clock: FixedClock
) -> Deps:
    """The Slack fixtures' deps on SQLite and on PostgreSQL, with the one paper voted on."""
    db.write_now(lambda s: upsert_papers(s, [p for p in sample_papers if p.id == PAPER]))
    return Deps(Settings(database_url=db.url, timezone="UTC"), db, fake_source, clock=clock)


async def top(deps: Deps, dispatcher: Dispatcher, workspace: str) -> list[str]:
    """The papers on ``top`` (the leaderboard) in ``workspace``."""
    reply = await Core(deps, dispatcher).handle_command(
        Invocation("slack", workspace, "C1", "U1", "top"), RecordingResponder()
    )
    return [paper.id for paper in reply.papers]


async def test_a_click_from_another_workspace_counts_in_the_workspace_of_the_card(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    """In a Slack Connect channel a click's ``user.team_id`` is the clicker's home; ``team`` is
    the workspace the card was posted through, whose tally and leaderboard show the vote."""
    vote = vote_action_id(PAPER, 1)
    await slack.click(vote, posted, fake_slack.response_url(), user="U7", user_team=GUEST)
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    assert "Team: 👍 1 · 👎 0" in blocks_text(fake_slack.called("chat.update")[0])
    assert await top(deps, dispatcher, HOME) == [PAPER]
    assert await top(deps, dispatcher, GUEST) == []


async def test_a_reaction_in_a_channel_of_another_workspace_counts_in_the_workspace_of_the_card(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    """An event's top-level ``team_id`` is the workspace the shared channel belongs to; the card
    went out through the installation Slack names in ``authorizations``."""
    at = time.time()
    await slack.reaction(
        True, posted, "fire", user="U7", user_team=GUEST, channel_team=HOST, event_ts=at
    )
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.update")))
    assert "Team: 👍 1 · 👎 0" in blocks_text(fake_slack.called("chat.update")[0])
    assert await top(deps, dispatcher, HOME) == [PAPER]
    assert await top(deps, dispatcher, HOST) == []


async def test_reactions_count_in_the_order_of_their_event_ts_not_of_their_arrival(
    slack: SlackSender, core: RecordingCore, posted: str, deps: Deps, dispatcher: Dispatcher
) -> None:
    """U2's removal arrives before the addition it undoes; U3's addition arrives before an
    earlier removal. In arrival order, or all at one time (a removal wins a tie), U2 would
    keep a vote or U3 lose one."""
    at = time.time()
    await slack.reaction(False, posted, "thumbsup", user="U2", event_ts=at + 2)
    await slack.reaction(True, posted, "thumbsup", user="U2", event_ts=at)
    await slack.reaction(True, posted, "rocket", user="U3", event_ts=at + 2)
    await slack.reaction(False, posted, "rocket", user="U3", event_ts=at + 1)
    await core.handled(4)
    assert await voters(deps, dispatcher) == [("U3", 1)]

"""Where and in what order a Slack vote counts, through the app on loopback, on each database:
in the order of Slack's own timestamps, whatever order the events arrive in."""

from __future__ import annotations

import time

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Paper
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from loopback.slack_signing import SlackSender
from storage.db import Database
from storage.papers import upsert_papers
from tests.slack.conftest import PAPER, RecordingCore, voters


@pytest.fixture
def deps(
    db: Database, sample_papers: list[Paper], fake_source: FakeSource, clock: FixedClock
) -> Deps:
    """The Slack fixtures' deps on SQLite and on PostgreSQL, with the one paper voted on."""
    db.write_now(lambda s: upsert_papers(s, [p for p in sample_papers if p.id == PAPER]))
    return Deps(Settings(database_url=db.url, timezone="UTC"), db, fake_source, clock=clock)


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

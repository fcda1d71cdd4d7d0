"""today, week and month: how many days each covers, and how many papers one may ask for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.reply import Outcome
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.papers import upsert_papers
from tests.support.invoke import ask

END = date(2026, 6, 12)  # the newest Daily Papers day in the catalog


def catalog_deps(db: Database) -> Deps:
    """One paper on each of the 40 days up to END, older ones more upvoted."""
    papers = [
        make_paper(f"2606.{back:05d}", f"Back {back}", hf_daily_date=END - timedelta(days=back),
                   upvotes=100 + back)
        for back in range(40)
    ]  # fmt: skip
    db.write_now(lambda s: upsert_papers(s, papers))
    settings = Settings(database_url=db.url, timezone="UTC")
    return Deps(settings, db, FakeSource(), FixedClock(datetime(2026, 6, 13, 8, tzinfo=UTC)))


@pytest.mark.parametrize(("command", "days"), [("today", 1), ("week", 7), ("month", 30)])
async def test_each_window_covers_its_days_up_to_the_newest(
    db: Database, dispatcher: Dispatcher, command: str, days: int
) -> None:
    reply = await ask(dispatcher, catalog_deps(db), f"{command} 20")
    shown = {p.hf_daily_date for p in reply.papers}
    assert min(days, 20) == len(shown)
    first = END - timedelta(days=days - 1)  # the most upvoted papers are the window's oldest
    assert min(shown) == first  # type: ignore[type-var]


@pytest.mark.parametrize("text", ["today 21", "today 5000", "week 100", "month 99999999"])
async def test_counts_above_twenty_are_refused(
    sqlite_db: Database, dispatcher: Dispatcher, text: str
) -> None:
    reply = await ask(dispatcher, catalog_deps(sqlite_db), text)
    assert reply.outcome is Outcome.USAGE
    assert reply.papers == ()

"""today DATE, week YYYY-Www, month YYYY-MM: a calendar period like huggingface.co/papers shows,
from the catalog, or from Hugging Face (and then stored) when the catalog has nothing for it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Paper
from bot.reply import Heading, Outcome, Reply
from bot.settings import Settings
from bot.sources.errors import UpstreamUnavailable
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.papers import get_paper, upsert_papers
from tests.support.invoke import ask, texts

NEWEST = date(2026, 6, 12)  # a Friday, in ISO week 2026-W24 (Mon 8 Jun – Sun 14 Jun)


def paper_on(day: date, upvotes: int = 10) -> Paper:
    return make_paper(f"{day:%y%m}.{day.day:05d}", f"Paper of {day}", hf_daily_date=day,
                      upvotes=upvotes)  # fmt: skip


def deps_with(
    db: Database, catalog_days: list[date], source: FakeSource | None = None, offline: bool = False
) -> Deps:
    papers = [paper_on(day) for day in catalog_days]
    db.write_now(lambda s: upsert_papers(s, papers))
    settings = Settings(database_url=db.url, timezone="UTC", offline=offline)
    clock = FixedClock(datetime(2026, 6, 13, 8, tzinfo=UTC))
    return Deps(settings, db, source or FakeSource(), clock)


def heading(reply: Reply) -> str:
    first = reply.parts[0]
    assert isinstance(first, Heading)
    return first.text


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def test_a_date_shows_that_day_only(db: Database, dispatcher: Dispatcher) -> None:
    deps = deps_with(db, days(date(2026, 6, 1), NEWEST))
    reply = await ask(dispatcher, deps, "today 2026-06-03")
    assert {p.hf_daily_date for p in reply.papers} == {date(2026, 6, 3)}
    assert "Wed 03 Jun 2026" in heading(reply)


async def test_an_iso_week_runs_monday_to_sunday(db: Database, dispatcher: Dispatcher) -> None:
    deps = deps_with(db, days(date(2026, 5, 30), NEWEST))
    reply = await ask(dispatcher, deps, "week 2026-W23 20")
    assert {p.hf_daily_date for p in reply.papers} == set(days(date(2026, 6, 1), date(2026, 6, 7)))


async def test_a_day_names_the_week_it_falls_in(db: Database, dispatcher: Dispatcher) -> None:
    deps = deps_with(db, days(date(2026, 5, 30), NEWEST))
    by_day = await ask(dispatcher, deps, "week 20 2026-06-03")
    by_week = await ask(dispatcher, deps, "week 2026-W23 20")
    assert by_day.papers == by_week.papers


async def test_a_month_is_the_calendar_month(db: Database, dispatcher: Dispatcher) -> None:
    deps = deps_with(db, days(date(2026, 4, 25), date(2026, 6, 5)))
    reply = await ask(dispatcher, deps, "month 2026-05 20")
    shown = {p.hf_daily_date for p in reply.papers}
    assert len(shown) == 20
    assert all(day.month == 5 for day in shown)  # type: ignore[union-attr]
    assert "May 2026" in heading(reply)


async def test_a_period_the_catalog_lacks_is_fetched_once_and_stored(
    db: Database, dispatcher: Dispatcher
) -> None:
    old = date(2025, 3, 4)
    source = FakeSource(papers={"2503.00004": paper_on(old)})
    deps = deps_with(db, [NEWEST], source)
    first = await ask(dispatcher, deps, "today 2025-03-04")
    again = await ask(dispatcher, deps, "today 2025-03-04")
    assert [p.id for p in first.papers] == [p.id for p in again.papers] == ["2503.00004"]
    assert source.calls == [("period_papers", "2025-03-04")]
    assert db.read_now(lambda s: get_paper(s, "2503.00004")) is not None


async def test_an_empty_period_on_hugging_face_says_so(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = deps_with(db, [NEWEST])
    reply = await ask(dispatcher, deps, "month 2024-01")
    assert reply.outcome is Outcome.OK
    assert "lists nothing" in texts(reply)


async def test_hugging_face_down_answers_privately_with_the_reason(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    source = FakeSource(failure=UpstreamUnavailable("connection refused"))
    reply = await ask(dispatcher, deps_with(sqlite_db, [NEWEST], source), "week 2025-W10")
    assert reply.outcome is Outcome.UNAVAILABLE
    assert reply.private
    assert "2025-W10" in texts(reply)
    assert "connection refused" in texts(reply)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("month 2026-13", "YYYY-MM"),
        ("week 2026-W60", "YYYY-Www"),
        ("today 2026-02-30", "YYYY-MM-DD"),
        ("today 2026-W24", "YYYY-MM-DD"),
        ("month 2026-06-01", "YYYY-MM"),
        ("today 2026-06-20", "not begun"),
        ("week 2026-06-01 2026-06-08", "at most one"),
        ("today 5 6", "at most one"),
    ],
)
async def test_periods_that_cannot_be_answered_are_refused_with_the_shape(
    sqlite_db: Database, dispatcher: Dispatcher, text: str, says: str
) -> None:
    source = FakeSource()
    reply = await ask(dispatcher, deps_with(sqlite_db, [NEWEST], source), text)
    assert reply.outcome is Outcome.USAGE
    assert says in texts(reply)
    assert source.calls == []


async def test_the_current_week_is_allowed_before_it_ends(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    deps = deps_with(sqlite_db, days(date(2026, 6, 8), NEWEST))
    reply = await ask(dispatcher, deps, "week 2026-W24")
    assert reply.outcome is Outcome.OK
    assert len(reply.papers) == 5


async def test_offline_it_says_so_without_promising_a_fetch(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    source = FakeSource(failure=UpstreamUnavailable("paperbot runs offline"))
    deps = deps_with(sqlite_db, [NEWEST], source, offline=True)
    progress: list[str] = []
    reply = await ask(dispatcher, deps, "month 2023-01", progress=progress)
    assert "offline" in texts(reply)
    assert progress == []

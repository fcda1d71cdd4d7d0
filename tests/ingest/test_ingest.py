"""Ingest fills the catalog from Hugging Face day by day, idempotently, and reports bad days."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from bot.ingest import days_between, ingest_days
from bot.model import Paper
from bot.sources.hf.client import HuggingFaceClient
from loopback.hf import FakeHfServer, recorded_catalog
from loopback.ports import FakeSource, make_paper
from storage.db import Database
from storage.papers import count_papers, get_paper

WEEK = list(days_between(date(2026, 5, 18), date(2026, 5, 24)))  # Mon-Sun


async def no_wait(_seconds: float) -> None:
    """Retries happen at once: the tests check what is retried, not how long it waits."""


@pytest.fixture
async def hf(sqlite_db: Database) -> AsyncIterator[tuple[FakeHfServer, HuggingFaceClient]]:
    with FakeHfServer(recorded_catalog()) as server:
        async with HuggingFaceClient(server.base_url, max_retries=2, sleep=no_wait) as client:
            yield server, client


async def test_a_week_is_ingested_and_a_rerun_adds_nothing(
    sqlite_db: Database, hf: tuple[FakeHfServer, HuggingFaceClient]
) -> None:
    _, client = hf
    first = await ingest_days(sqlite_db, client, WEEK)
    stored = sqlite_db.read_now(count_papers)
    assert first.added == stored > 50
    assert first.empty_days == [date(2026, 5, 23), date(2026, 5, 24)]
    again = await ingest_days(sqlite_db, client, WEEK)
    assert (again.added, again.updated) == (0, stored)
    assert sqlite_db.read_now(count_papers) == stored


async def test_a_failing_day_is_reported_and_the_others_still_land(
    sqlite_db: Database, hf: tuple[FakeHfServer, HuggingFaceClient]
) -> None:
    server, client = hf
    server.respond_next(503, times=3)  # the first day's request and both its retries
    progress: list[tuple[date, int, str | None]] = []
    summary = await ingest_days(sqlite_db, client, WEEK[:2], lambda *p: progress.append(p))
    assert list(summary.failed_days) == [WEEK[0]]
    assert progress[0][2] is not None
    assert progress[1][1] > 0
    assert "1 failed" in summary.line()


async def test_ingested_papers_keep_their_daily_date(
    sqlite_db: Database, hf: tuple[FakeHfServer, HuggingFaceClient]
) -> None:
    _, client = hf
    await ingest_days(sqlite_db, client, [date(2026, 6, 12)])
    paper = sqlite_db.read_now(lambda s: get_paper(s, "2606.00467"))
    assert paper is not None
    assert paper.hf_daily_date == date(2026, 6, 12)


async def test_a_day_that_cannot_be_stored_is_reported_and_the_others_still_land(
    sqlite_db: Database,
) -> None:
    first, second = date(2026, 6, 11), date(2026, 6, 12)
    unstorable = Paper("2606.99999", "No fetch time", hf_daily_date=first)  # fetched_at missing
    stored = make_paper("2606.00001", "Fine", hf_daily_date=second)
    source = FakeSource(papers={p.id: p for p in (unstorable, stored)})
    summary = await ingest_days(sqlite_db, source, [first, second])
    assert list(summary.failed_days) == [first]
    assert "could not store" in summary.failed_days[first]
    assert summary.added == 1
    assert sqlite_db.read_now(lambda s: get_paper(s, "2606.00001")) is not None


async def test_ingest_stops_asking_a_source_that_failed_three_days_in_a_row(
    sqlite_db: Database, hf: tuple[FakeHfServer, HuggingFaceClient]
) -> None:
    server, client = hf
    server.respond_next(503, times=100)  # Hugging Face is down for good
    summary = await ingest_days(sqlite_db, client, WEEK)
    assert list(summary.failed_days) == WEEK[:3]
    assert summary.not_tried == WEEK[3:]
    assert len(server.requests) == 9  # three days, each asked once and retried twice
    assert "stopped after 3 failed days in a row, 4 day(s) not tried" in summary.line()


async def test_a_day_that_works_resets_the_count_of_failures(
    sqlite_db: Database, hf: tuple[FakeHfServer, HuggingFaceClient]
) -> None:
    server, client = hf
    server.respond_next(503, times=6)  # the first two days fail, then it recovers
    summary = await ingest_days(sqlite_db, client, WEEK)
    assert list(summary.failed_days) == WEEK[:2]
    assert summary.not_tried == []


class StalledSource(FakeSource):
    """A source that answers one day never (a server dripping a byte now and then)."""

    def __init__(self, stalled: date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stalled = stalled

    async def daily_papers(self, day: date) -> list[Paper]:
        if day == self.stalled:
            await asyncio.Event().wait()
        return await super().daily_papers(day)


async def test_a_day_that_never_finishes_fails_at_its_deadline_and_the_others_still_land(
    sqlite_db: Database,
) -> None:
    first, second = date(2026, 6, 11), date(2026, 6, 12)
    stored = make_paper("2606.00001", "Fine", hf_daily_date=second)
    source = StalledSource(first, papers={stored.id: stored})

    summary = await ingest_days(sqlite_db, source, [first, second], day_deadline=0.05)

    assert summary.failed_days == {first: "no complete answer within 0.05 s"}
    assert summary.added == 1

"""One Daily Papers fetch per day for every digest due together: shared while in flight, stored
once, kept for minutes (empty days and failures for less), and forgotten once stale."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

import pytest

from bot.digests.feed import DayFeed
from bot.model import Paper
from bot.sources.errors import UpstreamUnavailable
from loopback.ports import FakeSource, MonotonicClock
from tests.digests.helpers import paper

THU = date(2026, 6, 11)
FRI = date(2026, 6, 12)
# The feed's defaults, which the digest runner uses: five minutes, one minute, half a minute.
FRESH, EMPTY, FAILURE = 300.0, 60.0, 30.0


@dataclass
class Catalog:
    stored: list[list[str]] = field(default_factory=list)

    async def store(self, papers: list[Paper]) -> None:
        self.stored.append([p.id for p in papers])


def fetches(source: FakeSource, day: date = THU) -> int:
    return source.calls.count(("daily_papers", day))


@pytest.fixture
def source() -> FakeSource:
    return FakeSource(papers={"1": paper("1", THU, 5), "2": paper("2", THU, 9)})


def feed_of(source: FakeSource, clock: MonotonicClock, catalog: Catalog | None = None) -> DayFeed:
    store = catalog.store if catalog is not None else None
    return DayFeed(source, store=store, clock=clock)


async def test_digests_due_together_share_one_fetch_and_one_catalog_write(
    source: FakeSource,
) -> None:
    catalog = Catalog()
    feed = feed_of(source, MonotonicClock(), catalog)
    answers = await asyncio.gather(*(feed.day(THU) for _ in range(5)))
    assert [sorted(p.id for p in papers) for papers in answers] == [["1", "2"]] * 5
    assert fetches(source) == 1
    assert catalog.stored == [["1", "2"]]


async def test_a_day_is_fetched_again_once_it_has_been_kept_for_fresh_for(
    source: FakeSource,
) -> None:
    clock = MonotonicClock()
    feed = feed_of(source, clock)
    await feed.day(THU)
    clock.now += FRESH - 0.5
    await feed.day(THU)
    assert fetches(source) == 1
    clock.now += 0.5
    await feed.day(THU)
    assert fetches(source) == 2


async def test_an_empty_day_is_kept_for_less_and_never_written_to_the_catalog(
    source: FakeSource,
) -> None:
    clock, catalog = MonotonicClock(), Catalog()
    feed = feed_of(source, clock, catalog)
    assert await feed.day(FRI) == []
    clock.now += EMPTY - 0.5
    await feed.day(FRI)
    assert fetches(source, FRI) == 1
    clock.now += 0.5
    await feed.day(FRI)
    assert fetches(source, FRI) == 2
    assert catalog.stored == []


async def test_a_failure_reaches_every_waiter_and_is_kept_for_less_still(
    source: FakeSource,
) -> None:
    clock, catalog = MonotonicClock(), Catalog()
    feed = feed_of(source, clock, catalog)
    source.failure = UpstreamUnavailable("HF answered 503")
    answers = await asyncio.gather(*(feed.day(THU) for _ in range(3)), return_exceptions=True)
    assert [str(a) for a in answers] == ["HF answered 503"] * 3
    assert fetches(source) == 1
    clock.now += FAILURE - 0.5
    with pytest.raises(UpstreamUnavailable):
        await feed.day(THU)
    assert fetches(source) == 1
    source.failure = None
    clock.now += 0.5
    assert len(await feed.day(THU)) == 2
    assert fetches(source) == 2
    assert catalog.stored == [["1", "2"]]


async def test_each_caller_gets_its_own_list(source: FakeSource) -> None:
    feed = feed_of(source, MonotonicClock())
    first = await feed.day(THU)
    first.clear()
    assert len(await feed.day(THU)) == 2


async def test_fetching_another_day_keeps_a_fresh_one(source: FakeSource) -> None:
    clock = MonotonicClock()
    feed = feed_of(source, clock)
    await feed.day(THU)
    clock.now += FRESH - 0.5
    await feed.day(FRI)
    await feed.day(THU)
    assert fetches(source) == 1

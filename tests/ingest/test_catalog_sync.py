"""While the bot runs, the catalog keeps itself current: the newest days on every sync, the last
30 days' upvotes once a day, and the gap left by downtime, through Hugging Face's retries."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalog_sync import REFRESH_DAYS, CatalogSync, plan_sync
from bot.cli.runtime import _hf_clients, catalog_sync
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.ingest import days_between
from bot.reply import Heading, Reply
from bot.settings import Settings
from bot.sources.hf.client import HuggingFaceClient
from loopback.fixtures import HF_DAILY_2026_06_12
from loopback.hf import FakeHfServer, HfCatalog
from loopback.ports import FakeSource, FixedClock
from storage.db import Database
from storage.papers import get_paper, latest_daily_date
from tests.sources.fake_time import FakeTime
from tests.support.invoke import ask

FRI = date(2026, 6, 12)
TEMPLATE: dict[str, Any] = json.loads(HF_DAILY_2026_06_12.read_text(encoding="utf-8"))[0]


def item(paper_id: str, day: date, upvotes: int = 1, title: str = "") -> dict[str, Any]:
    """One Daily Papers item as Hugging Face sends it, listed on ``day``."""
    raw = copy.deepcopy(TEMPLATE)
    raw["paper"].update(
        id=paper_id,
        title=title or f"Paper {paper_id}",
        upvotes=upvotes,
        submittedOnDailyAt=f"{day.isoformat()}T00:00:00.000Z",
    )
    raw["title"] = raw["paper"]["title"]
    return raw


def shown(reply: Reply) -> str:
    """A trending reply's heading and its papers' titles."""
    heading = [p.text for p in reply.parts if isinstance(p, Heading)]
    return "\n".join([*heading, *(p.title for p in reply.papers)])


def weekdays(first: date, last: date) -> list[date]:
    return [day for day in days_between(first, last) if day.weekday() < 5]


@dataclass
class Hf:
    """The fake Hugging Face, what it lists, and the bot's clock and sync over it."""

    server: FakeHfServer
    items: dict[str, dict[str, Any]]
    clock: FixedClock
    time: FakeTime
    sync: CatalogSync
    db: Database

    def publish(self, *items: dict[str, Any]) -> None:
        self.items.update({raw["paper"]["id"]: raw for raw in items})
        self.server.catalog = HfCatalog.from_items(self.items.values())

    def publish_days(self, days: Iterable[date], per_day: int = 2) -> None:
        self.publish(
            *(
                item(f"{day:%y%m}.{day.day:03d}{n:02d}", day, n + 1)
                for day in days
                for n in range(per_day)
            )
        )

    def upvotes(self, paper_id: str) -> int | None:
        stored = self.db.read_now(partial(get_paper, paper_id=paper_id))
        return None if stored is None else stored.upvotes

    def stored(self, day: date) -> bool:
        return self.db.read_now(partial(latest_daily_date, on_or_before=day)) == day


@pytest.fixture
async def hf(db: Database) -> AsyncIterator[Hf]:
    clock = FixedClock(datetime(2026, 6, 12, 6, 0, tzinfo=UTC))
    fake_time = FakeTime()
    with FakeHfServer(HfCatalog.empty()) as server:
        async with HuggingFaceClient(
            server.base_url, sleep=fake_time.sleep, clock=fake_time.clock, now=clock
        ) as client:
            sync = CatalogSync(db, client, clock, minutes=15)
            yield Hf(server, {}, clock, fake_time, sync, db)


async def test_a_day_published_while_running_appears_in_today_on_the_next_sync(
    hf: Hf, dispatcher: Dispatcher
) -> None:
    hf.publish_days(weekdays(FRI - timedelta(days=10), FRI - timedelta(days=1)))
    deps = Deps(
        settings=Settings(database_url=hf.db.url), db=hf.db, source=FakeSource(), clock=hf.clock
    )
    await hf.sync.run()
    assert "Thu 11 Jun 2026" in shown(await ask(dispatcher, deps, "today"))

    hf.publish(item("2606.99999", FRI, 40, "Published while the bot runs"))
    hf.clock.now += timedelta(minutes=15)
    await hf.sync.run()

    reply = shown(await ask(dispatcher, deps, "today"))
    assert "Fri 12 Jun 2026" in reply
    assert "Published while the bot runs" in reply


async def test_upvotes_and_comments_of_the_last_30_days_are_refreshed_once_a_day(hf: Hf) -> None:
    old = FRI - timedelta(days=10)
    hf.publish(item("2606.00001", old, upvotes=5), item("2606.01101", FRI - timedelta(days=1)))
    await hf.sync.run()
    assert hf.upvotes("2606.00001") == 5

    hf.publish(item("2606.00001", old, upvotes=50))
    hf.clock.now += timedelta(minutes=15)
    await hf.sync.run()  # the newest days only: this day was refreshed a moment ago
    assert hf.upvotes("2606.00001") == 5

    hf.clock.now += timedelta(days=1)
    await hf.sync.run()
    assert hf.upvotes("2606.00001") == 50


async def test_a_rate_limit_is_waited_out(hf: Hf) -> None:
    hf.publish(item("2606.00001", FRI, upvotes=3))
    hf.server.respond_next(429, headers={"Retry-After": "30"}, path="/api/daily_papers")
    summary = await hf.sync.run()
    assert not summary.failed_days
    assert hf.stored(FRI)
    assert hf.time.slept >= 30


async def test_three_days_of_downtime_are_filled(hf: Hf) -> None:
    mon = FRI - timedelta(days=4)
    hf.clock.now = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)
    hf.publish_days(weekdays(mon - timedelta(days=20), mon))
    await hf.sync.run()
    assert hf.stored(mon)

    hf.publish_days(weekdays(mon + timedelta(days=1), FRI))  # listed while the bot was down
    hf.clock.now += timedelta(days=3)
    await hf.sync.run()
    assert all(hf.stored(day) for day in weekdays(mon, FRI - timedelta(days=1)))
    assert hf.upvotes("2606.00900") == 1  # Tuesday 9 Jun: neither of the newest two days


def test_the_plan_fetches_the_newest_two_days_and_refreshes_once_a_day() -> None:
    now = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
    fresh = plan_sync(now, FRI, now - timedelta(hours=23))
    assert (fresh.days, fresh.gap, fresh.refresh) == ([FRI - timedelta(days=1), FRI], (), False)
    stale = plan_sync(now, FRI, now - timedelta(hours=24))
    assert stale.refresh
    assert stale.days == list(days_between(FRI - timedelta(days=REFRESH_DAYS - 1), FRI))
    assert plan_sync(now, FRI, None).refresh  # never refreshed


def test_the_plan_back_fills_from_the_newest_stored_day_on_at_most_30_days() -> None:
    now = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
    refreshed = now - timedelta(hours=1)
    three_down = plan_sync(now, date(2026, 6, 8), refreshed)  # Monday may have been half listed
    assert three_down.gap == (date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 10))
    assert three_down.days == list(days_between(date(2026, 6, 8), FRI))
    current = plan_sync(now, FRI, refreshed)
    assert current.gap == ()
    long_down = plan_sync(now, date(2026, 3, 1), refreshed)
    assert long_down.days == list(days_between(FRI - timedelta(days=REFRESH_DAYS - 1), FRI))
    empty = plan_sync(now, None, refreshed)
    assert empty.days == long_down.days


def test_the_plan_uses_hugging_face_utc_days() -> None:
    late_in_new_york = datetime(2026, 6, 12, 3, 0, tzinfo=UTC)  # 11 Jun, 23:00 there
    plan = plan_sync(late_in_new_york.astimezone(ZoneInfo("America/New_York")), FRI, None)
    assert plan.newest == (FRI - timedelta(days=1), FRI)


async def test_no_sync_offline_or_when_turned_off(sqlite_db: Database) -> None:
    async with HuggingFaceClient("http://127.0.0.1:9") as client:
        on = Settings(database_url=sqlite_db.url)
        assert catalog_sync(on, sqlite_db, client) is not None
        off = Settings(database_url=sqlite_db.url, sync_minutes=0)
        assert catalog_sync(off, sqlite_db, client) is None
    offline = Settings(database_url=sqlite_db.url, offline=True)
    client_offline, _ = _hf_clients(offline)
    assert catalog_sync(offline, sqlite_db, client_offline) is None

"""Daylight-saving days: a fire that happens twice posts once; a fire whose local time does not
exist still fires, once. Driven through the real APScheduler trigger and the job function."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.model.digests import RunState, Subscription
from bot.scheduling.triggers import digest_trigger, fires_between
from tests.digests.helpers import Desk, local, paper

NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)
FALL_BACK = [("Europe/Berlin", "2026-10-25", "02:30"), ("America/New_York", "2026-11-01", "01:30")]
SPRING_FORWARD = [
    ("Europe/Berlin", "2026-03-29", "02:30"),
    ("America/New_York", "2026-03-08", "02:30"),
]


def fires_on(day: str, zone: str, sub: Subscription) -> list[datetime]:
    trigger = digest_trigger(sub.spec)
    start = local(f"{day} 00:00", zone)
    return fires_between(trigger, start, start + timedelta(hours=23, minutes=59))


@pytest.mark.parametrize(("zone", "day", "at"), FALL_BACK)
async def test_a_fall_back_double_fire_posts_once(desk: Desk, zone: str, day: str, at: str) -> None:
    friday = date.fromisoformat(day) - timedelta(days=2)
    desk.add_papers(paper("2610.00001", friday, 3), paper("2610.00002", friday, 9))
    sub = desk.subscribe(f"daily every day {at} {zone}", at=NEW_YEAR)
    fires = fires_on(day, zone, sub)
    assert len(fires) == 2
    assert fires[1] - fires[0] == timedelta(hours=1)

    assert [await desk.fire(sub, fire) for fire in fires] == [RunState.POSTED, None]
    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["2610.00002", "2610.00001"]
    assert f"{friday:%a %d %b %Y}" in post.heading


@pytest.mark.parametrize(("zone", "day", "at"), SPRING_FORWARD)
async def test_a_skipped_local_time_still_fires_once(
    desk: Desk, zone: str, day: str, at: str
) -> None:
    friday = date.fromisoformat(day) - timedelta(days=2)
    desk.add_papers(paper("2603.00001", friday, 3))
    sub = desk.subscribe(f"daily every day {at} {zone}", at=NEW_YEAR)
    [fire] = fires_on(day, zone, sub)
    # 02:30 does not exist that night: APScheduler fires at the same instant in the new offset.
    assert fire == local(f"{day} 03:30", zone)
    assert await desk.fire(sub, fire) is RunState.POSTED
    assert len(desk.poster.in_channel()) == 1
    # The next day fires at 02:30 again, and posts nothing new (Friday was already covered).
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    [monday] = fires_on(next_day, zone, sub)
    assert monday == local(f"{next_day} {at}", zone)
    assert await desk.fire(sub, monday) is None
    assert len(desk.poster.in_channel()) == 1

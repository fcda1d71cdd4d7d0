"""Which papers a digest covers, from the local date of its fire."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.digests.window import latest_weekday_before, window_at, window_for
from bot.model.digests import DigestSpec
from tests.digests.helpers import local


def test_daily_covers_the_latest_weekday_before_the_local_date() -> None:
    # Mon 15 Jun 2026 -> Fri 12; Tue -> Mon; Sat and Sun -> Fri.
    expected = {15: 12, 16: 15, 17: 16, 18: 17, 19: 18, 20: 19, 21: 19}
    for local_day, covered in expected.items():
        window = window_for("daily", date(2026, 6, local_day))
        assert window.days == (date(2026, 6, covered),)


def test_the_channels_time_zone_decides_the_local_date() -> None:
    spec = DigestSpec(local_time=time(7, 0), timezone="Pacific/Auckland")
    # 19:00 UTC on Monday is already Tuesday 07:00 in Auckland: the digest covers Monday.
    at = datetime.fromisoformat("2026-06-15T19:00:00+00:00")
    assert window_at(spec, at).days == (date(2026, 6, 15),)
    west = DigestSpec(local_time=time(20, 0), timezone="America/Los_Angeles")
    # ...while 03:00 UTC on Tuesday is still Monday evening in Los Angeles: it covers Friday.
    assert window_at(west, local("2026-06-15 20:00", "America/Los_Angeles")).days == (
        date(2026, 6, 12),
    )


def test_weekly_covers_the_previous_iso_week() -> None:
    window = window_for("weekly", date(2026, 6, 10))  # a Wednesday in week 24
    assert (window.first, window.last) == (date(2026, 6, 1), date(2026, 6, 7))
    assert window.weekdays == tuple(date(2026, 6, d) for d in range(1, 6))
    assert window.title() == "Weekly digest: Hugging Face papers of week 23 (01 Jun – 07 Jun 2026)"
    new_year = window_for("weekly", date(2027, 1, 4))  # Monday of 2027-W01
    assert (new_year.first, new_year.first.isocalendar().week) == (date(2026, 12, 28), 53)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_each_weekday_is_covered_by_exactly_one_mon_fri_digest(day: date) -> None:
    """Over the Mon-Fri fires of the following week, every weekday is covered exactly once."""
    if day.weekday() >= 5:
        return
    fires = [day + timedelta(days=i) for i in range(1, 8)]
    covering = [f for f in fires if f.weekday() < 5 and window_for("daily", f).first == day]
    assert len(covering) == 1
    assert latest_weekday_before(covering[0]) == day

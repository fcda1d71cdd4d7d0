"""Calendar periods as Hugging Face's site names them: a day, an ISO week, a month.

``today 2026-06-12``, ``week 2026-W24`` and ``month 2026-06`` ask for a fixed period instead of
the rolling window that ends on the newest Daily Papers day. The label is the same text Hugging
Face's ``/api/daily_papers`` takes as its ``date``, ``week`` or ``month`` filter, so one value
answers from the catalog and, when the catalog lacks the period, from Hugging Face.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.usage import UsageError

PeriodKind = Literal["date", "week", "month"]

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-[Ww](\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")

SHAPES: dict[PeriodKind, str] = {
    "date": "YYYY-MM-DD, e.g. 2026-06-12",
    "week": "YYYY-Www, e.g. 2026-W24, or a day of that week",
    "month": "YYYY-MM, e.g. 2026-06",
}


@dataclass(frozen=True, slots=True)
class CalendarPeriod:
    """Days ``first`` to ``last``, both included; ``label`` is Hugging Face's name for them."""

    kind: PeriodKind
    first: date
    last: date
    label: str

    def hf_filter(self) -> dict[str, str]:
        """The ``/api/daily_papers`` query parameter that lists this period."""
        return {self.kind: self.label}

    @property
    def title(self) -> str:
        if self.kind == "date":
            return f"{self.first:%a %d %b %Y}"
        if self.kind == "week":
            return f"week {self.label}, {self.first:%d %b} – {self.last:%d %b %Y}"
        return f"{self.first:%B %Y}"


def looks_like_period(word: str) -> bool:
    """Whether ``word`` is written like a date, a week or a month (valid or not)."""
    return any(shape.fullmatch(word) for shape in (_DAY, _WEEK, _MONTH))


def day_period(day: date) -> CalendarPeriod:
    return CalendarPeriod("date", day, day, day.isoformat())


def week_period(year: int, week: int) -> CalendarPeriod:
    first = date.fromisocalendar(year, week, 1)
    return CalendarPeriod("week", first, first + timedelta(days=6), f"{year}-W{week:02d}")


def month_period(year: int, month: int) -> CalendarPeriod:
    days = calendar.monthrange(year, month)[1]
    return CalendarPeriod(
        "month", date(year, month, 1), date(year, month, days), f"{year}-{month:02d}"
    )


def parse_period(kind: PeriodKind, word: str, today: date) -> CalendarPeriod:
    """The period ``word`` names for a ``kind`` command; ``UsageError`` says what was wrong."""
    try:
        period = _parse(kind, word)
    except ValueError:
        period = None
    if period is None:
        raise UsageError(f"{word[:40]!r} is not a {_noun(kind)}: write it as {SHAPES[kind]}.")
    if period.first > today:
        raise UsageError(f"{period.label} has not begun yet; Daily Papers has nothing for it.")
    return period


def _parse(kind: PeriodKind, word: str) -> CalendarPeriod | None:
    if kind == "month":
        found = _MONTH.fullmatch(word)
        return month_period(int(found[1]), int(found[2])) if found else None
    day = _DAY.fullmatch(word)
    if day:
        stamp = date(int(day[1]), int(day[2]), int(day[3]))
        if kind == "date":
            return day_period(stamp)
        year, week, _ = stamp.isocalendar()
        return week_period(year, week)
    iso_week = _WEEK.fullmatch(word)
    return week_period(int(iso_week[1]), int(iso_week[2])) if kind == "week" and iso_week else None


def _noun(kind: PeriodKind) -> str:
    return "day" if kind == "date" else kind

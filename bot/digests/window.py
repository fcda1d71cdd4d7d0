"""Which Daily Papers a digest covers, given when it fires in the channel's time zone.

Daily: the latest weekday before the local date of the fire. A day is complete only once it is
over, and Hugging Face lists papers on weekdays only, so Tuesday's digest covers Monday and
Monday's covers Friday; a Mon-Fri subscription thus sees every listed day exactly once. (A
subscription that also fires at weekends shows Friday's papers on Saturday; Sunday's and Monday's
fires map to the same Friday and post nothing again.)

Weekly: the previous ISO week, Monday to Sunday.

Report (the weekly team report): the seven local days that end on the day of the fire, that
day included; its votes and saves are counted up to the fire itself.

The window's ``digest_date`` (the day, or the Monday of the week) is the run key in
``digest_run``, so two fires on the same local date (a DST fall-back repeats 01:00-02:00) or fires
that cover the same day can never post twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.model.digests import DigestSpec, Kind

SATURDAY = 5


@dataclass(frozen=True, slots=True)
class DigestWindow:
    kind: Kind
    first: date
    last: date

    @property
    def digest_date(self) -> date:
        return self.first

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last - self.first).days + 1
        return tuple(self.first + timedelta(days=i) for i in range(count))

    @property
    def weekdays(self) -> tuple[date, ...]:
        """The days Hugging Face lists papers on: weekends are always empty."""
        return tuple(day for day in self.days if day.weekday() < SATURDAY)

    def title(self) -> str:
        if self.kind == "report":
            return f"Team report: the week of {self.first:%d %b} – {self.last:%d %b %Y}"
        if self.kind == "daily":
            return f"Daily digest: Hugging Face papers of {self.first:%a %d %b %Y}"
        week = self.first.isocalendar()
        span = f"{self.first:%d %b} – {self.last:%d %b %Y}"
        return f"Weekly digest: Hugging Face papers of week {week.week} ({span})"

    def label(self) -> str:
        if self.kind == "report":
            return f"the week to {self.last:%a %d %b}"
        if self.kind == "daily":
            return f"{self.first:%a %d %b}"
        return f"week {self.first.isocalendar().week} ({self.first:%d %b} – {self.last:%d %b})"


def latest_weekday_before(day: date) -> date:
    before = day - timedelta(days=1)
    while before.weekday() >= SATURDAY:
        before -= timedelta(days=1)
    return before


def window_for(kind: Kind, local_date: date) -> DigestWindow:
    """The window a digest firing on ``local_date`` (in the channel's time zone) covers."""
    if kind == "daily":
        day = latest_weekday_before(local_date)
        return DigestWindow(kind, day, day)
    if kind == "report":
        return DigestWindow(kind, local_date - timedelta(days=6), local_date)
    monday = local_date - timedelta(days=local_date.weekday() + 7)
    return DigestWindow(kind, monday, monday + timedelta(days=6))


def window_at(spec: DigestSpec, fire_time: datetime) -> DigestWindow:
    return window_for(spec.kind, fire_time.astimezone(spec.zone).date())

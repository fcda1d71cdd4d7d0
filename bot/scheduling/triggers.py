"""When a subscription fires: an APScheduler cron trigger in the channel's time zone.

APScheduler 3.x has no "previous fire time", which a job needs to know which digest it is
running (it may start late after a restart) and the ``subscriptions`` command needs for its
status; ``last_fire`` walks the trigger forward from a lookback instead.

DST, as APScheduler 3.11 does it: a local time that does not exist (02:30 on a spring-forward
day) fires once, at the same instant an hour "early" in the new offset (03:30 local); a local
time that happens twice (01:30 on a fall-back day) fires twice. Both fires of that day map to the
same digest date, so the run key makes the second one a no-op.

Fires are compared by timestamp: Python compares two datetimes that share a tzinfo by wall
time, so the two 01:30s of a fall-back night would compare equal.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.model.digests import DAY_NAMES, DigestSpec

if TYPE_CHECKING:  # imported at the first trigger: a command that makes none never loads it
    from apscheduler.triggers.cron import CronTrigger

_SECOND = timedelta(seconds=1)


def digest_trigger(spec: DigestSpec) -> CronTrigger:
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(
        day_of_week=",".join(DAY_NAMES[d] for d in sorted(spec.weekdays)),
        hour=spec.local_time.hour,
        minute=spec.local_time.minute,
        second=0,
        timezone=spec.zone,
    )


def _local(trigger: CronTrigger, moment: datetime) -> datetime:
    return moment.astimezone(trigger.timezone)


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire strictly after ``after`` (in UTC), asked the way APScheduler's own loop
    asks (the previous fire as both arguments), so a fall-back repeat is found, not looped on."""
    after = _local(trigger, after)
    fire: datetime | None = trigger.get_next_fire_time(after, after)
    probe = after
    while fire is not None and fire.timestamp() <= after.timestamp():
        probe = _local(trigger, probe.astimezone(UTC) + _SECOND)
        fire = trigger.get_next_fire_time(after, probe)
    return None if fire is None else fire.astimezone(UTC)


def fires_between(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire in ``[start, end]`` (in UTC), DST repeats included."""
    fires: list[datetime] = []
    first: datetime | None = trigger.get_next_fire_time(None, _local(trigger, start))
    fire = None if first is None else first.astimezone(UTC)
    while fire is not None and fire.timestamp() <= end.timestamp():
        fires.append(fire)
        fire = next_fire(trigger, fire)
    return fires


def last_fire(trigger: CronTrigger, now: datetime, lookback: timedelta) -> datetime | None:
    """The latest fire at or before ``now`` (in UTC), looking back at most ``lookback``."""
    now = now.astimezone(UTC)
    fires = fires_between(trigger, now - lookback, now)
    return fires[-1] if fires else None

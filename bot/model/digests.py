"""Digest subscriptions and runs as plain data: what a channel asked for, and where each run stands.

A digest run is a subscription's digest for one date, and where its exactly-once claim stands.

States: ``claimed`` (someone is posting it now), ``waiting`` (Hugging Face has no papers for the
day yet; retried until the grace window ends), ``failed`` (the source or the platform failed;
retried with backoff until the grace window ends), ``posted`` and ``skipped`` (final), and
``missed`` (the bot was down past the grace window; a later fire for the same date may still
post it). Only ``posted`` and ``skipped`` can never be claimed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from bot.model import Channel

Kind = Literal["daily", "weekly", "report"]
Ranking = Literal["upvotes", "team"]  # team: most like what the team voted up (bot.team_taste)
KINDS: tuple[Kind, ...] = ("daily", "weekly")  # digests of Hugging Face's papers
# A channel may have one of each: the two digests, and the weekly team report (bot/reports/).
SUBSCRIPTION_KINDS: tuple[Kind, ...] = (*KINDS, "report")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MON_FRI = (0, 1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class DigestSpec:
    """What a channel asked for; ``weekdays`` are ISO weekday numbers minus one (Monday = 0)."""

    kind: Kind = "daily"
    local_time: time = time(9, 0)
    timezone: str = "UTC"
    weekdays: tuple[int, ...] = MON_FRI
    top_n: int = 5
    keywords: tuple[str, ...] = ()
    min_upvotes: int = 0
    organizations: tuple[str, ...] = ()  # Hugging Face organizations, by handle or name
    authors: tuple[str, ...] = ()
    ranking: Ranking = "upvotes"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        """``daily at 09:00 Europe/Berlin, Mon–Fri, top 5 [for the team]``, plus the filters."""
        kind = "weekly team report" if self.kind == "report" else self.kind
        text = f"{kind} at {self.local_time:%H:%M} {self.timezone}, "
        text += f"{describe_weekdays(self.weekdays)}, top {self.top_n}"
        text += " for the team" if self.ranking == "team" else ""
        return ", ".join([text, *self.filters()])

    def filters(self) -> list[str]:
        """The filters set, one phrase each: ``keywords: rlhf, reward model``."""
        named = (
            ("keywords", self.keywords),
            (
                "organizations" if len(self.organizations) > 1 else "organization",
                self.organizations,
            ),
            ("authors" if len(self.authors) > 1 else "author", self.authors),
        )
        found = [f"{name}: " + ", ".join(values) for name, values in named if values]
        if self.min_upvotes:
            found.append(f"at least {self.min_upvotes} upvotes")
        return found


@dataclass(frozen=True, slots=True)
class Subscription:
    channel: Channel
    spec: DigestSpec
    created_by: str
    id: int | None = None
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def job_id(self) -> str:
        return f"digest:{self.id}"


def describe_weekdays(days: tuple[int, ...]) -> str:
    names = [DAY_NAMES[d].title() for d in sorted(days)]
    if tuple(sorted(days)) == MON_FRI:
        return "Mon–Fri"
    if len(days) == 7:
        return "every day"
    return ", ".join(names)


class RunState(StrEnum):
    CLAIMED = "claimed"
    WAITING = "waiting"
    FAILED = "failed"
    POSTED = "posted"
    SKIPPED = "skipped"
    MISSED = "missed"


FINAL = frozenset({RunState.POSTED, RunState.SKIPPED})


@dataclass(frozen=True, slots=True)
class DigestRun:
    id: int
    subscription_id: int
    digest_date: date
    state: RunState
    attempts: int
    claimed_at: datetime
    updated_at: datetime
    due_at: datetime | None = None
    next_attempt_at: datetime | None = None
    error: str | None = None
    # One tuple of message refs per chunk already sent; a retry resumes after the last one.
    chunks: tuple[tuple[str, ...], ...] = ()
    paper_ids: tuple[str, ...] = ()

    @property
    def message_refs(self) -> tuple[str, ...]:
        return tuple(ref for chunk in self.chunks for ref in chunk)

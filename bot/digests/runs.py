"""One digest run: a subscription's digest for one date, and where its exactly-once claim stands.

States: ``claimed`` (someone is posting it now), ``waiting`` (Hugging Face has no papers for the
day yet; retried until the grace window ends), ``failed`` (the source or the platform failed;
retried with backoff until the grace window ends), ``posted`` and ``skipped`` (final), and
``missed`` (the bot was down past the grace window; a later fire for the same date may still
post it). Only ``posted`` and ``skipped`` can never be claimed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


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

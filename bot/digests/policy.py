"""How long digests wait, retry and hold a claim: one value object, so tests can shrink it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class DigestPolicy:
    # A fire may run this long after it was due (a restart, a slow Hugging Face); then it is missed.
    grace: timedelta = timedelta(hours=6)
    # A claim older than this, still not finished, belongs to a process that died: take it over.
    # Every posted message renews it, so it only has to outlast one post.
    lease: timedelta = timedelta(minutes=10)
    # Hugging Face has no papers for the day yet: look again after this long.
    wait_retry: timedelta = timedelta(minutes=15)
    first_backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(minutes=30)
    # Papers this channel was shown this recently are left out of its digests.
    shown_window: timedelta = timedelta(days=7)
    # How many digests post at once (each holds a database connection now and then).
    concurrency: int = 20

    def backoff(self, attempts: int, retry_after: float | None = None) -> timedelta:
        """Exponential from ``first_backoff``; a platform's Retry-After wins when it is given."""
        if retry_after is not None and retry_after >= 0:
            return min(timedelta(seconds=retry_after), self.max_backoff)
        step: timedelta = self.first_backoff * 2 ** max(0, min(attempts - 1, 16))
        return min(step, self.max_backoff)


def policy_from(settings: Settings, base: DigestPolicy | None = None) -> DigestPolicy:
    """``base`` (the defaults) with the configured grace window."""
    return replace(base or DigestPolicy(), grace=timedelta(hours=settings.digest_grace_hours))

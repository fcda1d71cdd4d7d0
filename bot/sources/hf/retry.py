"""When to try again: exponential backoff, and the waits the server itself asks for.

The server knows best when its window resets, so its hints (``Retry-After``, the IETF ``RateLimit``
header HF sends, the older ``RateLimit-Reset`` / ``X-RateLimit-Reset``) win over our backoff
whenever they ask for longer.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

# A reset value this large is a Unix timestamp, not a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000
_PARAM = re.compile(r"\b([a-z][a-z0-9_-]*)\s*=\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter: ``base * 2**n`` capped at ``cap``, at least half of it.

    Half fixed, half random ("equal jitter"): retries still spread out, and a retry never comes
    back almost at once, which full jitter allows.
    """

    base: float = 0.5
    cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * 2.0 ** min(retry, 64))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """What the ``RateLimit`` headers say: calls left in the window, seconds until it resets."""

    remaining: int | None = None
    reset_after: float | None = None

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0 and self.reset_after is not None


def server_now(headers: httpx.Headers) -> float:
    """The server's idea of now (its ``Date`` header), to measure HTTP dates against; else ours."""
    value = headers.get("date")
    if value:
        try:
            return parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            pass
    return time.time()


def retry_after(headers: httpx.Headers) -> float | None:
    """``Retry-After`` in seconds: either delay-seconds or an HTTP date."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - server_now(headers))


def rate_limit_state(headers: httpx.Headers) -> RateLimitState:
    """Read HF's ``RateLimit: "api";r=0;t=55`` (IETF draft 9+), or the older header forms.

    Older forms: ``RateLimit: limit=500, remaining=0, reset=55`` (drafts 3-7), separate
    ``RateLimit-Remaining`` / ``RateLimit-Reset``, and ``X-RateLimit-*``; a reset there may be a
    Unix timestamp. With several policies, the one that is exhausted (or resets last) counts.
    """
    combined = headers.get("ratelimit")
    if combined:
        state = _parse_combined(combined, headers)
        if state.reset_after is not None or state.remaining is not None:
            return state
    for prefix in ("ratelimit-", "x-ratelimit-"):
        reset = _number(headers.get(prefix + "reset"))
        remaining = _number(headers.get(prefix + "remaining"))
        if reset is not None or remaining is not None:
            return RateLimitState(
                remaining=int(remaining) if remaining is not None else None,
                reset_after=_seconds_until(reset, headers) if reset is not None else None,
            )
    return RateLimitState()


def _parse_combined(value: str, headers: httpx.Headers) -> RateLimitState:
    params = [dict((k.lower(), float(v)) for k, v in _PARAM.findall(m)) for m in value.split(",")]
    if any("reset" in p or "remaining" in p for p in params):
        # Drafts 3-7: one list of key=value pairs for a single policy.
        merged = {k: v for p in params for k, v in p.items()}
        reset, remaining = merged.get("reset"), merged.get("remaining")
        return RateLimitState(
            remaining=int(remaining) if remaining is not None else None,
            reset_after=_seconds_until(reset, headers) if reset is not None else None,
        )
    policies = [p for p in params if "r" in p or "t" in p]
    if not policies:
        return RateLimitState()
    exhausted = [p for p in policies if p.get("r") == 0]
    chosen = max(exhausted or policies, key=lambda p: p.get("t", -1.0))
    r, t = chosen.get("r"), chosen.get("t")
    return RateLimitState(
        remaining=int(r) if r is not None else None,
        reset_after=max(0.0, t) if t is not None else None,
    )


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


def _seconds_until(reset: float, headers: httpx.Headers) -> float:
    if reset >= _EPOCH_THRESHOLD:
        return max(0.0, reset - server_now(headers))
    return max(0.0, reset)


def server_wait(response: httpx.Response) -> float | None:
    """How long the server asked us to wait before retrying ``response``, if it said.

    A 429's ``RateLimit`` reset counts; on a 5xx only ``Retry-After`` does (a 5xx's RateLimit
    header describes a window that has calls left, not a reason to wait).
    """
    hints = [retry_after(response.headers)]
    if response.status_code == 429:
        hints.append(rate_limit_state(response.headers).reset_after)
    known = [hint for hint in hints if hint is not None]
    return max(known) if known else None

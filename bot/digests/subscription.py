"""A channel's digest subscription: what to post, where and when, validated in one place."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import available_timezones

from bot.model.digests import SUBSCRIPTION_KINDS, DigestSpec
from bot.usage import UsageError

MAX_TOP_N = 20
MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 60
MAX_NAME_LENGTH = 100  # an organization's or an author's name in a filter
MAX_MIN_UPVOTES = 100_000


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def resolve_timezone(name: str) -> str | None:
    """The canonical IANA name for ``name`` in any case, or None. Looks the name up in the
    tz database's list instead of opening it as a file, so no input reaches the filesystem."""
    return _zones().get(name.strip().lower())


def zones_of_city(name: str) -> list[str]:
    """The zones a city on its own names (``berlin``: Europe/Berlin), canonical and sorted."""
    wanted = name.strip().lower().replace(" ", "_")[:64]
    return sorted(zone for key, zone in _zones().items() if key.rsplit("/", 1)[-1] == wanted != key)


def timezone_hint(name: str) -> str:
    """``Did you mean Europe/Berlin?`` for a city on its own or a misspelt zone, else an example."""
    close = zones_of_city(name)[:2] or [
        _zones()[c]
        for c in difflib.get_close_matches(name.lower()[:64], list(_zones()), n=2, cutoff=0.75)
    ]
    if close:
        return "Did you mean " + " or ".join(close) + "?"
    return "Use an IANA name such as Europe/Berlin, America/New_York or UTC."


def validate_spec(spec: DigestSpec) -> DigestSpec:
    """Return ``spec`` if it can work, else raise ``UsageError`` saying what to change."""
    if resolve_timezone(spec.timezone) != spec.timezone:
        raise UsageError(
            f"{spec.timezone[:64]!r} is not a time zone I know. {timezone_hint(spec.timezone)}"
        )
    if spec.kind not in SUBSCRIPTION_KINDS:
        raise UsageError(f"A digest is daily or weekly, not {spec.kind!r}.")
    if spec.kind == "report" and (spec.filters() or spec.ranking != "upvotes"):
        raise UsageError(
            "The team report covers the team's votes and saves: it takes no keywords, org, "
            "authors, min-upvotes or for-team."
        )
    if not spec.weekdays:
        raise UsageError("Pick at least one day of the week.")
    if any(d not in range(7) for d in spec.weekdays) or len(set(spec.weekdays)) != len(
        spec.weekdays
    ):
        raise UsageError("Each day of the week may appear once.")
    if spec.kind != "daily" and len(spec.weekdays) != 1:
        raise UsageError(
            f"A {'team report' if spec.kind == 'report' else 'weekly digest'} goes out on one "
            "day of the week (e.g. weekly mon 09:00); for several days a week, subscribe daily."
        )
    if not 1 <= spec.top_n <= MAX_TOP_N:
        raise UsageError(f"top takes a number from 1 to {MAX_TOP_N}.")
    if not 0 <= spec.min_upvotes <= MAX_MIN_UPVOTES:
        raise UsageError(f"min-upvotes takes a number from 0 to {MAX_MIN_UPVOTES:,}.")
    _check_list("keywords", spec.keywords, MAX_KEYWORD_LENGTH)
    _check_list("organizations", spec.organizations, MAX_NAME_LENGTH)
    _check_list("authors", spec.authors, MAX_NAME_LENGTH)
    return spec


def _check_list(what: str, values: tuple[str, ...], longest: int) -> None:
    if len(values) > MAX_KEYWORDS:
        raise UsageError(f"Give at most {MAX_KEYWORDS} {what}.")
    for value in values:
        if not value.strip() or len(value) > longest:
            raise UsageError(
                f"{what.capitalize()} are 1 to {longest} characters, separated by commas."
            )

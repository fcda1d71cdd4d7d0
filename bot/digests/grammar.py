"""``subscribe`` arguments -> a validated ``DigestSpec``; liberal in order and spelling.

Accepted, in any order: ``daily|weekly``, or ``report`` (the weekly team report, which
``weekly`` may accompany: ``report weekly fri 16:00``); a time (``09:00``, ``9:30``, ``9am``,
``at 9``); an IANA zone (``Europe/Berlin``, ``tz:utc``); days (``weekdays``, ``mon-fri``,
``mon,wed,fri``, ``on tuesday``, ``every day``); ``top 5``; ``keywords "rlhf, reward model"``
(or the words that follow up to the next option), and likewise ``org "Google DeepMind"`` and
``authors "A, B"``; ``min-upvotes 10``; ``for-team`` (or ``for team``: the papers most like what
the team voted up first, not the most upvoted). ``key:value`` and ``key=value`` work too.
Anything else is a ``UsageError`` that names the word it could not place.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import time

from bot.digests.gazetteer import place_of
from bot.digests.subscription import (
    resolve_timezone,
    timezone_hint,
    validate_spec,
    zones_of_city,
)
from bot.model.digests import MON_FRI, SUBSCRIPTION_KINDS, DigestSpec, Kind, Ranking
from bot.usage import UsageError

_DAYS = {
    "mon": 0, "monday": 0, "mondays": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
    "fri": 4, "friday": 4, "fridays": 4,
    "sat": 5, "saturday": 5, "saturdays": 5,
    "sun": 6, "sunday": 6, "sundays": 6,
}  # fmt: skip
_DAY_GROUPS = {
    "weekdays": MON_FRI,
    "workdays": MON_FRI,
    "weekends": (5, 6),
    "weekend": (5, 6),
    "everyday": tuple(range(7)),
    "all": tuple(range(7)),
}
_KEYS = {
    "at": "time", "time": "time",
    "tz": "timezone", "timezone": "timezone", "zone": "timezone", "in": "timezone",
    "top": "top", "count": "top",
    "keywords": "keywords", "keyword": "keywords", "kw": "keywords", "about": "keywords",
    "org": "organizations", "orgs": "organizations", "organization": "organizations",
    "organizations": "organizations",
    "authors": "authors", "author": "authors",
    "min-upvotes": "min_upvotes", "min_upvotes": "min_upvotes", "minupvotes": "min_upvotes",
    "min-votes": "min_upvotes", "upvotes": "min_upvotes",
    "days": "days", "weekdays": "days", "on": "days", "every": "days",
}  # fmt: skip
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE | re.ASCII
)
# Any word that looks like a time (09:00, 9am, 9:30pm), or like a badly written one (9.30, 9h30,
# 25:00): a time of day, or the time's own error message.
_TIME_LIKE = re.compile(r"\d{1,2}(:\d*|[.h]\d{2}|:?\d*\s*[ap]m?)", re.IGNORECASE | re.ASCII)
_FOR_TEAM = ("for-team", "for_team", "forteam")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


@dataclass(slots=True)
class _Draft:
    kind: Kind | None = None
    local_time: time | None = None
    timezone: str | None = None
    weekdays: tuple[int, ...] | None = None
    top_n: int | None = None
    keywords: tuple[str, ...] | None = None
    min_upvotes: int | None = None
    organizations: tuple[str, ...] | None = None
    authors: tuple[str, ...] | None = None
    ranking: Ranking | None = None
    seen: set[str] = field(default_factory=set)

    def set_once(self, what: str) -> None:
        if what in self.seen:
            raise UsageError(f"Give the {what} once.")
        self.seen.add(what)


def tokens_of(text: str) -> list[str]:
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError:
        raise UsageError(
            "A quote is not closed; put keywords and names in matching quotes."
        ) from None
    out: list[str] = []
    for word in words:
        key, sep, value = word.partition(":") if ":" in word else word.partition("=")
        if sep and key.lower() in _KEYS:
            out.append(key)
            if value:
                out.append(value)
        else:
            out.append(word)
    return out


def parse_time(word: str) -> time:
    match = _TIME.match(word.strip())
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        ampm = (match["ampm"] or "").lower()
        if ampm and 1 <= hour <= 12:
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        elif ampm:
            hour = 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise UsageError(
        f"{word[:20]!r} is not a time of day: write it as HH:MM from 00:00 to 23:59, e.g. 09:00."
    )


def parse_days(word: str) -> tuple[int, ...] | None:
    """``mon-fri``, ``mon,wed,fri``, ``fri-mon``, ``weekdays``; None when it is not days at all."""
    word = word.lower().strip(",")
    if word in _DAY_GROUPS:
        return _DAY_GROUPS[word]
    days: set[int] = set()
    for part in word.split(","):
        first, dash, last = part.partition("-")
        if first not in _DAYS or (dash and last not in _DAYS):
            return None
        start, end = _DAYS[first], _DAYS[last] if dash else _DAYS[first]
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
    return tuple(sorted(days))


def _is_option(word: str) -> bool:
    lower = word.lower()
    return (
        lower in _KEYS
        or lower in ("daily", "weekly", "report")
        or lower in _FOR_TEAM
        or bool(_TIME.match(word) and ":" in word)
        or "/" in word
    )


def _keywords(words: list[str]) -> tuple[str, ...]:
    """Commas separate keywords (``rlhf, reward model``); without commas each word is one."""
    found = " ".join(words).split(",") if any("," in w for w in words) else words
    return tuple(dict.fromkeys(" ".join(k.split()) for k in found if k.strip()))


def _names(words: list[str]) -> tuple[str, ...]:
    """Only commas separate names: ``Ada Lovelace, Alan Turing``, ``Google DeepMind``."""
    return _keywords([" ".join(words), ","])


def _listed(tokens: list[str], i: int) -> int:
    """Where a list (keywords, organizations, authors) starting at ``i`` ends: the next option."""
    start = i
    while i < len(tokens) and not (i > start and _is_option(tokens[i])):
        i += 1
    return i


_LISTS = {
    "keywords": ('keywords "rlhf, reward model"', "keywords", _keywords),
    "organizations": ('org "Google DeepMind"', "organizations", _names),
    "authors": ('authors "Yann LeCun, Fei-Fei Li"', "authors", _names),
}


def _next_is(tokens: list[str], i: int, word: str) -> bool:
    return i < len(tokens) and tokens[i].lower() == word


def _need(tokens: list[str], i: int, what: str) -> str:
    if i >= len(tokens):
        raise UsageError(f"Say {what}.")
    return tokens[i]


def _number(word: str, name: str) -> int:
    if not (word.isascii() and word.isdigit()) or len(word) > 7:
        raise UsageError(f"{name} takes a whole number, not {word[:20]!r}.")
    return int(word)


def _timezone(word: str) -> str:
    """An IANA name in any case, or a city only one zone is named after (the reply shows which)."""
    zone = _zone_named(word) or _city_zone(word)
    if zone is None:
        raise UsageError(f"{word[:64]!r} is not a time zone I know. {timezone_hint(word)}")
    return zone


def _zone_named(word: str) -> str | None:
    """An IANA name in any case, or a city only one zone is named after (``Berlin``)."""
    cities = zones_of_city(word)
    return resolve_timezone(word) or (cities[0] if len(cities) == 1 else None)


MAX_CITY_WORDS = 4  # "Rio de Janeiro", "Salt Lake City"


def _city_zone(name: str) -> str | None:
    """The zone of the city ``name`` names (``Munich``, ``San Francisco``), None when no city
    has that name; a name several cities in different zones share is refused with them."""
    found = place_of(name)
    if found is None:
        return None
    if found.zone is None:
        listed = "; ".join(c.describe() for c in found.candidates)
        raise UsageError(
            f"{name[:64]!r} could be several cities: {listed}. "
            f"Give the time zone instead, e.g. {found.candidates[0].timezone}."
        )
    return found.zone


def _city_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A city named by the words from ``i`` (the longest name first): its zone and how many
    words it took."""
    for size in range(min(MAX_CITY_WORDS, len(tokens) - i), 0, -1):
        if size > 1 and any(_is_option(t) for t in tokens[i + 1 : i + size]):
            continue
        zone = _city_zone(" ".join(tokens[i : i + size]))
        if zone is not None:
            return zone, size
    return None


def parse_subscribe(text: str, default_timezone: str) -> DigestSpec:
    """Parse what follows ``subscribe``; defaults: daily at 09:00, Mon-Fri, top 5."""
    draft = _Draft()
    tokens = tokens_of(text)
    i = 0
    while i < len(tokens):
        word = tokens[i]
        lower = word.lower()
        key = _KEYS.get(lower)
        i += 1
        if lower == "weekly" and draft.kind == "report":
            continue  # "report weekly": the report is weekly anyway
        if lower in ("daily", "weekly", "report"):
            if lower == "report" and draft.kind == "weekly":
                draft.seen.discard("kind (daily, weekly or report)")
            draft.set_once("kind (daily, weekly or report)")
            draft.kind = (
                "daily" if lower == "daily" else "weekly" if lower == "weekly" else "report"
            )
        elif lower in _FOR_TEAM or (
            lower == "for" and " ".join(tokens[i : i + 1]).lower() == "team"
        ):
            draft.set_once("order (for-team)")
            draft.ranking = "team"
            if lower == "for":
                i += 1  # its "team"
        elif lower == "for":  # GeoNames knows it as Fortaleza's short name; nobody means that
            raise UsageError("For whom? Say for-team: the papers most like what this team liked.")
        elif key == "time":
            draft.set_once("time")
            draft.local_time = parse_time(_need(tokens, i, "the time, e.g. at 09:00"))
            i += 1
        elif key == "timezone":
            draft.set_once("time zone")
            _need(tokens, i, "the time zone, e.g. Europe/Berlin")
            city = None if _zone_named(tokens[i]) else _city_at(tokens, i)
            draft.timezone = city[0] if city else _timezone(tokens[i])
            i += city[1] if city else 1
        elif key == "top":
            draft.set_once("number of papers (top N)")
            draft.top_n = _number(_need(tokens, i, "how many papers, e.g. top 5"), "top")
            i += 1
        elif key == "min_upvotes":
            draft.set_once("minimum upvotes")
            value = _need(tokens, i, "the minimum, e.g. min-upvotes 10")
            draft.min_upvotes = _number(value, "min-upvotes")
            i += 1
        elif key in _LISTS:
            example, what, split = _LISTS[key]
            draft.set_once(what)
            start, i = i, _listed(tokens, i)
            values = split(tokens[start:i])
            if not values:
                raise UsageError(f"Say which {what}, e.g. {example}.")
            setattr(draft, key, values)
        elif key == "days":
            draft.set_once("days of the week")
            days = parse_days(tokens[i]) if i < len(tokens) else None
            if lower == "every" and i < len(tokens) and tokens[i].lower() == "day":
                days = tuple(range(7))
            if days is not None:
                i += 1
            elif lower == "weekdays":
                days = MON_FRI
            else:
                raise UsageError("Say which days, e.g. mon-fri or mon,wed,fri.")
            draft.weekdays = days
        elif (days := parse_days(word)) is not None:
            draft.set_once("days of the week")
            draft.weekdays = days
        elif "/" in word or resolve_timezone(word) is not None or zones_of_city(word):
            draft.set_once("time zone")
            draft.timezone = _timezone(word)
        elif _TIME_LIKE.fullmatch(word):
            draft.set_once("time")
            draft.local_time = parse_time(word)
        elif city := _city_at(tokens, i - 1):
            draft.set_once("time zone")
            draft.timezone, taken = city
            i += taken - 1
        else:
            raise UsageError(
                f"I don't know what {word[:30]!r} means here. Options: daily|weekly|report, a time "
                "(09:00), a time zone (Europe/Berlin or a city), days (mon-fri), top N, "
                'keywords "a, b", org "NAME", authors "A, B", min-upvotes N, for-team.'
            )
    return _finish(draft, default_timezone)


REPORT_DAY, REPORT_TIME = 4, time(16, 0)  # the team report's default: Friday afternoon


def _finish(draft: _Draft, default_timezone: str) -> DigestSpec:
    kind: Kind = draft.kind or "daily"
    weekdays = draft.weekdays
    if weekdays is None:
        weekdays = MON_FRI if kind == "daily" else (REPORT_DAY,) if kind == "report" else (0,)
    default_time = REPORT_TIME if kind == "report" else time(9, 0)
    spec = DigestSpec(
        kind=kind,
        local_time=draft.local_time or default_time,
        timezone=draft.timezone or default_timezone,
        weekdays=weekdays,
        top_n=5 if draft.top_n is None else draft.top_n,
        keywords=draft.keywords or (),
        min_upvotes=draft.min_upvotes or 0,
        organizations=draft.organizations or (),
        authors=draft.authors or (),
        ranking=draft.ranking or "upvotes",
    )
    return validate_spec(spec)


def parse_kind(text: str) -> Kind | None:
    """``unsubscribe [daily|weekly|report]`` and ``digest now [daily|weekly|report]``: the
    kind, or None."""
    words = text.lower().split()
    if not words:
        return None
    found = next((k for k in SUBSCRIPTION_KINDS if [k] == words), None)
    if found is None:
        raise UsageError("Say daily, weekly or report, or nothing for all.")
    return found

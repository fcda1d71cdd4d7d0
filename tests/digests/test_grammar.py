"""``subscribe`` arguments: liberal in order and spelling, strict about limits, clear about what is
wrong."""

from __future__ import annotations

import re
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands.subscriptions import SUBSCRIBE
from bot.digests.grammar import parse_kind, parse_subscribe
from bot.digests.subscription import (
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_MIN_UPVOTES,
    MAX_TOP_N,
    validate_spec,
)
from bot.model.digests import MON_FRI, DigestSpec
from bot.usage import UsageError


def test_the_issue_example_in_full() -> None:
    text = (
        'daily 09:00 Europe/Berlin top 5 weekdays mon-fri keywords "rlhf, reward model" '
        "min-upvotes 10"
    )
    assert parse_subscribe(text, "UTC") == DigestSpec(
        kind="daily",
        local_time=time(9, 0),
        timezone="Europe/Berlin",
        weekdays=MON_FRI,
        top_n=5,
        keywords=("rlhf", "reward model"),
        min_upvotes=10,
    )


def test_defaults_daily_at_nine_on_weekdays_in_the_default_zone() -> None:
    assert parse_subscribe("", "Asia/Tokyo") == DigestSpec(timezone="Asia/Tokyo")
    assert parse_subscribe("weekly", "UTC").weekdays == (0,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min-upvotes=3 top:7 tz:europe/paris 7:30am weekly fri", ("weekly", "07:30", 7, 3)),
        ("at 18 on tuesday,thursday Asia/Kolkata", ("daily", "18:00", 5, 0)),
        ("keywords rlhf, reward model top 3 at 12pm", ("daily", "12:00", 3, 0)),
        ("“rlhf” daily 00:00 utc", None),
    ],
)
def test_order_and_spelling_are_free(text: str, expected: tuple[str, str, int, int] | None) -> None:
    if expected is None:
        with pytest.raises(UsageError, match="rlhf"):
            parse_subscribe(text, "UTC")
        return
    spec = parse_subscribe(text, "UTC")
    assert (spec.kind, f"{spec.local_time:%H:%M}", spec.top_n, spec.min_upvotes) == expected


def test_a_city_only_one_zone_is_named_after_stands_for_that_zone() -> None:
    """The reply to the subscription names the zone, so the reading is never hidden."""
    assert parse_subscribe("daily 09:00 Berlin", "UTC").timezone == "Europe/Berlin"
    assert parse_subscribe('tz "New York"', "UTC").timezone == "America/New_York"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("daily 09:00 Munich", "Europe/Berlin"),
        ("daily 09:00 San Francisco", "America/Los_Angeles"),
        ("Boston weekly mon", "America/New_York"),
        ("at 8 in Seattle top 3", "America/Los_Angeles"),
        ("tz Beijing", "Asia/Shanghai"),
        ("daily bangalore", "Asia/Kolkata"),  # GeoNames' Bengaluru, by another of its names
        ("München 07:00", "Europe/Berlin"),
        ('tz "Sao Paulo"', "America/Sao_Paulo"),
        ("daily Louisville", "America/Kentucky/Louisville"),  # two zones, one city
    ],
)
def test_cities_people_name_stand_for_their_zone(text: str, zone: str) -> None:
    assert parse_subscribe(text, "UTC").timezone == zone


def test_a_multi_word_city_leaves_the_options_after_it_alone() -> None:
    spec = parse_subscribe("weekly fri 16:00 San Francisco top 3 keywords rlhf", "UTC")
    assert (spec.timezone, spec.top_n, spec.keywords) == ("America/Los_Angeles", 3, ("rlhf",))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("daily 09:00 Cambridge", "Cambridge, GB (Europe/London); Cambridge, CA (America/Toronto)"),
        ("tz Springfield", "Springfield, US (America/Chicago); Springfield, US (America/New_York)"),
    ],
)
def test_a_city_name_shared_across_zones_is_refused_with_the_candidates(
    text: str, named: str
) -> None:
    with pytest.raises(UsageError, match="could be several cities") as refused:
        parse_subscribe(text, "UTC")
    assert named in str(refused.value)
    assert "Give the time zone instead" in str(refused.value)


def test_days_and_keywords() -> None:
    assert parse_subscribe("on fri-mon", "UTC").weekdays == (0, 4, 5, 6)
    assert parse_subscribe("every day", "UTC").weekdays == tuple(range(7))
    assert parse_subscribe("mon,wed,fri", "UTC").weekdays == (0, 2, 4)
    assert parse_subscribe("keywords rlhf dpo", "UTC").keywords == ("rlhf", "dpo")
    assert parse_subscribe("kw:'state space'", "UTC").keywords == ("state space",)


NOT_A_TIME = " is not a time of day: write it as HH:MM from 00:00 to 23:59, e.g. 09:00."
NO_ZONE = " is not a time zone I know. "
IANA = "Use an IANA name such as Europe/Berlin, America/New_York or UTC."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("daily 25:00", f"'25:00'{NOT_A_TIME}"),
        ("at 24:00", f"'24:00'{NOT_A_TIME}"),
        ("9:60", f"'9:60'{NOT_A_TIME}"),
        ("at 9.30", f"'9.30'{NOT_A_TIME}"),
        ("at 13pm", f"'13pm'{NOT_A_TIME}"),
        ("0am", f"'0am'{NOT_A_TIME}"),
        (
            "daily Europe/Berln",
            f"'Europe/Berln'{NO_ZONE}Did you mean Europe/Berlin or Europe/Dublin?",
        ),
        ("tz Mars/Olympus", f"'Mars/Olympus'{NO_ZONE}{IANA}"),
        (  # no city of that name, and two zones are named after it: the reply names both
            "daily Buenos_Aires",
            f"'Buenos_Aires'{NO_ZONE}Did you mean America/Argentina/Buenos_Aires or "
            "America/Buenos_Aires?",
        ),
        (
            "weekly mon,thu",
            "A weekly digest goes out on one day of the week (e.g. weekly mon 09:00); "
            "for several days a week, subscribe daily.",
        ),
        ("top 0", "top takes a number from 1 to 20."),
        ("top many", "top takes a whole number, not 'many'."),
        ("top ²", "top takes a whole number, not '²'."),  # a digit to isdigit(), not to int()
        ("top 99999999", "top takes a whole number, not '99999999'."),
        ("min-upvotes -1", "min-upvotes takes a whole number, not '-1'."),
        ("min-upvotes 1000000", "min-upvotes takes a number from 0 to 100,000."),
        ('keywords "rlhf', "A quote is not closed; put keywords and names in matching quotes."),
        ("daily weekly", "Give the kind (daily, weekly or report) once."),
        ("at 9 at 10", "Give the time once."),
        ("at 9 9h30", "Give the time once."),
        ("utc tz Europe/Berlin", "Give the time zone once."),
        ("days mon fri", "Give the days of the week once."),
        ("top 3 count 4", "Give the number of papers (top N) once."),
        ("min-upvotes 1 upvotes 2", "Give the minimum upvotes once."),
        ("kw a daily keywords b", "Give the keywords once."),
        (
            "fortnightly",
            "I don't know what 'fortnightly' means here. Options: daily|weekly|report, a time "
            "(09:00), a time zone (Europe/Berlin or a city), days (mon-fri), top N, "
            'keywords "a, b", org "NAME", authors "A, B", min-upvotes N, for-team.',
        ),
        ("daily at", "Say the time, e.g. at 09:00."),
        ("tz", "Say the time zone, e.g. Europe/Berlin."),
        ("top", "Say how many papers, e.g. top 5."),
        ("min-upvotes", "Say the minimum, e.g. min-upvotes 10."),
        ("keywords", 'Say which keywords, e.g. keywords "rlhf, reward model".'),
        ("days", "Say which days, e.g. mon-fri or mon,wed,fri."),
        ("daily every", "Say which days, e.g. mon-fri or mon,wed,fri."),
        (  # 'weekdays' alone is Monday to Friday, which a weekly digest cannot be
            "weekly weekdays",
            "A weekly digest goes out on one day of the week (e.g. weekly mon 09:00); "
            "for several days a week, subscribe daily.",
        ),
        ("on mon-xyz", "Say which days, e.g. mon-fri or mon,wed,fri."),
    ],
)
def test_bad_input_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_subscribe(text, "UTC")
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12am", {"local_time": time(0, 0)}),
        ("1am", {"local_time": time(1, 0)}),
        ("7pm", {"local_time": time(19, 0)}),
        ("9:30PM", {"local_time": time(21, 30)}),
        ("at 12:30", {"local_time": time(12, 30)}),
        ("at:09:30", {"local_time": time(9, 30)}),
        ("utc", {"timezone": "UTC"}),
        ("every sat", {"weekdays": (5,)}),
        ("Every Day", {"weekdays": tuple(range(7))}),
        ("days mon,wed,", {"weekdays": (0, 2)}),
        ("weekdays 10:00", {"weekdays": MON_FRI, "local_time": time(10, 0)}),
        ('keywords "Reward Model"', {"keywords": ("Reward Model",)}),
        ("keywords rlhf, reward model top 3", {"keywords": ("rlhf", "reward model"), "top_n": 3}),
        ("kw=e=mc2", {"keywords": ("e=mc2",)}),
        ("keywords gpt 4 re:act", {"keywords": ("gpt", "4", "re:act")}),
        ("keywords weekly", {"keywords": ("weekly",), "kind": "daily"}),  # the next word is one
        ("keywords rlhf weekly", {"keywords": ("rlhf",), "kind": "weekly"}),
        ("keywords rlhf daily", {"keywords": ("rlhf",), "kind": "daily"}),
        ("keywords rlhf 09:30", {"keywords": ("rlhf",), "local_time": time(9, 30)}),
        ("keywords rlhf Asia/Tokyo", {"keywords": ("rlhf",), "timezone": "Asia/Tokyo"}),
    ],
)
def test_what_each_way_of_writing_an_option_sets(text: str, expected: dict[str, object]) -> None:
    spec = parse_subscribe(text, "UTC")
    assert {name: getattr(spec, name) for name in expected} == expected


def test_kind_argument() -> None:
    assert parse_kind("") is None
    assert parse_kind(" Weekly ") == "weekly"
    assert parse_kind("DAILY") == "daily"
    assert parse_kind("report") == "report"
    for text in ("monthly", "daily weekly"):
        with pytest.raises(UsageError) as refused:
            parse_kind(text)
        assert str(refused.value) == "Say daily, weekly or report, or nothing for all."


LONGEST_KEYWORD = "k" * MAX_KEYWORD_LENGTH


@pytest.mark.parametrize(
    "spec",
    [
        DigestSpec(top_n=1, min_upvotes=0, weekdays=(0,)),
        DigestSpec(top_n=MAX_TOP_N, min_upvotes=MAX_MIN_UPVOTES, weekdays=tuple(range(7))),
        DigestSpec(kind="weekly", weekdays=(6,), timezone="America/Indiana/Knox"),
        DigestSpec(keywords=(LONGEST_KEYWORD, *(f"k{i}" for i in range(MAX_KEYWORDS - 1)))),
    ],
)
def test_specs_at_the_limits_are_accepted(spec: DigestSpec) -> None:
    assert validate_spec(spec) is spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            DigestSpec(timezone="europe/berlin"),  # stored names are canonical
            "'europe/berlin' is not a time zone I know. Did you mean Europe/Berlin or "
            "Europe/Dublin?",
        ),
        (  # stored names are whole IANA names: a city alone is only suggested
            DigestSpec(timezone="Berlin"),
            "'Berlin' is not a time zone I know. Did you mean Europe/Berlin?",
        ),
        (
            DigestSpec(timezone="Europe/Berln"),
            "'Europe/Berln' is not a time zone I know. Did you mean Europe/Berlin or "
            "Europe/Dublin?",
        ),
        (  # no far-fetched guess: MST and HST are close in spelling, hours away in time
            DigestSpec(timezone="PST"),
            "'PST' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC.",
        ),
        (
            DigestSpec(timezone="Mars/Olympus"),
            "'Mars/Olympus' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC.",
        ),
        (DigestSpec(kind="monthly"), "A digest is daily or weekly, not 'monthly'."),  # type: ignore[arg-type]
        (DigestSpec(weekdays=()), "Pick at least one day of the week."),
        (DigestSpec(weekdays=(7,)), "Each day of the week may appear once."),
        (DigestSpec(weekdays=(-1,)), "Each day of the week may appear once."),
        (DigestSpec(weekdays=(2, 2)), "Each day of the week may appear once."),
        (
            DigestSpec(kind="weekly", weekdays=(0, 3)),
            "A weekly digest goes out on one day of the week (e.g. weekly mon 09:00); "
            "for several days a week, subscribe daily.",
        ),
        (DigestSpec(top_n=0), f"top takes a number from 1 to {MAX_TOP_N}."),
        (DigestSpec(top_n=MAX_TOP_N + 1), f"top takes a number from 1 to {MAX_TOP_N}."),
        (DigestSpec(min_upvotes=-1), "min-upvotes takes a number from 0 to 100,000."),
        (
            DigestSpec(min_upvotes=MAX_MIN_UPVOTES + 1),
            "min-upvotes takes a number from 0 to 100,000.",
        ),
        (
            DigestSpec(keywords=tuple(f"k{i}" for i in range(MAX_KEYWORDS + 1))),
            f"Give at most {MAX_KEYWORDS} keywords.",
        ),
        (
            DigestSpec(keywords=(LONGEST_KEYWORD + "k",)),
            f"Keywords are 1 to {MAX_KEYWORD_LENGTH} characters, separated by commas.",
        ),
        (
            DigestSpec(keywords=("rlhf", " ")),
            f"Keywords are 1 to {MAX_KEYWORD_LENGTH} characters, separated by commas.",
        ),
    ],
)
def test_impossible_specs_are_refused_saying_what_to_change(spec: DigestSpec, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        validate_spec(spec)
    assert str(refused.value) == message


words = st.sampled_from(
    ["daily", "weekly", "at", "tz", "top", "keywords", "org", "authors", "min-upvotes", "on",
     "every", "day",
     "09:00", "9am", "25:61", "mon-fri", "fri-mon", "Europe/Berlin", "utc", '"', "'", ",", "-",
     "top:3", "tz:", "=", "12pm", "0", "99999999", "sat,sun"]
)  # fmt: skip
lines = st.lists(st.one_of(words, st.text(max_size=12)), max_size=10).map(" ".join)


@given(text=st.one_of(lines, st.text(max_size=80)))
def test_any_text_is_a_spec_or_a_usage_error(text: str) -> None:
    try:
        spec = parse_subscribe(text, "UTC")
    except UsageError as error:
        message: str | None = str(error)
    else:
        message = None
        assert 1 <= spec.top_n <= 20
        assert spec.weekdays
    assert message is None or message.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('org "Google DeepMind" daily', {"organizations": ("Google DeepMind",)}),
        ('org:"Google DeepMind"', {"organizations": ("Google DeepMind",)}),
        ("organization Meta, NVIDIA top 3", {"organizations": ("Meta", "NVIDIA"), "top_n": 3}),
        ('authors "Yann LeCun, Fei-Fei Li"', {"authors": ("Yann LeCun", "Fei-Fei Li")}),
        ("author Ada Lovelace 08:00", {"authors": ("Ada Lovelace",), "local_time": time(8)}),
        (
            'keywords rlhf org Qwen authors "A B"',
            {"keywords": ("rlhf",), "organizations": ("Qwen",), "authors": ("A B",)},
        ),
    ],
)
def test_organizations_and_authors_are_lists_like_keywords(
    text: str, expected: dict[str, object]
) -> None:
    spec = parse_subscribe(text, "UTC")
    assert {name: getattr(spec, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("org", 'Say which organizations, e.g. org "Google DeepMind".'),
        ("authors", 'Say which authors, e.g. authors "Yann LeCun, Fei-Fei Li".'),
        ("org a org b", "Give the organizations once."),
        ("authors " + "x" * 101, "Authors are 1 to 100 characters, separated by commas."),
    ],
)
def test_organization_and_author_mistakes_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_subscribe(text, "UTC")
    assert str(refused.value) == message


def test_a_spec_with_every_filter_describes_them_all() -> None:
    spec = DigestSpec(keywords=("rlhf",), organizations=("Qwen", "Meta"), authors=("Ada",))
    assert spec.describe() == (
        "daily at 09:00 UTC, Mon–Fri, top 5, keywords: rlhf, organizations: Qwen, Meta, author: Ada"
    )


def test_every_help_example_of_subscribe_parses() -> None:
    for example in SUBSCRIBE.examples:
        parse_subscribe(example.removeprefix("subscribe"), "UTC")


@pytest.mark.parametrize(
    "text",
    [
        "report weekly fri 16:00 Europe/Berlin",
        "weekly report fri 16:00 Europe/Berlin",
        "report 16:00 Europe/Berlin",  # Friday is the report's day
        "report Berlin",  # and 16:00 its time
    ],
)
def test_the_team_report_is_weekly_on_friday_afternoon_unless_told(text: str) -> None:
    spec = parse_subscribe(text, "UTC")
    assert (spec.kind, spec.weekdays, spec.local_time, spec.timezone) == (
        "report",
        (4,),
        time(16, 0),
        "Europe/Berlin",
    )
    assert spec.describe() == "weekly team report at 16:00 Europe/Berlin, Fri, top 5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("report daily", "Give the kind (daily, weekly or report) once."),
        ("report mon-fri", "A team report goes out on one day of the week"),
        ('report keywords "rlhf"', "it takes no keywords, org, authors, min-upvotes or for-team"),
        ("report for-team", "it takes no keywords, org, authors, min-upvotes or for-team"),
    ],
)
def test_a_report_is_refused_what_it_cannot_do(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_subscribe(text, "UTC")

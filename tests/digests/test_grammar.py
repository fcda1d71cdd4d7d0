"""``subscribe`` arguments: liberal in order and spelling, strict about limits, clear about what is
wrong."""

from __future__ import annotations

import re
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.digests.grammar import parse_kind, parse_subscribe
from bot.digests.subscription import (
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_MIN_UPVOTES,
    MAX_TOP_N,
    SubscriptionError,
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


def test_days_and_keywords() -> None:
    assert parse_subscribe("on fri-mon", "UTC").weekdays == (0, 4, 5, 6)
    assert parse_subscribe("every day", "UTC").weekdays == tuple(range(7))
    assert parse_subscribe("mon,wed,fri", "UTC").weekdays == (0, 2, 4)
    assert parse_subscribe("keywords rlhf dpo", "UTC").keywords == ("rlhf", "dpo")
    assert parse_subscribe("kw:'state space'", "UTC").keywords == ("state space",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("daily 25:00", "'25:00' is not a time of day"),
        ("at 9.30", "'9.30' is not a time of day"),
        ("at 13pm", "is not a time of day"),
        ("daily Europe/Berln", "Did you mean Europe/Berlin"),
        ("tz Mars/Olympus", "not a time zone I know"),
        ("weekly mon,thu", "one day of the week"),
        ("top 0", "from 1 to 20"),
        ("top many", "top takes a whole number"),
        ("min-upvotes -1", "min-upvotes takes a whole number"),
        ('keywords "rlhf', "quote is not closed"),
        ("daily weekly", "kind (daily or weekly) once"),
        ("at 9 at 10", "time once"),
        ("fortnightly", "I don't know what 'fortnightly' means"),
        ("keywords", "Say which keywords"),
        ("days", "Say which days"),
    ],
)
def test_bad_input_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_subscribe(text, "UTC")


def test_kind_argument() -> None:
    assert parse_kind("") is None
    assert parse_kind(" Weekly ") == "weekly"
    with pytest.raises(UsageError):
        parse_kind("monthly")


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
        (
            DigestSpec(timezone="Europe/Berln"),
            "'Europe/Berln' is not a time zone I know. Did you mean Europe/Berlin or "
            "Europe/Dublin?",
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
    with pytest.raises(SubscriptionError) as refused:
        validate_spec(spec)
    assert str(refused.value) == message


words = st.sampled_from(
    ["daily", "weekly", "at", "tz", "top", "keywords", "min-upvotes", "on", "every", "day",
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

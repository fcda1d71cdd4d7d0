"""subscribe, unsubscribe, subscriptions and digest now, typed into a channel."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model.digests import RunState
from bot.reply import Heading, Outcome
from bot.sources.errors import UpstreamUnavailable
from storage.subscriptions import channel_subscriptions
from tests.digests.helpers import Desk, channel, local, minutes, paper
from tests.support.invoke import ask, invocation, texts
from tests.support.queries import runs_for_date


@dataclass
class RecordingSink:
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def subscription_changed(self, subscription_id: int) -> None:
        self.changed.append(subscription_id)

    def subscription_removed(self, subscription_id: int) -> None:
        self.removed.append(subscription_id)


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def chat(desk: Desk, sink: RecordingSink) -> Deps:
    desk.clock.now = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)  # a Friday, 08:00 in Berlin
    return replace(desk.deps, schedule=sink)


async def test_subscribe_saves_tells_the_scheduler_and_says_when_it_runs(
    dispatcher: Dispatcher, chat: Deps, sink: RecordingSink
) -> None:
    reply = await ask(dispatcher, chat, 'subscribe daily 09:00 Europe/Berlin keywords "rlhf"')
    assert reply.outcome is Outcome.OK
    assert "Subscribed" in texts(reply)
    assert "Next: Fri 12 Jun 09:00 CEST, covering Thu 11 Jun." in texts(reply)
    [sub] = chat.db.read_now(lambda s: channel_subscriptions(s, channel()))
    assert sub.spec.keywords == ("rlhf",)
    assert sub.created_by == "U1"
    assert sink.changed == [sub.id]

    again = await ask(dispatcher, chat, "subscribe daily 10:30 Europe/Berlin")
    assert "Updated" in texts(again)
    assert [
        s.spec.local_time.hour
        for s in chat.db.read_now(lambda s: channel_subscriptions(s, channel()))
    ] == [10]
    assert sink.changed == [sub.id, sub.id]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("subscribe daily 9:75", "is not a time of day"),
        ("subscribe daily 09:00 Europe/Berlinn", "Did you mean Europe/Berlin"),
        ("subscribe weekly mon-fri", "one day of the week"),
    ],
)
async def test_bad_subscriptions_get_a_private_usage_answer(
    dispatcher: Dispatcher, chat: Deps, sink: RecordingSink, text: str, says: str
) -> None:
    reply = await ask(dispatcher, chat, text)
    assert reply.outcome is Outcome.USAGE
    assert reply.private
    assert says in texts(reply)
    assert "Usage: /papers subscribe" in texts(reply)
    assert sink.changed == []


async def test_only_editors_change_subscriptions_but_anyone_lists_them(
    dispatcher: Dispatcher, chat: Deps, sink: RecordingSink
) -> None:
    settings = chat.settings.model_copy(update={"subscription_editors": frozenset({"U-lead"})})
    deps = replace(chat, settings=settings)
    refused = await ask(dispatcher, deps, "subscribe daily", user="U2")
    assert refused.private
    assert "PAPERBOT_SUBSCRIPTION_EDITORS" in texts(refused)
    assert (await ask(dispatcher, deps, "unsubscribe", user="U2")).private
    assert sink.changed == []
    assert (await ask(dispatcher, deps, "subscribe daily", user="U-lead")).outcome is Outcome.OK
    listing = await ask(dispatcher, deps, "subscriptions", user="U2")
    assert "Daily at 09:00 UTC" in texts(listing)


async def test_subscriptions_lists_next_run_and_how_recent_runs_went(
    dispatcher: Dispatcher, chat: Deps, desk: Desk
) -> None:
    assert "no digest subscriptions" in texts(await ask(dispatcher, chat, "subscriptions"))
    desk.clock.now = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)  # Wednesday
    await ask(dispatcher, chat, "subscribe daily 09:00 Europe/Berlin top 3")
    await ask(dispatcher, chat, "subscribe weekly mon 08:00 America/New_York")
    [daily, _weekly] = desk.db.read_now(lambda s: channel_subscriptions(s, channel()))
    # Thursday's digest finds no papers for Wednesday (a holiday) until its grace window ends.
    thursday = local("2026-06-11 09:00", "Europe/Berlin")
    assert await desk.fire(daily, thursday) is RunState.WAITING
    for step in range(1, 30):
        await desk.sweep(thursday + minutes(15 * step))
    desk.clock.now = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
    listing = texts(await ask(dispatcher, chat, "subscriptions"))
    assert "Daily at 09:00 Europe/Berlin, Mon–Fri, top 3 · set by @U1" in listing
    assert "Next: Fri 12 Jun 09:00 CEST, covering Thu 11 Jun." in listing
    assert "Wed 10 Jun: skipped (Hugging Face listed no papers for Wed 10 Jun (a holiday?))" in (
        listing
    )
    assert "each digest covers the previous weekday's papers" in listing
    assert "Weekly at 08:00 America/New_York, Mon" in listing
    assert "Next: Mon 15 Jun 08:00 EDT, covering week 24 (08 Jun – 14 Jun)." in listing


async def test_the_next_run_skips_fires_with_nothing_new(
    dispatcher: Dispatcher, chat: Deps, desk: Desk
) -> None:
    desk.add_papers(paper("2606.00001", date(2026, 6, 12), 3))
    sub = desk.subscribe("daily every day 09:00 UTC")
    assert await desk.fire(sub, local("2026-06-13 09:00", "UTC")) is RunState.POSTED
    desk.clock.now = local("2026-06-13 10:00", "UTC")
    listing = texts(await ask(dispatcher, chat, "subscriptions"))
    # Sunday's and Monday's fires cover Friday again: the next digest is Tuesday's.
    assert "Next: Tue 16 Jun 09:00 UTC, covering Mon 15 Jun." in listing
    assert "Fri 12 Jun: posted, 1 paper in 1 message" in listing
    assert "the first digest after a Friday covers Friday" in listing


async def test_unsubscribe_one_kind_or_all(
    dispatcher: Dispatcher, chat: Deps, sink: RecordingSink
) -> None:
    await ask(dispatcher, chat, "subscribe daily")
    await ask(dispatcher, chat, "subscribe weekly")
    assert "Stopped this channel's weekly digest." in texts(
        await ask(dispatcher, chat, "unsubscribe weekly")
    )
    assert "no weekly digest" in texts(await ask(dispatcher, chat, "unsubscribe weekly"))
    assert "Stopped this channel's digests." in texts(await ask(dispatcher, chat, "unsubscribe"))
    assert len(sink.removed) == 2
    assert set(sink.removed) == set(sink.changed)
    assert (await ask(dispatcher, chat, "unsubscribe monthly")).outcome is Outcome.USAGE


async def test_digest_now_shows_the_channels_digest_without_claiming_a_run(
    dispatcher: Dispatcher, chat: Deps, desk: Desk
) -> None:
    """On Monday 15 June the digest covers Friday 12 June, fetched fresh from the source."""
    friday = date(2026, 6, 12)
    desk.add_papers(
        paper("1", friday, 5, "Agents that plan"),
        paper("2", friday, 50, "Image generation"),
        paper("3", friday, 9, "Chain of thought", summary="Reasoning in small steps."),
        paper("4", friday, 7, "Tool-using agent benchmarks"),
        paper("5", date(2026, 6, 11), 99, "Reasoning, but Thursday"),
    )
    desk.clock.now = local("2026-06-15 08:00", "UTC")
    await ask(dispatcher, chat, 'subscribe daily 09:00 top 2 keywords "reasoning, agent"')
    first = await ask(dispatcher, chat, "digest now")
    assert [p.id for p in first.papers] == ["3", "4"]
    assert first.parts[0] == Heading("Daily digest: Hugging Face papers of Fri 12 Jun 2026")
    # Asked again, it shows the same digest: an explicit request ignores the 7-day rule, and
    # it claims no run, so the scheduled digest still goes out.
    second = await ask(dispatcher, chat, "digest now")
    assert [p.id for p in second.papers] == ["3", "4"]
    assert chat.db.read_now(lambda s: runs_for_date(s, friday)) == []
    # With Hugging Face down, the catalog's copy (stored by the first call) answers.
    desk.source.failure = UpstreamUnavailable("HF answered 503")
    third = await ask(dispatcher, chat, "digest now")
    assert [p.id for p in third.papers] == ["3", "4"]
    assert "HF answered 503" in texts(third)


async def test_digest_now_without_a_subscription_and_on_bad_input(
    dispatcher: Dispatcher, chat: Deps, desk: Desk
) -> None:
    desk.clock.now = local("2026-06-03 09:00", "UTC")  # week 23: the digest covers week 22
    assert "lists no papers for week 22" in texts(await ask(dispatcher, chat, "digest now weekly"))
    desk.add_papers(*(paper(f"w{d}", date(2026, 5, d), d) for d in range(22, 30)))
    reply = await ask(dispatcher, chat, "digest now weekly")
    assert [p.id for p in reply.papers] == ["w29", "w28", "w27", "w26", "w25"]
    assert "no weekly subscription" in texts(reply)
    assert (await ask(dispatcher, chat, "digest")).outcome is Outcome.USAGE
    assert (await ask(dispatcher, chat, "digest later")).outcome is Outcome.USAGE


@pytest.mark.parametrize(
    ("subscription", "zone", "asked", "at", "covers", "ids"),
    [
        # Tuesday 08:00 in Auckland, still Monday in UTC (which would cover Friday)
        (
            "subscribe daily 08:00 Pacific/Auckland",
            "UTC",
            "digest now",
            "2026-06-15 20:00",
            "Daily digest: Hugging Face papers of Mon 15 Jun 2026",
            ["mon"],
        ),
        # no subscription, PAPERBOT_TIMEZONE: Monday 20:00 in Los Angeles, Tuesday in UTC
        (
            None,
            "America/Los_Angeles",
            "digest now",
            "2026-06-16 03:00",
            "Daily digest: Hugging Face papers of Fri 12 Jun 2026",
            ["fri"],
        ),
        # Sunday evening in Los Angeles, Monday in UTC (which would cover week 24)
        (
            None,
            "America/Los_Angeles",
            "digest now weekly",
            "2026-06-15 03:00",
            "Weekly digest: Hugging Face papers of week 23 (01 Jun – 07 Jun 2026)",
            ["w23"],
        ),
    ],
    ids=["subscribed-in-auckland", "los-angeles-by-default", "weekly-in-los-angeles"],
)
async def test_digest_now_covers_the_day_of_the_channels_time_zone_not_utcs(
    dispatcher: Dispatcher,
    chat: Deps,
    desk: Desk,
    subscription: str | None,
    zone: str,
    asked: str,
    at: str,
    covers: str,
    ids: list[str],
) -> None:
    """The day a digest firing now in the subscription's zone (or PAPERBOT_TIMEZONE) covers."""
    desk.add_papers(
        paper("w23", date(2026, 6, 5), 5),
        paper("fri", date(2026, 6, 12), 5),
        paper("mon", date(2026, 6, 15), 5),
    )
    deps = replace(chat, settings=chat.settings.model_copy(update={"timezone": zone}))
    if subscription:
        await ask(dispatcher, deps, subscription)
    desk.clock.now = local(at, "UTC")
    reply = await ask(dispatcher, deps, asked)
    assert reply.parts[0] == Heading(covers)
    assert [p.id for p in reply.papers] == ids


commands = st.sampled_from(["subscribe", "unsubscribe", "subscriptions", "digest", "digest now"])


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=commands, rest=st.text(max_size=60))
def test_any_arguments_get_a_reply_never_an_internal_error(
    dispatcher: Dispatcher, chat: Deps, command: str, rest: str
) -> None:
    reply = asyncio.run(ask(dispatcher, chat, f"{command} {rest}"))
    assert reply.parts
    assert reply.outcome is not Outcome.UNAVAILABLE, texts(reply)
    if reply.outcome is Outcome.USAGE:
        assert reply.private


async def test_digest_now_says_when_hugging_face_was_unreachable_and_the_catalog_is_empty(
    dispatcher: Dispatcher, chat: Deps
) -> None:
    chat.source.failure = UpstreamUnavailable("HF answered 503")  # type: ignore[attr-defined]
    reply = await ask(dispatcher, chat, "digest now weekly")
    assert "Hugging Face was not reachable" in texts(reply)
    assert "lists no papers" not in texts(reply)
    assert reply.outcome is Outcome.UNAVAILABLE  # paperbot ask exits 4, as the README says


async def test_an_offline_digest_now_is_the_catalogs_copy_and_never_says_it_is_fetching(
    dispatcher: Dispatcher, chat: Deps, desk: Desk
) -> None:
    desk.add_papers(paper("1", date(2026, 6, 12), 5, "Agents that plan"))
    desk.clock.now = local("2026-06-15 08:00", "UTC")
    offline = replace(chat, settings=chat.settings.model_copy(update={"offline": True}))
    notes: list[str] = []

    async def progress(note: str) -> None:
        notes.append(note)

    reply = await dispatcher.handle(offline, invocation("digest now"), progress)

    assert notes == []
    assert desk.source.calls == []
    assert texts(reply) == "The catalog has no papers for Fri 12 Jun, and paperbot runs offline."

"""Digest subscriptions in storage: one per channel and kind, read back as saved, removed and
turned off exactly where asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from functools import partial

from bot.model import Channel
from bot.model.digests import DigestSpec, Kind, Subscription
from storage.db import Database
from storage.subscriptions import (
    channel_subscriptions,
    delete_subscriptions,
    disable_workspace,
    enabled_subscriptions,
    get_subscription,
    save_subscription,
)

CREATED = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
C1 = Channel("slack", "T1", "C1")
# Neighbours that differ from C1 in one coordinate each: nothing done to C1 may touch them.
NEIGHBOURS = (
    Channel("slack", "T1", "C2"),
    Channel("slack", "T2", "C1"),
    Channel("discord", "T1", "C1"),
)
SPEC = DigestSpec(
    kind="weekly",
    local_time=time(7, 45),
    timezone="Asia/Tokyo",
    weekdays=(4,),
    top_n=7,
    keywords=("reward model", "rlhf"),
    min_upvotes=3,
)


def save(
    db: Database, channel: Channel, kind: Kind = "daily", *, by: str = "U1", at: datetime = CREATED
) -> Subscription:
    spec = SPEC if kind == "weekly" else DigestSpec(timezone="Europe/Berlin")
    sub = Subscription(channel, spec, created_by=by)
    return db.write_now(partial(save_subscription, sub=sub, now=at))


def save_turned_off(db: Database, channel: Channel) -> Subscription:
    sub = save(db, channel)
    return db.write_now(partial(save_subscription, sub=replace(sub, enabled=False), now=CREATED))


def ids(subs: list[Subscription]) -> list[int | None]:
    return [s.id for s in subs]


def test_a_saved_subscription_reads_back_as_it_was_given(db: Database) -> None:
    saved = save(db, C1, "weekly")
    assert saved.id is not None
    expected = Subscription(
        C1, SPEC, "U1", id=saved.id, enabled=True, created_at=CREATED, updated_at=CREATED
    )
    assert saved == expected
    sub_id = saved.id
    assert db.read_now(lambda s: get_subscription(s, sub_id)) == expected
    assert db.read_now(lambda s: get_subscription(s, sub_id + 1)) is None
    assert db.read_now(lambda s: channel_subscriptions(s, C1)) == [expected]


def test_saving_again_replaces_the_settings_of_that_channel_and_kind_only(db: Database) -> None:
    weekly, daily = save(db, C1, "weekly"), save(db, C1)
    others = [save(db, channel) for channel in NEIGHBOURS]
    later = CREATED + timedelta(days=2)
    spec = DigestSpec(local_time=time(18, 5), weekdays=(5, 6), top_n=2)
    again = Subscription(C1, spec, created_by="U2", enabled=False)
    updated = db.write_now(partial(save_subscription, sub=again, now=later))
    # The same subscription, new settings; who made it and when stay.
    assert updated == replace(daily, spec=spec, enabled=False, updated_at=later)
    assert db.read_now(lambda s: channel_subscriptions(s, C1)) == [updated, weekly]  # by kind
    for other in others:
        assert db.read_now(lambda s, c=other.channel: channel_subscriptions(s, c)) == [other]


def test_unsubscribing_removes_one_kind_or_all_of_one_channel(db: Database) -> None:
    daily, weekly = save(db, C1), save(db, C1, "weekly")
    others = [save(db, channel) for channel in NEIGHBOURS]
    removed = db.write_now(partial(delete_subscriptions, channel=C1, kind="weekly"))
    assert removed == [weekly.id]
    assert db.read_now(lambda s: channel_subscriptions(s, C1)) == [daily]
    assert db.write_now(partial(delete_subscriptions, channel=C1, kind="weekly")) == []
    assert db.write_now(partial(delete_subscriptions, channel=C1, kind=None)) == [daily.id]
    assert db.read_now(lambda s: channel_subscriptions(s, C1)) == []
    assert ids(db.read_now(enabled_subscriptions)) == ids(others)


def test_the_scheduler_sees_enabled_subscriptions_on_its_platforms_in_id_order(
    db: Database,
) -> None:
    first, second = save(db, C1), save(db, C1, "weekly")
    save_turned_off(db, Channel("slack", "T1", "C3"))
    on_discord = save(db, Channel("discord", "G1", "D1"))
    # Saved again: PostgreSQL writes the updated row anew at the end of the table, and the list
    # must still come in id order.
    first = db.write_now(partial(save_subscription, sub=first, now=CREATED + timedelta(hours=1)))
    assert ids(db.read_now(enabled_subscriptions)) == ids([first, second, on_discord])
    slack = db.read_now(lambda s: enabled_subscriptions(s, {"slack"}))
    assert ids(slack) == ids([first, second])
    assert db.read_now(lambda s: enabled_subscriptions(s, ())) == []


def test_removing_the_bot_from_a_workspace_turns_off_its_subscriptions_only(
    db: Database,
) -> None:
    daily, weekly = save(db, C1), save(db, C1, "weekly")
    save_turned_off(db, Channel("slack", "T1", "C3"))
    others = [save(db, channel) for channel in NEIGHBOURS[1:]]  # another workspace or platform
    later = CREATED + timedelta(days=3)
    off = db.write_now(partial(disable_workspace, platform="slack", workspace="T1", now=later))
    assert sorted(off) == sorted(ids([daily, weekly]))
    assert db.read_now(lambda s: channel_subscriptions(s, C1)) == [
        replace(daily, enabled=False, updated_at=later),
        replace(weekly, enabled=False, updated_at=later),
    ]
    assert ids(db.read_now(enabled_subscriptions)) == ids(others)
    again = partial(disable_workspace, platform="slack", workspace="T1", now=later)
    assert db.write_now(again) == []

"""Subscriptions: one per channel and kind (daily, weekly, report), as core dataclasses."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime, time

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.model import Channel
from bot.model.digests import DAY_NAMES, SUBSCRIPTION_KINDS, DigestSpec, Kind, Subscription
from storage.digest_runs import as_utc
from storage.tables import SubscriptionRow


def to_subscription(row: SubscriptionRow) -> Subscription:
    hour, minute = (int(part) for part in row.local_time.split(":"))
    kind: Kind = next((k for k in SUBSCRIPTION_KINDS if k == row.kind), "daily")
    spec = DigestSpec(
        kind=kind,
        local_time=time(hour, minute),
        timezone=row.timezone,
        weekdays=tuple(DAY_NAMES.index(day) for day in row.weekdays.split(",") if day),
        top_n=row.top_n,
        keywords=tuple(json.loads(row.keywords)),
        min_upvotes=row.min_upvotes,
        organizations=tuple(json.loads(row.organizations)),
        authors=tuple(json.loads(row.authors)),
        ranking="team" if row.ranking == "team" else "upvotes",
    )
    return Subscription(
        channel=Channel(row.platform, row.workspace, row.channel),
        spec=spec,
        created_by=row.created_by,
        id=row.id,
        enabled=row.enabled,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def _write_spec(row: SubscriptionRow, spec: DigestSpec) -> None:
    row.kind = spec.kind
    row.local_time = f"{spec.local_time:%H:%M}"
    row.timezone = spec.timezone
    row.weekdays = ",".join(DAY_NAMES[day] for day in sorted(spec.weekdays))
    row.top_n = spec.top_n
    row.keywords = json.dumps(list(spec.keywords))
    row.min_upvotes = spec.min_upvotes
    row.organizations = json.dumps(list(spec.organizations))
    row.authors = json.dumps(list(spec.authors))
    row.ranking = spec.ranking


def save_subscription(session: Session, sub: Subscription, now: datetime) -> Subscription:
    """Create the channel's subscription of this kind, or replace its settings."""
    now = as_utc(now)
    channel = sub.channel
    row = session.exec(
        select(SubscriptionRow).where(
            SubscriptionRow.platform == channel.platform,
            SubscriptionRow.workspace == channel.workspace,
            SubscriptionRow.channel == channel.channel,
            SubscriptionRow.kind == sub.spec.kind,
        )
    ).first()
    if row is None:
        row = SubscriptionRow(
            platform=channel.platform,
            workspace=channel.workspace,
            channel=channel.channel,
            kind=sub.spec.kind,
            local_time="00:00",
            timezone=sub.spec.timezone,
            created_by=sub.created_by,
            created_at=now,
            updated_at=now,
        )
    _write_spec(row, sub.spec)
    row.enabled = sub.enabled
    row.updated_at = now
    session.add(row)
    session.flush()
    return to_subscription(row)


def delete_subscriptions(session: Session, channel: Channel, kind: Kind | None) -> list[int]:
    """Remove the channel's subscriptions (of one kind, or all); returns the ids removed."""
    query = select(SubscriptionRow.id).where(
        SubscriptionRow.platform == channel.platform,
        SubscriptionRow.workspace == channel.workspace,
        SubscriptionRow.channel == channel.channel,
    )
    if kind is not None:
        query = query.where(SubscriptionRow.kind == kind)
    ids = [i for i in session.exec(query) if i is not None]
    if ids:
        session.execute(delete(SubscriptionRow).where(col(SubscriptionRow.id).in_(ids)))
    return ids


def get_subscription(session: Session, subscription_id: int) -> Subscription | None:
    row = session.get(SubscriptionRow, subscription_id)
    return to_subscription(row) if row else None


def channel_subscriptions(session: Session, channel: Channel) -> list[Subscription]:
    query = select(SubscriptionRow).where(
        SubscriptionRow.platform == channel.platform,
        SubscriptionRow.workspace == channel.workspace,
        SubscriptionRow.channel == channel.channel,
    )
    return [to_subscription(row) for row in session.exec(query.order_by(col(SubscriptionRow.kind)))]


def enabled_subscriptions(
    session: Session, platforms: Collection[str] | None = None
) -> list[Subscription]:
    """Every enabled subscription (on the given platforms): the scheduler's job table."""
    query = select(SubscriptionRow).where(col(SubscriptionRow.enabled).is_(True))
    if platforms is not None:
        query = query.where(col(SubscriptionRow.platform).in_(list(platforms)))
    return [to_subscription(row) for row in session.exec(query.order_by(col(SubscriptionRow.id)))]


def disable_workspace(session: Session, platform: str, workspace: str, now: datetime) -> list[int]:
    """Turn off every enabled subscription in a workspace the bot was removed from; returns the
    ids turned off. Kept, not deleted, so a reinstall can turn them back on by hand."""
    rows = session.exec(
        select(SubscriptionRow).where(
            SubscriptionRow.platform == platform,
            SubscriptionRow.workspace == workspace,
            col(SubscriptionRow.enabled).is_(True),
        )
    ).all()
    for row in rows:
        row.enabled = False
        row.updated_at = as_utc(now)
        session.add(row)
    session.flush()
    return [row.id for row in rows if row.id is not None]

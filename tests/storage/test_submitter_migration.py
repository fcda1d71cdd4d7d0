"""Migration 0007 adds the submitter, organization and digest-filter columns, and takes them
away again, keeping every paper and subscription either way."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from bot.model import Channel
from bot.model.digests import DigestSpec, Subscription
from loopback.ports import make_paper
from storage import migrate
from storage.db import Database
from storage.papers import get_paper, upsert_papers
from storage.subscriptions import channel_subscriptions, save_subscription

NOW = datetime(2026, 6, 12, 9, tzinfo=UTC)
PAPER_COLUMNS = {"organization", "organization_name", "submitted_by", "submitted_by_name"}
SUBSCRIPTION_COLUMNS = {"organizations", "authors"}
CHANNEL = Channel("console", "local", "general")


def columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_the_migrated_schema_has_the_submitter_and_filter_columns(db: Database) -> None:
    assert columns(db, "paper") >= PAPER_COLUMNS
    assert columns(db, "subscription") >= SUBSCRIPTION_COLUMNS


def test_down_and_up_again_keeps_papers_and_subscriptions(db: Database) -> None:
    paper = make_paper("2606.00467", "Kept", organization="caltech", submitted_by="rk")
    spec = DigestSpec(keywords=("rlhf",), organizations=("Caltech",), authors=("Ada",))
    db.write_now(lambda s: upsert_papers(s, [paper]))
    db.write_now(lambda s: save_subscription(s, Subscription(CHANNEL, spec, "U1"), NOW))

    migrate.downgrade(db, "0006")
    assert not PAPER_COLUMNS & columns(db, "paper")
    assert not SUBSCRIPTION_COLUMNS & columns(db, "subscription")
    with db.engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM paper")).scalars().all()
        keywords = connection.execute(text("SELECT keywords FROM subscription")).scalars().all()
    assert (titles, keywords) == (["Kept"], ['["rlhf"]'])
    migrate.upgrade(db)

    kept = db.read_now(lambda s: get_paper(s, "2606.00467"))
    assert kept is not None
    assert (kept.title, kept.organization) == ("Kept", None)
    (sub,) = db.read_now(lambda s: channel_subscriptions(s, CHANNEL))
    assert (sub.spec.keywords, sub.spec.organizations, sub.spec.authors) == (("rlhf",), (), ())

"""``subscribe ... for-team``: the option's grammar, its storage and migration, and digests (run
by the scheduler or asked for now) that choose the papers the way ``foryou`` orders them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from bot.commands.dispatch import Dispatcher
from bot.commands.subscriptions import SUBSCRIBE
from bot.digests.grammar import parse_subscribe
from bot.model.digests import DigestSpec, RunState, Subscription
from bot.reply import Text
from bot.usage import UsageError
from storage import migrate
from storage.db import Database
from storage.subscriptions import channel_subscriptions, save_subscription
from tests.digests.helpers import Desk, Post, channel
from tests.support import topical
from tests.support.invoke import ask, texts
from tests.support.topical import LIKES_RLHF, topic_id

MONDAY_0900 = datetime(2026, 6, 15, 9, tzinfo=UTC)  # the daily digest covering Friday 12 June


def newest(*topics: str) -> list[str]:
    return [topic_id(t, n) for t in topics for n in (4, 5)]


@pytest.mark.parametrize(
    "words", ["for-team", "FOR-TEAM", "for_team", "forteam", "for team", "for Team"]
)
def test_for_team_orders_the_digest_for_the_team(words: str) -> None:
    spec = parse_subscribe(f"daily 09:00 {words} top 3", "UTC")
    assert (spec.ranking, spec.top_n, spec.local_time.hour) == ("team", 3, 9)


def test_without_it_the_digest_stays_in_upvote_order() -> None:
    assert parse_subscribe("daily 09:00 top 3", "UTC").ranking == "upvotes"


def test_for_team_ends_a_keyword_list_and_is_said_in_the_description() -> None:
    spec = parse_subscribe("keywords rlhf reward for-team weekly", "UTC")
    assert spec.keywords == ("rlhf", "reward")
    assert spec.describe() == "weekly at 09:00 UTC, Mon, top 5 for the team, keywords: rlhf, reward"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("for-team for-team", "Give the order (for-team) once."),
        ("for team top 3 forteam", "Give the order (for-team) once."),
        ("daily 09:00 for", "Say for-team: the papers most like"),
        ("daily for top 3", "Say for-team: the papers most like"),
    ],
)
def test_for_team_mistakes_say_what_is_wrong(words: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_subscribe(words, "UTC")


def test_the_form_writes_the_flag_as_the_words() -> None:
    assert SUBSCRIBE.text({"kind": "daily", "for_team": True}) == "subscribe daily for-team"
    assert SUBSCRIBE.text({"kind": "daily", "for_team": False}) == "subscribe daily"


def test_the_order_is_stored_and_read_back_on_both_databases(db: Database) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    for ranking in ("team", "upvotes"):
        sub = Subscription(channel(), DigestSpec(ranking=ranking), created_by="U1")  # type: ignore[arg-type]
        db.write_now(lambda s, sub=sub: save_subscription(s, sub, now))
        [saved] = db.read_now(lambda s: channel_subscriptions(s, channel()))
        assert saved.spec.ranking == ranking


def test_migration_0009_adds_the_column_with_upvotes_for_existing_subscriptions(
    db: Database,
) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    sub = Subscription(channel(), DigestSpec(ranking="team"), created_by="U1")
    db.write_now(lambda s: save_subscription(s, sub, now))
    migrate.downgrade(db, "0008")
    assert "ranking" not in {c["name"] for c in inspect(db.engine).get_columns("subscription")}
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT top_n FROM subscription")).scalars().all() == [5]
    migrate.upgrade(db)
    [kept] = db.read_now(lambda s: channel_subscriptions(s, channel()))
    assert kept.spec.ranking == "upvotes"  # what every subscription before 0009 was


async def posted(desk: Desk, subscribe: str, votes: bool = True) -> tuple[Subscription, Post]:
    """The one post of the digest ``subscribe`` asks for, fired on Monday for Friday's papers,
    after the team voted (or not)."""
    topical.load(desk.db)
    if votes:
        topical.vote(desk.db, LIKES_RLHF)
    sub = desk.subscribe(subscribe)
    assert await desk.fire(sub, MONDAY_0900) is RunState.POSTED
    [post] = desk.poster.in_channel()
    return sub, post


async def test_a_for_team_digest_posts_what_the_team_would_like_first(desk: Desk) -> None:
    sub, post = await posted(desk, "daily 09:00 UTC top 3 for-team")
    assert post.paper_ids == [*newest("rlhf"), topic_id("protein", 4)]
    assert post.reply.parts[1] == Text("Top 3 for this team, most like what it voted up", "muted")
    run = desk.run(sub, MONDAY_0900.date().replace(day=12))
    assert run is not None
    assert run.paper_ids == tuple(post.paper_ids)  # a retry posts the same choice


async def test_a_for_team_digest_before_any_vote_is_in_upvote_order_and_says_so(
    desk: Desk,
) -> None:
    _, post = await posted(desk, "daily 09:00 UTC top 3 for-team", votes=False)
    assert post.paper_ids == [*newest("diffusion"), topic_id("protein", 4)]
    assert "Nobody here has voted on a paper yet" in post.text


async def test_an_upvote_digest_ignores_the_teams_votes(desk: Desk) -> None:
    _, post = await posted(desk, "daily 09:00 UTC top 3")
    assert post.paper_ids == [*newest("diffusion"), topic_id("protein", 4)]
    assert "voted" not in post.text


async def test_digest_now_of_a_for_team_subscription_is_ordered_the_same_way(
    desk: Desk, dispatcher: Dispatcher
) -> None:
    topical.load(desk.db)
    topical.vote(desk.db, LIKES_RLHF)
    desk.clock.now = MONDAY_0900
    chat = replace(desk.deps)
    await ask(dispatcher, chat, "subscribe daily 09:00 UTC top 3 for-team")
    reply = await ask(dispatcher, chat, "digest now")
    assert [p.id for p in reply.papers] == [*newest("rlhf"), topic_id("protein", 4)]
    assert "most like what it voted up" in texts(reply)

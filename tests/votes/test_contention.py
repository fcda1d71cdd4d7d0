"""Contended rows and interleaved people: the lock, the batch order and the keys really hold.

Each test is built so that the bug it guards against changes the outcome: one person's events
racing on one row (a lost update leaves a reaction behind), order-dependent click sequences
(out-of-order application ends on another vote), one person in two workspaces, and the same event
id from two platforms.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.votes.events import ButtonVote, Effect
from bot.votes.service import VoteRecorder
from storage.db import Database
from storage.votes import VoteKey, lock_vote, lock_votes, paper_tally, voters
from tests.support.databases import migrated_database
from tests.votes.helpers import PAPERS, T0, VoteDesk, open_desk

P1, P2, P3 = PAPERS
EMOJI = tuple(f"vote{i:02d}" for i in range(24))


def with_many_vote_emoji(desk: VoteDesk) -> VoteDesk:
    settings = replace(desk.deps.settings, reaction_values=dict.fromkeys(EMOJI, 1))
    return replace(desk, deps=replace(desk.deps, settings=settings))


def emoji_of_vote(desk: VoteDesk, paper: str, user: str) -> list[str | None]:
    found = desk.deps.db.read_now(lambda s: voters(s, "test", desk.workspace, paper))
    return [v.emoji for v in found if v.user_id == user]


async def test_one_persons_concurrent_reactions_on_one_row_lose_no_update(db: Database) -> None:
    """24 reactions of one person race on one vote row, then 23 removals race again. Without the
    row lock two events read the same state and the later write drops the other's change."""
    desk = with_many_vote_emoji(await open_desk(db))
    for paper in PAPERS:
        adds = [
            desk.react("U1", paper, e, at=T0 + timedelta(seconds=i)) for i, e in enumerate(EMOJI)
        ]
        await asyncio.gather(*(desk.send(e) for e in adds))
        later = T0 + timedelta(minutes=1)
        removals = [desk.react("U1", paper, e, added=False, at=later) for e in EMOJI[1:]]
        await asyncio.gather(*(desk.send(e) for e in removals))
    for paper in PAPERS:
        assert desk.tally(paper).up == 1
        assert emoji_of_vote(desk, paper, "U1") == [EMOJI[0]]  # the only reaction left on


def toggled(values: list[int]) -> int:
    """A person's vote after these clicks in this order: the same button takes it back."""
    vote = 0
    for value in values:
        vote = 0 if vote == value else value
    return vote


async def test_the_recorder_applies_each_persons_mixed_clicks_in_arrival_order(
    db: Database,
) -> None:
    desk = await open_desk(db)
    rng = random.Random(7)
    people = [f"U{n}" for n in range(16)]
    clicks = {user: [rng.choice([1, -1]) for _ in range(9)] for user in people}
    # Order matters for these sequences: reversed, most of them end on another vote.
    assert sum(toggled(c) != toggled(c[::-1]) for c in clicks.values()) >= 8
    events = [
        desk.click(user, P1, clicks[user][step], at=T0 + timedelta(seconds=step))
        for step in range(9)
        for user in people
    ]
    recorder = VoteRecorder(desk.deps, max_batch=5, lanes=4)
    await asyncio.gather(*(recorder.record(e) for e in events))
    stored = desk.deps.db.read_now(lambda s: voters(s, "test", desk.workspace, P1))
    assert {v.user_id: v.value for v in stored} == {
        user: toggled(c) for user, c in clicks.items() if toggled(c)
    }


async def test_one_person_in_two_workspaces_holds_two_separate_votes(db: Database) -> None:
    first, second = await open_desk(db, "T1"), await open_desk(db, "T2")
    await first.send(first.click("U1", P1, 1))
    await second.send(second.click("U1", P1, -1))
    await second.send(second.react("U1", P2, "fire"))
    assert (first.tally(P1).up, first.tally(P1).down) == (1, 0)
    assert (second.tally(P1).up, second.tally(P1).down) == (0, 1)
    assert first.tally(P2).up == 0
    withdrawn = await first.send(first.click("U1", P1, 1))  # taken back in T1 only
    assert withdrawn.result.effect is Effect.WITHDRAWN
    assert (first.tally(P1).up, first.tally(P1).down) == (0, 0)
    assert (second.tally(P1).up, second.tally(P1).down) == (0, 1)


async def test_event_ids_are_unique_per_platform_not_across_platforms(db: Database) -> None:
    desk = await open_desk(db)
    slack = ButtonVote("slack", "T1", "C1", "U1", P3, 1, "Ev0001", T0)
    discord = ButtonVote("discord", "T1", "C1", "U1", P3, 1, "Ev0001", T0)
    assert (await desk.send(slack)).result.effect is Effect.RECORDED
    assert (await desk.send(discord)).result.effect is Effect.RECORDED
    assert (await desk.send(slack)).result.effect is Effect.DUPLICATE
    for platform in ("slack", "discord"):
        tally = db.read_now(lambda s, p=platform: paper_tally(s, p, "T1", P3))  # type: ignore[misc]
        assert tally.up == 1


def lock_one(session: Session, key: VoteKey) -> None:
    lock_vote(session, key, "C1", T0)


def lock_batch(session: Session, key: VoteKey) -> None:
    lock_votes(session, {key: "C1"}, T0)


def lock_without_waiting(
    db: Database, lock: Callable[[Session, VoteKey], None], key: VoteKey
) -> None:
    with db.session(write=True) as session:
        session.execute(text("SET LOCAL lock_timeout = '20ms'"))
        lock(session, key)


@pytest.mark.postgres
@pytest.mark.parametrize("lock", [lock_one, lock_batch])
def test_on_postgresql_a_vote_row_read_for_a_change_is_locked_until_the_change_ends(
    tmp_path: Path, lock: Callable[[Session, VoteKey], None]
) -> None:
    """Without the row lock, a second event reads the same opinion and one update is lost. The
    second reader gives up at once (lock_timeout) instead of waiting: no threads, no timing."""
    key = VoteKey("test", "T1", P1, "U1")
    with migrated_database("postgresql", tmp_path) as db:
        db.write_now(lambda s: lock(s, key))  # the row exists and is committed
        with db.session(write=True) as first:
            lock(first, key)
            with pytest.raises(OperationalError, match="lock timeout"):
                lock_without_waiting(db, lock, key)

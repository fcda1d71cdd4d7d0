"""Contended rows and interleaved people: the lock, the batch order and the keys really hold.

Each test is built so that the bug it guards against changes the outcome: one person's events
racing on one row (a lost update leaves a reaction behind), order-dependent click sequences
(out-of-order application ends on another vote), one person in two workspaces, and the same event
id from two platforms.
"""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.votes.events import ButtonVote, Effect
from bot.votes.service import VoteRecorder
from storage.db import Database
from storage.tables import VOTE_TABLE
from storage.votes import VoteKey, VoteState, lock_votes, voters
from tests.support.databases import migrated_database
from tests.support.queries import paper_tally
from tests.votes.helpers import PAPERS, T0, VoteDesk, open_desk

P1, P2, P3 = PAPERS
EMOJI = tuple(f"vote{i:02d}" for i in range(24))


def with_many_vote_emoji(desk: VoteDesk) -> VoteDesk:
    settings = desk.deps.settings.model_copy(update={"reaction_values": dict.fromkeys(EMOJI, 1)})
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


def lock(session: Session, key: VoteKey, channel: str = "C1") -> VoteState:
    return lock_votes(session, {key: channel}, T0)[key]


def lock_without_waiting(db: Database, key: VoteKey) -> None:
    with db.session(write=True) as session:
        session.execute(text("SET LOCAL lock_timeout = '20ms'"))
        lock(session, key)


@pytest.mark.postgres
def test_on_postgresql_a_vote_row_read_for_a_change_is_locked_until_the_change_ends(
    tmp_path: Path,
) -> None:
    """Without the row lock, a second event reads the same opinion and one update is lost. The
    second reader gives up at once (lock_timeout) instead of waiting: no threads, no timing."""
    key = VoteKey("test", "T1", P1, "U1")
    with migrated_database("postgresql", tmp_path) as db:
        db.write_now(lambda s: lock(s, key))  # the row exists and is committed
        with db.session(write=True) as first:
            lock(first, key)
            with pytest.raises(OperationalError, match="lock timeout"):
                lock_without_waiting(db, key)


def keys_of(*users: str) -> list[VoteKey]:
    return [VoteKey("test", "T1", P1, user) for user in users]


def row_ids(db: Database) -> dict[str, int]:
    """Each stored vote row's id, by person."""
    rows = db.read_now(lambda s: s.execute(select(VOTE_TABLE.c.user_id, VOTE_TABLE.c.id)).all())
    return {user: vote_id for user, vote_id in rows}


def wait_until_blocked_by(db: Database, blocker: Session) -> None:
    """Until some other transaction waits for one of ``blocker``'s locks."""
    pid = blocker.execute(text("SELECT pg_backend_pid()")).scalar_one()
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    deadline = time.monotonic() + 30
    while not db.read_now(lambda s: s.execute(waiting, {"pid": pid}).scalar_one()):
        assert time.monotonic() < deadline, "nobody waited for the lock"
        time.sleep(0.01)


@pytest.mark.postgres
def test_on_postgresql_a_first_vote_another_transaction_is_creating_is_taken_over_not_doubled(
    tmp_path: Path,
) -> None:
    """Two first opinions of one person at once: the first creates the row, and the second's
    insert waits for the first to end, then does nothing (the row exists by then), so the second
    must read and lock the row the first made."""
    (key,) = keys_of("U1")
    with migrated_database("postgresql", tmp_path) as db, ThreadPoolExecutor(1) as pool:
        with db.session(write=True) as first:
            made = lock(first, key)
            second = pool.submit(db.write_now, lambda s: lock(s, key, "C2"))
            wait_until_blocked_by(db, first)
        assert second.result(timeout=30) == made
        assert row_ids(db) == {"U1": made.id}


def test_a_batch_creates_its_new_rows_in_key_order_whatever_order_it_is_given(
    db: Database,
) -> None:
    """Batches that create overlapping rows insert them in one order, so neither waits on a row
    the other inserted while holding one it needs. Row ids show the order of creation."""
    u1, u2, u3 = keys_of("U1", "U2", "U3")
    channels = {u2: "C2", u3: "C1", u1: "C3"}  # neither given nor channel order is key order
    db.write_now(lambda s: lock_votes(s, channels, T0))
    ids = row_ids(db)
    assert ids["U1"] < ids["U2"] < ids["U3"]


def test_a_batch_locks_its_rows_in_id_order(db: Database) -> None:
    """Rows are locked as the query returns them, so batches sharing rows lock them in one order
    (by id) and wait for each other instead of deadlocking. Here no order the database could
    otherwise return them in is id order: not the key's (the unique index), nor their update
    times' (another index), nor the table's (PostgreSQL moves an updated row to the end)."""
    u1, u2, u3 = keys_of("U1", "U2", "U3")
    for key, seconds in ((u3, 2), (u2, 0), (u1, 1)):  # ids in reverse key order
        at = T0 + timedelta(seconds=seconds)
        db.write_now(lambda s, k=key, t=at: lock_votes(s, {k: "C1"}, t))  # type: ignore[misc]
    moved = update(VOTE_TABLE).where(VOTE_TABLE.c.user_id == "U3").values(channel="C9")
    db.write_now(lambda s: s.execute(moved))
    locked = db.write_now(lambda s: lock_votes(s, dict.fromkeys((u1, u2, u3), "C1"), T0))
    ids = row_ids(db)
    assert [state.id for state in locked.values()] == [ids["U3"], ids["U2"], ids["U1"]]

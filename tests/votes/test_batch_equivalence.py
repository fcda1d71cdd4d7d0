"""A batch gives every event the receipt it gets applied alone, in order (docs/architecture.md).

Two desks in separate workspaces receive the same events: one through the one-by-one oracle
(``tests/votes/oracle.py``), one event per transaction; the other through ``apply_votes``, whole
batches per transaction. Results and stored opinions must match; a batch's cards show the
tallies after the batch.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.model import Tally
from bot.votes.events import Effect, VoteEvent
from bot.votes.service import VoteReceipt, apply_votes
from storage.db import Database
from storage.tables import VOTE_TABLE
from tests.votes.helpers import PAPERS, T0, VoteDesk, open_desk
from tests.votes.oracle import handle_vote

UNKNOWN_PAPER = "2606.99999"  # a forged click: the catalog never had it, so not a vote
_workspaces = itertools.count()

# (kind, user, paper, detail, second): click (+1/-1), add/remove (emoji), replay (re-send event
# number ``detail`` modulo those so far), bot, digest (a message showing every paper), unknown (a
# message paperbot never posted). Seconds come from a small range: ties and stale events abound.
users = st.sampled_from(("ana", "bo", "chen"))
papers = st.sampled_from((*PAPERS[:2], UNKNOWN_PAPER))
seconds = st.integers(0, 4)
action = st.one_of(
    st.tuples(st.just("click"), users, papers, st.sampled_from([1, -1]), seconds),
    st.tuples(
        st.sampled_from(["add", "remove"]),
        users,
        papers,
        st.sampled_from(["fire", "+1", "-1", "eyes", "rocket::skin-tone-2"]),
        seconds,
    ),
    st.tuples(st.just("replay"), users, papers, st.integers(0, 40), seconds),
    st.tuples(st.sampled_from(["bot", "digest", "unknown"]), users, papers, st.just(0), seconds),
)
Action = tuple[str, str, str, object, int]


def build(desk: VoteDesk, actions: list[Action]) -> list[VoteEvent]:
    """The actions as this desk's events (each desk numbers its event ids alike)."""
    events: list[VoteEvent] = []
    for kind, user, paper, detail, second in actions:
        at = T0 + timedelta(seconds=second)
        if kind == "click":
            assert isinstance(detail, int)
            events.append(desk.click(user, paper, detail, at=at))
        elif kind in {"add", "remove"}:
            assert isinstance(detail, str)
            events.append(desk.react(user, paper, detail, added=kind == "add", at=at))
        elif kind == "replay" and events:
            assert isinstance(detail, int)
            events.append(events[detail % len(events)])
        elif kind == "bot":
            events.append(desk.react("paperbot", paper, "fire", at=at, by_bot=True))
        elif kind in {"digest", "unknown"}:
            events.append(desk.react(user, paper, "fire", at=at, message=kind))
    return events


async def one_by_one(desk: VoteDesk, events: list[VoteEvent]) -> list[VoteReceipt]:
    return [await handle_vote(desk.deps, event) for event in events]


async def in_batches(
    desk: VoteDesk, events: list[VoteEvent], cuts: list[int]
) -> list[tuple[VoteReceipt, Tally | None]]:
    """Each receipt, with its card's paper's tally read right after its batch."""
    values, now = desk.deps.settings.reaction_values, desk.deps.clock()
    receipts: list[tuple[VoteReceipt, Tally | None]] = []
    bounds = sorted({0, len(events), *(c % (len(events) + 1) for c in cuts)})
    for start, end in itertools.pairwise(bounds):
        batch = events[start:end]
        done = await desk.deps.db.write(lambda s, b=batch: apply_votes(s, b, values, now))
        receipts += [(r, desk.tally(r.card.paper.id) if r.card else None) for r in done]
    return receipts


def stored_opinions(desk: VoteDesk) -> dict[tuple[str, str], tuple[object, ...]]:
    v = VOTE_TABLE.c
    columns = (v.value, v.source, v.emoji, v.reactions, v.button_value, v.button_at, v.event_at)
    query = select(v.paper_id, v.user_id, *columns).where(v.workspace == desk.workspace)
    rows = desk.deps.db.read_now(lambda s: list(s.execute(query)))
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


async def assert_batches_match_one_by_one(
    db: Database, earlier: list[Action], actions: list[Action], cuts: list[int]
) -> list[VoteReceipt]:
    alone = await open_desk(db, workspace=f"A{next(_workspaces)}")
    batched = await open_desk(db, workspace=f"B{next(_workspaces)}")
    for desk in (alone, batched):  # opinions and event ids already stored before the batches
        await one_by_one(desk, build(desk, earlier))
    expected = await one_by_one(alone, build(alone, actions))
    got = await in_batches(batched, build(batched, actions), cuts)

    assert [r.result for r, _ in got] == [r.result for r in expected]
    assert [r.card is None for r, _ in got] == [r.card is None for r in expected]
    for (receipt, tally_after_batch), reference in zip(got, expected, strict=True):
        if receipt.card is not None and reference.card is not None:
            assert receipt.card.paper == reference.card.paper
            assert receipt.card.tally == tally_after_batch
    assert stored_opinions(batched) == stored_opinions(alone)
    return [receipt for receipt, _ in got]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    earlier=st.lists(action, max_size=8),
    actions=st.lists(action, max_size=30),
    cuts=st.lists(st.integers(0, 40), max_size=3),
)
def test_batches_give_the_receipts_of_events_applied_one_by_one(
    db: Database, earlier: list[Action], actions: list[Action], cuts: list[int]
) -> None:
    asyncio.run(assert_batches_match_one_by_one(db, earlier, actions, cuts))


async def test_one_batch_with_replays_stale_events_and_strangers_matches_one_by_one(
    db: Database,
) -> None:
    p1 = PAPERS[0]
    actions: list[Action] = [
        ("add", "ana", p1, "fire", 2),
        ("remove", "ana", p1, "fire", 1),  # older than the add: stale
        ("replay", "ana", p1, 0, 0),  # the first add again: a duplicate
        ("click", "ana", p1, -1, 3),  # the same person's click switches the opinion
        ("click", "ana", p1, -1, 4),  # and the same button again takes it back
        ("add", "bo", p1, "fire", 2),
        ("remove", "bo", p1, "fire", 2),  # same instant: the removal wins
        ("unknown", "chen", p1, 0, 1),
        ("digest", "chen", p1, 0, 1),
        ("add", "chen", p1, "eyes", 1),
        ("click", "chen", UNKNOWN_PAPER, 1, 1),
    ]
    got = await assert_batches_match_one_by_one(db, [], actions, [])
    assert [r.result.effect for r in got] == [
        Effect.RECORDED,
        Effect.STALE,
        Effect.DUPLICATE,
        Effect.RECORDED,
        Effect.WITHDRAWN,
        Effect.RECORDED,
        Effect.WITHDRAWN,
        Effect.IGNORED,
        Effect.IGNORED,
        Effect.IGNORED,
        Effect.IGNORED,  # no such paper
    ]
    cards = [r.card for r in got if r.card is not None]
    assert {card.tally for card in cards} == {Tally(0, 0)}  # the tally after the whole batch
    assert got[-1].card is None  # no paper to show

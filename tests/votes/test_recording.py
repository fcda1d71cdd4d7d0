"""Votes recorded exactly: buttons, reactions, replays, one opinion per person, on both dialects."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.model import Tally
from bot.votes.events import Effect, VoteResult
from bot.votes.service import VoteReceipt, VoteRecorder
from storage.db import Database
from storage.tables import VOTE_TABLE
from tests.votes.helpers import PAPERS, T0, open_desk

P1, P2, _ = PAPERS


async def test_click_records_and_the_same_click_takes_it_back(db: Database) -> None:
    desk = await open_desk(db)
    first = await desk.send(desk.click("U1", P1, 1))
    assert first.result == VoteResult(Effect.RECORDED, P1, 1)  # the opinion it leaves
    assert first.card is not None
    assert (first.card.tally.up, first.card.tally.down) == (1, 0)
    again = await desk.send(desk.click("U1", P1, 1))
    assert again.result.effect is Effect.WITHDRAWN
    assert desk.tally(P1).up == 0


async def test_the_other_button_switches_the_vote_and_the_card_shows_both_counts(
    db: Database,
) -> None:
    desk = await open_desk(db)
    await desk.send(desk.click("U2", P1, 1))
    await desk.send(desk.click("U1", P1, 1))
    switched = await desk.send(desk.click("U1", P1, -1))
    assert switched.result == VoteResult(Effect.RECORDED, P1, -1)
    assert (desk.tally(P1).up, desk.tally(P1).down) == (1, 1)
    assert switched.card is not None
    assert (switched.card.paper.id, switched.card.tally) == (P1, Tally(1, 1))


async def test_reactions_on_a_one_paper_message_count_and_removal_uncounts(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "fire"))
    await desk.send(desk.react("U2", P1, "-1::skin-tone-3"))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (1, 1)
    await desk.send(desk.react("U1", P1, "fire", added=False, at=T0 + timedelta(seconds=1)))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (0, 1)


async def test_reactions_that_are_not_votes_are_ignored_and_say_why(db: Database) -> None:
    desk = await open_desk(db)
    no_paper = VoteResult(
        Effect.IGNORED, None, reason="the message does not show exactly one paper"
    )
    ignored = [
        (desk.react("U1", P1, "fire", message="digest"), no_paper),  # it shows three papers
        (desk.react("U1", P1, "fire", message="unknown-message"), no_paper),
        (
            desk.react("BOT", P1, "thumbsup", by_bot=True),
            VoteResult(Effect.IGNORED, P1, reason="the bot's own reaction"),
        ),
        (
            desk.react("U1", P1, "eyes"),
            VoteResult(Effect.IGNORED, P1, reason="eyes is not a vote emoji"),
        ),
    ]
    for event, expected in ignored:
        assert (await desk.send(event)).result == expected
    assert desk.tally(P1).up == 0


async def test_a_replayed_event_counts_once(db: Database) -> None:
    desk = await open_desk(db)
    event = desk.click("U1", P1, 1)
    await desk.send(event)
    replay = await desk.send(event)
    assert replay.result.effect is Effect.DUPLICATE
    assert desk.tally(P1).up == 1  # a second delivery of the click did not take it back


FORGED = (
    "9999.99999",  # an arXiv id no card ever showed: the catalog lacks it
    "2606.99999",
    "../../etc/passwd",  # not an arXiv id at all
    "2606.00001v2",  # the catalog keys papers without their version
    "",
)
NO_SUCH_PAPER = VoteReceipt(VoteResult(Effect.IGNORED, None, reason="no such paper"), None)


def votes_stored(db: Database) -> int:
    return db.read_now(lambda s: s.execute(select(func.count()).select_from(VOTE_TABLE)).one()[0])


async def test_a_click_on_a_paper_the_catalog_cannot_resolve_is_ignored_as_no_such_paper(
    db: Database,
) -> None:
    """Every card shows a catalog paper, so any other id in a button value is forged."""
    desk = await open_desk(db)
    for forged in FORGED:
        assert await desk.send(desk.click("U1", forged, 1)) == NO_SUCH_PAPER
    assert votes_stored(db) == 0


async def test_a_batch_ignores_clicks_on_papers_the_catalog_lacks_and_counts_the_rest(
    db: Database,
) -> None:
    desk = await open_desk(db)
    recorder = VoteRecorder(desk.deps)
    events = [desk.click("U1", paper, 1) for paper in (*FORGED, P1)]
    receipts = await asyncio.gather(*(recorder.record(event) for event in events))
    assert receipts[:-1] == [NO_SUCH_PAPER] * len(FORGED)
    assert receipts[-1].result == VoteResult(Effect.RECORDED, P1, 1)
    assert votes_stored(db) == 1


async def test_one_opinion_per_person_per_paper_whatever_the_source(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.click("U1", P1, 1))
    await desk.send(desk.react("U1", P1, "thumbsdown", at=T0 + timedelta(seconds=5)))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (0, 1)
    assert desk.tally(P2).up == 0


async def test_a_stale_event_reports_the_opinion_it_left_in_place(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "fire", at=T0 + timedelta(seconds=2)))
    stale = await desk.send(desk.react("U1", P1, "fire", added=False, at=T0))
    assert stale.result == VoteResult(Effect.STALE, P1, 1)
    assert stale.card is None


async def test_add_and_remove_out_of_order_within_a_second(db: Database) -> None:
    desk = await open_desk(db)
    add = desk.react("U1", P1, "rocket", at=T0 + timedelta(milliseconds=200))
    remove = desk.react("U1", P1, "rocket", added=False, at=T0 + timedelta(milliseconds=700))
    assert (await desk.send(remove)).result.effect is Effect.UNCHANGED
    assert (await desk.send(add)).result.effect is Effect.STALE
    assert desk.tally(P1).up == 0


async def test_concurrent_votes_on_one_paper_are_all_counted(db: Database) -> None:
    desk = await open_desk(db)
    events = [desk.click(f"U{i}", P1, 1 if i % 3 else -1) for i in range(60)]
    events += [desk.react(f"R{i}", P1, "fire") for i in range(40)]
    await asyncio.gather(*(desk.send(e) for e in events))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (40 + 40, 20)


async def test_one_persons_racing_add_and_remove_settle_by_time(db: Database) -> None:
    desk = await open_desk(db)
    events = []
    for user in range(20):
        t = T0 + timedelta(milliseconds=10 * user)
        events.append(desk.react(f"U{user}", P1, "star", at=t))
        events.append(
            desk.react(f"U{user}", P1, "star", added=False, at=t + timedelta(milliseconds=300))
        )
        events.append(desk.react(f"U{user}", P2, "star", at=t + timedelta(milliseconds=300)))
        events.append(desk.react(f"U{user}", P2, "star", added=False, at=t))
    for batch in (events[::-1], events):
        await asyncio.gather(*(desk.send(e) for e in batch))
    assert desk.tally(P1).up == 0
    assert desk.tally(P2).up == 20

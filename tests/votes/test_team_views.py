"""What the team reads back: tallies, the leaderboard, voters, cards and the export, each of one
team (platform and workspace) and of current votes only."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

from bot.commands.dispatch import Dispatcher
from bot.model import Tally, Voter
from bot.votes.events import ButtonVote
from bot.votes.export import write_votes
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.votes import export_votes, leaderboard, papers_with_tallies, tallies, voters
from tests.support.invoke import ask
from tests.support.queries import delete_paper
from tests.votes.helpers import PAPERS, T0, VoteDesk, open_desk

P1, P2, P3 = PAPERS


async def test_the_leaderboard_ranks_by_score_not_by_up_votes(
    db: Database, dispatcher: Dispatcher
) -> None:
    desk = await open_desk(db)
    for user in ("U1", "U2", "U3", "U4"):  # P1: 4 up, 3 down: score +1, the most up votes
        await desk.send(desk.click(user, P1, 1))
    for user in ("U5", "U6", "U7"):
        await desk.send(desk.click(user, P1, -1))
    for user in ("U1", "U2"):  # P2: 2 up: score +2
        await desk.send(desk.click(user, P2, 1))
    await desk.send(desk.click("U3", P3, -1))  # P3: score -1
    reply = await ask(dispatcher, desk.deps, "top all")
    assert [p.id for p in reply.papers] == [P2, P1, P3]


async def test_withdrawn_votes_are_not_exported(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.click("U1", P1, 1))
    await desk.send(desk.click("U2", P1, -1))
    await desk.send(desk.click("U2", P1, -1))  # taken back
    await desk.send(desk.react("U3", P2, "fire"))
    await desk.send(desk.react("U3", P2, "fire", added=False, at=T0 + timedelta(seconds=5)))
    out = io.StringIO()
    assert db.read_now(lambda s: write_votes(export_votes(s), "json", out)) == 1
    [only] = json.loads(out.getvalue())
    assert (only["paper_id"], only["user_id"], only["value"]) == (P1, "U1", 1)


async def test_the_csv_export_has_its_columns_in_the_documented_order(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U9", P3, "thumbsdown"))
    out = io.StringIO()
    db.read_now(lambda s: write_votes(export_votes(s), "csv", out))
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert header == [
        "platform", "workspace", "channel", "paper_id", "title",
        "user_id", "value", "source", "emoji", "updated_at",
    ]  # fmt: skip
    assert row[:9] == ["test", "T1", "C1", P3, f"Paper {P3}", "U9", "-1", "reaction", "👎"]
    assert row[9].startswith("2026-06-12T10:00")  # when it was recorded (the desk's clock)


UNKNOWN = "2606.99999"  # a paper the catalog no longer has, as votes stored before clicks
# were checked against the catalog


async def votes_in_three_teams(db: Database) -> VoteDesk:
    """Team ("test", "T1"): on P1 U2 down and U1 up, U3 up and taken back; on P2 U1's 🔥; on P3
    only U4's vote, taken back; U5 up on an unknown paper. The other teams vote on P1 only."""
    desk, other_team = await open_desk(db, "T1"), await open_desk(db, "T2")
    db.write_now(lambda s: upsert_papers(s, [make_paper(UNKNOWN, "Gone")]))
    for event in (
        desk.click("U2", P1, -1),
        desk.click("U1", P1, 1),
        desk.click("U3", P1, 1),
        desk.click("U3", P1, 1),
        desk.react("U1", P2, "fire"),
        desk.click("U4", P3, 1),
        desk.click("U4", P3, 1),
        desk.click("U5", UNKNOWN, 1),
    ):
        await desk.send(event)
    db.write_now(lambda s: delete_paper(s, UNKNOWN))
    await other_team.send(other_team.click("U1", P1, -1))
    await desk.send(ButtonVote("other", "T1", "C1", "U9", P1, 1, "other-1", T0))
    return desk


async def test_each_read_counts_one_teams_current_votes_only(db: Database) -> None:
    await votes_in_three_teams(db)
    read = db.read_now
    assert read(lambda s: tallies(s, "test", "T1", [*PAPERS, UNKNOWN])) == {
        P1: Tally(1, 1),
        P2: Tally(1, 0),
        UNKNOWN: Tally(1, 0),
    }
    board = read(lambda s: leaderboard(s, "test", "T1", since=None, channel=None, limit=9))
    assert [(e.paper_id, e.tally) for e in board] == [
        (P2, Tally(1, 0)),
        (UNKNOWN, Tally(1, 0)),
        (P1, Tally(1, 1)),
    ]
    assert [(v.user_id, v.value) for v in read(lambda s: voters(s, "test", "T1", P1))] == [
        ("U1", 1),
        ("U2", -1),
    ]
    teams = {("test", "T1", P1), ("test", "T2", P1), ("other", "T1", P1), ("test", "T1", P2)}
    cards = read(lambda s: papers_with_tallies(s, teams | {("test", "T1", UNKNOWN)}))
    assert {team: (paper.id, tally) for team, (paper, tally) in cards.items()} == {
        ("test", "T1", P1): (P1, Tally(1, 1)),
        ("test", "T2", P1): (P1, Tally(0, 1)),
        ("other", "T1", P1): (P1, Tally(1, 0)),
        ("test", "T1", P2): (P2, Tally(1, 0)),
    }  # the unknown paper has no card to show


async def test_the_export_lists_every_current_vote_in_order_unknown_papers_too(
    db: Database,
) -> None:
    await votes_in_three_teams(db)
    rows = db.read_now(lambda s: list(export_votes(s)))
    assert [(v.platform, v.workspace, v.paper_id, v.user_id, v.value, v.title) for v in rows] == [
        ("other", "T1", P1, "U9", 1, f"Paper {P1}"),
        ("test", "T1", P1, "U1", 1, f"Paper {P1}"),
        ("test", "T1", P1, "U2", -1, f"Paper {P1}"),
        ("test", "T1", P2, "U1", 1, f"Paper {P2}"),
        ("test", "T1", UNKNOWN, "U5", 1, ""),
        ("test", "T2", P1, "U1", -1, f"Paper {P1}"),
    ]


async def test_the_leaderboard_breaks_ties_by_up_votes_then_by_paper_and_stops_at_its_limit(
    db: Database,
) -> None:
    desk = await open_desk(db)
    for event in (
        desk.click("U1", P3, 1),  # P3 and P1: score +1 with one up vote each
        desk.click("U1", P1, 1),
        desk.click("U1", P2, 1),  # P2: score +1 with two up votes
        desk.click("U2", P2, 1),
        desk.click("U3", P2, -1),
    ):
        await desk.send(event)

    def top(limit: int) -> list[str]:
        found = db.read_now(
            lambda s: leaderboard(s, "test", "T1", since=None, channel=None, limit=limit)
        )
        return [entry.paper_id for entry in found]

    assert top(9) == [P2, P1, P3]
    assert top(2) == [P2, P1]


async def test_the_leaderboard_window_starts_at_its_instant_and_keeps_to_its_channel(
    db: Database,
) -> None:
    desk = await open_desk(db)
    await desk.send(desk.click("U1", P1, 1))  # recorded at the desk's clock
    at = desk.deps.clock()

    def top(since: datetime, channel: str | None) -> list[str]:
        found = db.read_now(
            lambda s: leaderboard(s, "test", "T1", since=since, channel=channel, limit=9)
        )
        return [entry.paper_id for entry in found]

    assert top(at, None) == top(at, "C1") == [P1]
    assert top(at + timedelta(microseconds=1), None) == []
    assert top(at, "C2") == []


async def test_voters_are_listed_up_votes_first_then_oldest_first(db: Database) -> None:
    desk = await open_desk(db)
    clock = desk.deps.clock
    for minutes, event in (
        (30, desk.click("U1", P1, 1)),
        (10, desk.react("U2", P1, "fire")),  # recorded later, stamped earlier
        (0, desk.click("U3", P1, -1)),
    ):
        clock.now = T0 + timedelta(minutes=minutes)  # type: ignore[attr-defined]
        await desk.send(event)
    assert db.read_now(lambda s: voters(s, "test", "T1", P1)) == [
        Voter("U2", 1, "reaction", "🔥", "C1", T0 + timedelta(minutes=10)),
        Voter("U1", 1, "button", None, "C1", T0 + timedelta(minutes=30)),
        Voter("U3", -1, "button", None, "C1", T0),
    ]


async def test_the_leaderboard_lists_papers_of_equal_score_and_up_votes_by_id(db: Database) -> None:
    """The id is the last sort key. Without it, tied papers keep whatever order the database
    groups and sorts them in: two ranks of twelve tied papers, ids interleaved, show it."""
    desk = await open_desk(db)
    papers = [f"2607.{n:05d}" for n in range(1, 25)]
    db.write_now(lambda s: upsert_papers(s, [make_paper(p, f"Paper {p}") for p in papers]))
    for paper in papers:
        await desk.send(desk.click("U1", paper, 1))
    for paper in papers[1::2]:
        await desk.send(desk.click("U2", paper, 1))
    board = db.read_now(lambda s: leaderboard(s, "test", "T1", since=None, channel=None, limit=99))
    assert [entry.paper_id for entry in board] == papers[1::2] + papers[::2]

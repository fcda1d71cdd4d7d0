"""What the team reads back: the leaderboard's order, and the export's rows and columns."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.commands.dispatch import Dispatcher
from bot.votes.export import write_votes
from storage.db import Database
from storage.votes import export_votes
from tests.support.invoke import ask
from tests.votes.helpers import PAPERS, T0, open_desk

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
    assert row[:9] == ["test", "T1", "C1", P3, f"Paper {P3}", "U9", "-1", "reaction", "thumbsdown"]
    assert row[9].startswith("2026-06-12T10:00")  # when it was recorded (the desk's clock)

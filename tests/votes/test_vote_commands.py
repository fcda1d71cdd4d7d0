"""top, votes and the export: the team's votes read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.commands.dispatch import Dispatcher
from bot.reply import Outcome, VoterList
from bot.votes.export import write_votes
from storage.db import Database
from storage.votes import export_votes
from tests.support.invoke import ask, texts
from tests.votes.helpers import PAPERS, T0, open_desk

P1, P2, P3 = PAPERS


async def cast(db: Database) -> None:
    desk = await open_desk(db)
    for user in ("U1", "U2", "U3"):
        await desk.send(desk.click(user, P2, 1))
    await desk.send(desk.click("U1", P1, 1))
    await desk.send(desk.click("U2", P1, -1))
    await desk.send(desk.react("U4", P3, "fire"))


async def test_top_ranks_papers_by_the_teams_score(db: Database, dispatcher: Dispatcher) -> None:
    await cast(db)
    desk = await open_desk(db)
    reply = await ask(dispatcher, desk.deps, "top week")
    assert [p.id for p in reply.papers] == [P2, P3, P1]
    assert "score +3 · 👍 3 · 👎 0 · 3 voters" in texts(reply)


async def test_top_channel_scope_and_empty_windows(db: Database, dispatcher: Dispatcher) -> None:
    await cast(db)
    desk = await open_desk(db)
    elsewhere = await ask(dispatcher, desk.deps, "top all channel", channel="C-other")
    assert elsewhere.papers == ()
    assert "No votes in this channel" in texts(elsewhere)
    desk.deps.clock.now = T0 + timedelta(days=40)  # type: ignore[attr-defined]
    assert (await ask(dispatcher, desk.deps, "top month")).papers == ()
    assert len((await ask(dispatcher, desk.deps, "top all")).papers) == 3


async def test_top_rejects_unknown_words(db: Database, dispatcher: Dispatcher) -> None:
    desk = await open_desk(db)
    reply = await ask(dispatcher, desk.deps, "top year")
    assert reply.outcome is Outcome.USAGE
    assert "Usage: /papers top" in texts(reply)


async def test_votes_lists_who_voted_and_how(db: Database, dispatcher: Dispatcher) -> None:
    await cast(db)
    desk = await open_desk(db)
    reply = await ask(dispatcher, desk.deps, f"votes {P1}")
    voters = next(p for p in reply.parts if isinstance(p, VoterList)).voters
    assert [(v.user_id, v.value, v.source) for v in voters] == [
        ("U1", 1, "button"),
        ("U2", -1, "button"),
    ]
    missing = await ask(dispatcher, desk.deps, "votes 2611.99999")
    assert missing.outcome is Outcome.NOT_FOUND


async def test_export_writes_every_current_vote_as_csv_and_json(db: Database) -> None:
    await cast(db)
    out = io.StringIO()
    assert db.read_now(lambda s: write_votes(export_votes(s), "csv", out)) == 6
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {(r["paper_id"], r["user_id"], r["value"]) for r in rows} >= {
        (P1, "U2", "-1"),
        (P3, "U4", "1"),
    }
    assert rows[0]["title"].startswith("Paper ")
    out = io.StringIO()
    db.read_now(lambda s: write_votes(export_votes(s), "json", out))
    assert len(json.loads(out.getvalue())) == 6

"""Lookups by a list of composite keys return the rows of those keys only.

On SQLite the query asks for each column's values separately, so that SQLite uses its index
(storage/key_lists.py); the rows of the other combinations it finds must be left out. Each test
asks for two keys while rows exist for their crossed combinations too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from bot.model import Channel, Paper, SentMessage, Tally
from storage.db import Database
from storage.papers import upsert_papers
from storage.posted_messages import papers_of_messages, record_posted
from storage.tables import VOTE_TABLE
from storage.votes import VoteKey, lock_votes, papers_with_tallies

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
P1, P2 = "2606.00001", "2606.00002"


def test_messages_are_looked_up_by_their_whole_address(db: Database) -> None:
    for platform, channel, ref, paper in [
        ("slack", "C1", "m1", P1),
        ("discord", "C2", "m2", P2),
        ("slack", "C2", "m2", P1),  # crossed: asked for neither
        ("discord", "C1", "m1", P2),
        ("slack", "C1", "m2", P2),
    ]:
        where, sent = Channel(platform, "T1", channel), [SentMessage(ref, (paper,))]
        db.write_now(lambda s, c=where, m=sent: record_posted(s, c, m, T0))
    wanted = {("slack", "C1", "m1"), ("discord", "C2", "m2")}
    found = db.read_now(lambda s: papers_of_messages(s, wanted))
    assert found == {("slack", "C1", "m1"): [P1], ("discord", "C2", "m2"): [P2]}


def test_vote_rows_are_locked_for_the_keys_asked_only(db: Database) -> None:
    asked = {VoteKey("slack", "T1", P1, "U1"): "C1", VoteKey("slack", "T1", P2, "U2"): "C1"}
    crossed = {VoteKey("slack", "T1", P1, "U2"): "C1", VoteKey("slack", "T1", P2, "U1"): "C1"}
    db.write_now(lambda s: lock_votes(s, crossed, T0))
    found = db.write_now(lambda s: lock_votes(s, asked, T0))
    assert set(found) == set(asked)
    ids = db.write_now(lambda s: {k: v.id for k, v in lock_votes(s, asked | crossed, T0).items()})
    assert {ids[k] for k in asked} == {found[k].id for k in asked}


def test_card_tallies_are_those_of_the_team_papers_asked(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(s, [Paper(p, f"Paper {p}", fetched_at=T0) for p in (P1, P2)])
    )
    votes = [
        ("slack", "T1", P1, "U1", 1),
        ("discord", "T2", P2, "U1", -1),
        ("slack", "T1", P2, "U2", 1),  # crossed: asked for neither
        ("discord", "T2", P1, "U2", 1),
    ]
    rows = [
        {"platform": p, "workspace": w, "paper_id": paper, "user_id": u, "value": v}
        | {"source": "button", "channel": "C1", "reactions": "{}", "button_value": v}
        | {"button_at": T0, "event_at": T0, "created_at": T0, "updated_at": T0}
        for p, w, paper, u, v in votes
    ]
    db.write_now(lambda s: s.execute(insert(VOTE_TABLE), rows))
    wanted = {("slack", "T1", P1), ("discord", "T2", P2)}
    found = db.read_now(lambda s: papers_with_tallies(s, wanted))
    assert {key: tally for key, (_, tally) in found.items()} == {
        ("slack", "T1", P1): Tally(1, 0),
        ("discord", "T2", P2): Tally(0, 1),
    }

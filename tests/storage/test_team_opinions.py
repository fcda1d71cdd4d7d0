"""What "for your team" learns from: the team's papers with a net opinion, newest vote first."""

from __future__ import annotations

from datetime import timedelta

from bot.model import Tally
from storage.db import Database
from storage.votes import team_opinions
from tests.support import topical
from tests.support.topical import VOTED_AT, topic_id

RLHF, DIFFUSION, PROTEIN = (topic_id(t, 1) for t in ("rlhf", "diffusion", "protein"))


def opinions(db: Database, limit: int = 10, workspace: str = "T1") -> list[tuple[str, Tally]]:
    found = db.read_now(lambda s: team_opinions(s, "test", workspace, limit))
    return [(paper.id, tally) for paper, tally in found]


def test_net_opinions_come_newest_first_and_a_tie_is_no_opinion(db: Database) -> None:
    topical.load(db)
    topical.vote(db, [("U1", RLHF, 1), ("U2", RLHF, 1), ("U3", RLHF, -1)])
    topical.vote(db, [("U1", DIFFUSION, -1)], at=VOTED_AT + timedelta(hours=1))
    topical.vote(db, [("U1", PROTEIN, 1), ("U2", PROTEIN, -1)], at=VOTED_AT + timedelta(hours=2))
    assert opinions(db) == [(DIFFUSION, Tally(0, 1)), (RLHF, Tally(2, 1))]
    assert opinions(db, limit=1) == [(DIFFUSION, Tally(0, 1))]
    assert opinions(db, workspace="T2") == []


def test_a_vote_taken_back_is_no_opinion(db: Database) -> None:
    topical.load(db)
    topical.vote(db, [("U1", RLHF, 1)])
    topical.vote(db, [("U1", RLHF, 1)], at=VOTED_AT + timedelta(minutes=1))  # the same button
    assert opinions(db) == []

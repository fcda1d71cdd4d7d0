""" "For your team": rank papers by how like they are to what the team voted on.

A candidate's score is the sum, over the papers the team has a net opinion on, of that opinion
(up votes minus down votes) times the candidate's likeness to the paper (``storage.similar``):
papers like the ones the team voted up rise, papers like the ones it voted down sink, and
papers like neither keep Hugging Face's upvote order among themselves. A candidate's reason is
the voted-up paper that lifted it most. ``rank_for_team`` is pure; ``team_picks`` reads the
votes and likenesses in one unit of work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from bot.digests.select import rank_key
from bot.model import Channel, Paper, Tally
from storage.search_index import SearchIndex
from storage.similar import likeness
from storage.votes import team_opinions

OPINIONS = 40  # the team's most recently voted papers that its taste is read from
NOTICEABLE = 0.05  # a likeness below this is chance overlap: no reason is given for it

Likeness = Mapping[str, Mapping[str, float]]  # voted paper id -> candidate id -> likeness


@dataclass(frozen=True, slots=True)
class Opinion:
    """A paper the team voted on, and how."""

    paper: Paper
    tally: Tally


@dataclass(frozen=True, slots=True)
class Pick:
    paper: Paper
    score: float
    because: Opinion | None = None  # the voted-up paper it is most like

    def reason(self) -> str | None:
        """``like "X", which 4 of you voted up``: plain words, no markup."""
        if self.because is None:
            return None
        up = self.because.tally.up
        who = "one of you" if up == 1 else f"{up} of you"
        return f"Like “{self.because.paper.title}”, which {who} voted up."


def rank_for_team(
    candidates: Sequence[Paper], opinions: Sequence[Opinion], alike: Likeness
) -> list[Pick]:
    """The candidates, the team's likely favourites first; ties in Hugging Face upvote order."""
    picks = []
    for paper in candidates:
        score, because, lifted = 0.0, None, 0.0
        for opinion in opinions:
            share = alike.get(opinion.paper.id, {}).get(paper.id, 0.0)
            pull = opinion.tally.score * share
            score += pull
            if opinion.tally.score > 0 and share >= NOTICEABLE and pull > lifted:
                because, lifted = opinion, pull
        picks.append(Pick(paper, score, because if score > 0 else None))
    return sorted(picks, key=lambda p: (-p.score, *rank_key(p.paper)))


def team_picks(
    session: Session, index: SearchIndex, team: Channel, candidates: Sequence[Paper]
) -> list[Pick] | None:
    """The candidates ranked for the team of ``team`` (its platform and workspace); None when
    the team has voted on nothing yet."""
    voted = team_opinions(session, team.platform, team.workspace, OPINIONS)
    if not voted:
        return None
    opinions = [Opinion(paper, tally) for paper, tally in voted]
    alike = likeness(session, index, [o.paper for o in opinions], [p.id for p in candidates])
    return rank_for_team(candidates, opinions, alike)

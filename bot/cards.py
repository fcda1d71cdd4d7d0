"""Turn papers into cards carrying the team's current tally."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.model import Invocation, Paper, Tally
from bot.reply import PaperCard
from storage.votes import tallies


def paper_cards(
    session: Session, invocation: Invocation, papers: Sequence[Paper], *, ranked: bool = True
) -> tuple[PaperCard, ...]:
    found = tallies(session, invocation.platform, invocation.workspace, [p.id for p in papers])
    return tuple(
        PaperCard(paper, rank=i if ranked else None, tally=found.get(paper.id, Tally()))
        for i, paper in enumerate(papers, start=1)
    )

"""Turn papers into cards carrying the team's current tally, and the replies in the channel's
thread of each paper where they are counted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.model import Channel, Invocation, Paper, Tally
from bot.reply import PaperCard
from storage.discussions import reply_counts
from storage.votes import tallies


def paper_cards(
    session: Session, invocation: Invocation, papers: Sequence[Paper], *, ranked: bool = True
) -> tuple[PaperCard, ...]:
    ids = [p.id for p in papers]
    found = tallies(session, invocation.platform, invocation.workspace, ids)
    where = Channel(invocation.platform, invocation.workspace, invocation.channel)
    replies = reply_counts(session, where, ids)
    return tuple(
        PaperCard(
            paper,
            rank=i if ranked else None,
            tally=found.get(paper.id, Tally()),
            replies=replies.get(paper.id),
        )
        for i, paper in enumerate(papers, start=1)
    )

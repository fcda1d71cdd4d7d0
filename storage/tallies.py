"""Vote tallies per paper, for the cards every command shows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from bot.model import Tally
from storage.tables import VoteRow


def tallies(
    session: Session, platform: str, workspace: str, paper_ids: Sequence[str]
) -> dict[str, Tally]:
    """The team's up and down votes on each paper; papers nobody voted on are left out."""
    if not paper_ids:
        return {}
    query = (
        select(
            VoteRow.paper_id,
            func.sum(case((col(VoteRow.value) > 0, 1), else_=0)),
            func.sum(case((col(VoteRow.value) < 0, 1), else_=0)),
        )
        .where(
            VoteRow.platform == platform,
            VoteRow.workspace == workspace,
            col(VoteRow.paper_id).in_(list(paper_ids)),
            VoteRow.value != 0,
        )
        .group_by(VoteRow.paper_id)
    )
    return {paper_id: Tally(int(up), int(down)) for paper_id, up, down in session.exec(query)}

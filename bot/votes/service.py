"""The vote use case adapters call: one unit of work per event, the updated card back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.deps import Deps
from bot.reply import PaperCard
from bot.votes.events import VoteEvent, VoteResult
from bot.votes.record import record_vote
from storage.papers import get_paper


@dataclass(frozen=True, slots=True)
class VoteReceipt:
    result: VoteResult
    card: PaperCard | None  # the card with its new tally, when the tally may have changed


async def handle_vote(deps: Deps, event: VoteEvent) -> VoteReceipt:
    values = deps.settings.reaction_values
    now = deps.clock()

    def work(session: Session) -> VoteReceipt:
        result, tally = record_vote(session, event, values, now)
        if tally is None or result.paper_id is None:
            return VoteReceipt(result, None)
        paper = get_paper(session, result.paper_id)
        return VoteReceipt(result, PaperCard(paper, tally=tally) if paper else None)

    return await deps.db.write(work)

"""The vote use case adapters call: one unit of work per event, the updated card back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.deps import Deps
from bot.reply import PaperCard
from bot.votes.events import Effect, VoteEvent, VoteResult
from bot.votes.record import record_vote
from storage.votes import paper_with_tally

# Events that change nothing need no card update.
SILENT = frozenset({Effect.DUPLICATE, Effect.STALE, Effect.IGNORED})


@dataclass(frozen=True, slots=True)
class VoteReceipt:
    result: VoteResult
    card: PaperCard | None  # the card with its new tally, when the tally may have changed


async def handle_vote(deps: Deps, event: VoteEvent) -> VoteReceipt:
    values = deps.settings.reaction_values
    now = deps.clock()

    def work(session: Session) -> VoteReceipt:
        result = record_vote(session, event, values, now)
        if result.effect in SILENT or result.paper_id is None:
            return VoteReceipt(result, None)
        found = paper_with_tally(session, event.platform, event.workspace, result.paper_id)
        return VoteReceipt(result, PaperCard(found[0], tally=found[1]) if found else None)

    return await deps.db.write(work)

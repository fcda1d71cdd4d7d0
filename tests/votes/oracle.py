"""The one-by-one vote path, the oracle ``test_batch_equivalence.py`` holds the batch path to.

Each event alone, in a transaction of its own: its paper looked up, its delivery marked, the
person's vote row read (made if missing), judged and saved, then the card's paper and tally
read. It uses the product's rules (``bot.votes.record``) and no state between events, so the
batch's in-memory bookkeeping (copies, stale events and several events of one person within a
batch) is compared with the plainest reading of those rules. The product had this path as its
fallback; it now retries a failed batch as batches of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from bot.deps import Deps
from bot.model import Paper, Tally
from bot.reply import PaperCard
from bot.votes.events import ButtonVote, Effect, VoteEvent, VoteResult
from bot.votes.record import (
    clicked_papers,
    ignored_result,
    judge,
    one_paper,
    opinion_of,
    saved_columns,
)
from bot.votes.service import SILENT, VoteReceipt
from storage.papers import get_paper
from storage.tables import VOTE_TABLE, ProcessedEventRow, VoteRow
from storage.votes import NEVER, VoteKey, VoteState, save_votes
from tests.support.queries import paper_tally, papers_of_message


async def handle_vote(deps: Deps, event: VoteEvent) -> VoteReceipt:
    values, now = deps.settings.reaction_values, deps.clock()
    return await deps.db.write(lambda s: apply_vote(s, event, values, now))


def apply_vote(
    session: Session, event: VoteEvent, values: Mapping[str, int], now: datetime
) -> VoteReceipt:
    result = record_vote(session, event, values, now)
    if result.effect in SILENT or result.paper_id is None:
        return VoteReceipt(result, None)
    found = paper_with_tally(session, event.platform, event.workspace, result.paper_id)
    return VoteReceipt(result, PaperCard(found[0], tally=found[1]) if found else None)


def record_vote(
    session: Session, event: VoteEvent, values: Mapping[str, int], now: datetime
) -> VoteResult:
    paper_id = _paper_of(session, event)
    ignored = ignored_result(event, paper_id, values)
    if ignored is not None:
        return ignored
    assert paper_id is not None
    if not first_delivery(session, event.platform, event.event_id, now):
        return VoteResult(Effect.DUPLICATE, paper_id)

    key = VoteKey(event.platform, event.workspace, paper_id, event.user)
    row = vote_row(session, key, event.channel, now)
    after, result = judge(opinion_of(row), event, paper_id, values)
    if after is not None:
        columns = saved_columns(after, values, max(row.event_at, event.at), event.channel, now)
        save_votes(session, {row.id: columns})
    return result


def _paper_of(session: Session, event: VoteEvent) -> str | None:
    if isinstance(event, ButtonVote):
        return event.paper_id if clicked_papers(session, [event]) else None
    return one_paper(papers_of_message(session, event.platform, event.channel, event.message_ref))


def first_delivery(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Mark the event processed; False when it was already (a retry or a replay)."""
    if session.get(ProcessedEventRow, (platform, event_id)) is not None:
        return False
    session.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=now))
    return True


def vote_row(session: Session, key: VoteKey, channel: str, now: datetime) -> VoteState:
    """The person's vote row, made empty if missing (events come one at a time here: no race)."""
    v = VOTE_TABLE.c
    who = asdict(key)
    query = select(v.id, v.button_value, v.button_at, v.reactions, v.event_at).filter_by(**who)
    if session.execute(query).first() is None:
        fresh = {"value": 0, "source": "none", "event_at": NEVER, "created_at": now}
        session.add(VoteRow(**who, **fresh, channel=channel, updated_at=now))
        session.flush()
    return VoteState(*session.execute(query).one())


def paper_with_tally(
    session: Session, platform: str, workspace: str, paper_id: str
) -> tuple[Paper, Tally] | None:
    paper = get_paper(session, paper_id)
    return None if paper is None else (paper, paper_tally(session, platform, workspace, paper_id))

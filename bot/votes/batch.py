"""Record a batch of vote events in the caller's transaction with a fixed number of statements.

The events are judged in arrival order by the rules of ``bot.votes.record``, against opinions
read once and kept in memory, so each result is what the event would get applied alone in that
order (tests/votes/test_batch_equivalence.py holds this to a one-by-one oracle); the database
sees one lookup of the messages' papers, one insert of the event ids, one insert-if-missing and
one locking read of the vote rows, and one update of the changed rows (docs/architecture.md,
Votes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent, VoteResult
from bot.votes.opinion import Opinion
from bot.votes.record import (
    clicked_papers,
    ignored_result,
    judge,
    one_paper,
    opinion_of,
    saved_columns,
)
from storage.posted_messages import papers_of_messages
from storage.votes import VoteKey, first_deliveries, lock_votes, save_votes


@dataclass(slots=True)
class _Row:
    """A vote row as the batch has left it so far."""

    id: int
    opinion: Opinion
    event_at: datetime
    channel: str = ""
    changed: bool = False


def record_votes(
    session: Session, events: Sequence[VoteEvent], values: Mapping[str, int], now: datetime
) -> list[VoteResult]:
    """Apply ``events`` in order; one result per event, as applying them one by one gives."""
    results: list[VoteResult | None] = [None] * len(events)
    votes: list[tuple[int, VoteEvent, str]] = []
    for i, (event, paper_id) in enumerate(zip(events, _papers(session, events), strict=True)):
        results[i] = ignored_result(event, paper_id, values)
        if results[i] is None:
            assert paper_id is not None
            votes.append((i, event, paper_id))

    new = first_deliveries(session, [(e.platform, e.event_id) for _, e, _ in votes], now)
    firsts: list[tuple[int, VoteEvent, VoteKey]] = []
    for i, event, paper_id in votes:
        if (event.platform, event.event_id) in new:
            new.discard((event.platform, event.event_id))  # a later copy is a duplicate
            key = VoteKey(event.platform, event.workspace, paper_id, event.user)
            firsts.append((i, event, key))
        else:
            results[i] = VoteResult(Effect.DUPLICATE, paper_id)

    channels: dict[VoteKey, str] = {}
    for _, event, key in firsts:
        channels.setdefault(key, event.channel)
    rows = {
        key: _Row(state.id, opinion_of(state), state.event_at)
        for key, state in lock_votes(session, channels, now).items()
    }
    for i, event, key in firsts:
        row = rows[key]
        after, results[i] = judge(row.opinion, event, key.paper_id, values)
        if after is not None:
            row.opinion, row.event_at = after, max(row.event_at, event.at)
            row.channel, row.changed = event.channel, True
    save_votes(
        session,
        {
            row.id: saved_columns(row.opinion, values, row.event_at, row.channel, now)
            for row in rows.values()
            if row.changed
        },
    )
    done = [result for result in results if result is not None]
    assert len(done) == len(events), "every event gets a result"
    return done


def _papers(session: Session, events: Sequence[VoteEvent]) -> list[str | None]:
    """Each event's paper: a click names one the catalog has; a reaction's message must show
    exactly one."""
    clicked = clicked_papers(session, events)
    messages = {
        (e.platform, e.channel, e.message_ref) for e in events if isinstance(e, ReactionChange)
    }
    shown = papers_of_messages(session, messages)
    return [
        (e.paper_id if e.paper_id in clicked else None)
        if isinstance(e, ButtonVote)
        else one_paper(shown.get((e.platform, e.channel, e.message_ref), []))
        for e in events
    ]

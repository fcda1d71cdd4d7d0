"""Record a vote event: drop replays, find the paper, update the person's opinion under a lock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from bot.votes.emoji import canonical_emoji
from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent, VoteResult
from bot.votes.opinion import Opinion, dump_reactions, load_reactions
from storage.posted_messages import papers_of_message
from storage.votes import VoteKey, first_delivery, lock_vote, save_vote


def record_vote(
    session: Session, event: VoteEvent, values: Mapping[str, int], now: datetime
) -> VoteResult:
    """Apply one event in the caller's transaction; returns what it did."""
    paper_id = _paper_of(session, event)
    if isinstance(event, ReactionChange):
        reason = _not_a_vote(event, paper_id, values)
        if reason:
            return VoteResult(Effect.IGNORED, paper_id, reason=reason)
    assert paper_id is not None
    if not first_delivery(session, event.platform, event.event_id, now):
        return VoteResult(Effect.DUPLICATE, paper_id)

    key = VoteKey(event.platform, event.workspace, paper_id, event.user)
    row = lock_vote(session, key, event.channel, now)
    before = Opinion(row.button_value, row.button_at, load_reactions(row.reactions))
    if isinstance(event, ButtonVote):
        after: Opinion | None = before.click(event.value, event.at, values)
    else:
        after = before.react(canonical_emoji(event.emoji), event.added, event.at)
    if after is None:
        return VoteResult(Effect.STALE, paper_id, before.decide(values).value)

    old, new = before.decide(values), after.decide(values)
    save_vote(
        session,
        row.id,
        button_value=after.button_value,
        button_at=after.button_at,
        reactions=dump_reactions(after.reactions),
        value=new.value,
        source=new.source,
        emoji=new.emoji,
        event_at=max(row.event_at, event.at),
        channel=event.channel,
        updated_at=now,
    )
    return VoteResult(_effect(old.value, new.value), paper_id, new.value)


def _paper_of(session: Session, event: VoteEvent) -> str | None:
    if isinstance(event, ButtonVote):
        return event.paper_id
    papers = papers_of_message(session, event.platform, event.channel, event.message_ref)
    return papers[0] if len(papers) == 1 else None


def _not_a_vote(event: ReactionChange, paper_id: str | None, values: Mapping[str, int]) -> str:
    if event.by_bot:
        return "the bot's own reaction"
    if paper_id is None:
        return "the message does not show exactly one paper"
    if not values.get(canonical_emoji(event.emoji), 0):
        return f"{event.emoji} is not a vote emoji"
    return ""


def _effect(old: int, new: int) -> Effect:
    if new == old:
        return Effect.UNCHANGED
    return Effect.WITHDRAWN if new == 0 else Effect.RECORDED

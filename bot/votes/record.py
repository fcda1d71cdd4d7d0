"""Record a vote event: drop replays, find the paper, update the person's opinion under a lock.

A click counts only on a paper the catalog has: every card shows one, so a button naming any
other id is forged, and is ignored as "no such paper" (docs/architecture.md, Votes).

``record_vote`` applies one event; ``bot.votes.batch`` applies many with the same rules, which
live here as pure functions of the stored opinion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlmodel import Session

from bot.paper_ids import is_paper_id
from bot.votes.emoji import canonical_emoji, reaction_value
from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent, VoteResult
from bot.votes.opinion import Opinion, dump_reactions, load_reactions
from storage.papers import catalog_ids
from storage.posted_messages import papers_of_message
from storage.votes import VoteKey, VoteState, first_delivery, lock_vote, save_vote

NO_SUCH_PAPER = "no such paper"


def record_vote(
    session: Session, event: VoteEvent, values: Mapping[str, int], now: datetime
) -> VoteResult:
    """Apply one event in the caller's transaction; returns what it did."""
    paper_id = _paper_of(session, event)
    ignored = ignored_result(event, paper_id, values)
    if ignored is not None:
        return ignored
    assert paper_id is not None
    if not first_delivery(session, event.platform, event.event_id, now):
        return VoteResult(Effect.DUPLICATE, paper_id)

    key = VoteKey(event.platform, event.workspace, paper_id, event.user)
    row = lock_vote(session, key, event.channel, now)
    after, result = judge(opinion_of(row), event, paper_id, values)
    if after is not None:
        columns = saved_columns(after, values, max(row.event_at, event.at), event.channel, now)
        save_vote(session, row.id, **columns)
    return result


def ignored_result(
    event: VoteEvent, paper_id: str | None, values: Mapping[str, int]
) -> VoteResult | None:
    """The result of an event that is not a vote at all, or None for a vote."""
    if isinstance(event, ButtonVote):
        return None if paper_id else VoteResult(Effect.IGNORED, None, reason=NO_SUCH_PAPER)
    reason = _not_a_vote(event, paper_id, values)
    return VoteResult(Effect.IGNORED, paper_id, reason=reason) if reason else None


def clicked_papers(session: Session, events: Iterable[VoteEvent]) -> set[str]:
    """The papers the clicks among ``events`` name that the catalog has (one lookup; none for an
    id that is not an arXiv id)."""
    named = {e.paper_id for e in events if isinstance(e, ButtonVote) and is_paper_id(e.paper_id)}
    return catalog_ids(session, named)


def one_paper(papers: list[str]) -> str | None:
    """A reaction counts only on a message that shows exactly one paper."""
    return papers[0] if len(papers) == 1 else None


def opinion_of(row: VoteState) -> Opinion:
    return Opinion(row.button_value, row.button_at, load_reactions(row.reactions))


def judge(
    before: Opinion, event: VoteEvent, paper_id: str, values: Mapping[str, int]
) -> tuple[Opinion | None, VoteResult]:
    """The opinion after a first delivery (None when the event is stale) and what it did."""
    if isinstance(event, ButtonVote):
        after: Opinion | None = before.click(event.value, event.at, values)
    else:
        after = before.react(canonical_emoji(event.emoji), event.added, event.at)
    if after is None:
        return None, VoteResult(Effect.STALE, paper_id, before.decide(values).value)
    old, new = before.decide(values), after.decide(values)
    return after, VoteResult(_effect(old.value, new.value), paper_id, new.value)


def saved_columns(
    after: Opinion, values: Mapping[str, int], event_at: datetime, channel: str, now: datetime
) -> dict[str, object]:
    """The vote row's columns for a new opinion (what ``storage.votes.save_vote`` writes)."""
    decision = after.decide(values)
    return {
        "button_value": after.button_value,
        "button_at": after.button_at,
        "reactions": dump_reactions(after.reactions),
        "value": decision.value,
        "source": decision.source,
        "emoji": decision.emoji,
        "event_at": event_at,
        "channel": channel,
        "updated_at": now,
    }


def _paper_of(session: Session, event: VoteEvent) -> str | None:
    if isinstance(event, ButtonVote):
        return event.paper_id if clicked_papers(session, [event]) else None
    return one_paper(papers_of_message(session, event.platform, event.channel, event.message_ref))


def _not_a_vote(event: ReactionChange, paper_id: str | None, values: Mapping[str, int]) -> str:
    if event.by_bot:
        return "the bot's own reaction"
    if paper_id is None:
        return "the message does not show exactly one paper"
    if not reaction_value(event.emoji, values):
        return f"{event.emoji} is not a vote emoji"
    return ""


def _effect(old: int, new: int) -> Effect:
    if new == old:
        return Effect.UNCHANGED
    return Effect.WITHDRAWN if new == 0 else Effect.RECORDED

"""The rules a vote event is judged by, as pure functions of the stored opinion.

``bot.votes.batch`` applies them to each event of a batch in arrival order.

A click counts only on a paper the catalog has: every card shows one, so a button naming any
other id is forged, and is ignored as "no such paper" (docs/architecture.md, Votes).
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
from storage.votes import VoteState

NO_SUCH_PAPER = "no such paper"


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
    """The vote row's columns for a new opinion (what ``storage.votes.save_votes`` writes)."""
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

"""Neutral vote events: what a click or a reaction means, whatever platform it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


@dataclass(frozen=True, slots=True)
class ButtonVote:
    """A click on 👍/👎: the same button again takes the vote back, the other one switches it."""

    platform: str
    workspace: str
    channel: str
    user: str
    paper_id: str
    value: int  # +1 or -1
    event_id: str
    at: datetime
    message_ref: str | None = None  # the message whose button it was, rebuilt after the vote
    # The message is this paper's card and nothing else (a Slack unfurl): when paperbot has no
    # record of it (unfurled in the message box, before it had a ``ts``), it is recorded so.
    card_alone: bool = False


@dataclass(frozen=True, slots=True)
class ReactionChange:
    """An emoji reaction added to or removed from a message paperbot posted."""

    platform: str
    workspace: str
    channel: str
    message_ref: str
    user: str
    emoji: str
    added: bool
    event_id: str
    at: datetime
    by_bot: bool = False


VoteEvent = ButtonVote | ReactionChange


class Effect(Enum):
    """What an event did to the person's opinion."""

    RECORDED = "recorded"  # a new opinion, or a changed one
    WITHDRAWN = "withdrawn"
    UNCHANGED = "unchanged"  # e.g. a second 🔥 after a 👍: the opinion was already "up"
    DUPLICATE = "duplicate"  # the platform delivered the same event again
    STALE = "stale"  # older than what we already know (out-of-order delivery)
    IGNORED = "ignored"  # not a vote: the bot's own reaction, an unmapped emoji, no single paper
    FAILED = "failed"  # not recorded (the database was busy or down): the person may try again


@dataclass(frozen=True, slots=True)
class VoteResult:
    effect: Effect
    paper_id: str | None = None
    value: int = 0  # the person's opinion after the event: +1, -1 or 0
    reason: str = ""

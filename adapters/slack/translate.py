"""Slack payloads -> neutral invocations and vote events. Pure: no I/O, no core calls.

Slack's own timestamps (``action_ts``, ``event_ts``) become the events' times, so a
``reaction_removed`` delivered before its ``reaction_added`` is still ordered right by the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.facade import (
    ButtonVote,
    CardClick,
    Invocation,
    ReactionChange,
    SharedLinks,
    parse_card_action,
    parse_vote_action,
)

PLATFORM = "slack"
REACTION_EVENTS = frozenset({"reaction_added", "reaction_removed"})
COMPOSER = "composer"  # a link_shared from the message box, before the message is posted
MAX_REF = 128  # what the core's message ledger keeps of a reference


def slack_time(ts: object, default: datetime) -> datetime:
    """A Slack ``1700000000.123456`` timestamp as an aware datetime; ``default`` if absent."""
    try:
        return datetime.fromtimestamp(float(str(ts)), UTC)
    except (TypeError, ValueError, OverflowError):
        return default


def command_invocation(command: Mapping[str, Any]) -> Invocation:
    """A ``/papers`` slash-command form as the core's invocation."""
    return Invocation(
        platform=PLATFORM,
        workspace=str(command.get("team_id") or ""),
        channel=str(command.get("channel_id") or ""),
        user=str(command.get("user_id") or ""),
        text=str(command.get("text") or "").strip(),
    )


def button_vote(body: Mapping[str, Any], now: datetime) -> ButtonVote | None:
    """A ``block_actions`` click on one of our vote buttons; None for any other action."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = actions[0]
    parsed = parse_vote_action(str(action.get("action_id") or ""))
    if parsed is None:
        return None
    paper_id, value = parsed
    team, channel, user = clicker(body)
    container = body.get("container") or {}
    action_ts = str(action.get("action_ts") or "")
    message_ts = container.get("message_ts") or None
    unfurled = container.get("is_app_unfurl") is True and message_ts is not None
    if unfurled:  # a card on a person's message
        message_ts = unfurl_ref(str(message_ts), str(container.get("app_unfurl_url") or ""))
    return ButtonVote(
        platform=PLATFORM,
        workspace=team,
        channel=channel,
        user=user,
        paper_id=paper_id,
        value=value,
        event_id=f"action:{user}:{action_ts or body.get('trigger_id')}",
        at=slack_time(action_ts, now),
        message_ref=message_ts,
        card_alone=unfurled,
    )


def clicker(body: Mapping[str, Any]) -> tuple[str, str, str]:
    """``(workspace, channel, user)`` of a ``block_actions`` click."""
    container = body.get("container") or {}
    user = body.get("user") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return str(team), str(channel), str(user.get("id") or "")


def card_click(body: Mapping[str, Any]) -> CardClick | None:
    """A ``block_actions`` click on a card's Save, Discuss or Similar; None for any other. On a
    card unfurled on someone's message, Discuss threads on that message."""
    actions = body.get("actions") or []
    parsed = parse_card_action(str(actions[0].get("action_id") or "")) if actions else None
    if parsed is None:
        return None
    kind, paper_id = parsed
    team, channel, user = clicker(body)
    container = body.get("container") or {}
    ephemeral = bool(container.get("is_ephemeral"))
    return CardClick(
        platform=PLATFORM,
        workspace=team,
        channel=channel,
        user=user,
        kind=kind,
        paper_id=paper_id,
        message_ref=None if ephemeral else container.get("message_ts") or None,
    )


def reaction_change(
    body: Mapping[str, Any], bot_user_id: str | None, now: datetime
) -> ReactionChange | None:
    """A ``reaction_added`` / ``reaction_removed`` event on a message; None on files etc."""
    event = body.get("event") or {}
    item = event.get("item") or {}
    if event.get("type") not in REACTION_EVENTS or item.get("type") != "message":
        return None
    user = str(event.get("user") or "")
    return ReactionChange(
        platform=PLATFORM,
        workspace=installed_team(body),
        channel=str(item.get("channel") or ""),
        message_ref=str(item.get("ts") or ""),
        user=user,
        emoji=str(event.get("reaction") or ""),
        added=event.get("type") == "reaction_added",
        event_id=str(body.get("event_id") or f"{event.get('type')}:{user}:{event.get('event_ts')}"),
        at=slack_time(event.get("event_ts"), now),
        by_bot=bot_user_id is not None and user == bot_user_id,
    )


def installed_team(body: Mapping[str, Any]) -> str:
    """The workspace whose installation an event is delivered to (``authorizations``, as bolt
    reads it), the one the bot posts through: in a shared channel the top-level ``team_id`` is
    the channel's own workspace, which may not have the app at all."""
    authorizations = body.get("authorizations") or [{}]
    return str(authorizations[0].get("team_id") or body.get("team_id") or "")


@dataclass(frozen=True, slots=True)
class UnfurlTarget:
    """Where a ``link_shared`` event's cards go: the posted message (``channel`` and ``ts``),
    or, for a link still in someone's message box, Slack's ``unfurl_id`` and ``source``."""

    channel: str
    message_ts: str
    unfurl_id: str | None = None
    source: str | None = None

    @property
    def in_composer(self) -> bool:
        return self.source == COMPOSER


def shared_links(body: Mapping[str, Any]) -> tuple[SharedLinks, UnfurlTarget] | None:
    """A ``link_shared`` event: the links and where their unfurls go; None for other events."""
    event = body.get("event") or {}
    if event.get("type") != "link_shared":
        return None
    urls = tuple(str(link["url"]) for link in event.get("links") or [] if link.get("url"))
    channel = str(event.get("channel") or "")
    shared = SharedLinks(PLATFORM, installed_team(body), channel, str(event.get("user")), urls)
    target = UnfurlTarget(
        channel, str(event.get("message_ts") or ""), event.get("unfurl_id"), event.get("source")
    )
    return shared, target


def unfurl_ref(message_ts: str, url: str) -> str | None:
    """How the core knows a card unfurled on someone's message: that message's ``ts`` and the
    link it unfurls, the two things ``chat.unfurl`` needs to update it after a vote. None when
    it would not fit the ledger (a link with a long query string): its votes still count."""
    ref = f"{message_ts} {url}"
    return ref if url and len(ref) <= MAX_REF else None


def parse_unfurl_ref(ref: str) -> tuple[str, str] | None:
    """``(message ts, link)`` of an unfurled card's reference; None for the bot's own messages,
    whose reference is a bare ``ts`` (a ``ts`` has no space, a link in a message none either)."""
    message_ts, space, url = ref.partition(" ")
    return (message_ts, url) if space else None

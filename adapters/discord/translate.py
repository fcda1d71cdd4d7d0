"""Discord input -> the core's neutral events. Pure: plain values in, invocations and votes out.

Slash-command options are typed on Discord's side; the core's ``Command.text`` writes them as the
text its grammar reads (``/papers search`` with ``query`` and ``limit`` -> ``search <query>
limit:N``), so Discord feeds exactly the same commands as Slack and the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.facade import (
    ActionKind,
    ButtonVote,
    CardClick,
    Invocation,
    ReactionChange,
    SharedLinks,
    urls_in,
)

PLATFORM = "discord"
DM_WORKSPACE = "@dm"  # interactions outside a server: the user's own workspace


@dataclass(frozen=True, slots=True)
class Where:
    """Who acted, where: from an interaction or a gateway payload."""

    guild_id: int | None
    channel_id: int
    user_id: int

    @property
    def workspace(self) -> str:
        return str(self.guild_id) if self.guild_id is not None else DM_WORKSPACE


def invocation(where: Where, text: str) -> Invocation:
    return Invocation(
        platform=PLATFORM,
        workspace=where.workspace,
        channel=str(where.channel_id),
        user=str(where.user_id),
        text=text,
    )


def shared_links(where: Where, content: str) -> SharedLinks:
    """The links in a message someone posted (its text needs the message content intent)."""
    return SharedLinks(
        PLATFORM, where.workspace, str(where.channel_id), str(where.user_id), urls_in(content)
    )


def button_vote(
    where: Where, paper_id: str, value: int, interaction_id: int, message_id: int, at: datetime
) -> ButtonVote:
    """A click: the interaction id makes a redelivered click count once."""
    return ButtonVote(
        PLATFORM, where.workspace, str(where.channel_id), str(where.user_id), paper_id, value,
        f"click:{interaction_id}", at, str(message_id),
    )  # fmt: skip


def card_click(where: Where, kind: ActionKind, paper_id: str, message_id: int | None) -> CardClick:
    """A Save, Discuss or Similar click on the card in message ``message_id``."""
    return CardClick(
        PLATFORM, where.workspace, str(where.channel_id), str(where.user_id), kind, paper_id,
        None if message_id is None else str(message_id),
    )  # fmt: skip


def reaction_change(
    where: Where,
    message_id: int,
    emoji: str,
    added: bool,
    event_id: str,
    at: datetime,
    bot_user_id: int | None,
) -> ReactionChange:
    """A raw reaction add/remove; ``by_bot`` when the bot itself reacted (it never counts)."""
    return ReactionChange(
        PLATFORM, where.workspace, str(where.channel_id), str(message_id), str(where.user_id),
        emoji, added, event_id, at, by_bot=bot_user_id is not None and where.user_id == bot_user_id,
    )  # fmt: skip

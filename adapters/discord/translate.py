"""Discord input -> the core's neutral events. Pure: plain values in, invocations and votes out.

Slash-command options are typed on Discord's side; here they become the text the core's grammar
reads (``/papers search`` with ``query`` and ``limit`` -> ``search <query> limit:N``), so Discord
feeds exactly the same commands as Slack and the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.facade import ButtonVote, Invocation, ReactionChange

PLATFORM = "discord"
DM_WORKSPACE = "@dm"  # interactions outside a server: the user's own workspace

Option = str | int | bool | None


@dataclass(frozen=True, slots=True)
class Where:
    """Who acted, where: from an interaction or a gateway payload."""

    guild_id: int | None
    channel_id: int
    user_id: int
    user_name: str | None = None

    @property
    def workspace(self) -> str:
        return str(self.guild_id) if self.guild_id is not None else DM_WORKSPACE


def _words(*values: Option) -> str:
    return " ".join(str(v).strip() for v in values if v is not None and str(v).strip() != "")


def _quoted(text: Option) -> str | None:
    """A free-text list for the grammar's ``keywords "a, b"``; inner quotes cannot close it."""
    if text is None or not str(text).strip():
        return None
    return '"' + str(text).replace('"', "").strip() + '"'


def _flagged(flag: str, value: Option) -> str | None:
    return None if value is None else f"{flag} {value}"


def command_text(subcommand: str, options: Mapping[str, Option]) -> str:
    """The core's command line for ``/papers <subcommand>`` with Discord's typed options."""
    o = options.get
    match subcommand:
        case "search":
            limit = o("limit")
            return _words("search", o("query"), None if limit is None else f"limit:{limit}")
        case "paper" | "votes":
            return _words(subcommand, o("paper"))
        case "today" | "week" | "month":
            return _words(subcommand, o("count"))
        case "top":
            return _words("top", o("window"), "channel" if o("channel_only") else None)
        case "subscribe":
            return _words(
                "subscribe", o("kind"), o("time"), o("timezone"), o("days"),
                _flagged("top", o("top")), _flagged("keywords", _quoted(o("keywords"))),
                _flagged("min-upvotes", o("min_upvotes")),
            )  # fmt: skip
        case "unsubscribe":
            return _words("unsubscribe", o("kind"))
        case "digest":
            return _words("digest now", o("kind"))
        case _:
            return _words(subcommand, *(options.values()))


def invocation(where: Where, subcommand: str, options: Mapping[str, Option]) -> Invocation:
    return Invocation(
        platform=PLATFORM,
        workspace=where.workspace,
        channel=str(where.channel_id),
        user=str(where.user_id),
        text=command_text(subcommand, options),
        user_name=where.user_name,
    )


def button_vote(
    where: Where, paper_id: str, value: int, interaction_id: int, message_id: int, at: datetime
) -> ButtonVote:
    """A click: the interaction id makes a redelivered click count once."""
    return ButtonVote(
        PLATFORM, where.workspace, str(where.channel_id), str(where.user_id), paper_id, value,
        f"click:{interaction_id}", at, str(message_id),
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

"""The buttons on a card: 👍/👎 votes and the Save, Discuss and Similar actions, each a
``DynamicItem`` whose ``custom_id`` alone carries what it does.

Registered with the client in ``setup_hook``, it matches clicks on any message the bot ever
sent, so votes on cards posted before a restart still count (docs/architecture.md, "Discord
adapter"). The click itself is handled by whichever client implements ``VoteClicks``.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.facade import (
    ACTION_TEMPLATE,
    ActionKind,
    card_action_id,
    parse_card_action,
    parse_vote_action,
    vote_action_id,
)

TEMPLATE = r"vote:(?P<paper>[A-Za-z0-9.\-/]{1,64}):(?P<dir>up|down)"


@runtime_checkable
class VoteClicks(Protocol):
    async def vote_clicked(
        self, interaction: discord.Interaction[Any], paper_id: str, value: int
    ) -> None: ...


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    def __init__(self, paper_id: str, value: int, label: str = "", row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or None,
                emoji="👍" if value > 0 else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=vote_action_id(paper_id, value),
            ),
            row=row,
        )
        self.paper_id = paper_id
        self.value = value

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        parsed = parse_vote_action(match.string)
        if parsed is None:  # the template and the core's parser disagree: a bug, say so loudly
            raise ValueError(f"not a vote button: {match.string!r}")
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(parsed[0], parsed[1], label or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if isinstance(client, VoteClicks):
            await client.vote_clicked(interaction, self.paper_id, self.value)


@runtime_checkable
class CardActionClicks(Protocol):
    async def card_action_clicked(
        self, interaction: discord.Interaction[Any], kind: ActionKind, paper_id: str
    ) -> None: ...


ACTION_LOOKS: dict[ActionKind, tuple[str, str]] = {
    "save": ("🔖", "Save"),
    "discuss": ("💬", "Discuss"),
    "similar": ("🔍", "Similar"),
}


class CardActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ACTION_TEMPLATE):
    """Save, Discuss or Similar on a card; like a vote button, its ``custom_id`` says it all."""

    def __init__(self, kind: ActionKind, paper_id: str, row: int | None = None) -> None:
        emoji, label = ACTION_LOOKS[kind]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=card_action_id(kind, paper_id),
            ),
            row=row,
        )
        self.kind: ActionKind = kind
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CardActionButton:
        parsed = parse_card_action(match.string)
        if parsed is None:  # the template and the core's parser disagree: a bug, say so loudly
            raise ValueError(f"not a card action: {match.string!r}")
        return cls(*parsed)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if isinstance(client, CardActionClicks):
            await client.card_action_clicked(interaction, self.kind, self.paper_id)

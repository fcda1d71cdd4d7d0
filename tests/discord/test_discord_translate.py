"""Discord input -> the core's grammar and vote events, and /papers mirroring every command."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from adapters.discord.app import emoji_text
from adapters.discord.commands import PapersGroup, zone_choices
from adapters.discord.translate import (
    DM_WORKSPACE,
    Option,
    Where,
    button_vote,
    command_text,
    invocation,
    reaction_change,
)
from bot.commands.dispatch import Dispatcher
from bot.votes.emoji import parse_reaction_map, reaction_value

AT = datetime(2026, 6, 12, 9, tzinfo=UTC)
HERE = Where(guild_id=10, channel_id=20, user_id=30, user_name="ada")


@pytest.mark.parametrize(
    ("subcommand", "options", "text"),
    [
        (
            "search",
            {"query": 'lora "low rank" -vision', "limit": 3},
            'search lora "low rank" -vision limit:3',
        ),
        ("search", {"query": "lora", "limit": None}, "search lora"),
        ("paper", {"paper": "2406.12345"}, "paper 2406.12345"),
        ("week", {"count": 10}, "week 10"),
        ("today", {"count": None}, "today"),
        ("top", {"window": "month", "channel_only": True}, "top month channel"),
        ("top", {"window": None, "channel_only": False}, "top"),
        ("votes", {"paper": "2406.12345"}, "votes 2406.12345"),
        (
            "subscribe",
            {
                "kind": "weekly",
                "time": "08:30",
                "timezone": "America/New_York",
                "days": "mon",
                "top": 10,
                "keywords": 'rlhf, "reward" model',
                "min_upvotes": 20,
            },
            'subscribe weekly 08:30 America/New_York mon top 10 keywords "rlhf, reward model" '
            "min-upvotes 20",
        ),
        ("subscribe", {"kind": None, "keywords": "  "}, "subscribe"),
        ("unsubscribe", {"kind": "daily"}, "unsubscribe daily"),
        ("digest", {"kind": None}, "digest now"),
        ("help", {"command": "search"}, "help search"),
    ],
)
def test_typed_options_become_the_cores_command_text(
    subcommand: str, options: dict[str, Option], text: str
) -> None:
    assert command_text(subcommand, options) == text


def test_an_invocation_names_the_server_channel_and_user() -> None:
    found = invocation(HERE, "today", {"count": 3})
    assert (found.platform, found.workspace, found.channel, found.user) == (
        "discord",
        "10",
        "20",
        "30",
    )
    assert found.text == "today 3"
    assert invocation(Where(None, 20, 30), "today", {}).workspace == DM_WORKSPACE


def test_a_click_votes_on_the_message_it_was_on() -> None:
    vote = button_vote(HERE, "2406.12345", -1, interaction_id=555, message_id=777, at=AT)
    assert (vote.paper_id, vote.value, vote.message_ref, vote.event_id) == (
        "2406.12345",
        -1,
        "777",
        "click:555",
    )


def test_the_bots_own_reaction_is_marked_as_such() -> None:
    theirs = reaction_change(HERE, 777, "🔥", True, "e1", AT, bot_user_id=99)
    ours = reaction_change(Where(10, 20, 99), 777, "🔥", True, "e2", AT, bot_user_id=99)
    assert (theirs.by_bot, ours.by_bot) == (False, True)
    assert (theirs.message_ref, theirs.user, theirs.added) == ("777", "30", True)


@pytest.mark.parametrize(
    ("setting", "emoji", "value"),
    [
        ("tada=1", discord.PartialEmoji(name="🎉"), 1),  # set as Slack names it
        ("🎉=1", discord.PartialEmoji(name="🎉"), 1),
        ("eyes=1", discord.PartialEmoji(name="👀"), 1),
        ("+1=1", discord.PartialEmoji(name="👍🏽"), 1),  # a skin tone counts as the base emoji
        ("heart=1", discord.PartialEmoji(name="❤"), 1),  # with or without U+FE0F
        ("raising_hand=-1", discord.PartialEmoji(name="🙋🏿‍♀️"), -1),  # so does a gender
        ("partyparrot=1", discord.PartialEmoji(name="PartyParrot", id=123), 1),  # custom
        ("tada=1", discord.PartialEmoji(name="👀"), 0),
    ],
)
def test_a_discord_reaction_counts_for_its_emoji_however_the_settings_spell_it(
    setting: str, emoji: discord.PartialEmoji, value: int
) -> None:
    change = reaction_change(HERE, 777, emoji_text(emoji), True, "e1", AT, bot_user_id=99)
    assert reaction_value(change.emoji, parse_reaction_map(setting)) == value


def test_time_zones_autocomplete_from_any_part_of_the_name() -> None:
    names = [c.value for c in zone_choices("berl")]
    assert "Europe/Berlin" in names
    assert len(zone_choices("")) == 25


def test_papers_has_a_subcommand_for_every_core_command(dispatcher: Dispatcher) -> None:
    async def run(*_args: object) -> None:
        return None

    group = PapersGroup(run)
    subcommands = {command.name for command in group.commands}
    assert subcommands == {command.name for command in dispatcher.commands}
    for command in group.walk_commands():
        assert command.description not in ("", "…")
        assert all(p.description not in ("", "…") for p in command.parameters), command.name

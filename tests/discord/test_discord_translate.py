"""Discord input -> the core's grammar and vote events, and /papers mirroring every command."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import discord
import pytest
from discord import AppCommandOptionType, app_commands

from adapters.discord.app import emoji_text
from adapters.discord.commands import PapersGroup, zone_choices
from adapters.discord.translate import (
    DM_WORKSPACE,
    Where,
    button_vote,
    invocation,
    reaction_change,
)
from bot.commands.dispatch import Dispatcher
from bot.commands.spec import Command
from bot.facade import ButtonVote, Invocation, ReactionChange
from bot.votes.emoji import parse_reaction_map, reaction_value

OPTION_TYPES = {
    "text": AppCommandOptionType.string,
    "number": AppCommandOptionType.integer,
    "flag": AppCommandOptionType.boolean,
}

AT = datetime(2026, 6, 12, 9, tzinfo=UTC)
HERE = Where(guild_id=10, channel_id=20, user_id=30)


def test_an_invocation_names_the_server_channel_and_user() -> None:
    assert invocation(HERE, "today 3") == Invocation("discord", "10", "20", "30", "today 3")
    assert invocation(Where(None, 20, 30), "today").workspace == DM_WORKSPACE


def test_a_click_votes_on_the_message_it_was_on() -> None:
    vote = button_vote(HERE, "2406.12345", -1, interaction_id=555, message_id=777, at=AT)
    assert vote == ButtonVote(
        "discord", "10", "20", "30", "2406.12345", -1, "click:555", AT, message_ref="777"
    )


def test_the_bots_own_reaction_is_marked_as_such() -> None:
    theirs = reaction_change(HERE, 777, "🔥", True, "e1", AT, bot_user_id=99)
    ours = reaction_change(Where(10, 20, 99), 777, "🔥", True, "e2", AT, bot_user_id=99)
    assert (theirs.by_bot, ours.by_bot) == (False, True)
    assert theirs == ReactionChange("discord", "10", "20", "777", "30", "🔥", True, "e1", AT)


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


def test_time_zones_autocomplete_from_a_name_typed_with_spaces_and_capitals() -> None:
    assert [c.value for c in zone_choices(" New York ")] == ["America/New_York"]


def test_papers_has_a_subcommand_for_every_core_command(dispatcher: Dispatcher) -> None:
    async def run(*_args: object) -> None:
        return None

    group = PapersGroup(dispatcher.commands, run)
    subcommands = {command.name: command for command in group.commands}
    assert list(subcommands) == [command.name for command in dispatcher.commands]
    for command in dispatcher.commands:
        made = subcommands[command.name]
        assert isinstance(made, app_commands.Command)
        assert made.description == command.description
        assert [p.name for p in made.parameters] == [
            o.name for o in sorted(command.options, key=lambda o: not o.required)
        ]
        for option in command.options:
            param = made.get_parameter(option.name)
            assert param is not None
            assert param.description == option.description
            assert param.type is OPTION_TYPES[option.kind]
            assert param.required is option.required
            assert [c.value for c in param.choices] == list(option.choices)
            assert param.autocomplete is option.completes_time_zone
            bounds = (option.low, option.high)
            assert (param.min_value, param.max_value) == bounds, (command.name, option.name)


async def test_typed_options_reach_the_core_as_the_commands_text(dispatcher: Dispatcher) -> None:
    """What discord.py passes a subcommand's callback is what ``Command.text`` writes from."""
    seen: list[tuple[str, str]] = []

    async def run(_interaction: object, command: Command, values: Mapping[str, object]) -> None:
        seen.append((command.name, command.text(values)))  # type: ignore[arg-type]

    group = PapersGroup(dispatcher.commands, run)
    subscribe = group.get_command("subscribe")
    assert isinstance(subscribe, app_commands.Command)
    await subscribe.callback(None, kind="daily", top=3, keywords="rlhf")  # type: ignore[arg-type]
    assert seen == [("subscribe", 'subscribe daily top 3 keywords "rlhf"')]

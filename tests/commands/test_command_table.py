"""Each command is declared once, in the table: the text its typed options stand for, its help
and the README's command list all follow from its ``Command`` record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.commands.spec import Command, OptionValue
from bot.commands.table import build_dispatcher

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = {command.name: command for command in build_dispatcher().commands}


@pytest.mark.parametrize(
    ("name", "values", "text"),
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
        ("export", {"format": "bibtex", "papers": "top", "scope": "all"}, "export bibtex top all"),
        ("export", {"format": "bibtex", "papers": None, "scope": None}, "export bibtex"),
        ("unsubscribe", {"kind": "report"}, "unsubscribe report"),
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
        (
            "subscribe",
            {"timezone": "San Francisco", "org": "Google DeepMind", "authors": "Ada, Alan"},
            'subscribe San Francisco org "Google DeepMind" authors "Ada, Alan"',
        ),
        ("subscribe", {"min_upvotes": 0}, "subscribe min-upvotes 0"),
        ("subscribe", {"kind": None, "keywords": "  "}, "subscribe"),
        ("unsubscribe", {"kind": "daily"}, "unsubscribe daily"),
        ("subscriptions", {}, "subscriptions"),
        ("digest", {"kind": None}, "digest now"),
        ("digest", {"kind": "weekly"}, "digest now weekly"),
        ("help", {"command": "search"}, "help search"),
    ],
)
def test_typed_option_values_become_the_text_every_platform_runs(
    name: str, values: dict[str, OptionValue], text: str
) -> None:
    assert COMMANDS[name].text(values) == text


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_the_usage_line_shows_every_option_a_form_asks_for(command: Command) -> None:
    """What Discord's form offers, the typed grammar (and so the help) offers too."""
    for option in command.options:
        if option.kind == "flag":
            assert option.written in command.usage, option.name
        written = option.written.split("{}")[0].strip()
        assert written in command.usage, option.name
        assert all(choice in command.usage for choice in option.choices if command.name != "help")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS)
def test_every_command_fits_a_command_form(command: Command) -> None:
    """Discord's rules for names and descriptions, which its API refuses otherwise."""
    assert re.fullmatch(r"[a-z][a-z_-]{0,31}", command.name)
    assert 0 < len(command.description) <= 100
    assert command.examples, "help shows at least one example"
    for option in command.options:
        assert re.fullmatch(r"[a-z][a-z_]{0,31}", option.name)
        assert 0 < len(option.description) <= 100
        assert len(option.choices) <= 25


def test_help_offers_every_command_as_a_topic() -> None:
    [topic] = COMMANDS["help"].options
    assert set(topic.choices) == set(COMMANDS)


def readme_commands() -> list[str]:
    """The first column of the first table under the README's ``## Commands``, unescaped."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1]
    table = section.split("\n| command |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(.+?)` \|", table, re.MULTILINE)
    return [row.replace("\\|", "|") for row in rows]


def test_the_readme_lists_each_command_once_with_its_usage() -> None:
    assert readme_commands() == [command.usage for command in COMMANDS.values()]

"""The ``/papers`` app-command group: one subcommand per command of the core's grammar.

Options are typed and described on Discord's side (choices for windows and digest kinds,
autocomplete for time zones); every subcommand hands its options to one ``RunCommand``, which
``adapters.discord.translate`` turns into the core's command text.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from typing import Any, Literal

import discord
from discord import app_commands

from adapters.discord.translate import Option

RunCommand = Callable[[discord.Interaction[Any], str, Mapping[str, Option]], Awaitable[None]]

MAX_RESULTS = 20
MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices

Kind = Literal["daily", "weekly"]
TopWindow = Literal["week", "month", "all"]
HelpTopic = Literal[
    "search", "paper", "today", "week", "month", "top", "votes", "subscribe", "unsubscribe",
    "subscriptions", "digest",
]  # fmt: skip
Count = app_commands.Range[int, 1, MAX_RESULTS]
PaperRef = app_commands.Range[str, 1, 200]


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z))


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Time zones containing what was typed so far (``berl`` -> Europe/Berlin), at most 25."""
    needle = current.strip().lower().replace(" ", "_")
    found = [z for z in _zones() if needle in z.lower()][:MAX_CHOICES]
    return [app_commands.Choice(name=z, value=z) for z in found]


class PapersGroup(app_commands.Group):
    """``/papers …``; what each subcommand does is the core's business."""

    def __init__(self, run: RunCommand) -> None:
        super().__init__(name="papers", description="Hugging Face Daily Papers for your team")
        self._run = run

    @app_commands.command(description="Search papers by title, keywords, abstract and authors")
    @app_commands.describe(
        query='Words, "a phrase", word*, -word, author:NAME, since:YYYY-MM-DD',
        limit="How many papers to show (1-20)",
    )
    async def search(
        self, interaction: discord.Interaction[Any], query: str, limit: Count | None = None
    ) -> None:
        await self._run(interaction, "search", {"query": query, "limit": limit})

    @app_commands.command(description="One paper by arXiv id or link")
    @app_commands.describe(paper="arXiv id, huggingface.co/papers/… or arxiv.org link")
    async def paper(self, interaction: discord.Interaction[Any], paper: PaperRef) -> None:
        await self._run(interaction, "paper", {"paper": paper})

    @app_commands.command(description="The most upvoted papers of the day")
    @app_commands.describe(count="How many papers (1-20)")
    async def today(
        self, interaction: discord.Interaction[Any], count: Count | None = None
    ) -> None:
        await self._run(interaction, "today", {"count": count})

    @app_commands.command(description="The most upvoted papers of the last 7 days")
    @app_commands.describe(count="How many papers (1-20)")
    async def week(self, interaction: discord.Interaction[Any], count: Count | None = None) -> None:
        await self._run(interaction, "week", {"count": count})

    @app_commands.command(description="The most upvoted papers of the last 30 days")
    @app_commands.describe(count="How many papers (1-20)")
    async def month(
        self, interaction: discord.Interaction[Any], count: Count | None = None
    ) -> None:
        await self._run(interaction, "month", {"count": count})

    @app_commands.command(description="The team's most upvoted papers")
    @app_commands.describe(
        window="Votes of the last week, month, or all time",
        channel_only="Only votes cast in this channel",
    )
    async def top(
        self,
        interaction: discord.Interaction[Any],
        window: TopWindow | None = None,
        channel_only: bool = False,
    ) -> None:
        await self._run(interaction, "top", {"window": window, "channel_only": channel_only})

    @app_commands.command(description="Who voted on a paper, and how")
    @app_commands.describe(paper="arXiv id or paper link")
    async def votes(self, interaction: discord.Interaction[Any], paper: PaperRef) -> None:
        await self._run(interaction, "votes", {"paper": paper})

    @app_commands.command(description="Post the trending papers to this channel on a schedule")
    @app_commands.describe(
        kind="A daily or a weekly digest",
        time="Local time of day, HH:MM (default 09:00)",
        timezone="Area/City, e.g. Europe/Berlin",
        days="Weekdays, e.g. mon-fri or mon (weekly)",
        top="How many papers (default 5)",
        keywords='Only papers about these, comma-separated: "rlhf, reward model"',
        min_upvotes="Only papers with at least this many Hugging Face upvotes",
    )
    async def subscribe(
        self,
        interaction: discord.Interaction[Any],
        kind: Kind | None = None,
        time: app_commands.Range[str, 4, 5] | None = None,
        timezone: str | None = None,
        days: app_commands.Range[str, 3, 40] | None = None,
        top: Count | None = None,
        keywords: app_commands.Range[str, 1, 300] | None = None,
        min_upvotes: app_commands.Range[int, 0, 100_000] | None = None,
    ) -> None:
        options: dict[str, Option] = {
            "kind": kind, "time": time, "timezone": timezone, "days": days, "top": top,
            "keywords": keywords, "min_upvotes": min_upvotes,
        }  # fmt: skip
        await self._run(interaction, "subscribe", options)

    @subscribe.autocomplete("timezone")
    async def _timezone(
        self, _interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @app_commands.command(description="Stop this channel's digests (both, or one kind)")
    @app_commands.describe(kind="Only the daily or only the weekly digest")
    async def unsubscribe(
        self, interaction: discord.Interaction[Any], kind: Kind | None = None
    ) -> None:
        await self._run(interaction, "unsubscribe", {"kind": kind})

    @app_commands.command(description="This channel's digests, their next run and last results")
    async def subscriptions(self, interaction: discord.Interaction[Any]) -> None:
        await self._run(interaction, "subscriptions", {})

    @app_commands.command(description="Show this channel's digest right now")
    @app_commands.describe(kind="The daily (default) or the weekly digest")
    async def digest(self, interaction: discord.Interaction[Any], kind: Kind | None = None) -> None:
        await self._run(interaction, "digest", {"kind": kind})

    @app_commands.command(description="List the commands, or explain one")
    @app_commands.describe(command="The command to explain")
    async def help(
        self, interaction: discord.Interaction[Any], command: HelpTopic | None = None
    ) -> None:
        await self._run(interaction, "help", {"command": command})

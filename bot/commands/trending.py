"""``today``, ``week``, ``month``: the most upvoted papers of a Daily Papers window.

Windows end on the newest Daily Papers date the catalog has (never after today in the configured
timezone), so a catalog that has not been refreshed still answers, and says how old it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.spec import Command, Context, Option
from bot.reply import Code, Heading, Part, Reply, Text
from bot.usage import UsageError
from storage.papers import latest_daily_date, trending

DEFAULT_COUNT = 5
MAX_COUNT = 20
STALE_AFTER = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class Window:
    name: str
    days: int
    title: str  # formatted with the window's first and last day


WINDOWS = {
    "today": Window("today", 1, "Trending on Hugging Face, {end:%a %d %b %Y}"),
    "week": Window("week", 7, "Trending over 7 days, {start:%d %b} – {end:%d %b %Y}"),
    "month": Window("month", 30, "Trending over 30 days, {start:%d %b} – {end:%d %b %Y}"),
}


def parse_count(args: str) -> int:
    words = args.split()
    if not words:
        return DEFAULT_COUNT
    if (
        len(words) == 1
        and words[0].isascii()
        and words[0].isdigit()
        and 1 <= int(words[0]) <= MAX_COUNT
    ):
        return int(words[0])
    raise UsageError(f"Give at most one number, from 1 to {MAX_COUNT}: how many papers to show.")


def trending_reply(
    session: Session, ctx: Context, window: Window, count: int, today: date
) -> Reply:
    end = latest_daily_date(session, on_or_before=today)
    if end is None:
        return Reply(
            (
                Text("The catalog has no Daily Papers yet.", "plain"),
                Text(("Fill it with ", Code("paperbot ingest --since YYYY-MM-DD"), "."), "muted"),
            )
        )
    start = end - timedelta(days=window.days - 1)
    papers = trending(session, start, end, count)
    parts: list[Part] = [Heading(window.title.format(start=start, end=end))]
    if today - end > STALE_AFTER:
        parts.append(
            Text(
                (
                    f"The newest papers in the catalog are from {end:%d %b %Y}; ",
                    Code("paperbot ingest"),
                    " brings it up to date.",
                ),
                "muted",
            )
        )
    return Reply((*parts, *paper_cards(session, ctx.invocation, papers)))


def trending_command(window: Window) -> Command:
    async def run(ctx: Context, args: str) -> Reply:
        count = parse_count(args)
        today = ctx.deps.clock().astimezone(ctx.deps.settings.zone).date()
        return await ctx.deps.db.read(lambda s: trending_reply(s, ctx, window, count, today))

    return Command(
        name=window.name,
        usage=f"{window.name} [1-{MAX_COUNT}]",
        summary="the most upvoted papers of the "
        + ("day" if window.days == 1 else f"last {window.days} days"),
        handler=run,
        examples=(f"{window.name}", f"{window.name} 10"),
        options=(
            Option("count", f"How many papers (1-{MAX_COUNT})", "number", low=1, high=MAX_COUNT),
        ),
    )


TRENDING = tuple(trending_command(window) for window in WINDOWS.values())

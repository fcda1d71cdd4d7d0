"""``foryou``: the newest day's or week's papers, the ones most like what the team voted up first.

The ranking is ``bot.team_taste``'s; each card is followed by its reason. A team that has voted
on nothing yet is told so and gets the window in Hugging Face upvote order.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.spec import Command, Context, Option
from bot.commands.trending import (
    COUNT_OPTION,
    EMPTY_CATALOG,
    MAX_COUNT,
    WINDOWS,
    Window,
    is_count,
    parse_count,
)
from bot.reply import Heading, Part, Reply, Text
from bot.team_taste import team_picks
from bot.usage import UsageError
from storage.papers import latest_daily_date, trending

DEFAULT_COUNT = 5
CANDIDATES = 1_000  # a window's papers that are ranked (a week of Daily Papers is a few hundred)
CHOICES = ("today", "week")
NO_VOTES = (
    "Nobody here has voted on a paper yet, so these are in Hugging Face upvote order. "
    "Vote on papers you like (or not) and this list learns the team's taste."
)


def parse_args(args: str) -> tuple[Window, int]:
    """``[today|week] [N]``, in either order; each at most once."""
    window: Window | None = None
    count: int | None = None
    for word in args.lower().split():
        if word in CHOICES and window is None:
            window = WINDOWS[word]
        elif is_count(word) and count is None:
            count = parse_count(word)
        else:
            raise UsageError(
                f"Say today or week, and at most one number from 1 to {MAX_COUNT}: "
                "how many papers to show."
            )
    return window or WINDOWS["today"], DEFAULT_COUNT if count is None else count


async def run_foryou(ctx: Context, args: str) -> Reply:
    window, count = parse_args(args)
    today = ctx.deps.clock().astimezone(ctx.deps.settings.zone).date()
    index = ctx.deps.db.search_index

    def answer(session: Session) -> Reply:
        end = latest_daily_date(session, on_or_before=today)
        if end is None:
            return EMPTY_CATALOG
        start = end - timedelta(days=window.days - 1)
        candidates = trending(session, start, end, CANDIDATES)
        title = window.title.format(start=start, end=end).replace("Trending", "For your team")
        picks = team_picks(session, index, ctx.channel, candidates)
        if picks is None:
            cards = paper_cards(session, ctx.invocation, candidates[:count])
            return Reply((Heading(title), Text(NO_VOTES, "muted"), *cards))
        chosen = picks[:count]
        parts: list[Part] = [Heading(title)]
        cards = paper_cards(session, ctx.invocation, [p.paper for p in chosen])
        for card, pick in zip(cards, chosen, strict=True):
            parts.append(card)
            if (reason := pick.reason()) is not None:
                parts.append(Text(reason, "muted"))
        return Reply(tuple(parts))

    return await ctx.deps.db.read(answer)


FORYOU = Command(
    name="foryou",
    usage=f"foryou [today|week] [1-{MAX_COUNT}]",
    summary="the newest day's or week's papers, the ones most like what this team voted up first",
    handler=run_foryou,
    examples=("foryou", "foryou week 10"),
    options=(
        Option("window", "The newest day (default) or the last 7 days", choices=CHOICES),
        COUNT_OPTION,
    ),
)

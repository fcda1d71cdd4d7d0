"""``today``, ``week``, ``month``: the most upvoted papers of a Daily Papers window.

Alone, a window is rolling: it ends on the newest Daily Papers date the catalog has (never after
today in the configured timezone), so a catalog that has not been refreshed still answers, and
says how old it is. With a date, ISO week or month (``today 2026-06-12``, ``week 2026-W24``,
``month 2026-06``) it is that calendar period, as Hugging Face's site shows it: answered from the
catalog, or fetched from Hugging Face and stored when the catalog has nothing in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from bot.calendar_periods import CalendarPeriod, PeriodKind, looks_like_period, parse_period
from bot.cards import paper_cards
from bot.commands.spec import Command, Context, Option
from bot.reply import Code, Heading, Outcome, Part, Reply, Text
from bot.sources.errors import SourceError
from bot.usage import UsageError
from storage.papers import latest_daily_date, trending, upsert_papers

DEFAULT_COUNT = 5
MAX_COUNT = 20
STALE_AFTER = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class Window:
    name: str
    days: int
    title: str  # formatted with the window's first and last day
    period: PeriodKind  # the calendar period the window's name takes
    period_example: str


WINDOWS = {
    "today": Window(
        "today", 1, "Trending on Hugging Face, {end:%a %d %b %Y}", "date", "2026-06-12"
    ),
    "week": Window(
        "week", 7, "Trending over 7 days, {start:%d %b} – {end:%d %b %Y}", "week", "2026-W24"
    ),
    "month": Window(
        "month", 30, "Trending over 30 days, {start:%d %b} – {end:%d %b %Y}", "month", "2026-06"
    ),
}

PERIOD_USAGE = {"date": "YYYY-MM-DD", "week": "YYYY-Www", "month": "YYYY-MM"}


EMPTY_CATALOG = Reply(
    (
        Text("The catalog has no Daily Papers yet.", "plain"),
        Text(("Fill it with ", Code("paperbot ingest --since YYYY-MM-DD"), "."), "muted"),
    )
)


@dataclass(frozen=True, slots=True)
class Asked:
    count: int
    period: CalendarPeriod | None  # None: the rolling window


COUNT_OPTION = Option("count", f"How many papers (1-{MAX_COUNT})", "number", low=1, high=MAX_COUNT)


def is_count(word: str) -> bool:
    return word.isascii() and word.isdigit()


def parse_count(word: str) -> int:
    """How many papers to show, from 1 to ``MAX_COUNT``; shared by the listing commands."""
    count = int(word)
    if not 1 <= count <= MAX_COUNT:
        raise UsageError(f"Show from 1 to {MAX_COUNT} papers, not {word[:12]}.")
    return count


def parse_args(window: Window, args: str, today: date) -> Asked:
    """``[period] [count]``, in either order; each at most once."""
    count: int | None = None
    period: CalendarPeriod | None = None
    for word in args.split():
        if looks_like_period(word) and period is None:
            period = parse_period(window.period, word, today)
        elif is_count(word) and count is None:
            count = parse_count(word)
        else:
            raise UsageError(
                f"Give at most one number, from 1 to {MAX_COUNT}: how many papers to show, "
                f"and at most one {PERIOD_USAGE[window.period]} ({window.period_example})."
            )
    return Asked(DEFAULT_COUNT if count is None else count, period)


def trending_reply(
    session: Session, ctx: Context, window: Window, count: int, today: date
) -> Reply:
    end = latest_daily_date(session, on_or_before=today)
    if end is None:
        return EMPTY_CATALOG
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


def period_reply(session: Session, ctx: Context, period: CalendarPeriod, count: int) -> Reply:
    papers = trending(session, period.first, period.last, count)
    heading = Heading(f"Trending on Hugging Face, {period.title}")
    if not papers:
        return Reply((heading, Text("Daily Papers lists nothing for it.", "muted")))
    return Reply((heading, *paper_cards(session, ctx.invocation, papers)))


async def fetch_period(ctx: Context, period: CalendarPeriod) -> Reply | None:
    """Store Hugging Face's papers for a period the catalog lacks; a reply only if that failed."""
    if not ctx.deps.settings.offline:
        await ctx.progress(f"The catalog has nothing for {period.label}; asking Hugging Face…")
    try:
        fetched = await ctx.deps.source.period_papers(period)
    except SourceError as error:
        return Reply(
            (Text(f"Could not fetch {period.label} from Hugging Face: {error}", "error"),),
            outcome=Outcome.UNAVAILABLE,
            private=True,
        )
    if fetched:
        await ctx.deps.db.write(lambda s: upsert_papers(s, fetched))
    return None


async def answer_period(ctx: Context, period: CalendarPeriod, count: int) -> Reply:
    known = await ctx.deps.db.read(lambda s: trending(s, period.first, period.last, 1))
    if not known:
        failed = await fetch_period(ctx, period)
        if failed is not None:
            return failed
    return await ctx.deps.db.read(lambda s: period_reply(s, ctx, period, count))


def trending_command(window: Window) -> Command:
    async def run(ctx: Context, args: str) -> Reply:
        today = ctx.deps.clock().astimezone(ctx.deps.settings.zone).date()
        asked = parse_args(window, args, today)
        if asked.period is not None:
            return await answer_period(ctx, asked.period, asked.count)
        return await ctx.deps.db.read(lambda s: trending_reply(s, ctx, window, asked.count, today))

    shape = PERIOD_USAGE[window.period]
    return Command(
        name=window.name,
        usage=f"{window.name} [{shape}] [1-{MAX_COUNT}]",
        summary="the most upvoted papers of the "
        + ("day" if window.days == 1 else f"last {window.days} days")
        + f", or of a {'day' if window.period == 'date' else window.period} ({shape})",
        handler=run,
        examples=(
            f"{window.name}",
            f"{window.name} 10",
            f"{window.name} {window.period_example}",
        ),
        options=(
            Option(
                "period",
                f"A past {'day' if window.period == 'date' else window.period}, as {shape}",
                low=7,
                high=10,
            ),
            COUNT_OPTION,
        ),
    )


TRENDING = tuple(trending_command(window) for window in WINDOWS.values())

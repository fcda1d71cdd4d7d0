"""The team report as a neutral reply: a heading, the week in numbers, the most voted papers as
cards (with the team's current tallies, so they take votes like any card), the most saved and
the most discussed papers (where replies are counted), and the chart as a PNG ``Attachment``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.cards import paper_cards
from bot.deps import Deps
from bot.digests.compose import BOT_USER
from bot.digests.window import DigestWindow
from bot.model import Channel, Invocation, Paper
from bot.model.digests import Subscription
from bot.reply import Attachment, Heading, Part, Reply, Text, plural
from bot.reports.chart import votes_chart
from bot.reports.week import CHART_DAYS, TeamWeek, team_week

PNG = "image/png"


def numbers_line(week: TeamWeek) -> str:
    people = "1 person" if week.voters == 1 else f"{week.voters} people"
    return (
        f"{people} cast {week.votes} {plural('vote', week.votes)}; "
        f"{week.saves} {plural('paper', week.saves)} saved to reading lists."
    )


def _ranked_lines(title: str, rows: Sequence[tuple[Paper, int]], noun: str) -> list[Part]:
    if not rows:
        return []
    lines = (
        f"{rank}. {paper.title} ({paper.id}): {n} {plural(noun, n)}"
        for rank, (paper, n) in enumerate(rows, start=1)
    )
    return [Text(title), Text("\n".join(lines), "muted")]


def report_parts(session: Session, channel: Channel, week: TeamWeek) -> list[Part]:
    """Everything but the chart, which is drawn outside the unit of work."""
    asker = Invocation(channel.platform, channel.workspace, channel.channel, BOT_USER)
    parts: list[Part] = [Text(numbers_line(week))]
    if week.top:
        parts.append(Text("Most voted this week:"))
        cards = paper_cards(session, asker, [paper for paper, _ in week.top])
        for card, (_paper, tally) in zip(cards, week.top, strict=True):
            line = (
                f"{card.rank}. this week: score {tally.score:+d} · 👍 {tally.up} · 👎 {tally.down}"
            )
            parts += [Text(line, "muted"), card]
    else:
        parts.append(Text("Nobody voted a paper up this week.", "muted"))
    parts += _ranked_lines("Most saved this week:", week.saved, "save")
    parts += _ranked_lines("Most discussed this week:", week.discussed, "reply")
    return parts


def chart_file(week: TeamWeek, png: bytes) -> Attachment:
    first = week.per_day[0][0]
    name = f"team-votes-{week.window.last:%Y-%m-%d}.png"
    title = f"Votes per day, {first:%d %b} – {week.window.last:%d %b %Y}"
    return Attachment(name, png, PNG, title)


CHART_TITLE = f"The team's votes per day, last {CHART_DAYS // 7} weeks"


async def build_report(
    deps: Deps, sub: Subscription, window: DigestWindow, until: datetime
) -> Reply | None:
    """The report of ``window`` up to ``until``, or None when the team did nothing to report.
    Read in one unit of work; the chart is drawn after it, in a worker thread (CPU, not I/O)."""

    def read(session: Session) -> tuple[TeamWeek, list[Part]]:
        week = team_week(session, sub.channel, sub.spec.zone, window, until, sub.spec.top_n)
        return week, [] if week.quiet else report_parts(session, sub.channel, week)

    week, parts = await deps.db.read(read)
    if week.quiet:
        return None
    png = await asyncio.to_thread(votes_chart, week.per_day, CHART_TITLE)
    return Reply((Heading(window.title()), *parts, chart_file(week, png)))

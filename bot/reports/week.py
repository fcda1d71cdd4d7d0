"""A team's week, read from the database: its most voted and most saved papers, how many people
voted, and its votes per day over the last four weeks, in the channel's time zone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.digests.window import DigestWindow
from bot.model import Channel, Paper, Tally
from storage.papers import get_papers
from storage.team_activity import CastVote, discussion_counts, saves_made, votes_cast

CHART_DAYS = 28  # votes per day over the last four weeks
MOST_SAVED = 5


@dataclass(frozen=True, slots=True)
class TeamWeek:
    window: DigestWindow
    top: tuple[tuple[Paper, Tally], ...]  # by the week's score, then its up votes
    saved: tuple[tuple[Paper, int], ...]  # by how many people saved it this week
    discussed: tuple[tuple[Paper, int], ...]  # by the week's replies in its threads
    voters: int  # people who voted this week
    votes: int  # votes cast this week
    saves: int
    per_day: tuple[tuple[date, int], ...]  # CHART_DAYS local days up to the report's, in order

    @property
    def quiet(self) -> bool:
        """Nothing to report: no vote in four weeks and no save this week."""
        return not self.saves and not any(count for _day, count in self.per_day)


def local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def team_week(
    session: Session,
    channel: Channel,
    zone: ZoneInfo,
    window: DigestWindow,
    until: datetime,
    top_n: int,
) -> TeamWeek:
    """The week of ``window`` (local days) up to ``until`` (the report's fire), for the
    workspace of ``channel``: votes and saves count wherever in the workspace they were made."""
    platform, workspace = channel.platform, channel.workspace
    week_start = local_start(window.first, zone)
    first_day = window.last - timedelta(days=CHART_DAYS - 1)
    votes = votes_cast(session, platform, workspace, local_start(first_day, zone), until)
    this_week = [v for v in votes if v.at >= week_start]
    saves = saves_made(session, platform, workspace, week_start, until)
    saved = Counter(s.paper_id for s in saves)
    discussed = discussion_counts(session, platform, workspace, week_start, until)
    tallies = _tallies(this_week)
    ranked = sorted(tallies, key=lambda p: (-tallies[p].score, -tallies[p].up, p))
    ranked = [p for p in ranked if tallies[p].score > 0][:top_n]
    most_saved = sorted(saved, key=lambda p: (-saved[p], p))[:MOST_SAVED]
    most_discussed = sorted(discussed, key=lambda p: (-discussed[p], p))[:MOST_SAVED]
    papers = get_papers(session, [*ranked, *most_saved, *most_discussed])
    per_day = Counter(v.at.astimezone(zone).date() for v in votes)
    days = (first_day + timedelta(days=i) for i in range(CHART_DAYS))
    return TeamWeek(
        window=window,
        top=tuple((papers[p], tallies[p]) for p in ranked if p in papers),
        saved=tuple((papers[p], saved[p]) for p in most_saved if p in papers),
        discussed=tuple((papers[p], discussed[p]) for p in most_discussed if p in papers),
        voters=len({v.user_id for v in this_week}),
        votes=len(this_week),
        saves=len(saves),
        per_day=tuple((day, per_day[day]) for day in days),
    )


def _tallies(votes: list[CastVote]) -> dict[str, Tally]:
    ups = Counter(v.paper_id for v in votes if v.value > 0)
    downs = Counter(v.paper_id for v in votes if v.value < 0)
    return {p: Tally(ups[p], downs[p]) for p in {*ups, *downs}}

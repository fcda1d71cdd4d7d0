"""Votes: one row per person per paper per workspace, changed under a row lock.

Every change first makes sure the person's row exists (an insert that does nothing on conflict),
then locks it (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
serialises writers), so concurrent clicks and reactions on one paper never lose an update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from bot.model import Tally, Voter
from storage.tables import PaperRow, ProcessedEventRow, VoteRow

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class VoteKey:
    platform: str
    workspace: str
    paper_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    paper_id: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class ExportedVote:
    platform: str
    workspace: str
    channel: str
    paper_id: str
    title: str
    user_id: str
    value: int
    source: str
    emoji: str | None
    updated_at: datetime


def _insert(session: Session) -> Callable[..., Any]:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def first_delivery(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Mark the event processed; False when it was already (a retry or a replay)."""
    statement = (
        _insert(session)(ProcessedEventRow)
        .values(platform=platform, event_id=event_id, received_at=now)
        .on_conflict_do_nothing()
        .returning(ProcessedEventRow.event_id)
    )
    return session.execute(statement).first() is not None


def lock_vote(session: Session, key: VoteKey, channel: str, now: datetime) -> VoteRow:
    """The person's vote row, created empty if need be, locked for this transaction."""
    query = select(VoteRow).where(
        VoteRow.platform == key.platform,
        VoteRow.workspace == key.workspace,
        VoteRow.paper_id == key.paper_id,
        VoteRow.user_id == key.user_id,
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.exec(query).first()
    if row is not None:
        return row
    # First opinion of this person on this paper: create the row; if a concurrent transaction
    # created it first, the insert does nothing and the select below waits for its lock.
    statement = (
        _insert(session)(VoteRow)
        .values(
            platform=key.platform,
            workspace=key.workspace,
            paper_id=key.paper_id,
            user_id=key.user_id,
            value=0,
            source="none",
            reactions="{}",
            button_value=0,
            channel=channel,
            event_at=NEVER,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
    )
    session.execute(statement)
    return session.exec(query.execution_options(populate_existing=True)).one()


def _tally_columns() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    up = func.sum(case((col(VoteRow.value) > 0, 1), else_=0))
    down = func.sum(case((col(VoteRow.value) < 0, 1), else_=0))
    return up, down


def paper_tally(session: Session, platform: str, workspace: str, paper_id: str) -> Tally:
    up, down = _tally_columns()
    row = session.exec(
        select(up, down).where(
            VoteRow.platform == platform,
            VoteRow.workspace == workspace,
            VoteRow.paper_id == paper_id,
        )
    ).one()
    return Tally(int(row[0] or 0), int(row[1] or 0))


def leaderboard(
    session: Session,
    platform: str,
    workspace: str,
    *,
    since: datetime | None,
    channel: str | None,
    limit: int,
) -> list[LeaderboardEntry]:
    """Papers by the team's score (up minus down), then by up votes, then by voters."""
    up, down = _tally_columns()
    query = select(VoteRow.paper_id, up, down).where(
        VoteRow.platform == platform, VoteRow.workspace == workspace, VoteRow.value != 0
    )
    if since is not None:
        query = query.where(col(VoteRow.updated_at) >= since)
    if channel is not None:
        query = query.where(VoteRow.channel == channel)
    query = (
        query.group_by(VoteRow.paper_id)
        .order_by((up - down).desc(), up.desc(), (up + down).desc(), VoteRow.paper_id)
        .limit(limit)
    )
    return [
        LeaderboardEntry(paper_id, Tally(int(u), int(d))) for paper_id, u, d in session.exec(query)
    ]


def voters(session: Session, platform: str, workspace: str, paper_id: str) -> list[Voter]:
    query = (
        select(VoteRow)
        .where(
            VoteRow.platform == platform,
            VoteRow.workspace == workspace,
            VoteRow.paper_id == paper_id,
            VoteRow.value != 0,
        )
        .order_by(col(VoteRow.value).desc(), col(VoteRow.updated_at))
    )
    return [
        Voter(r.user_id, r.value, r.source, r.emoji, r.channel, r.updated_at)
        for r in session.exec(query)
    ]


def export_votes(session: Session) -> Iterator[ExportedVote]:
    query = (
        select(VoteRow, PaperRow.title)
        .join(PaperRow, col(PaperRow.id) == col(VoteRow.paper_id), isouter=True)
        .where(VoteRow.value != 0)
        .order_by(VoteRow.platform, VoteRow.workspace, VoteRow.paper_id, VoteRow.user_id)
    )
    for row, title in session.exec(query):
        yield ExportedVote(
            row.platform,
            row.workspace,
            row.channel,
            row.paper_id,
            title or "",
            row.user_id,
            row.value,
            row.source,
            row.emoji,
            row.updated_at,
        )

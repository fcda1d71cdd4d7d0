"""Votes: one row per person per paper per workspace, changed under a row lock.

Every change first makes sure the person's row exists (an insert that does nothing on conflict),
then locks it (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
serialises writers), so concurrent clicks and reactions on one paper never lose an update.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, func, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.model import Paper, Tally, Voter
from storage.db import insert_for
from storage.key_lists import keys_in
from storage.papers import to_paper
from storage.tables import PAPER_TABLE, VOTE_TABLE, PaperRow, ProcessedEventRow, VoteRow

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


# Every batch of vote events runs these statements; building them once keeps SQLAlchemy from
# rebuilding and re-keying them per batch.
_V = VOTE_TABLE.c
_STATE = (_V.id, _V.button_value, _V.button_at, _V.reactions, _V.event_at)  # a VoteState
_NEW_VOTE = {
    "value": 0,
    "source": "none",
    "reactions": "{}",
    "button_value": 0,
    "event_at": NEVER,
}
_PROCESSED = ProcessedEventRow.__table__  # type: ignore[attr-defined]


@cache
def _insert_processed(dialect: str) -> Any:
    return (
        insert_for(dialect)(_PROCESSED)
        .on_conflict_do_nothing()
        .returning(_PROCESSED.c.platform, _PROCESSED.c.event_id)
    )


@cache
def _insert_votes(dialect: str) -> Any:
    return insert_for(dialect)(VOTE_TABLE).on_conflict_do_nothing()


_UP = func.coalesce(func.sum(case((_V.value > 0, 1), else_=0)), 0)
_DOWN = func.coalesce(func.sum(case((_V.value < 0, 1), else_=0)), 0)
_SAVED = (
    "button_value",
    "button_at",
    "reactions",
    "value",
    "source",
    "emoji",
    "event_at",
    "channel",
    "updated_at",
)
_SAVE_VOTE = (
    update(VOTE_TABLE)
    .where(_V.id == bindparam("vote_id"))
    .values({name: bindparam(f"new_{name}") for name in _SAVED})
)


def first_deliveries(
    session: Session, events: Collection[tuple[str, str]], now: datetime
) -> set[tuple[str, str]]:
    """Mark ``(platform, event_id)`` pairs processed; returns the new ones (the others are
    retries or replays)."""
    if not events:
        return set()
    statement = _insert_processed(session.get_bind().dialect.name)
    # Sorted, so transactions inserting overlapping ids take their index locks in one order.
    rows = [
        {"platform": platform, "event_id": event_id, "received_at": now}
        for platform, event_id in sorted(set(events))
    ]
    return {(platform, event_id) for platform, event_id in session.execute(statement, rows)}


@dataclass(frozen=True, slots=True)
class VoteState:
    """The stored opinion of one person on one paper, as the vote rules need it."""

    id: int
    button_value: int
    button_at: datetime | None
    reactions: str
    event_at: datetime


def lock_votes(
    session: Session, channels: Mapping[VoteKey, str], now: datetime
) -> dict[VoteKey, VoteState]:
    """Each key's vote row, created empty if need be, locked for this transaction: two
    statements, whatever their number.

    ``channels`` gives each key the channel a row created for it records. Rows are created in
    key order and locked in id order, so batches that share rows wait for each other instead of
    deadlocking.
    """
    if not channels:
        return {}
    dialect = session.get_bind().dialect.name
    fresh = {"created_at": now, "updated_at": now} | _NEW_VOTE
    rows = [
        {
            "platform": key.platform,
            "workspace": key.workspace,
            "paper_id": key.paper_id,
            "user_id": key.user_id,
            "channel": channel,
        }
        | fresh
        for key, channel in sorted(channels.items(), key=lambda item: _key_order(item[0]))
    ]
    session.execute(_insert_votes(dialect), rows)
    who = (_V.platform, _V.workspace, _V.paper_id, _V.user_id)
    query = (
        core_select(*who, *_STATE)
        .where(keys_in(dialect, who, [_key_order(key) for key in channels]))
        .order_by(_V.id)
        .with_for_update()
    )
    # On SQLite the query may find other keys' rows too (storage.key_lists): they are left out.
    found = {VoteKey(*row[:4]): VoteState(*row[4:]) for row in session.execute(query)}
    return {key: state for key, state in found.items() if key in channels}


def _key_order(key: VoteKey) -> tuple[str, str, str, str]:
    return (key.platform, key.workspace, key.paper_id, key.user_id)


def save_votes(session: Session, changes: Mapping[int, Mapping[str, object]]) -> None:
    """Write new opinions by vote row id, in one executemany; each names every ``_SAVED`` column."""
    params = []
    for vote_id, values in changes.items():
        if set(values) != set(_SAVED):
            raise ValueError(f"save_votes needs exactly {_SAVED}, got {sorted(values)}")
        params.append({"vote_id": vote_id} | {f"new_{k}": v for k, v in values.items()})
    if params:
        session.execute(_SAVE_VOTE, params)


TeamPaper = tuple[str, str, str]  # platform, workspace, paper_id


def papers_with_tallies(
    session: Session, wanted: Collection[TeamPaper]
) -> dict[TeamPaper, tuple[Paper, Tally]]:
    """Each team paper with its team tally, in one query: what the cards after a batch of votes
    need. Unknown papers are left out."""
    if not wanted:
        return {}
    team_paper = (_V.platform, _V.workspace, _V.paper_id)
    dialect = session.get_bind().dialect.name
    counts = (
        core_select(*team_paper, _UP.label("up"), _DOWN.label("down"))
        .where(keys_in(dialect, team_paper, wanted))
        .group_by(*team_paper)
        .subquery()
    )
    query = core_select(PAPER_TABLE, counts).join(counts, counts.c.paper_id == PAPER_TABLE.c.id)
    found = {}
    for row in session.execute(query):
        key = (row.platform, row.workspace, row.paper_id)
        if key in wanted:
            found[key] = (to_paper(row), Tally(int(row.up), int(row.down)))
    return found


def tallies(
    session: Session, platform: str, workspace: str, paper_ids: Sequence[str]
) -> dict[str, Tally]:
    """The team's up and down votes on each paper; papers nobody voted on are left out."""
    if not paper_ids:
        return {}
    query = (
        core_select(_V.paper_id, _UP, _DOWN)
        .where(
            (_V.platform == platform)
            & (_V.workspace == workspace)
            & _V.paper_id.in_(list(paper_ids))
            & (_V.value != 0)
        )
        .group_by(_V.paper_id)
    )
    return {paper_id: Tally(int(up), int(down)) for paper_id, up, down in session.execute(query)}


def leaderboard(
    session: Session,
    platform: str,
    workspace: str,
    *,
    since: datetime | None,
    channel: str | None,
    limit: int,
) -> list[LeaderboardEntry]:
    """Papers by the team's score (up minus down), then by up votes (equal score and up votes
    mean equal down votes), then by id."""
    up, down = _UP, _DOWN
    query = select(VoteRow.paper_id, up, down).where(
        VoteRow.platform == platform, VoteRow.workspace == workspace, VoteRow.value != 0
    )
    if since is not None:
        query = query.where(col(VoteRow.updated_at) >= since)
    if channel is not None:
        query = query.where(VoteRow.channel == channel)
    query = (
        query.group_by(VoteRow.paper_id)
        .order_by((up - down).desc(), up.desc(), VoteRow.paper_id)
        .limit(limit)
    )
    return [
        LeaderboardEntry(paper_id, Tally(int(u), int(d))) for paper_id, u, d in session.exec(query)
    ]


def team_opinions(
    session: Session, platform: str, workspace: str, limit: int
) -> list[tuple[Paper, Tally]]:
    """The papers the team has a net opinion on (more up than down votes, or fewer), with their
    tallies, most recently voted first: what "for your team" learns the team's taste from.
    Papers no longer in the catalog are left out."""
    last = func.max(_V.updated_at)
    counts = (
        core_select(_V.paper_id, _UP.label("up"), _DOWN.label("down"), last.label("last"))
        .where((_V.platform == platform) & (_V.workspace == workspace) & (_V.value != 0))
        .group_by(_V.paper_id)
        .having(_UP != _DOWN)
        .order_by(last.desc(), _V.paper_id)
        .limit(limit)
        .subquery()
    )
    query = (
        core_select(PAPER_TABLE, counts.c.up, counts.c.down)
        .join(counts, counts.c.paper_id == PAPER_TABLE.c.id)
        .order_by(counts.c.last.desc(), PAPER_TABLE.c.id)
    )
    return [(to_paper(row), Tally(int(row.up), int(row.down))) for row in session.execute(query)]


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

"""What a team did over a span of time, for the weekly report: its votes and its saves.

Plain rows, not totals: the report groups them by the channel's local day in Python, which reads
the same on SQLite and PostgreSQL (no dialect's date functions or time zones). A team's month is
a few thousand rows at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.digest_runs import as_utc
from storage.discussions import replies_between
from storage.tables import ReadingItemRow, VoteRow


@dataclass(frozen=True, slots=True)
class CastVote:
    """A person's current vote on a paper and when it was cast (its deciding event)."""

    paper_id: str
    user_id: str
    value: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Save:
    paper_id: str
    user_id: str
    at: datetime


def votes_cast(
    session: Session, platform: str, workspace: str, start: datetime, end: datetime
) -> list[CastVote]:
    """The workspace's votes (up or down; taken-back ones left out) whose deciding event falls in
    ``[start, end]``. A vote changed later counts at its last change, as the tallies do."""
    query = select(VoteRow.paper_id, VoteRow.user_id, VoteRow.value, VoteRow.event_at).where(
        VoteRow.platform == platform,
        VoteRow.workspace == workspace,
        VoteRow.value != 0,
        col(VoteRow.event_at) >= as_utc(start),
        col(VoteRow.event_at) <= as_utc(end),
    )
    return [CastVote(p, u, v, as_utc(at)) for p, u, v, at in session.exec(query)]


def saves_made(
    session: Session, platform: str, workspace: str, start: datetime, end: datetime
) -> list[Save]:
    """Papers saved to reading lists in ``[start, end]``, read since or not."""
    item = ReadingItemRow
    query = select(item.paper_id, item.user_id, item.saved_at).where(
        item.platform == platform,
        item.workspace == workspace,
        col(item.saved_at) >= as_utc(start),
        col(item.saved_at) <= as_utc(end),
    )
    return [Save(p, u, as_utc(at)) for p, u, at in session.exec(query)]


def discussion_counts(
    session: Session, platform: str, workspace: str, start: datetime, end: datetime
) -> dict[str, int]:
    """Replies per paper in the span, in the workspace's discussion threads, where the platform
    reports each reply (Discord; Slack would need the ``channels:history`` scope)."""
    return replies_between(session, platform, workspace, start, end)

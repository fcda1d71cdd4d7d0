"""Reading lists: papers people saved to read, per workspace; done ones are kept but hidden.

One row per person and paper (``reading_item``); saving again is a no-op, saving a paper marked
done puts it back on the list. The team's list is every open row of the workspace, one entry per
paper with everyone who saved it, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, update
from sqlmodel import Session, col, select

from bot.model import Paper
from storage.db import dialect_insert
from storage.papers import to_paper
from storage.tables import PaperRow, ReadingItemRow


@dataclass(frozen=True, slots=True)
class Reader:
    """Whose list: one person in one workspace of one platform."""

    platform: str
    workspace: str
    user_id: str


class Saved(Enum):
    NEW = "new"
    ALREADY = "already"  # on the list, not done
    REOPENED = "reopened"  # was done; back on the list


class Done(Enum):
    DONE = "done"
    ALREADY = "already"
    NOT_SAVED = "not_saved"


@dataclass(frozen=True, slots=True)
class ReadingEntry:
    paper: Paper
    savers: tuple[str, ...]  # user ids, in the order they saved it
    saved_at: datetime  # the first save


def save_paper(
    session: Session, reader: Reader, paper_id: str, channel: str, now: datetime
) -> Saved:
    inserted = session.execute(
        dialect_insert(session)(ReadingItemRow)
        .values(
            platform=reader.platform,
            workspace=reader.workspace,
            user_id=reader.user_id,
            paper_id=paper_id,
            channel=channel,
            saved_at=now,
        )
        .on_conflict_do_nothing()
        .returning(ReadingItemRow.id)
    ).first()
    if inserted is not None:
        return Saved.NEW
    reopened: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ReadingItemRow)
        .where(_of(reader, paper_id), col(ReadingItemRow.done_at).is_not(None))
        .values(done_at=None, saved_at=now, channel=channel)
    )
    return Saved.REOPENED if reopened.rowcount else Saved.ALREADY


def mark_done(session: Session, reader: Reader, paper_id: str, now: datetime) -> Done:
    finished: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ReadingItemRow)
        .where(_of(reader, paper_id), col(ReadingItemRow.done_at).is_(None))
        .values(done_at=now)
    )
    if finished.rowcount:
        return Done.DONE
    found = session.exec(select(ReadingItemRow.id).where(_of(reader, paper_id))).first()
    return Done.NOT_SAVED if found is None else Done.ALREADY


def open_entries(
    session: Session, platform: str, workspace: str, user_id: str | None = None
) -> list[ReadingEntry]:
    """The workspace's open items (one person's when ``user_id`` is given), oldest first."""
    item = ReadingItemRow
    query = (
        select(item.user_id, item.saved_at, PaperRow)
        .join(PaperRow, col(PaperRow.id) == col(item.paper_id))
        .where(
            item.platform == platform,
            item.workspace == workspace,
            col(item.done_at).is_(None),
        )
        .order_by(col(item.saved_at), col(item.id))
    )
    if user_id is not None:
        query = query.where(item.user_id == user_id)
    entries: dict[str, ReadingEntry] = {}
    for saver, saved_at, row in session.exec(query):
        known = entries.get(row.id)
        if known is None:
            entries[row.id] = ReadingEntry(to_paper(row), (saver,), saved_at)
        else:
            entries[row.id] = ReadingEntry(known.paper, (*known.savers, saver), known.saved_at)
    return list(entries.values())


def every_open_entry(session: Session) -> list[tuple[str, str, ReadingEntry]]:
    """Each workspace's open entries, as ``(platform, workspace, entry)``, for exports."""
    item = ReadingItemRow
    teams = session.exec(
        select(item.platform, item.workspace)
        .where(col(item.done_at).is_(None))
        .distinct()
        .order_by(col(item.platform), col(item.workspace))
    ).all()
    return [
        (platform, workspace, entry)
        for platform, workspace in teams
        for entry in open_entries(session, platform, workspace)
    ]


def _of(reader: Reader, paper_id: str) -> ColumnElement[bool]:
    item = ReadingItemRow
    return and_(
        col(item.platform) == reader.platform,
        col(item.workspace) == reader.workspace,
        col(item.user_id) == reader.user_id,
        col(item.paper_id) == paper_id,
    )

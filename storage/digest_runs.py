"""digest_run: the exactly-once ledger of scheduled digests.

A run is claimed before anything is posted: an ``INSERT ... ON CONFLICT DO NOTHING`` on
UNIQUE(subscription_id, digest_date), or, when the row exists, one conditional ``UPDATE`` that
only matches a run that may be taken over (a stale claim, a failed or waiting run whose retry is
due, or any unfinished run when a newer fire for the same date comes). Both are single atomic
statements on SQLite (writers serialised by ``BEGIN IMMEDIATE``) and on PostgreSQL (the second
writer waits for the row lock, then re-checks the condition and matches nothing). ``attempts``
is the fencing token: every later write names it, so a claimer whose lease ran out cannot
overwrite the run someone else has taken over.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, case, or_, update
from sqlmodel import Session, col, select

from bot.model.digests import DigestRun, RunState
from storage.db import dialect_insert
from storage.tables import DigestRunRow

RETRYABLE = (RunState.FAILED.value, RunState.WAITING.value)
UNFINISHED = (*RETRYABLE, RunState.MISSED.value)


def as_utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive, PostgreSQL in the session's zone; paperbot stores UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _opt_utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def to_run(row: DigestRunRow) -> DigestRun:
    assert row.id is not None
    return DigestRun(
        id=row.id,
        subscription_id=row.subscription_id,
        digest_date=row.digest_date,
        state=RunState(row.state),
        attempts=row.attempts,
        claimed_at=as_utc(row.claimed_at),
        updated_at=as_utc(row.updated_at),
        due_at=_opt_utc(row.due_at),
        next_attempt_at=_opt_utc(row.next_attempt_at),
        error=row.error,
        chunks=tuple(tuple(chunk) for chunk in json.loads(row.message_refs)),
        paper_ids=tuple(json.loads(row.paper_ids)),
    )


def get_run(session: Session, subscription_id: int, digest_date: date) -> DigestRun | None:
    row = session.exec(
        select(DigestRunRow).where(
            DigestRunRow.subscription_id == subscription_id,
            DigestRunRow.digest_date == digest_date,
        )
    ).first()
    return to_run(row) if row else None


def claim_run(
    session: Session,
    subscription_id: int,
    digest_date: date,
    due_at: datetime,
    now: datetime,
    lease: timedelta,
) -> DigestRun | None:
    """Claim the run for posting; None when it is done, in someone else's hands, or not due."""
    due_at, now = as_utc(due_at), as_utc(now)
    created = _create_run(
        session, subscription_id, digest_date, RunState.CLAIMED, due_at, now, attempts=1
    )
    if not created:
        state, attempts = col(DigestRunRow.state), col(DigestRunRow.attempts)
        due, next_at = col(DigestRunRow.due_at), col(DigestRunRow.next_attempt_at)
        takeover = or_(
            and_(state == RunState.CLAIMED.value, col(DigestRunRow.claimed_at) < now - lease),
            and_(state.in_(RETRYABLE), next_at <= now),  # NULL <= now matches nothing
            and_(state.in_(UNFINISHED), or_(due.is_(None), due < due_at)),
        )
        taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(DigestRunRow)
            .where(
                col(DigestRunRow.subscription_id) == subscription_id,
                col(DigestRunRow.digest_date) == digest_date,
                takeover,
            )
            .values(
                state=RunState.CLAIMED.value,
                attempts=attempts + 1,
                claimed_at=now,
                updated_at=now,
                next_attempt_at=None,
                due_at=case((or_(due.is_(None), due < due_at), due_at), else_=due),
            )
        )
        if taken.rowcount != 1:
            return None
    session.expire_all()
    return get_run(session, subscription_id, digest_date)


def _fenced(run: DigestRun) -> Any:
    return update(DigestRunRow).where(
        col(DigestRunRow.id) == run.id,
        col(DigestRunRow.state) == RunState.CLAIMED.value,
        col(DigestRunRow.attempts) == run.attempts,
    )


def _apply(session: Session, statement: Any) -> bool:
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount == 1


def freeze_selection(
    session: Session, run: DigestRun, paper_ids: Sequence[str], now: datetime
) -> bool:
    """Remember the chosen papers, so a retry posts the same digest; False if we lost the claim."""
    values = {"paper_ids": json.dumps(list(paper_ids)), "updated_at": as_utc(now)}
    return _apply(session, _fenced(run).values(**values))


def record_chunk(
    session: Session, run: DigestRun, chunks: Sequence[Sequence[str]], now: datetime
) -> bool:
    """Store the refs of every chunk sent so far and renew the claim's lease."""
    refs = json.dumps([list(chunk) for chunk in chunks])
    now = as_utc(now)
    return _apply(session, _fenced(run).values(message_refs=refs, claimed_at=now, updated_at=now))


def finish_run(
    session: Session,
    run: DigestRun,
    state: RunState,
    now: datetime,
    *,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
) -> bool:
    """Move a claimed run to ``state``; False when the claim was lost to someone else."""
    if state is RunState.CLAIMED:
        raise ValueError("finish_run moves a run out of the claimed state")
    values: dict[str, Any] = {
        "state": state.value,
        "error": error,
        "updated_at": as_utc(now),
        "next_attempt_at": None if next_attempt_at is None else as_utc(next_attempt_at),
    }
    return _apply(session, _fenced(run).values(**values))


def record_missed(
    session: Session,
    subscription_id: int,
    digest_date: date,
    due_at: datetime,
    now: datetime,
    reason: str,
) -> bool:
    """Note a fire that came and went while the bot was down; False if the run already exists."""
    return _create_run(
        session,
        subscription_id,
        digest_date,
        RunState.MISSED,
        as_utc(due_at),
        as_utc(now),
        attempts=0,
        error=reason,
    )


def _create_run(
    session: Session,
    subscription_id: int,
    digest_date: date,
    state: RunState,
    due_at: datetime,
    now: datetime,
    *,
    attempts: int,
    error: str | None = None,
) -> bool:
    """Insert the run for (subscription, date) unless it exists; True when this call created it."""
    inserted = session.execute(
        dialect_insert(session)(DigestRunRow)
        .values(
            subscription_id=subscription_id,
            digest_date=digest_date,
            state=state.value,
            attempts=attempts,
            message_refs="[]",
            paper_ids="[]",
            error=error,
            claimed_at=now,
            updated_at=now,
            due_at=due_at,
        )
        .on_conflict_do_nothing()
        .returning(DigestRunRow.id)
    ).first()
    return inserted is not None


def retry_candidates(
    session: Session, now: datetime, lease: timedelta, due_since: datetime
) -> list[DigestRun]:
    """Runs to attempt again now: a due retry or a stale claim, still inside the grace window."""
    now = as_utc(now)
    query = select(DigestRunRow).where(
        col(DigestRunRow.due_at) >= as_utc(due_since),
        or_(
            and_(
                col(DigestRunRow.state).in_(RETRYABLE),
                col(DigestRunRow.next_attempt_at) <= now,
            ),
            and_(
                col(DigestRunRow.state) == RunState.CLAIMED.value,
                col(DigestRunRow.claimed_at) < now - lease,
            ),
        ),
    )
    return [to_run(row) for row in session.exec(query.order_by(col(DigestRunRow.due_at)))]


def expired_runs(
    session: Session, now: datetime, lease: timedelta, due_before: datetime
) -> list[DigestRun]:
    """Unfinished runs whose grace window has ended: to be closed and reported, once."""
    query = select(DigestRunRow).where(
        col(DigestRunRow.due_at) < as_utc(due_before),
        or_(
            and_(
                col(DigestRunRow.state).in_(RETRYABLE),
                col(DigestRunRow.next_attempt_at).is_not(None),
            ),
            and_(
                col(DigestRunRow.state) == RunState.CLAIMED.value,
                col(DigestRunRow.claimed_at) < as_utc(now) - lease,
            ),
        ),
    )
    return [to_run(row) for row in session.exec(query)]


def close_expired(
    session: Session, run: DigestRun, state: RunState, reason: str, now: datetime
) -> bool:
    """Close a run the sweep found expired, unless someone changed it since it was read."""
    statement = (
        update(DigestRunRow)
        .where(
            col(DigestRunRow.id) == run.id,
            col(DigestRunRow.state) == run.state.value,
            col(DigestRunRow.attempts) == run.attempts,
        )
        .values(state=state.value, error=reason, next_attempt_at=None, updated_at=as_utc(now))
    )
    return _apply(session, statement)


def recent_runs(session: Session, subscription_id: int, limit: int = 5) -> list[DigestRun]:
    query = (
        select(DigestRunRow)
        .where(DigestRunRow.subscription_id == subscription_id)
        .order_by(col(DigestRunRow.digest_date).desc())
        .limit(limit)
    )
    return [to_run(row) for row in session.exec(query)]

"""The digest-run ledger in storage: a run reads back as written, takeovers move only what they
should, and the sweep's queries stop exactly at their boundaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from bot.model.digests import DigestRun, RunState
from storage.db import Database
from storage.digest_runs import (
    claim_run,
    close_expired,
    expired_runs,
    finish_run,
    freeze_selection,
    get_run,
    recent_runs,
    record_chunk,
    record_missed,
    retry_candidates,
)
from storage.tables import DigestRunRow
from tests.digests.helpers import DAY, DUE, LEASE, subscribed
from tests.support.queries import runs_for_date

SECOND = timedelta(seconds=1)


def claim(
    db: Database, sub_id: int, at: datetime, *, day: date = DAY, due: datetime = DUE
) -> DigestRun | None:
    return db.write_now(
        partial(claim_run, subscription_id=sub_id, digest_date=day, due_at=due, now=at, lease=LEASE)
    )


def claimed(
    db: Database, sub_id: int, at: datetime, *, day: date = DAY, due: datetime = DUE
) -> DigestRun:
    run = claim(db, sub_id, at, day=day, due=due)
    assert run is not None
    return run


def finished(
    db: Database,
    run: DigestRun,
    state: RunState,
    *,
    retry_at: datetime | None = None,
    error: str | None = None,
) -> DigestRun:
    finish = partial(finish_run, run=run, state=state, now=run.claimed_at, error=error)
    assert db.write_now(partial(finish, next_attempt_at=retry_at))
    return read(db, run.subscription_id, run.digest_date)


def read(db: Database, sub_id: int, day: date = DAY) -> DigestRun:
    run = db.read_now(lambda s: get_run(s, sub_id, day))
    assert run is not None
    return run


def test_a_run_reads_back_every_field_as_written(db: Database) -> None:
    sub_id = subscribed(db)
    run = claimed(db, sub_id, DUE)
    assert run == DigestRun(run.id, sub_id, DAY, RunState.CLAIMED, 1, DUE, DUE, due_at=DUE)
    assert db.write_now(partial(freeze_selection, run=run, paper_ids=["p2", "p1"], now=DUE))
    chunks = [["m1", "m2"], ["m3"]]
    later = DUE + timedelta(minutes=3)
    assert db.write_now(partial(record_chunk, run=run, chunks=chunks, now=later))
    retry = DUE + timedelta(hours=1)
    done = partial(finish_run, run=run, state=RunState.WAITING, error="no papers")
    assert db.write_now(partial(done, now=later + SECOND, next_attempt_at=retry))
    assert read(db, sub_id) == DigestRun(
        run.id,
        sub_id,
        DAY,
        RunState.WAITING,
        1,
        claimed_at=later,  # the lease renewed by the chunk
        updated_at=later + SECOND,
        due_at=DUE,
        next_attempt_at=retry,
        error="no papers",
        chunks=(("m1", "m2"), ("m3",)),
        paper_ids=("p2", "p1"),
    )


def test_freezing_the_selection_and_recording_a_chunk_mark_the_run_updated(db: Database) -> None:
    sub_id = subscribed(db)
    run = claimed(db, sub_id, DUE)
    assert db.write_now(partial(freeze_selection, run=run, paper_ids=["p1"], now=DUE + SECOND))
    assert read(db, sub_id).updated_at == DUE + SECOND
    assert read(db, sub_id).claimed_at == DUE
    assert db.write_now(partial(record_chunk, run=run, chunks=[["m1"]], now=DUE + 2 * SECOND))
    assert read(db, sub_id).updated_at == DUE + 2 * SECOND


def test_a_run_is_never_finished_into_the_claimed_state(db: Database) -> None:
    run = claimed(db, subscribed(db), DUE)
    with pytest.raises(ValueError, match=r"^finish_run moves a run out of the claimed state$"):
        db.write_now(partial(finish_run, run=run, state=RunState.CLAIMED, now=DUE))


def test_a_missed_run_is_stored_with_its_reason_and_no_attempts(db: Database) -> None:
    sub_id = subscribed(db)
    noticed = DUE + timedelta(hours=7)
    record = partial(record_missed, subscription_id=sub_id, digest_date=DAY, reason="bot down")
    assert db.write_now(partial(record, due_at=DUE, now=noticed))
    run = read(db, sub_id)
    assert run == DigestRun(
        run.id, sub_id, DAY, RunState.MISSED, 0, noticed, noticed, due_at=DUE, error="bot down"
    )


@pytest.mark.parametrize("state", [RunState.FAILED, RunState.WAITING])
def test_a_retry_is_taken_over_from_its_due_time_on(db: Database, state: RunState) -> None:
    sub_id = subscribed(db)
    retry_at = DUE + timedelta(minutes=30)
    run = finished(db, claimed(db, sub_id, DUE), state, retry_at=retry_at, error="boom")
    assert claim(db, sub_id, retry_at - SECOND) is None
    again = claimed(db, sub_id, retry_at)
    assert again == DigestRun(
        run.id, sub_id, DAY, RunState.CLAIMED, 2, retry_at, retry_at, due_at=DUE, error="boom"
    )


def test_a_newer_fire_takes_over_an_unfinished_run_and_moves_its_due_time(db: Database) -> None:
    sub_id = subscribed(db)
    retry_at = DUE + timedelta(hours=3)
    finished(db, claimed(db, sub_id, DUE), RunState.FAILED, retry_at=retry_at)
    assert claim(db, sub_id, DUE + SECOND, due=DUE) is None  # the same fire, not yet due
    assert claim(db, sub_id, DUE + SECOND, due=DUE - SECOND) is None  # an older fire
    newer = DUE + timedelta(hours=1)
    again = claimed(db, sub_id, newer, due=newer)
    assert (again.attempts, again.due_at, again.next_attempt_at) == (2, newer, None)


def test_a_fire_does_not_take_a_claim_still_in_its_lease(db: Database) -> None:
    sub_id = subscribed(db)
    claimed(db, sub_id, DUE)
    newer = DUE + SECOND
    assert claim(db, sub_id, newer, due=newer) is None


def test_a_stale_claim_taken_over_for_an_older_fire_keeps_its_due_time(db: Database) -> None:
    sub_id = subscribed(db)
    claimed(db, sub_id, DUE)
    stale = DUE + LEASE + SECOND
    again = claimed(db, sub_id, stale, due=DUE - timedelta(hours=1))
    assert (again.attempts, again.due_at, again.claimed_at) == (2, DUE, stale)


def _forget_due_time(session: Session, sub_id: int) -> None:
    """A run written before migration 0002 has no due time."""
    where = col(DigestRunRow.subscription_id) == sub_id
    session.execute(update(DigestRunRow).where(where).values(due_at=None))


def test_an_unfinished_run_without_a_due_time_is_taken_by_any_fire(db: Database) -> None:
    sub_id = subscribed(db)
    record = partial(record_missed, subscription_id=sub_id, digest_date=DAY, reason="down")
    assert db.write_now(partial(record, due_at=DUE, now=DUE))
    db.write_now(partial(_forget_due_time, sub_id=sub_id))
    again = claimed(db, sub_id, DUE + SECOND, due=DUE - timedelta(days=1))
    assert (again.attempts, again.due_at) == (1, DUE - timedelta(days=1))


def test_retry_candidates_are_due_retries_and_stale_claims_inside_the_grace_window(
    db: Database,
) -> None:
    sub_id = subscribed(db)
    now = DUE + timedelta(hours=2)
    since = DUE - timedelta(hours=1)

    def run_on(days: int, due: datetime) -> DigestRun:
        return claimed(db, sub_id, now - LEASE, day=DAY + timedelta(days=days), due=due)

    due_now = finished(db, run_on(0, DUE), RunState.FAILED, retry_at=now)
    finished(db, run_on(1, DUE), RunState.WAITING, retry_at=now + SECOND)  # not yet
    waiting = finished(db, run_on(2, since), RunState.WAITING, retry_at=now - SECOND)
    finished(db, run_on(3, since - SECOND), RunState.FAILED, retry_at=now)  # window ended
    finished(db, run_on(4, DUE), RunState.POSTED)
    run_on(5, DUE)  # claimed at now - lease: still leased
    stale = claimed(db, sub_id, now - LEASE - SECOND, day=DAY + timedelta(days=6), due=since)
    found = db.read_now(partial(retry_candidates, now=now, lease=LEASE, due_since=since))
    assert {run.id for run in found} == {due_now.id, waiting.id, stale.id}
    assert [run.due_at for run in found] == [since, since, DUE]  # the oldest fire first


def test_expired_runs_are_the_unfinished_ones_whose_grace_window_ended(db: Database) -> None:
    sub_id = subscribed(db)
    now = DUE + timedelta(days=2)
    before = DUE + SECOND

    def run_on(days: int, due: datetime, at: datetime = DUE) -> DigestRun:
        return claimed(db, sub_id, at, day=DAY + timedelta(days=days), due=due)

    failed = finished(db, run_on(0, DUE), RunState.FAILED, retry_at=now + timedelta(days=1))
    finished(db, run_on(1, before), RunState.FAILED, retry_at=now)  # window still open
    finished(db, run_on(2, DUE), RunState.WAITING)  # no retry planned: closed already
    finished(db, run_on(3, DUE), RunState.POSTED)
    crashed = run_on(4, DUE, at=now - LEASE - SECOND)
    run_on(5, DUE, at=now - LEASE)  # still leased
    record = partial(record_missed, subscription_id=sub_id, due_at=DUE, now=now, reason="down")
    assert db.write_now(partial(record, digest_date=DAY + timedelta(days=6)))
    found = db.read_now(partial(expired_runs, now=now, lease=LEASE, due_before=before))
    assert sorted(run.id for run in found) == [failed.id, crashed.id]


def test_closing_an_expired_run_records_why_unless_it_changed_since_read(db: Database) -> None:
    sub_id = subscribed(db)
    retry_at = DUE + timedelta(hours=1)
    failed = finished(db, claimed(db, sub_id, DUE), RunState.FAILED, retry_at=retry_at)
    neighbour_day = DAY - timedelta(days=1)  # the same state and attempts: left alone
    neighbour = claimed(db, sub_id, DUE, day=neighbour_day)
    finished(db, neighbour, RunState.FAILED, retry_at=retry_at)
    later = DUE + timedelta(days=1)
    close = partial(close_expired, state=RunState.SKIPPED, reason="gave up", now=later)
    assert db.write_now(partial(close, run=failed))
    assert read(db, sub_id, neighbour_day).state is RunState.FAILED
    closed = read(db, sub_id)
    assert (closed.state, closed.error, closed.next_attempt_at) == (
        RunState.SKIPPED,
        "gave up",
        None,
    )
    assert (closed.updated_at, closed.attempts) == (later, 1)
    assert not db.write_now(partial(close, run=failed))  # its state changed since
    other_day = DAY + timedelta(days=1)
    first = finished(db, claimed(db, sub_id, DUE, day=other_day), RunState.FAILED, retry_at=DUE)
    claimed(db, sub_id, DUE, day=other_day)  # taken again: attempts 2, state claimed
    retaken = finished(db, read(db, sub_id, other_day), RunState.FAILED, retry_at=retry_at)
    assert retaken.state == first.state
    assert not db.write_now(partial(close, run=first))  # the same state, but a later attempt
    assert read(db, sub_id, other_day).state is RunState.FAILED


def test_recent_runs_are_one_subscriptions_newest_first_five_by_default(db: Database) -> None:
    sub_id, other = subscribed(db), subscribed(db, "C2")
    for days in (2, 0, 6, 1, 5, 3, 4):
        claimed(db, sub_id, DUE, day=DAY + timedelta(days=days))
    claimed(db, other, DUE, day=DAY + timedelta(days=9))
    found = db.read_now(partial(recent_runs, subscription_id=sub_id))
    assert [run.digest_date for run in found] == [DAY + timedelta(days=d) for d in (6, 5, 4, 3, 2)]
    two = db.read_now(partial(recent_runs, subscription_id=sub_id, limit=2))
    assert len(two) == 2


def test_runs_for_a_date_are_that_dates_only_in_the_order_they_were_made(db: Database) -> None:
    first, second = subscribed(db), subscribed(db, "C2")
    ids = [claimed(db, sub_id, DUE).id for sub_id in (first, second)]
    claimed(db, first, DUE, day=DAY + timedelta(days=1))
    # An update moves a row to the table's end on PostgreSQL; the order must not follow it.
    finished(db, read(db, first), RunState.POSTED)
    assert [run.id for run in db.read_now(partial(runs_for_date, digest_date=DAY))] == ids


@pytest.mark.parametrize("state", [RunState.POSTED, RunState.SKIPPED])
def test_a_finished_run_is_not_retried_even_with_a_retry_time_on_it(
    db: Database, state: RunState
) -> None:
    """Only a failed or waiting run is retried, whatever a caller left in next_attempt_at."""
    sub_id = subscribed(db)
    finished(db, claimed(db, sub_id, DUE), state, retry_at=DUE + SECOND)
    later = DUE + timedelta(hours=1)
    window = partial(retry_candidates, now=later, lease=LEASE, due_since=DUE)
    assert db.read_now(window) == []
    ended = partial(expired_runs, now=later, lease=LEASE, due_before=later)
    assert db.read_now(ended) == []
    assert claim(db, sub_id, later) is None
    assert read(db, sub_id).state is state


def test_a_takeover_takes_only_that_subscriptions_run(db: Database) -> None:
    sub_id, other = subscribed(db), subscribed(db, "C2")
    for each in (sub_id, other):
        finished(db, claimed(db, each, DUE), RunState.FAILED, retry_at=DUE + SECOND)
    assert claimed(db, sub_id, DUE + SECOND).attempts == 2
    left = read(db, other)
    assert (left.state, left.attempts) == (RunState.FAILED, 1)


def test_a_claim_the_sweep_closed_fences_its_owner_off(db: Database) -> None:
    sub_id = subscribed(db)
    run = claimed(db, sub_id, DUE)
    later = DUE + timedelta(days=1)
    close = partial(close_expired, run=run, state=RunState.FAILED, reason="crashed", now=later)
    assert db.write_now(close)
    # The owner wakes up with the same attempt number: the closed run is no longer its claim.
    assert not db.write_now(partial(record_chunk, run=run, chunks=[["m1"]], now=later))
    assert not db.write_now(partial(finish_run, run=run, state=RunState.POSTED, now=later))
    assert read(db, sub_id).state is RunState.FAILED

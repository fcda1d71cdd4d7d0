"""The digest_run claim on both dialects: one winner among concurrent claimers, leases, fencing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from bot.model.digests import RunState
from storage.db import Database
from storage.digest_runs import (
    as_utc,
    claim_run,
    finish_run,
    get_run,
    record_chunk,
    record_missed,
)
from tests.digests.helpers import DAY, DUE, LEASE, subscribed


def claim(db: Database, sub_id: int, at: datetime, due: datetime = DUE) -> int | None:
    run = db.write_now(
        partial(
            claim_run,
            subscription_id=sub_id,
            digest_date=DAY,
            due_at=due,
            now=at,
            lease=LEASE,
        )
    )
    return None if run is None else run.attempts


def test_concurrent_claimers_have_exactly_one_winner(db: Database) -> None:
    sub_id = subscribed(db)
    barrier = threading.Barrier(8, timeout=30)
    wins: list[int | None] = []

    def contender() -> None:
        barrier.wait()
        wins.append(claim(db, sub_id, DUE))

    threads = [threading.Thread(target=contender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a claimer is stuck"
    assert sorted(wins, key=lambda w: w is None) == [1] + [None] * 7


def test_a_stale_claim_is_taken_over_and_the_old_owner_is_fenced_off(db: Database) -> None:
    sub_id = subscribed(db)
    first = db.write_now(
        partial(
            claim_run, subscription_id=sub_id, digest_date=DAY, due_at=DUE, now=DUE, lease=LEASE
        )
    )
    assert first is not None
    assert claim(db, sub_id, DUE + LEASE) is None  # still leased
    assert claim(db, sub_id, DUE + LEASE + timedelta(seconds=1)) == 2  # taken over
    # The first owner wakes up: it can neither record messages nor finish the run.
    assert not db.write_now(partial(record_chunk, run=first, chunks=[["m1"]], now=DUE + LEASE))
    assert not db.write_now(partial(finish_run, run=first, state=RunState.POSTED, now=DUE + LEASE))


def test_posted_and_skipped_runs_are_never_claimed_again(db: Database) -> None:
    sub_id = subscribed(db)
    for state, day in ((RunState.POSTED, DAY), (RunState.SKIPPED, DAY + timedelta(days=1))):
        run = db.write_now(
            partial(
                claim_run, subscription_id=sub_id, digest_date=day, due_at=DUE, now=DUE, lease=LEASE
            )
        )
        assert run is not None
        assert db.write_now(partial(finish_run, run=run, state=state, now=DUE))
        later = DUE + timedelta(days=1)
        again = db.write_now(
            partial(
                claim_run,
                subscription_id=sub_id,
                digest_date=day,
                due_at=later,
                now=later,
                lease=LEASE,
            )
        )
        assert again is None


def test_a_missed_run_is_reported_once_and_a_later_fire_may_still_post_it(db: Database) -> None:
    sub_id = subscribed(db)
    record = partial(
        record_missed, subscription_id=sub_id, digest_date=DAY, due_at=DUE, reason="down"
    )
    assert db.write_now(partial(record, now=DUE + timedelta(hours=7)))
    assert not db.write_now(partial(record, now=DUE + timedelta(hours=8)))
    assert claim(db, sub_id, DUE + timedelta(hours=8)) is None  # the same fire: no
    later_fire = DUE + timedelta(days=1)  # e.g. Saturday's fire of an every-day subscription
    assert claim(db, sub_id, later_fire, due=later_fire) == 1


@pytest.mark.usefixtures("machine_in_new_york")
def test_times_are_kept_as_the_same_instants_in_utc(db: Database) -> None:
    """A zoned time is converted (not relabelled), a time without a zone is UTC (not local)."""
    berlin = DUE.astimezone(ZoneInfo("Europe/Berlin"))
    for given in (berlin, DUE.replace(tzinfo=None)):
        assert as_utc(given) == DUE
        assert as_utc(given).tzinfo is UTC
    sub_id = subscribed(db)
    claim = partial(claim_run, subscription_id=sub_id, digest_date=DAY, lease=LEASE)
    db.write_now(partial(claim, due_at=berlin, now=berlin))
    run = db.read_now(lambda s: get_run(s, sub_id, DAY))
    assert run is not None
    assert (run.due_at, run.claimed_at) == (DUE, DUE)
    assert run.due_at.tzinfo is UTC

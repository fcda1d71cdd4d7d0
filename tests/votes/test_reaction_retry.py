"""A reaction the database cannot take at once is tried again, not dropped: the platform has
acknowledged it and will not resend it (issue 18). A click still fails at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storage.db
from bot.commands.dispatch import Dispatcher
from bot.facade import Core, Effect, VoteEvent, VoteOutcome
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.responders import RecordingResponder
from storage.db import Database
from tests.votes.helpers import PAPERS, VoteDesk, open_desk

P1 = PAPERS[0]
QUICK = (0.0, 0.0, 0.0)  # three more attempts, no waiting between them


class FailingFirst(VoteRecorder):
    """A real recorder whose first ``failures`` attempts fail as a locked database does."""

    def __init__(self, inner: VoteRecorder, failures: int) -> None:
        self._inner = inner
        self.failures = failures
        self.attempts = 0

    async def record(self, event: VoteEvent) -> VoteReceipt:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise RuntimeError("database is locked")
        return await self._inner.record(event)


async def vote_through(
    db: Database, dispatcher: Dispatcher, *, failures: int, react: bool
) -> tuple[VoteDesk, FailingFirst, VoteOutcome]:
    """A 🔥 (or a click) on P1 through a core whose recorder fails ``failures`` times first."""
    desk = await open_desk(db)
    recorder = FailingFirst(VoteRecorder(desk.deps), failures)
    core = Core(desk.deps, dispatcher, votes=recorder, reaction_retries=QUICK)
    event = desk.react("U1", P1, "fire") if react else desk.click("U1", P1, 1)
    return desk, recorder, await core.handle_vote(event, RecordingResponder())


async def test_a_reaction_that_fails_a_few_times_is_saved(
    db: Database, dispatcher: Dispatcher
) -> None:
    desk, recorder, outcome = await vote_through(db, dispatcher, failures=2, react=True)

    assert outcome.result.effect is Effect.RECORDED
    assert recorder.attempts == 3
    assert desk.tally(P1).up == 1


async def test_a_reaction_that_keeps_failing_is_given_up_with_an_error_logged(
    db: Database, dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    desk, recorder, outcome = await vote_through(db, dispatcher, failures=100, react=True)

    assert outcome.result.effect is Effect.FAILED
    assert recorder.attempts == 4
    assert "(4 attempts); dropped" in caplog.text
    assert desk.tally(P1).up == 0


async def test_a_click_is_not_retried_its_voter_is_asked_to_click_again(
    db: Database, dispatcher: Dispatcher
) -> None:
    _, recorder, outcome = await vote_through(db, dispatcher, failures=1, react=False)

    assert outcome.result.effect is Effect.FAILED
    assert recorder.attempts == 1


class UnlocksAfterFirstFailure(VoteRecorder):
    """The real recorder; the other process's lock is released once a write has failed on it."""

    def __init__(self, inner: VoteRecorder, holder: sqlite3.Connection) -> None:
        self._inner = inner
        self._holder = holder
        self.failures = 0

    async def record(self, event: VoteEvent) -> VoteReceipt:
        try:
            return await self._inner.record(event)
        except Exception:
            self.failures += 1
            self._holder.rollback()  # the other process lets go
            raise


async def test_a_reaction_meeting_sqlite_locked_past_its_busy_timeout_is_saved_once_free(
    sqlite_db: Database, dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    impatient = Database(sqlite_db.url)  # a process of its own, with a short busy timeout
    try:
        desk = await open_desk(impatient)
        path = Path(sqlite_db.url.removeprefix("sqlite:///"))
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        recorder = UnlocksAfterFirstFailure(VoteRecorder(desk.deps), holder)
        core = Core(desk.deps, dispatcher, votes=recorder, reaction_retries=QUICK)

        outcome = await core.handle_vote(desk.react("U1", P1, "fire"), RecordingResponder())

        assert recorder.failures == 1
        assert outcome.result.effect is Effect.RECORDED
        assert desk.tally(P1).up == 1
        holder.close()
    finally:
        impatient.dispose()

"""Any number of processes may start together on a new database: one migrates and loads the
sample, the others wait for it and find the work done."""

from __future__ import annotations

import fcntl
import threading
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import Session

import bot.ingest
from bot.ingest import SAMPLE_BATCH, Sample, load_sample_until_complete
from bot.model import Paper, UpsertResult
from storage import migrate
from storage.db import Database, create_db_engine
from storage.locks import STARTUP_LOCK, lock_key, startup_lock
from storage.papers import count_papers, upsert_papers
from tests.support.concurrency import run_together
from tests.support.databases import DIALECTS, fresh_database_url

NOW = datetime(2026, 6, 13, tzinfo=UTC)
STARTERS = 6


def listed(papers: list[Paper]) -> Sample:
    """A sample made of ``papers``, in their order."""
    return Sample(
        papers=lambda _now: papers, first_id=lambda: papers[0].id, last_id=lambda: papers[-1].id
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_six_processes_starting_at_once_on_a_new_database_all_succeed(
    dialect: str, tmp_path: Path, sample_papers: list[Paper]
) -> None:
    sample = sample_papers[: SAMPLE_BATCH * 3 + 7]  # several batches, not the whole sample
    loaded: list[int] = []
    with fresh_database_url(dialect, tmp_path) as url:
        databases = [Database(url) for _ in range(STARTERS)]  # one engine each, like processes

        def start(index: int) -> None:
            db = databases[index]
            migrate.upgrade(db)
            loaded.append(load_sample_until_complete(db, NOW, listed(sample)))

        try:
            assert run_together(STARTERS, start) == []
            assert sorted(loaded) == [0] * (STARTERS - 1) + [len(sample)]
            assert databases[0].read_now(count_papers) == len(sample)
            assert migrate.current_revision(databases[0]) == migrate.head_revision()
        finally:
            for db in databases:
                db.dispose()


def test_a_start_after_a_sample_load_cut_short_loads_the_rest(
    db: Database, sample_papers: list[Paper]
) -> None:
    sample = sample_papers[: SAMPLE_BATCH * 2 + 3]
    # the batches go in from the end of the sample: two were in when the process stopped
    db.write_now(partial(upsert_papers, papers=sample[SAMPLE_BATCH:]))

    assert load_sample_until_complete(db, NOW, listed(sample)) == len(sample)
    assert db.read_now(count_papers) == len(sample)


def test_the_samples_first_paper_goes_in_with_the_last_batch(
    db: Database, sample_papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its being stored is what tells a finished load from one cut short."""
    sample = sample_papers[: SAMPLE_BATCH * 2 + 3]
    batches: list[list[str]] = []

    def recording(session: Session, papers: list[Paper]) -> UpsertResult:
        batches.append([p.id for p in papers])
        return upsert_papers(session, papers)

    monkeypatch.setattr(bot.ingest, "upsert_papers", recording)
    load_sample_until_complete(db, NOW, listed(sample))

    assert len(batches) == 3
    assert sample[0].id in batches[-1]


def test_a_finished_sample_is_not_loaded_again(db: Database, sample_papers: list[Paper]) -> None:
    sample = sample_papers[:SAMPLE_BATCH]
    load_sample_until_complete(db, NOW, listed(sample))

    assert load_sample_until_complete(db, NOW, listed(sample)) == 0


def test_a_catalog_of_its_own_gets_no_sample(db: Database, sample_papers: list[Paper]) -> None:
    """Papers ingested from Hugging Face, none of them the sample's first: the sample stays out."""
    own = sample_papers[-5:]
    db.write_now(partial(upsert_papers, papers=own))

    assert load_sample_until_complete(db, NOW, listed(sample_papers[:SAMPLE_BATCH])) == 0
    assert db.read_now(count_papers) == len(own)


def test_a_sqlite_file_is_locked_at_startup_through_a_lock_file_beside_it(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        with (
            startup_lock(engine),
            open(tmp_path / "bot.db.startup-lock") as other,
            pytest.raises(BlockingIOError),  # another open file cannot take it meanwhile
        ):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        engine.dispose()


def test_an_in_memory_database_needs_no_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///:memory:"):
        engine = create_db_engine(url)
        with startup_lock(engine):
            pass
        engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_lock_keys_fit_a_signed_bigint_and_differ_by_name_and_schema() -> None:
    keys = [
        lock_key(name, schema)
        for name in (STARTUP_LOCK, "paperbot:leader")
        for schema in ("public", "bot_a", "bot_b", "t_0123456789ab")
    ]
    assert len(set(keys)) == len(keys)
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert min(keys) < 0  # the whole signed range is used, as pg_advisory_lock takes it


def test_a_database_already_at_the_head_is_left_without_waiting_for_the_lock(
    sqlite_db: Database,
) -> None:
    """Starting on a current schema needs nobody's turn: it returns while another holds the lock."""
    upgraded = threading.Event()

    def upgrade() -> None:
        migrate.upgrade(sqlite_db)
        upgraded.set()

    with startup_lock(sqlite_db.engine):
        thread = threading.Thread(target=upgrade, daemon=True)
        thread.start()
        assert upgraded.wait(timeout=10)
    thread.join(timeout=10)

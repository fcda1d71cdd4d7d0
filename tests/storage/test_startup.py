"""Any number of processes may start together on a new database: one migrates and loads the
sample, the others wait for it and find the work done."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest import SAMPLE_BATCH, load_sample_if_empty
from bot.model import Paper
from storage import migrate
from storage.db import Database
from storage.papers import count_papers
from tests.support.concurrency import run_together
from tests.support.databases import DIALECTS, fresh_database_url

NOW = datetime(2026, 6, 13, tzinfo=UTC)
STARTERS = 6


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
            loaded.append(load_sample_if_empty(db, NOW, lambda _now: sample))

        try:
            assert run_together(STARTERS, start) == []
            assert sorted(loaded) == [0] * (STARTERS - 1) + [len(sample)]
            assert databases[0].read_now(count_papers) == len(sample)
            assert migrate.current_revision(databases[0]) == migrate.head_revision()
        finally:
            for db in databases:
                db.dispose()

"""The bundled sample, loaded and stored with its search index once per process.

Storing 8,536 papers and indexing them takes seconds. An xdist worker does it once for its
session anyway; a mutation run (scripts/run_mutants.py) starts one pytest session per mutant in
the same process, and paid those seconds for every mutant that reaches a test using ``deps``.
Tests only ever read the template: ``catalog_db`` hands each test a copy of it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from bot.model import Paper
from storage.papers import upsert_papers
from tests.support.databases import migrated_database

SAMPLE_FETCHED_AT = datetime(2026, 6, 13, tzinfo=UTC)


@cache
def sample_papers() -> tuple[Paper, ...]:
    from bot.sources.sample import load_sample_papers

    return tuple(load_sample_papers(SAMPLE_FETCHED_AT))


@cache
def sample_catalog_template() -> Path:
    """A SQLite file holding the sample, its search index beside it, for copies to start from."""
    folder = Path(tempfile.mkdtemp(prefix="paperbot-sample-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    papers = list(sample_papers())
    with migrated_database("sqlite", folder) as database:
        database.write_now(lambda s: upsert_papers(s, papers))
        database.read_now(database.search_index.sync)  # copies reuse this search index
        database.search_index.close()
        path = Path(database.url.removeprefix("sqlite:///"))
        database.engine.dispose()
    return path
